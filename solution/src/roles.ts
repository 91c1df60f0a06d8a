import { privilegesOf, ROLES } from "@rapport/model";

import { INTRODUCED } from "./common";
import { roleId } from "./ids";
import { el, flag, text, type XNode } from "./xml";

// The roles and the privilege-name rule are the model's (model/src/roles.ts), which the
// local Dataverse endpoint enforces too; only their XML is written here.
export { privilegesOf, roleId, ROLES };

export function roleNodes(): XNode[] {
  return ROLES.map((r) =>
    el(
      "Role",
      { id: roleId(r), name: r.name },
      flag("IsCustomizable", true),
      text("IntroducedVersion", INTRODUCED),
      el(
        "RolePrivileges",
        null,
        privilegesOf(r).map((p) => el("RolePrivilege", { name: p.name, level: p.level })),
      ),
    ),
  );
}
