import type { Verb } from "../model";
import type { SqlFragment } from "./filterToSql";
import type { SqlStore } from "./sqlStore";
import { q, type TableInfo } from "./tableInfo";

/**
 * Records shared with a principal, as Dataverse keeps them in PrincipalObjectAccess: one row per (record,
 * principal) with the rights granted (an AccessRights mask). Not a model table: the Web API does not serve
 * it here; GrantAccess, ModifyAccess and RevokeAccess write it (sharing.ts) and the privilege checks read
 * it (security.ts). Users only: sharing with a team is refused.
 */

export const SHARES_TABLE = "_principalobjectaccess";

export const SHARES_DDL =
  `CREATE TABLE IF NOT EXISTS ${q(SHARES_TABLE)} (objectid TEXT NOT NULL, objecttable TEXT NOT NULL, ` +
  `principalid TEXT NOT NULL, accessrightsmask INTEGER NOT NULL, PRIMARY KEY (objecttable, objectid, principalid))`;

/** Dataverse's AccessRights flags (the Web API's AccessRights EnumType), by the verb each right allows. */
export const ACCESS_RIGHTS: Readonly<Record<Verb, { name: string; value: number }>> = {
  Read: { name: "ReadAccess", value: 1 },
  Write: { name: "WriteAccess", value: 2 },
  Append: { name: "AppendAccess", value: 4 },
  AppendTo: { name: "AppendToAccess", value: 16 },
  Create: { name: "CreateAccess", value: 32 },
  Delete: { name: "DeleteAccess", value: 65536 },
  Share: { name: "ShareAccess", value: 262144 },
  Assign: { name: "AssignAccess", value: 524288 },
};

/** The verbs whose rights `mask` holds. */
export const verbsOf = (mask: number): Verb[] =>
  (Object.keys(ACCESS_RIGHTS) as Verb[]).filter((v) => (mask & ACCESS_RIGHTS[v].value) !== 0);

/** The rights `principal` was given on the record (0 when it is not shared with them). */
export function sharedRights(store: SqlStore, table: string, objectId: string, principal: string): number {
  const row = store.get(
    `SELECT accessrightsmask FROM ${q(SHARES_TABLE)} WHERE objecttable = ? AND objectid = ? AND principalid = ?`,
    [table, objectId, principal],
  );
  return row ? Number(row["accessrightsmask"]) : 0;
}

/** Sets the rights `principal` has on the record; 0 removes the share. */
export function setShare(
  store: SqlStore,
  table: string,
  objectId: string,
  principal: string,
  mask: number,
): void {
  if (mask === 0) {
    store
      .statement(`DELETE FROM ${q(SHARES_TABLE)} WHERE objecttable = ? AND objectid = ? AND principalid = ?`)
      .run(table, objectId, principal);
    return;
  }
  store
    .statement(
      `INSERT INTO ${q(SHARES_TABLE)} (objectid, objecttable, principalid, accessrightsmask) VALUES (?, ?, ?, ?) ` +
        `ON CONFLICT (objecttable, objectid, principalid) DO UPDATE SET accessrightsmask = excluded.accessrightsmask`,
    )
    .run(objectId, table, principal, mask);
}

/** A deleted record's shares go with it. */
export function deleteShares(store: SqlStore, table: string, objectId: string): void {
  store
    .statement(`DELETE FROM ${q(SHARES_TABLE)} WHERE objecttable = ? AND objectid = ?`)
    .run(table, objectId);
}

/** The rows of `info` shared with `principal` with the right `verb` (a condition on the queried table). */
export function sharedWith(info: TableInfo, principal: string, verb: Verb): SqlFragment {
  return {
    sql:
      `${q(info.primaryId.name)} IN (SELECT objectid FROM ${q(SHARES_TABLE)} ` +
      `WHERE objecttable = ? AND principalid = ? AND (accessrightsmask & ?) <> 0)`,
    params: [info.def.logicalName, principal, ACCESS_RIGHTS[verb].value],
  };
}
