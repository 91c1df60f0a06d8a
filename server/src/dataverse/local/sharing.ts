import type { Verb } from "../model";
import { badPayload, DataverseHttpError, ERROR_CODES, methodNotAllowed, recordNotFound } from "./errors";
import type { RouteCall } from "./router/call";
import { demand, userOwned } from "./security";
import { ACCESS_RIGHTS, setShare, sharedRights, verbsOf } from "./shares";
import { infoByLogicalName, type TableInfo } from "./tableInfo";
import type { Row } from "./values";
import { isRecord, parseJsonBody } from "./writes";

/**
 * The unbound actions that share a record, as Dataverse's Web API has them:
 *
 * - `GrantAccess` `{"Target": {<record>}, "PrincipalAccess": {"Principal": {<user>}, "AccessMask": "ReadAccess, WriteAccess"}}`
 *   adds the rights to what the user already has on the record;
 * - `ModifyAccess` (same parameters) replaces them;
 * - `RevokeAccess` `{"Target": {<record>}, "Revokee": {<user>}}` removes the share.
 *
 * A record or user is `{"<primary id>": "<id>", "@odata.type": "Microsoft.Dynamics.CRM.<table>"}`. The
 * caller needs prvShare reaching the record (at user depth: they own it, or it was shared with them with
 * ShareAccess) and must themselves hold, on the record, every right they grant. The user it is shared with
 * gets exactly those rights on that record, usable only with the table privilege of their own roles.
 */

type ActionName = "GrantAccess" | "ModifyAccess" | "RevokeAccess";

const PARAMETERS: Record<ActionName, readonly string[]> = {
  GrantAccess: ["Target", "PrincipalAccess"],
  ModifyAccess: ["Target", "PrincipalAccess"],
  RevokeAccess: ["Target", "Revokee"],
};

const TYPE_PREFIX = "Microsoft.Dynamics.CRM.";

/** `{"<id column>": id, "@odata.type": "Microsoft.Dynamics.CRM.<table>"}` → the table and the id. */
function entityReference(
  action: ActionName,
  parameter: string,
  value: unknown,
): { info: TableInfo; id: string } {
  if (!isRecord(value))
    throw badPayload(`'${action}' needs '${parameter}', a record with its '@odata.type' and id (an object).`);
  const type = value["@odata.type"];
  const table =
    typeof type === "string" && type.startsWith(TYPE_PREFIX) ? type.slice(TYPE_PREFIX.length) : "";
  const info = infoByLogicalName(table);
  if (!info)
    throw badPayload(
      `'${parameter}' of '${action}' needs '@odata.type' naming its table, such as 'Microsoft.Dynamics.CRM.rp_introduction'.`,
    );
  const id = value[info.primaryId.name];
  if (typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id.replace(/[{}]/g, "")))
    throw badPayload(
      `'${parameter}' of '${action}' needs '${info.primaryId.name}', the record's id (a GUID).`,
    );
  return { info, id: id.replace(/[{}]/g, "").toLowerCase() };
}

/** The user a record is shared with; teams are not served here. */
function principal(ctx: RouteCall["ctx"], action: ActionName, parameter: string, value: unknown): string {
  const ref = entityReference(action, parameter, value);
  if (ref.info.def.logicalName !== "systemuser")
    throw badPayload(
      `'${parameter}' of '${action}' must be a user (Microsoft.Dynamics.CRM.systemuser): the local endpoint shares records with users only, not with teams.`,
    );
  if (!ctx.store.getById(ref.info, ref.id)) throw recordNotFound("systemuser", ref.id);
  return ref.id;
}

/** "ReadAccess, WriteAccess" (the enum's flags by name, as the Web API writes them) or their sum. */
export function parseAccessMask(action: ActionName, value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) {
    const known = Object.values(ACCESS_RIGHTS).reduce((m, r) => m | r.value, 0);
    if ((value & ~known) === 0) return value;
  }
  if (typeof value === "string") {
    let mask = 0;
    for (const name of value.split(",").map((s) => s.trim())) {
      if (name === "None") continue;
      const right = Object.values(ACCESS_RIGHTS).find((r) => r.name === name);
      if (!right)
        throw badPayload(`'${name}' in the 'AccessMask' of '${action}' is not an AccessRights value.`);
      mask |= right.value;
    }
    return mask;
  }
  throw badPayload(
    `'${action}' needs 'AccessMask', the AccessRights granted, such as "ReadAccess, WriteAccess".`,
  );
}

function readBody(call: RouteCall, action: ActionName): Record<string, unknown> {
  if (call.req.method !== "POST") throw methodNotAllowed(call.req.method);
  const body = parseJsonBody(call.req.body);
  for (const key of Object.keys(body))
    if (!PARAMETERS[action].includes(key))
      throw badPayload(
        `The parameter '${key}' in the request payload is not a valid parameter for the operation '${action}'.`,
      );
  return body;
}

/** The shared record, which must be a user-owned one that exists. */
function sharedRecord(call: RouteCall, action: ActionName, target: unknown): { info: TableInfo; row: Row } {
  const { info, id } = entityReference(action, "Target", target);
  if (!userOwned(info))
    throw new DataverseHttpError(
      400,
      ERROR_CODES.validation,
      `Records of '${info.def.logicalName}' cannot be shared: the table is not user-owned.`,
    );
  const row = call.ctx.store.getById(info, id);
  if (!row) throw recordNotFound(info.def.logicalName, id);
  return { info, row };
}

/** prvShare reaching the record, and every right given held on it by the caller. */
function demandSharing(call: RouteCall, info: TableInfo, row: Row, mask: number): void {
  const verbs: Verb[] = ["Share", ...verbsOf(mask).filter((v) => v !== "Share")];
  for (const verb of verbs) demand(call.ctx.access, info, verb, row);
}

function grantOrModify(call: RouteCall, action: "GrantAccess" | "ModifyAccess"): void {
  const body = readBody(call, action);
  const access = body["PrincipalAccess"];
  if (!isRecord(access))
    throw badPayload(`'${action}' needs 'PrincipalAccess', the user and the rights given (an object).`);
  const { info, row } = sharedRecord(call, action, body["Target"]);
  const user = principal(call.ctx, action, "Principal", access["Principal"]);
  const mask = parseAccessMask(action, access["AccessMask"]);
  if (mask === 0 && action === "GrantAccess")
    throw badPayload(
      `'GrantAccess' with an empty 'AccessMask' grants nothing; use 'RevokeAccess' to unshare.`,
    );
  demandSharing(call, info, row, mask);
  const id = String(row[info.primaryId.name]);
  const before = sharedRights(call.ctx.store, info.def.logicalName, id, user);
  setShare(call.ctx.store, info.def.logicalName, id, user, action === "GrantAccess" ? before | mask : mask);
}

function revoke(call: RouteCall): void {
  const body = readBody(call, "RevokeAccess");
  const { info, row } = sharedRecord(call, "RevokeAccess", body["Target"]);
  const user = principal(call.ctx, "RevokeAccess", "Revokee", body["Revokee"]);
  demand(call.ctx.access, info, "Share", row);
  setShare(call.ctx.store, info.def.logicalName, String(row[info.primaryId.name]), user, 0);
}

/** The routes, by the path after the service root. */
export const SHARING_ACTION_ROUTES: [string, (call: RouteCall) => void][] = [
  ["GrantAccess", (call) => grantOrModify(call, "GrantAccess")],
  ["ModifyAccess", (call) => grantOrModify(call, "ModifyAccess")],
  ["RevokeAccess", revoke],
];

/** Their CSDL: the parameters, the PrincipalAccess complex type and the AccessRights flags. */
export const SHARING_METADATA =
  // The abstract base types the parameters are declared with (every record; a user or a team).
  `<EntityType Name="crmbaseentity" Abstract="true" />` +
  `<EntityType Name="principal" BaseType="mscrm.crmbaseentity" Abstract="true" />` +
  `<EnumType Name="AccessRights" IsFlags="true">${Object.values(ACCESS_RIGHTS)
    .map((r) => `<Member Name="${r.name}" Value="${r.value}" />`)
    .join("")}</EnumType>` +
  `<ComplexType Name="PrincipalAccess"><Property Name="AccessMask" Type="mscrm.AccessRights" Nullable="false" />` +
  `<NavigationProperty Name="Principal" Type="mscrm.principal" Nullable="false" /></ComplexType>` +
  (["GrantAccess", "ModifyAccess"] as const)
    .map(
      (name) =>
        `<Action Name="${name}"><Parameter Name="Target" Type="mscrm.crmbaseentity" Nullable="false" />` +
        `<Parameter Name="PrincipalAccess" Type="mscrm.PrincipalAccess" Nullable="false" /></Action>`,
    )
    .join("") +
  `<Action Name="RevokeAccess"><Parameter Name="Target" Type="mscrm.crmbaseentity" Nullable="false" />` +
  `<Parameter Name="Revokee" Type="mscrm.principal" Nullable="false" /></Action>`;

export const SHARING_IMPORTS = SHARING_ACTION_ROUTES.map(
  ([name]) => `<ActionImport Name="${name}" Action="Microsoft.Dynamics.CRM.${name}" />`,
).join("");
