import { roleByKey, roleId } from "../../dataverse/model";
import type { DemoCrm, WriteRow } from "./demoCrm";
import { stableGuid } from "./stableGuid";

/**
 * Who holds which role in the demo org (docs/demo-crm.md): the Rapport service signs in as its own
 * application user with Rapport Service; every user is a Salesperson with Rapport Reader, except the
 * last by name, left without Rapport Reader so the preview shows what a seller without it sees; the first
 * by name (the preview's default "Signed in as") is also the Rapport administrator.
 */

export const SERVICE_USER: WriteRow = {
  systemuserid: stableGuid("application-user:rapport-service"),
  fullname: "# Rapport Service",
  isdisabled: false,
};

export interface RoleAssignment {
  systemuserid: string;
  /** Role keys (model/src/roles.ts). */
  roles: string[];
}

export function demoRoles(crm: Pick<DemoCrm, "systemusers">): RoleAssignment[] {
  // By name in code-unit order, as the preview's `$orderby=fullname` lists them.
  const ids = crm.systemusers
    .map((u) => ({ id: String(u["systemuserid"]), name: String(u["fullname"]) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((u) => u.id);
  const sellers = ids.map((id, i) => ({
    systemuserid: id,
    roles: [
      "salesperson",
      ...(i < ids.length - 1 || ids.length === 1 ? ["reader"] : []),
      ...(i === 0 ? ["administrator"] : []),
    ],
  }));
  return [{ systemuserid: String(SERVICE_USER["systemuserid"]), roles: ["service"] }, ...sellers];
}

/** The role's id as the org (and the local endpoint) knows it. */
export const demoRoleId = (key: string): string => roleId(roleByKey(key)).slice(1, -1);
