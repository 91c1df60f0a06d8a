import {
  ALL_ROLES,
  type Depth,
  DEPTHS,
  privilegeName,
  privilegesOf,
  roleByKey,
  type RoleDef,
  roleId,
  stableGuid,
  type Verb,
} from "../model";
import { DataverseHttpError } from "./errors";
import type { SqlFragment } from "./filterToSql";
import { BUSINESS_UNIT_ID, type Caller } from "./identity";
import { objectTypeCode } from "./objectTypeCodes";
import type { ExpandPlan } from "./queryOptions";
import { ACCESS_RIGHTS, sharedRights, sharedWith, verbsOf } from "./shares";
import type { SqlStore } from "./sqlStore";
import { infoByLogicalName, q, type TableInfo } from "./tableInfo";
import type { Row } from "./values";

/**
 * Privilege checks, as Dataverse makes them: a caller holds the privileges of its roles, given directly
 * (systemuserroles) or through its teams (teammembership + teamroles), each at the widest depth any of
 * them grants. A request lacking a privilege fails with Dataverse's 403 "missing privilege" error; a
 * privilege held at user (Basic) depth covers only the user-owned records the caller owns or that were
 * shared with them with that right (GrantAccess, sharing.ts), and the record-level failure is Dataverse's
 * AccessCheckEx error. Sharing extends the depth, never the privilege: a record shared with Write access
 * is still refused to a caller without prvWrite on its table. There is one business unit, so Local and
 * Deep reach as far as Global.
 */

export interface Access {
  caller: Caller;
  roleCount: number;
  privileges: ReadonlyMap<string, Depth>;
  /** The rights the record of `table` was shared with the caller with (an AccessRights mask). */
  sharedRights?: (table: string, id: string) => number;
}

/** The roles the endpoint knows the privileges of: the model's, by the ids the solution gives them. */
export const KNOWN_ROLES: readonly RoleDef[] = ALL_ROLES;
const bare = (id: string) => id.replace(/[{}]/g, "").toLowerCase();
const byId = new Map(KNOWN_ROLES.map((r) => [bare(roleId(r)), r]));
export const SYSTEM_ADMINISTRATOR = roleByKey("system-administrator");

const EVERYTHING: ReadonlyMap<string, Depth> = new Map(
  privilegesOf(SYSTEM_ADMINISTRATOR).map((p) => [p.name, p.level]),
);

/** Puts the model's roles in the role table (by their fixed ids) when they are not there yet. */
export function ensureRoles(store: SqlStore): void {
  const info = infoByLogicalName("role");
  if (!info) return;
  store.transaction(() => {
    for (const r of KNOWN_ROLES) {
      const id = bare(roleId(r));
      if (!store.getById(info, id))
        store.insert(info, { roleid: id, name: r.name, versionnumber: store.nextVersion() });
    }
  });
}

/** The ids of the caller's roles, direct and through its teams. */
export function roleIdsOf(store: SqlStore, userId: string): string[] {
  const rows = store.all(
    `SELECT roleid FROM ${q("systemuserroles")} WHERE systemuserid = ?
     UNION SELECT tr.roleid FROM ${q("teamroles")} tr JOIN ${q("teammembership")} tm ON tm.teamid = tr.teamid
     WHERE tm.systemuserid = ?`,
    [userId, userId],
  );
  return rows.map((r) => String(r["roleid"]));
}

export function accessOf(store: SqlStore, caller: Caller): Access {
  if (caller.administrator) return { caller, roleCount: 1, privileges: EVERYTHING };
  const shared = (table: string, id: string) => sharedRights(store, table, id, caller.userId);
  const ids = roleIdsOf(store, caller.userId);
  const privileges = new Map<string, Depth>();
  for (const id of ids) {
    const role = byId.get(bare(id));
    // A role created through the Web API has no privileges here: its privileges are not served.
    for (const p of role ? privilegesOf(role) : []) {
      const prev = privileges.get(p.name);
      if (!prev || DEPTHS.indexOf(p.level) > DEPTHS.indexOf(prev)) privileges.set(p.name, p.level);
    }
  }
  return { caller, roleCount: ids.length, privileges, sharedRights: shared };
}

/** 0x80040220 as Dataverse writes it (status 403, code, the principal and the privilege it lacks). */
export function missingPrivilege(access: Access, privilege: string, info: TableInfo): DataverseHttpError {
  const id = access.caller.userId;
  return new DataverseHttpError(
    403,
    "0x80040220",
    `Principal user (Id=${id}, type=8, roleCount=${access.roleCount}, privilegeCount=${access.privileges.size}, ` +
      `accessMode='0 Read-Write', businessUnitId=${BUSINESS_UNIT_ID}), is missing ${privilege} privilege ` +
      `(Id=${stableGuid(`privilege:${privilege}`)}) on OTC=${objectTypeCode(info.def.logicalName)} for entity ` +
      `'${info.def.logicalName}' (LocalizedName='${info.def.displayName}'). context.Caller=${id}. ` +
      `Consider adding missed privilege to one of the principal (user/team) roles.`,
  );
}

/**
 * 0x80040265 (SecLib::AccessCheckEx): the privilege is held, but not at a depth reaching this record and
 * the record was not shared with the caller with that right. Several rights are written as their sum, as
 * Dataverse does (AccessRights: 262145 is Share and Read).
 */
export function accessCheckFailed(
  access: Access,
  info: TableInfo,
  row: Row,
  mask: number,
): DataverseHttpError {
  const verbs = verbsOf(mask);
  const rights = verbs.length === 1 ? ACCESS_RIGHTS[verbs[0]!].name : String(mask);
  return new DataverseHttpError(
    403,
    "0x80040265",
    `SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: ${String(row[info.primaryId.name])}, ` +
      `OwnerId: ${String(row["ownerid"] ?? "")},  OwnerIdType: 8 and CallingUser: ${access.caller.userId}. ` +
      `ObjectTypeCode: ${objectTypeCode(info.def.logicalName)}, objectBusinessUnitId: ${BUSINESS_UNIT_ID}, ` +
      `AccessRights: ${rights} `,
  );
}

export const userOwned = (info: TableInfo): boolean => info.def.ownership === "UserOwned";

/** Whether the caller reaches the user-owned record for `verb`: they own it or it was shared with them so. */
function reaches(access: Access, info: TableInfo, row: Row, verb: Verb): boolean {
  if (row["ownerid"] === access.caller.userId) return true;
  const shared = access.sharedRights?.(info.def.logicalName, String(row[info.primaryId.name])) ?? 0;
  return (shared & ACCESS_RIGHTS[verb].value) !== 0;
}

/**
 * Demands `verb` on `info`'s table (and, given the record, on that record). No access (the endpoint's
 * own seeding) means no check.
 */
export function demand(access: Access | undefined, info: TableInfo, verb: Verb, row?: Row): void {
  if (!access) return;
  const name = privilegeName(verb, info.def.logicalName);
  const depth = access.privileges.get(name);
  if (!depth) throw missingPrivilege(access, name, info);
  if (row && depth === "Basic" && userOwned(info) && !reaches(access, info, row, verb))
    throw accessCheckFailed(access, info, row, ACCESS_RIGHTS[verb].value);
}

/**
 * Reads of a user-owned table at user depth see the caller's own records and those shared with them with
 * Read access.
 */
export function readScope(access: Access | undefined, info: TableInfo): SqlFragment | undefined {
  if (!access) return undefined;
  demand(access, info, "Read");
  const depth = access.privileges.get(privilegeName("Read", info.def.logicalName));
  if (depth !== "Basic" || !userOwned(info)) return undefined;
  const shared = sharedWith(info, access.caller.userId, "Read");
  return { sql: `${q("ownerid")} = ? OR ${shared.sql}`, params: [access.caller.userId, ...shared.params] };
}

/** Both conditions (either may be absent). */
export function withScope(a: SqlFragment | undefined, b: SqlFragment | undefined): SqlFragment | undefined {
  if (!a) return b;
  if (!b) return a;
  return { sql: `(${a.sql}) AND (${b.sql})`, params: [...a.params, ...b.params] };
}

/**
 * `$expand` reads the related table too: Read on it is demanded, as Dataverse does. The expanded rows
 * are not narrowed to the caller's own at user depth (see docs/local-dataverse.md).
 */
export function demandExpands(access: Access | undefined, expands: readonly ExpandPlan[]): void {
  for (const e of expands) demand(access, e.target, "Read");
}
