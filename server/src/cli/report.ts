import { type IngestReport, totalIssues, totalSkipped } from "../app/ingestReport";

/** What reading the mail found, in a few lines for stderr: counts only, never an address or a subject. */
export function describeReport(report: IngestReport): string {
  const lines = [
    `read ${report.files} file(s): ${report.items} messages, ${report.copies} exact copies, ${report.interactions} interactions kept`,
    ...(report.afterCutoff ? [`${report.afterCutoff} dated on or after the cutoff (not used)`] : []),
    `skipped ${totalSkipped(report)}: ${JSON.stringify(report.skipped)}`,
    `not addresses (kept out of relationships): ${JSON.stringify(report.dropped)}`,
  ];
  if (totalIssues(report)) {
    lines.push(`problems ${totalIssues(report)}: ${JSON.stringify(report.issues)}`);
    for (const e of report.examples) lines.push(`  ${e}`);
  }
  return lines.join("\n");
}
