import { privilegesOf, type RoleDef, ROLES, tableByLogicalName } from "@rapport/model";

import { INTRODUCED } from "./common";
import { roleId } from "./ids";
import { el, flag, text, type XNode } from "./xml";

// The roles and the privilege-name rule are the model's (model/src/roles.ts), which the
// local Dataverse endpoint enforces too; only their XML is written here.
export { privilegesOf, roleId, ROLES };

/**
 * The depths a table's privileges exist at: an organization-owned table has only organization (Global)
 * privileges and no Assign or Share; a user-owned one has all four depths (Basic, Local, Deep, Global) and
 * Assign and Share. A role granting what the table lacks would not import: refuse it here, naming it.
 */
export function checkGrants(role: RoleDef): void {
  for (const g of role.grants)
    for (const name of g.tables) {
      const t = tableByLogicalName(name);
      if (!t) throw new Error(`Role ${role.name}: unknown table ${name}`);
      if (t.ownership === "UserOwned") continue;
      if (g.depth !== "Global")
        throw new Error(`Role ${role.name}: ${name} is organization-owned, its privileges are Global only`);
      const bad = g.verbs.find((v) => v === "Assign" || v === "Share");
      if (bad)
        throw new Error(`Role ${role.name}: ${name} is organization-owned, it has no ${bad} privilege`);
    }
}

/** The roles as RoleXml writes them: each privilege once, its level the depth's name (Basic ... Global). */
export function roleNodes(roles: readonly RoleDef[] = ROLES): XNode[] {
  return roles.map((r) => {
    checkGrants(r);
    return el(
      "Role",
      { id: roleId(r), name: r.name },
      flag("IsCustomizable", true),
      text("IntroducedVersion", INTRODUCED),
      el(
        "RolePrivileges",
        null,
        privilegesOf(r).map((p) => el("RolePrivilege", { name: p.name, level: p.level })),
      ),
    );
  });
}
