import { readFileSync, writeFileSync } from "node:fs";
import { InputError } from "./errors";
import { readSettings } from "./settingsFile";
import type { DirectoryData } from "../core/directory";
import { EMPTY_DIRECTORY } from "../core/directory";
import { computeInsights } from "../core/insights";
import { ingestGraphJson, ingestMbox, type Ingested } from "./ingest";
import type { IngestReport } from "./ingestReport";
import { buildState } from "./pipeline";

export interface InsightsCommandOptions {
  mbox?: string;
  graphJson?: string;
  directory?: string;
  /** Settings file: weights, cadence, thresholds, exclusions (any subset of the configuration). */
  settings?: string;
  domains: string[];
  now: number;
  out: string;
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
  const config = readSettings(options.settings, options.domains);
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
  const crm = options.directory ? readDirectoryFile(options.directory) : undefined;
  const built = buildState(merged, config, crm);
  const result = computeInsights(built.state, built.scopes, options.now, { detail: "full" });
  writeFileSync(
    options.out,
    JSON.stringify({
      ...result,
      directory: {
        users: built.directory.users.length,
        contacts: built.directory.contacts.length,
        accounts: built.directory.accounts.length,
      },
    }),
  );
  return {
    reports: parts.map((p) => p.report),
    records: result.records.length,
    connections: result.connections.length,
  };
}
