import { once } from "node:events";
import { createWriteStream, readFileSync } from "node:fs";

import type { DirectoryData } from "../core/directory";
import { EMPTY_DIRECTORY } from "../core/directory";
import { computeInsights, type InsightsResult } from "../core/insights";
import { PEOPLE_PER_LIST } from "../core/insights";
import { InputError } from "./errors";
import { type Ingested, ingestGraphJson, ingestMbox } from "./ingest";
import type { IngestReport } from "./ingestReport";
import { buildState } from "./pipeline";
import { readSettings } from "./settingsFile";

export interface InsightsCommandOptions {
  mbox?: string;
  graphJson?: string;
  directory?: string;
  /** Settings file: weights, cadence, thresholds, exclusions (any subset of the configuration). */
  settings?: string;
  /** The organisation's domains; none when they are to be inferred from the mail (see inferDomains). */
  domains: string[];
  /**
   * Called once the mail is read when neither `domains` nor the settings file name any: the domains
   * from each mail file's participants. Reading does not depend on the domains, so the result is the
   * same as with those domains given.
   */
  inferDomains?: (participantsByFile: ReadonlyMap<string, ReadonlyMap<string, number>>) => string[];
  now: number;
  out: string;
  /** People kept per history item and introducer (default PEOPLE_PER_LIST; 0 keeps them all). */
  peoplePerList?: number;
  onStart?: (totalBytes: number) => void;
  onBytes?: (bytes: number) => void;
}

export class DirectoryFileError extends InputError {
  override readonly name = "DirectoryFileError";
}

/** Reads a CRM directory file, naming what is wrong with it. */
export function readDirectoryFile(file: string): DirectoryData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new DirectoryFileError(
      `${file}: not valid JSON (${err instanceof Error ? err.message.split("\n")[0] : "parse error"})`,
      { cause: err },
    );
  }
  if (typeof parsed !== "object" || parsed === null)
    throw new DirectoryFileError(
      `${file}: expected an object with users, contacts, leads, accounts, opportunities`,
    );
  const data = { ...EMPTY_DIRECTORY, ...(parsed as Partial<DirectoryData>) };
  for (const key of ["users", "contacts", "leads", "accounts", "opportunities", "orgDomains"] as const) {
    if (!Array.isArray(data[key])) throw new DirectoryFileError(`${file}: "${key}" must be an array`);
  }
  return data;
}

/** `rapport insights`: every record's insights and every connection, as one JSON document. */
export async function runInsights(
  options: InsightsCommandOptions,
): Promise<{ reports: IngestReport[]; records: number; connections: number }> {
  let config = readSettings(options.settings, options.domains);
  const common = {
    config,
    now: options.now,
    ...(options.onStart ? { onStart: options.onStart } : {}),
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  };
  const parts: Ingested[] = [];
  if (options.mbox) parts.push(await ingestMbox(options.mbox, common));
  if (options.graphJson) parts.push(await ingestGraphJson(options.graphJson, common));
  const merged: Pick<Ingested, "interactions" | "participantsByFile"> = {
    interactions: parts.flatMap((p) => p.interactions),
    participantsByFile: new Map(parts.flatMap((p) => [...p.participantsByFile])),
  };
  if (config.orgDomains.length === 0 && options.inferDomains)
    config = readSettings(options.settings, options.inferDomains(merged.participantsByFile));
  const crm = options.directory ? readDirectoryFile(options.directory) : undefined;
  const built = buildState(merged, config, crm);
  const result = computeInsights(built.state, built.scopes, options.now, {
    detail: "full",
    similarDeals: true,
    ...(options.peoplePerList === 0 ? {} : { peoplePerList: options.peoplePerList ?? PEOPLE_PER_LIST }),
  });
  await writeInsightsJson(options.out, result, {
    users: built.directory.users.length,
    contacts: built.directory.contacts.length,
    accounts: built.directory.accounts.length,
  });
  return {
    reports: parts.map((p) => p.report),
    records: result.records.length,
    connections: result.connections.length,
  };
}

/**
 * Writes the insights document record by record, as `JSON.stringify({ ...result, directory })` would in
 * one string (the same bytes), so that no single string grows with the whole output.
 */
export async function writeInsightsJson(
  file: string,
  result: InsightsResult,
  directory: { users: number; contacts: number; accounts: number },
): Promise<void> {
  const out = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  // Observed by the races below; this handler only keeps an early error from going unhandled.
  failed.catch(() => undefined);
  let buffer = "";
  const put = async (text: string): Promise<void> => {
    buffer += text;
    if (buffer.length < 1 << 20) return;
    const ok = out.write(buffer);
    buffer = "";
    if (!ok) await Promise.race([once(out, "drain"), failed]);
  };
  const list = async (items: readonly unknown[]): Promise<void> => {
    await put("[");
    for (let i = 0; i < items.length; i++) await put((i ? "," : "") + JSON.stringify(items[i]));
    await put("]");
  };
  await put(`{"computedAt":${JSON.stringify(result.computedAt)},"records":`);
  await list(result.records);
  await put(`,"connections":`);
  await list(result.connections);
  await put(`,"stats":${JSON.stringify(result.stats)},"directory":${JSON.stringify(directory)}}`);
  out.end(buffer);
  await Promise.race([once(out, "finish"), failed]);
}
