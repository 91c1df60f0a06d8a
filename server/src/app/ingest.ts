import { promises as fsp } from "node:fs";

import type { InsightConfig } from "../core/config";
import type { NumberedAddresses } from "../core/engine/addressBook";
import type { Envelope, Interaction } from "../core/interaction";
import { Normaliser } from "../core/normalise";
import { readGraphJson } from "../sources/graphJson/readGraphJson";
import { listMboxEntries, readMboxBatches } from "../sources/mbox/readMbox";
import { canReadInParallel, readMboxParallel } from "../sources/mbox/readMboxParallel";
import type { SourceItem } from "../sources/sourceItem";
import { addCounts, countIssue, emptyReport, type IngestReport } from "./ingestReport";

export interface IngestOptions {
  config: InsightConfig;
  /** The run's clock: dates more than a year after it are implausible. */
  now: number;
  /** Keep only interactions observed strictly before this instant (a backtest's as-of date). */
  before?: number;
  /** Worker threads for mbox reading (1 reads on this thread). */
  workers?: number;
  /** Total bytes to read is reported first, then progress. */
  onStart?: (totalBytes: number) => void;
  onBytes?: (bytes: number) => void;
  /**
   * Receives interactions as they are read (so the state is built while reading goes on); when given,
   * `Ingested.interactions` stays empty. From worker threads, their addresses come numbered too (see
   * RelationshipState.addAll).
   */
  sink?: (interactions: readonly Interaction[], numbered?: NumberedAddresses) => void;
}

export interface Ingested {
  interactions: Interaction[];
  report: IngestReport;
  /** Per source file, how often each address took part: the mailbox owner is on nearly every message. */
  participantsByFile: Map<string, Map<string, number>>;
}

async function totalSize(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const f of files) total += (await fsp.stat(f)).size;
  return total;
}

function tally(byFile: Map<string, Map<string, number>>, file: string, i: Interaction): void {
  let m = byFile.get(file);
  if (!m) byFile.set(file, (m = new Map()));
  for (const a of [i.from, ...i.to, ...i.cc]) m.set(a, (m.get(a) ?? 0) + 1);
}

const observed = (i: Interaction): number => i.observedAt ?? i.at;
/** Observed strictly before the cutoff, if any. */
const kept = (i: Interaction, before: number | undefined): boolean =>
  before === undefined || observed(i) < before;

async function* readEach(
  files: readonly string[],
  stats: { copies: number; late: number },
  options: IngestOptions,
): AsyncGenerator<SourceItem[]> {
  const { before, onBytes } = options;
  for (const file of files) {
    yield* readMboxBatches(file, {
      seenCopies: new Set(),
      stats,
      ...(before !== undefined ? { before } : {}),
      ...(onBytes ? { onBytes } : {}),
    });
  }
}

/**
 * Reads mbox files (a file or a folder, plain or gzip) into judged interactions, on worker threads where
 * the built code allows, counting every skipped item and every issue by name.
 */
export async function ingestMbox(target: string, options: IngestOptions): Promise<Ingested> {
  const out: Ingested = { interactions: [], report: emptyReport(), participantsByFile: new Map() };
  const { files, listed } = await listTarget(target, out.report);
  out.report.files = files.length;
  options.onStart?.(await totalSize(files));
  const workers = options.workers ?? 2;
  if (workers > 1 && files.length > 1 && canReadInParallel())
    await readParallel(target, workers, options, out);
  else await readSerial(listed ? files : [target], options, out);
  return out;
}

/** The mbox files of a target (none when it cannot be listed: reading names that problem as an issue). */
async function listTarget(
  target: string,
  report: IngestReport,
): Promise<{ files: string[]; listed: boolean }> {
  try {
    const listing = await listMboxEntries(target);
    // Links and special files in a folder are not read, but counted.
    for (const issue of listing.skipped) countIssue(report, issue);
    return { files: listing.files, listed: true };
  } catch {
    return { files: [], listed: false };
  }
}

/** Interactions to the sink when there is one, else into the result. */
function deliver(
  out: Ingested,
  options: IngestOptions,
  interactions: readonly Interaction[],
  numbered?: NumberedAddresses,
): void {
  if (options.sink) options.sink(interactions, numbered);
  else for (const i of interactions) out.interactions.push(i);
}

/** Reads on worker threads, which apply the cutoff and count each file's participants: this thread only adds. */
async function readParallel(
  target: string,
  workers: number,
  options: IngestOptions,
  out: Ingested,
): Promise<void> {
  const report = out.report;
  for await (const batch of readMboxParallel(target, {
    config: options.config,
    now: options.now,
    workers,
    ...(options.before !== undefined ? { before: options.before } : {}),
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  })) {
    report.copies += batch.copies;
    report.afterCutoff += batch.cut;
    report.items +=
      batch.interactions.length + batch.cut + Object.values(batch.skipped).reduce((a, b) => a + (b ?? 0), 0);
    addCounts(report.skipped, batch.skipped);
    addCounts(report.dropped, batch.dropped);
    for (const issue of batch.issues) countIssue(report, issue);
    if (batch.participants) out.participantsByFile.set(batch.file, batch.participants);
    report.interactions += batch.interactions.length;
    deliver(out, options, batch.interactions, batch.numbered);
  }
}

/** Reads and judges on this thread. */
async function readSerial(files: readonly string[], options: IngestOptions, out: Ingested): Promise<void> {
  const report = out.report;
  const normaliser = new Normaliser(options.config, options.now);
  const stats = { copies: 0, late: 0 };
  // Copies are recognised within each file (as the workers do), so results never depend on file order.
  for await (const items of readEach(files, stats, options)) {
    for (const item of items) {
      if (item.type === "issue") countIssue(report, item.issue);
      else judgeInto(out, options, normaliser, item.envelope);
    }
  }
  report.copies = stats.copies;
  report.items += stats.late;
  report.afterCutoff += stats.late;
  addCounts(report.dropped, normaliser.dropped);
}

/** Judges one envelope and counts it: skipped (by reason), after the cutoff, or an interaction of its file. */
function judgeInto(out: Ingested, options: IngestOptions, normaliser: Normaliser, env: Envelope): void {
  const report = out.report;
  report.items++;
  const r = env.kind === "email" ? normaliser.message(env) : normaliser.event(env);
  if (!r.ok) {
    report.skipped[r.reason] = (report.skipped[r.reason] ?? 0) + 1;
    return;
  }
  if (!kept(r.interaction, options.before)) {
    report.afterCutoff++;
    return;
  }
  tally(out.participantsByFile, env.origin.file, r.interaction);
  report.interactions++;
  deliver(out, options, [r.interaction]);
}

/** Reads Graph JSON exports (page files of messages and events) into judged interactions. */
export async function ingestGraphJson(target: string, options: IngestOptions): Promise<Ingested> {
  const report = emptyReport();
  const interactions: Interaction[] = [];
  const participantsByFile = new Map<string, Map<string, number>>();
  const normaliser = new Normaliser(options.config, options.now);
  const files = new Set<string>();
  for await (const item of readGraphJson(target)) {
    if (item.type === "removed") continue;
    if (item.type === "issue") {
      countIssue(report, item.issue);
      continue;
    }
    report.items++;
    const env = item.envelope;
    files.add(env.origin.file);
    const r = env.kind === "email" ? normaliser.message(env) : normaliser.event(env);
    if (!r.ok) {
      report.skipped[r.reason] = (report.skipped[r.reason] ?? 0) + 1;
      continue;
    }
    if (options.before !== undefined && observed(r.interaction) >= options.before) {
      report.afterCutoff++;
      continue;
    }
    tally(participantsByFile, env.origin.file, r.interaction);
    report.interactions++;
    if (options.sink) options.sink([r.interaction]);
    else interactions.push(r.interaction);
  }
  addCounts(report.dropped, normaliser.dropped);
  report.files = files.size;
  return { interactions, report, participantsByFile };
}
