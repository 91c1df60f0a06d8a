#!/usr/bin/env node
import { Command, CommanderError, Option } from "commander";
import { runBacktest } from "../app/backtest";
import { totalIssues, totalSkipped, type IngestReport } from "../app/ingestReport";
import { runInsights } from "../app/insightsCommand";
import { openStart, SAMPLE_DIR } from "../app/start";
import { locatePreviewAssets, PreviewStartError, servePreview, type Preview } from "../preview";
import {
  DEFAULT_PORT,
  existingPath,
  mailPath,
  parseDay,
  parseDomains,
  parsePort,
  parseWorkers,
  parseCount,
} from "./args";
import { CliError } from "./errors";
import { InputError } from "../app/errors";
import { redactSecrets } from "../core/redact";
import { DataverseError, SETTING } from "../dataverse/client";
import { ByteProgress, PhaseProgress } from "./progress";
import { addDataverseCommands } from "./dataverseCommand";
import { addPublishCommand } from "./publishCommand";
import { addSyncCommand } from "./syncCommand";
import { addGenerateCommand } from "./generateCommand";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function describeReport(report: IngestReport): string {
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

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("rapport")
    .description(
      "Relationship intelligence from mail and calendar metadata: health, KPIs and who knows whom.",
    )
    .showHelpAfterError()
    .exitOverride();

  program
    .command("backtest")
    .description(
      "Write the evaluation output of shared/eval: strengths and health computed only from mail strictly before --as-of.",
    )
    .requiredOption("--mbox <path>", "mbox file or folder of mbox files (plain or .gz)")
    .requiredOption(
      "--domain <domain>",
      "organisation domain (repeat or comma-separate; sub-domains included)",
      collect,
      [],
    )
    .requiredOption(
      "--as-of <date>",
      "cutoff date YYYY-MM-DD (UTC midnight); only mail strictly before it is read",
    )
    .requiredOption("--out <file>", "JSONL output file")
    .addOption(new Option("--workers <n>", "worker threads for reading mail").default("2"))
    .option("--quiet", "no progress bar")
    .action(
      async (opts: {
        mbox: string;
        domain: string[];
        asOf: string;
        out: string;
        workers: string;
        quiet?: boolean;
      }) => {
        const asOf = parseDay("--as-of", opts.asOf);
        const domains = parseDomains(opts.domain);
        const mbox = mailPath("--mbox", opts.mbox);
        const workers = parseWorkers(opts.workers);
        const progress = new ByteProgress("reading mail", !opts.quiet);
        const started = performance.now();
        const summary = await runBacktest({
          mbox,
          domains,
          asOf,
          out: opts.out,
          workers,
          onStart: progress.start,
          onBytes: progress.add,
        });
        progress.stop();
        process.stderr.write(
          `${describeReport(summary.report)}\n` +
            `${summary.interactions} unique interactions; ${summary.users} mailbox owners; wrote ${summary.connections} connections and ${summary.contacts} contacts to ${opts.out} ` +
            `in ${((performance.now() - started) / 1000).toFixed(1)} s (read ${summary.timings.readMs} ms, compute ${summary.timings.computeMs} ms, write ${summary.timings.writeMs} ms)\n`,
        );
      },
    );

  program
    .command("insights")
    .description(
      "Compute every record's KPIs, health, trend, reasons and introducers, and write them as JSON.",
    )
    .option("--mbox <path>", "mbox file or folder of mbox files (plain or .gz)")
    .option("--graph-json <path>", "Microsoft Graph JSON export: page files of messages and events")
    .requiredOption("--domain <domain>", "organisation domain (repeat or comma-separate)", collect, [])
    .option(
      "--directory <file>",
      "CRM directory JSON (users, contacts, leads, accounts, opportunities); derived from the mail when absent",
    )
    .option(
      "--settings <file>",
      "settings JSON: weights, cadence, thresholds, excludedDomains, ... (see docs/insights.md)",
    )
    .option("--now <date>", "compute as of this date YYYY-MM-DD (default: today)")
    .requiredOption("--out <file>", "JSON output file")
    .option(
      "--people-per-list <n>",
      "people listed per history item and introducer, as the controls show them (0: all of them)",
      "3",
    )
    .option("--quiet", "no progress bar")
    .action(
      async (opts: {
        mbox?: string;
        graphJson?: string;
        domain: string[];
        directory?: string;
        settings?: string;
        now?: string;
        out: string;
        peoplePerList: string;
        quiet?: boolean;
      }) => {
        if (!opts.mbox && !opts.graphJson)
          throw new CliError("give --mbox <path> or --graph-json <path> (or both)");
        const progress = new ByteProgress("reading mail", !opts.quiet);
        const summary = await runInsights({
          ...(opts.mbox ? { mbox: mailPath("--mbox", opts.mbox) } : {}),
          ...(opts.graphJson ? { graphJson: mailPath("--graph-json", opts.graphJson) } : {}),
          ...(opts.directory ? { directory: existingPath("--directory", opts.directory) } : {}),
          ...(opts.settings ? { settings: existingPath("--settings", opts.settings) } : {}),
          domains: parseDomains(opts.domain),
          now: opts.now ? parseDay("--now", opts.now) : Date.now(),
          out: opts.out,
          peoplePerList: parseCount("--people-per-list", opts.peoplePerList),
          onStart: progress.start,
          onBytes: progress.add,
        });
        progress.stop();
        for (const r of summary.reports) process.stderr.write(`${describeReport(r)}\n`);
        process.stderr.write(
          `wrote ${summary.records} records and ${summary.connections} connections to ${opts.out}\n`,
        );
      },
    );

  program
    .command("start")
    .description(
      "Run Rapport end to end on the embedded default: the bundled Enron sample (or your own mail), a demo CRM " +
        "derived from it in a local Dataverse-compatible endpoint, insights computed and published there, a summary " +
        "read back, then a local preview of the controls and the settings page in your browser.",
    )
    .option("--mbox <path>", "your own mbox file or folder instead of the bundled sample")
    .option("--domain <domain>", "organisation domain of your own mail", collect, [])
    .option("--db <file>", "the local Dataverse database (SQLite), kept between runs", ".rapport/demo.sqlite")
    .option("--settings <file>", "settings JSON: weights, cadence, thresholds, exclusions")
    .option("--now <date>", "as-of date YYYY-MM-DD (default: the day after the newest message)")
    .option("--port <port>", "port of the local preview (default: $PORT, else 4280; 0 picks a free one)")
    .option("--no-preview", "print the summary and exit instead of serving the preview")
    .option(
      "--graph-local",
      "read the mail through the local Graph server and the Graph sync, as production reads Graph",
    )
    .option("--quiet", "no progress bar")
    .action(
      async (opts: {
        mbox?: string;
        domain: string[];
        db: string;
        settings?: string;
        now?: string;
        port?: string;
        preview: boolean;
        graphLocal?: boolean;
        quiet?: boolean;
      }) => {
        // Fail before the work, not after it: a bad port or an unbuilt preview is known now.
        const port = opts.preview ? parsePort(opts.port ?? process.env["PORT"] ?? String(DEFAULT_PORT)) : 0;
        if (opts.preview) locatePreviewAssets();
        const bytes = new ByteProgress("reading mail", !opts.quiet);
        const phases = new PhaseProgress(!opts.quiet);
        const session = await openStart({
          mbox: opts.mbox ? mailPath("--mbox", opts.mbox) : SAMPLE_DIR,
          domains: opts.domain.length ? parseDomains(opts.domain) : ["enron.com"],
          db: opts.db,
          ...(opts.graphLocal ? { graphLocal: true } : {}),
          ...(opts.settings ? { settings: existingPath("--settings", opts.settings) } : {}),
          ...(opts.now ? { now: parseDay("--now", opts.now) } : {}),
          onStart: bytes.start,
          onBytes: bytes.add,
          onPhase: (phase, total) => {
            bytes.stop();
            if (phase !== "read mail") phases.phase(phase, total);
          },
          onProgress: phases.progress,
        }).finally(() => {
          // A bar's timer would keep the process alive after an error.
          bytes.stop();
          phases.stop();
        });
        process.stdout.write(session.summary);
        if (!opts.preview) return session.close();
        let preview: Preview;
        try {
          preview = await servePreview(session, { port });
        } catch (err) {
          await session.close();
          if (err instanceof PreviewStartError) throw new CliError(err.message);
          throw err;
        }
        process.stdout.write(
          `\nRapport preview: ${preview.launchUrl}\n` +
            `  Open it in your browser (the link carries the key that admits you). Ctrl-C stops it.\n` +
            `  Web API: ${preview.url}/api/data/v9.2/ (Authorization: Bearer <the key>)\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = () =>
            void preview
              .close()
              .then(() => session.close())
              .then(resolve);
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
      },
    );
  addPublishCommand(program);
  addSyncCommand(program);
  addDataverseCommands(program);
  addGenerateCommand(program);
  return program;
}

/** The transport's error codes (ECONNREFUSED, ENOTFOUND, ...) along an error's causes. */
function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, cause } = e as { code?: unknown; cause?: unknown };
    if (typeof code === "string") codes.push(code);
    e = cause;
  }
  return codes;
}

/**
 * The one line for a problem the user can fix (a usage error, an org that cannot be reached, credentials
 * the org refused), or undefined for a bug, which keeps its stack. Exit code 2 either way.
 */
function configurationProblem(err: unknown): string | undefined {
  if (err instanceof InputError) return err.message;
  if (err instanceof DataverseError && err.kind === "Network") {
    const code = causeCodes(err.cause)[0];
    return `${err.message}${code ? ` (${code})` : ""}: cannot reach Dataverse; check ${SETTING.url} and that the server is up`;
  }
  if (err instanceof DataverseError && err.kind === "Unauthorized")
    return `${err.message}: the credentials were refused; check ${SETTING.auth} and its settings`;
  if (
    err instanceof Error &&
    (err.name === "AuthenticationError" || err.name === "CredentialUnavailableError")
  )
    return `cannot get a token for Dataverse (${err.name}): ${err.message.split("\n")[0] ?? ""}`;
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const problem = configurationProblem(err);
    if (problem !== undefined) {
      // Every message goes out without the secrets a URL can carry (user:password@, ?key=).
      process.stderr.write(`rapport: error: ${redactSecrets(problem)}\n`);
      return 2;
    }
    process.stderr.write(
      `rapport: failed: ${redactSecrets(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`,
    );
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
