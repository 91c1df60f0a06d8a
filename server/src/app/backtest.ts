import { once } from "node:events";
import { createWriteStream } from "node:fs";

import { resolveConfig } from "../core/config";
import { computeInsights } from "../core/insights";
import { type Ingested, ingestMbox } from "./ingest";
import type { IngestReport } from "./ingestReport";
import { StateBuilder } from "./pipeline";

export interface BacktestOptions {
  mbox: string;
  /** The organisation's domains; none when they are to be inferred from the mail (see inferDomains). */
  domains: string[];
  /**
   * Called once the mail is read when `domains` is empty: the domains from each mail file's
   * participants. The mail is then held in memory until they are known (with domains it streams).
   */
  inferDomains?: (participantsByFile: ReadonlyMap<string, ReadonlyMap<string, number>>) => string[];
  asOf: number;
  out: string;
  /** The real clock, for the plausibility window of dates (default: the system clock). */
  now?: number;
  workers?: number;
  onStart?: (totalBytes: number) => void;
  onBytes?: (bytes: number) => void;
}

export interface BacktestSummary {
  report: IngestReport;
  interactions: number;
  users: number;
  connections: number;
  contacts: number;
  timings: { readMs: number; computeMs: number; writeMs: number };
}

/**
 * The evaluation contract of the quality measurement (docs/quality.md): from mail strictly before `asOf`, one `connection` line per
 * (internal, external) pair that exchanged mail and one `contact` line per external person.
 */
/** Reads the mail into the state: streamed into it when the domains are known, else held until they are. */
async function readIntoState(
  options: BacktestOptions,
): Promise<{ builder: StateBuilder; ingested: Ingested }> {
  const read = {
    // The plausibility window follows the real clock; the cutoff is applied by `before`.
    now: options.now ?? Date.now(),
    before: options.asOf,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.onStart ? { onStart: options.onStart } : {}),
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  };
  if (options.domains.length > 0 || !options.inferDomains) {
    const config = resolveConfig({ orgDomains: options.domains });
    const builder = new StateBuilder(config);
    const ingested = await ingestMbox(options.mbox, { ...read, config, sink: builder.add });
    return { builder, ingested };
  }
  // Reading does not depend on the domains: the same interactions, added in the same order.
  const ingested = await ingestMbox(options.mbox, { ...read, config: resolveConfig() });
  const orgDomains = options.inferDomains(ingested.participantsByFile);
  const builder = new StateBuilder(resolveConfig({ orgDomains }));
  builder.add(ingested.interactions);
  return { builder, ingested };
}

export async function runBacktest(options: BacktestOptions): Promise<BacktestSummary> {
  const t0 = performance.now();
  const { builder, ingested } = await readIntoState(options);
  const t1 = performance.now();
  const built = builder.finish(ingested.participantsByFile);
  const contacts = built.scopes.filter((s) => s.type === "contact");
  const result = computeInsights(built.state, contacts, options.asOf, {
    detail: "scores",
    introducers: false,
  });
  const t2 = performance.now();

  const out = createWriteStream(options.out);
  let buffer = "";
  const flush = async (): Promise<void> => {
    if (!out.write(buffer)) await once(out, "drain");
    buffer = "";
  };
  for (const c of result.connections) {
    buffer += `{"kind":"connection","internal":${JSON.stringify(c.colleague)},"external":${JSON.stringify(c.external)},"strength":${c.raw},"score":${c.strength},"band":"${c.band}"}\n`;
    if (buffer.length > 1 << 20) await flush();
  }
  for (let index = 0; index < result.records.length; index++) {
    // Records come back in the order of the scopes they were computed for.
    const r = result.records[index];
    const [address] = contacts[index]?.externals ?? [];
    if (!r || address === undefined) continue;
    buffer += `{"kind":"contact","external":${JSON.stringify(address)},"healthScore":${r.exactScore},"status":"${r.status}","trend":"${r.trend}"}\n`;
    if (buffer.length > 1 << 20) await flush();
  }
  await flush();
  out.end();
  await once(out, "finish");
  const t3 = performance.now();
  return {
    report: ingested.report,
    interactions: built.state.store.size,
    users: built.directory.users.length,
    connections: result.connections.length,
    contacts: result.records.length,
    timings: { readMs: Math.round(t1 - t0), computeMs: Math.round(t2 - t1), writeMs: Math.round(t3 - t2) },
  };
}
