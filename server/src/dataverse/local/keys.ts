import { type ColumnDef, type ColumnType, isLookup } from "../model";
import { badQuery, DataverseHttpError, ERROR_CODES, keyNotFound, recordNotFound } from "./errors";
import type { KeyPredicate, KeyValue } from "./resourcePath";
import type { SqlStore } from "./sqlStore";
import { type TableInfo, targetColumn } from "./tableInfo";
import { isGuid, type Row, type SqlValue } from "./values";

/**
 * Key predicates resolved against the model: the primary id, or exactly the columns of one of the
 * table's alternate keys (a lookup key part is written `_x_value=guid`).
 */

export interface ResolvedKey {
  /** SQL column → value, what identifies the row. */
  columns: [string, SqlValue][];
  /** The primary id when the key is the primary id. */
  id?: string;
  /** For messages: the key as sent. */
  text: string;
}

/** A key value's SQL form for a column of each type, or undefined when the value does not match the type. */
type KeyConversion = (value: string | number | boolean) => SqlValue | undefined;

const textKey: KeyConversion = (value) => (typeof value === "string" ? value : undefined);
const guidKey: KeyConversion = (value) =>
  typeof value === "string" && isGuid(value) ? value.toLowerCase() : undefined;
const numberKey: KeyConversion = (value) => (typeof value === "number" ? value : undefined);

const KEY_CONVERSIONS: Record<ColumnType, KeyConversion> = {
  string: textKey,
  memo: textKey,
  uniqueidentifier: guidKey,
  lookup: guidKey,
  customer: guidKey,
  owner: guidKey,
  boolean: (value) => (typeof value === "boolean" ? (value ? 1 : 0) : undefined),
  datetime: textKey,
  dateonly: textKey,
  integer: numberKey,
  decimal: numberKey,
  double: numberKey,
  money: numberKey,
  picklist: numberKey,
  state: numberKey,
  status: numberKey,
};

/** The column a key part names: `_x_value` for a lookup, the column's own name otherwise. */
function keyColumn(info: TableInfo, name: string): ColumnDef {
  const lookupName = /^_(.+)_value$/.exec(name)?.[1];
  const c = lookupName ? info.byName.get(lookupName) : info.byName.get(name);
  if (!c || (lookupName !== undefined && !isLookup(c)) || (lookupName === undefined && isLookup(c)))
    throw badQuery(`The key attribute '${name}' is not defined on entity '${info.def.logicalName}'.`);
  return c;
}

function keyValueFor(info: TableInfo, name: string, value: KeyValue): [string, SqlValue] {
  const c = keyColumn(info, name);
  const sql = value === null ? undefined : KEY_CONVERSIONS[c.type](value);
  if (sql === undefined) throw badQuery(`The value of key attribute '${name}' does not match its type.`);
  return [c.name, sql];
}

export function resolveKey(info: TableInfo, key: KeyPredicate): ResolvedKey {
  if (key.kind === "id") return { columns: [[info.primaryId.name, key.id]], id: key.id, text: key.id };
  const columns = key.values.map(([name, value]) => keyValueFor(info, name, value));
  const names = columns.map(([n]) => n);
  if (names.length === 1 && names[0] === info.primaryId.name) {
    const id = String(columns[0]?.[1]);
    return { columns, id, text: id };
  }
  const matches = (info.def.alternateKeys ?? []).some(
    (k) => k.columns.length === names.length && k.columns.every((c) => names.includes(c)),
  );
  if (!matches)
    throw new DataverseHttpError(
      400,
      ERROR_CODES.query,
      `The key specified (${names.join(", ")}) is not an alternate key of entity '${info.def.logicalName}'.`,
    );
  return { columns, text: key.text };
}

export function findByKey(store: SqlStore, info: TableInfo, key: ResolvedKey): Row | undefined {
  return key.id !== undefined ? store.getById(info, key.id) : store.getByColumns(info, key.columns);
}

export function mustFind(store: SqlStore, info: TableInfo, key: ResolvedKey): Row {
  const row = findByKey(store, info, key);
  if (row) return row;
  throw key.id !== undefined
    ? recordNotFound(info.def.logicalName, key.id)
    : keyNotFound(info.def.logicalName, key.text);
}

/** The key's columns as they go into a new row (a lookup key part also records its target table). */
export function keyColumnsForInsert(info: TableInfo, key: ResolvedKey): Row {
  const row: Row = {};
  for (const [name, value] of key.columns) {
    row[name] = value;
    const c = info.byName.get(name);
    if (c && isLookup(c)) row[targetColumn(c)] = c.targets?.[0]?.table ?? null;
  }
  return row;
}
