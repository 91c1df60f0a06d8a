import path from "node:path";
import { readSettings } from "./settingsFile";
import { computeInsights, type RecordInsight } from "../core/insights";
import { DAY_MS, isoDate } from "../core/time";
import { ingestMbox } from "./ingest";
import { buildState } from "./pipeline";

/** The bundled sample of real mail (see server/data/PROVENANCE.md). */
export const SAMPLE_DIR = path.resolve(__dirname, "..", "..", "data", "sample");

export interface StartOptions {
  mbox: string;
  domains: string[];
  settings?: string;
  now?: number;
  onStart?: (totalBytes: number) => void;
  onBytes?: (bytes: number) => void;
}

/** Accounts need this many interactions in the year to be worth a line in the summary. */
const SUMMARY_MIN_INTERACTIONS = 20;
/** ... and at least this many messages each way, so that newsletters and one-way mail stay out. */
const SUMMARY_MIN_EACH_WAY = 3;

function line(r: RecordInsight): string {
  const k = r.kpis;
  const counts = k ? ` (${k.emailsSent} sent / ${k.emailsReceived} received)` : "";
  return `  ${String(Math.round(r.score)).padStart(3)} ${r.status.padEnd(5)} ${r.trend.padEnd(9)} ${r.record.name}${counts}\n      ${r.reasons
    .slice(0, 2)
    .map((x) => x.text)
    .join("\n      ")}`;
}

/**
 * Runs the engine on the sample (or the user's own mail) and returns a readable summary: the healthiest
 * and most at-risk company relationships with their reasons, and the best introducers to the people
 * behind the relationships at risk.
 */
export async function runStart(options: StartOptions): Promise<string> {
  const config = readSettings(options.settings, options.domains);
  const ingested = await ingestMbox(options.mbox, {
    config,
    now: options.now ?? Date.now(),
    ...(options.now !== undefined ? { before: options.now } : {}),
    ...(options.onStart ? { onStart: options.onStart } : {}),
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  });
  const built = buildState(ingested, config);
  const newest = ingested.interactions.reduce((m, i) => Math.max(m, i.observedAt ?? i.at), 0);
  const now = options.now ?? (Math.floor(newest / DAY_MS) + 1) * DAY_MS;
  const accounts = built.scopes.filter((s) => s.type === "account");
  const result = computeInsights(built.state, accounts, now, { detail: "full" });
  // Conversations, not broadcasts: enough interactions, and several messages each way.
  const active = result.records.filter(
    (r) =>
      (r.kpis?.interactionCount ?? 0) >= SUMMARY_MIN_INTERACTIONS &&
      (r.kpis?.emailsSent ?? 0) >= SUMMARY_MIN_EACH_WAY &&
      (r.kpis?.emailsReceived ?? 0) >= SUMMARY_MIN_EACH_WAY &&
      r.status !== "notEnoughInfo",
  );
  const healthiest = [...active].sort((a, b) => b.exactScore - a.exactScore).slice(0, 5);
  const atRisk = active
    .filter((r) => r.status === "poor" || r.trend === "declining")
    .sort((a, b) => (b.kpis?.interactionCount ?? 0) - (a.kpis?.interactionCount ?? 0))
    .slice(0, 5);

  const out: string[] = [];
  out.push(
    `Rapport on ${ingested.report.files} mailbox file(s): ${built.state.store.size} unique interactions, ` +
      `${built.directory.users.length} colleagues, ${built.directory.contacts.length} external people, ${accounts.length} companies; as of ${isoDate(now)}.\n`,
  );
  out.push(
    `\nHealthiest company relationships (score, status, trend):\n${healthiest.map(line).join("\n")}\n`,
  );
  out.push(
    `\nMost at risk (active relationships that are poor or declining):\n${atRisk.map(line).join("\n")}\n`,
  );
  out.push(`\nBest introducers to the companies at risk:\n`);
  for (const r of atRisk.slice(0, 3)) {
    const intros = r.introducers
      .slice(0, 3)
      .map(
        (i) =>
          `${i.name ?? i.colleague} (${i.band}, ${Math.round(i.strength)}; last ${i.evidence.last.at.slice(0, 10)}, knows ${i.knows.length})`,
      );
    out.push(`  ${r.record.name}: ${intros.join("; ") || "no colleague connected"}\n`);
  }
  return out.join("");
}
