import { createHash } from "node:crypto";

import type { TableDef } from "../model";

export type Scalar = string | number | boolean | null;

/** A lookup to set: the target table and the record's GUID, or its alternate key. */
export type LookupValue = { table: string; id: string } | { table: string; key: Record<string, string> };

const lookupText = (l: LookupValue): string =>
  "id" in l ? `${l.table}:${l.id.toLowerCase()}` : `${l.table}:${JSON.stringify(l.key)}`;

/** A row as Rapport wants the org to hold it, keyed by its alternate key `rp_key`. */
export interface DesiredRow {
  table: TableDef;
  key: string;
  /** Hash of values and lookups: equal hashes mean nothing to write. */
  hash: string;
  values: Record<string, Scalar>;
  lookups: Record<string, LookupValue | null>;
  /** Written with every change but not part of the hash (a timestamp would make every row differ). */
  stamp: Record<string, Scalar>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: string | undefined): s is string => s !== undefined && GUID.test(s);

/** sha1 hex of a natural key: alternate-key values may not contain `/ < > * % & : \ ? +`. */
export const rowKey = (...parts: string[]): string =>
  createHash("sha1").update(parts.join("\u0000")).digest("hex");

/** A row with its content hash over values and lookups in column order (stable across runs). */
export function desiredRow(
  table: TableDef,
  key: string,
  values: Record<string, Scalar>,
  lookups: Record<string, LookupValue | null>,
  stamp: Record<string, Scalar> = {},
): DesiredRow {
  for (const name of [...Object.keys(values), ...Object.keys(lookups), ...Object.keys(stamp)])
    if (!table.columns.some((c) => c.name === name))
      throw new Error(`${table.logicalName} has no column ${name}`);
  const h = createHash("sha1");
  for (const c of table.columns) {
    if (c.name in values) h.update(`${c.name}=${JSON.stringify(values[c.name])}\n`);
    else if (c.name in lookups) {
      const l = lookups[c.name];
      h.update(`${c.name}=${l ? lookupText(l) : "null"}\n`);
    }
  }
  return { table, key, hash: h.digest("hex"), values, lookups, stamp };
}
