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

/** Each table's column names, for the check of every row's names (a row per record, history item, pair). */
const COLUMN_NAMES = new WeakMap<TableDef, ReadonlySet<string>>();
function columnNames(table: TableDef): ReadonlySet<string> {
  let names = COLUMN_NAMES.get(table);
  if (!names) COLUMN_NAMES.set(table, (names = new Set(table.columns.map((c) => c.name))));
  return names;
}

/** A row with its content hash over values and lookups in column order (stable across runs). */
export function desiredRow(
  table: TableDef,
  key: string,
  values: Record<string, Scalar>,
  lookups: Record<string, LookupValue | null>,
  stamp: Record<string, Scalar> = {},
): DesiredRow {
  const names = columnNames(table);
  for (const part of [values, lookups, stamp])
    for (const name in part)
      if (!names.has(name)) throw new Error(`${table.logicalName} has no column ${name}`);
  // The hashed text is built whole and hashed once: the same digest as one update per column, without
  // a native call per column (docs/benchmarks.md, "Issue 18").
  let text = "";
  for (const c of table.columns) {
    if (c.name in values) text += `${c.name}=${JSON.stringify(values[c.name])}\n`;
    else if (c.name in lookups) {
      const l = lookups[c.name];
      text += `${c.name}=${l ? lookupText(l) : "null"}\n`;
    }
  }
  return { table, key, hash: createHash("sha1").update(text).digest("hex"), values, lookups, stamp };
}
