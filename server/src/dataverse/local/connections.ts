import { randomUUID } from "node:crypto";

import { DataverseHttpError, ERROR_CODES } from "./errors";
import { type TableInfo, targetColumn } from "./tableInfo";
import type { Row } from "./values";

/**
 * Connections as Dataverse keeps them: each is stored twice, the one created (ismaster true) and a
 * reciprocal with the two sides and their roles swapped (ismaster false), each naming the other in
 * relatedconnectionid. A query "from" a record therefore finds every connection of that record as
 * record1, whichever side it was created from. Both sides are required; updates and deletes follow
 * on the reciprocal.
 */

const IS_CONNECTION = (info: TableInfo): boolean => info.def.logicalName === "connection";

/** Columns swapped between a connection and its reciprocal (each with its lookup target column). */
const SWAPPED: readonly [string, string][] = [
  ["record1id", "record2id"],
  ["record1roleid", "record2roleid"],
];

/** Maintained here, never taken from a request (read-only on Dataverse). */
const MAINTAINED = ["ismaster", "relatedconnectionid"];

function mirrored(info: TableInfo, columns: Row): Row {
  const out: Row = {};
  const swap = new Map<string, string>();
  for (const [a, b] of SWAPPED) {
    const ca = info.byName.get(a);
    const cb = info.byName.get(b);
    if (!ca || !cb) continue;
    for (const [x, y] of [
      [a, b],
      [b, a],
      [targetColumn(ca), targetColumn(cb)],
      [targetColumn(cb), targetColumn(ca)],
    ] as const)
      swap.set(x, y);
  }
  for (const [name, value] of Object.entries(columns)) {
    if (MAINTAINED.includes(name) || name === targetColumn(info.byName.get("relatedconnectionid")!)) continue;
    out[swap.get(name) ?? name] = value;
  }
  return out;
}

/** Before a connection is inserted: both sides named; the columns the service maintains dropped. */
export function checkNewConnection(info: TableInfo, row: Row): void {
  if (!IS_CONNECTION(info)) return;
  for (const side of ["record1id", "record2id"])
    if (!row[side])
      throw new DataverseHttpError(
        400,
        ERROR_CODES.validation,
        `A connection needs both sides: '${side}' is not set (bind it with '${side}_<table>@odata.bind').`,
      );
  for (const name of MAINTAINED) {
    row[name] = null;
    const lookup = info.byName.get(name);
    if (lookup?.type === "lookup") row[targetColumn(lookup)] = null;
  }
  row["ismaster"] = 1;
}

/** After a connection is inserted: its reciprocal, and the link both ways. */
export function addReciprocal(
  store: {
    insert(info: TableInfo, row: Row): void;
    update(info: TableInfo, id: string, c: Row): void;
    nextVersion(): number;
  },
  info: TableInfo,
  row: Row,
): void {
  if (!IS_CONNECTION(info)) return;
  const masterId = String(row["connectionid"]);
  const reciprocalId = randomUUID();
  const link = targetColumn(info.byName.get("relatedconnectionid")!);
  store.insert(info, {
    ...mirrored(info, row),
    connectionid: reciprocalId,
    ismaster: 0,
    relatedconnectionid: masterId,
    [link]: "connection",
    versionnumber: store.nextVersion(),
  });
  store.update(info, masterId, { relatedconnectionid: reciprocalId, [link]: "connection" });
}

/** The changes an update of one side makes to the other (undefined: not a connection, or unlinked). */
export function reciprocalChanges(
  info: TableInfo,
  existing: Row,
  changes: Row,
): { id: string; changes: Row } | undefined {
  if (!IS_CONNECTION(info) || typeof existing["relatedconnectionid"] !== "string") return undefined;
  for (const name of MAINTAINED) delete changes[name];
  return { id: existing["relatedconnectionid"], changes: mirrored(info, changes) };
}

/** The reciprocal to delete with a connection (undefined: none). */
export function reciprocalOf(info: TableInfo, row: Row | undefined): string | undefined {
  if (!IS_CONNECTION(info) || !row) return undefined;
  const id = row["relatedconnectionid"];
  return typeof id === "string" ? id : undefined;
}
