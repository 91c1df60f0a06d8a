import { type Stats, statSync } from "node:fs";

import { CliError } from "./errors";

/** Commander's collector for a repeatable option: each use adds its value. */
// No default list is given to commander (it would print "(default: [])" in the help); the first value starts it.
export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/** Parses a YYYY-MM-DD date as midnight UTC, rejecting impossible dates such as 2001-02-30. */
export function parseDay(option: string, value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const at = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || !Number.isFinite(at) || new Date(at).toISOString().slice(0, 10) !== value) {
    throw new CliError(`${option}: '${value}' is not a date (expected YYYY-MM-DD, e.g. 2001-02-01)`);
  }
  return at;
}

/** Checks that a path exists, naming the option and the path when it does not. */
export function existingPath(option: string, value: string): string {
  try {
    statSync(value);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new CliError(
      `${option}: ${code === "ENOENT" ? "no such file or folder" : `cannot read (${code ?? "error"})`}: ${value}`,
      { cause: err },
    );
  }
  return value;
}

/** What a path that is neither a regular file nor a folder is, in words. */
function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return "a named pipe";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return "not a regular file";
}

/**
 * Checks that a path to read mail from is a regular file or a folder: a device would never end
 * (`/dev/zero`) and a named pipe would block until someone writes to it.
 */
export function mailPath(option: string, value: string): string {
  existingPath(option, value);
  const stat = statSync(value);
  if (!stat.isFile() && !stat.isDirectory())
    throw new CliError(`${option}: not a regular file or folder (${kindOf(stat)}): ${value}`);
  return value;
}

/**
 * Domains from repeated or comma-separated values of an option (or variable), lower-case, without "@";
 * none when they are all empty.
 */
export function domainList(option: string, values: readonly string[]): string[] {
  const domains = values
    .flatMap((v) => v.split(","))
    .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
    .filter(Boolean);
  for (const d of domains)
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d))
      throw new CliError(`${option}: '${d}' is not a domain (e.g. contoso.com)`);
  return domains;
}

export function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new CliError(`--workers: '${value}' is not a whole number from 1 to 64`);
  return n;
}

/** A count from 0 to 1,000 (0 meaning "no limit" where the option says so). */
export function parseCount(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 1000)
    throw new CliError(`${option}: '${value}' is not a whole number from 0 to 1000`);
  return n;
}

/** The preview's port when neither --port nor PORT says otherwise. */
export const DEFAULT_PORT = 4280;

/** A TCP port (0 picks a free one), from --port or the PORT variable. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n > 65535)
    throw new CliError(`--port (or PORT): '${value}' is not a port number from 0 to 65535`);
  return n;
}
