import { CONNECTION_ROLE_CATEGORY } from "../model";
import type { Row } from "./directoryFromRows";

/**
 * Who else counts on an opportunity, from Dataverse's connections, as Dynamics 365 counts them: the
 * opportunity form's Stakeholders subgrid lists the connections from the opportunity whose role is in
 * the Stakeholder category (1000), its Sales Team subgrid those whose role is in Sales Team (1001).
 * Stakeholders are contacts (external people), sales team members are users (internal people).
 */

/** The role categories read: Stakeholder and Sales Team. */
export const OPPORTUNITY_ROLE_CATEGORIES = [
  CONNECTION_ROLE_CATEGORY.stakeholder,
  CONNECTION_ROLE_CATEGORY.salesTeam,
] as const;

/** The columns each read asks for. */
export const CONNECTION_SELECT = {
  connectionroles: ["connectionroleid", "category"],
  connections: ["_record1id_value", "_record2id_value", "_record2roleid_value"],
} as const;

/** The connection rows' lookup annotation naming the table a polymorphic lookup points to. */
const TABLE_OF = "@Microsoft.Dynamics.CRM.lookuplogicalname";

export interface OpportunityPeople {
  /** Stakeholders: contacts connected with a Stakeholder role. */
  contactIds: string[];
  /** Sales team: users connected with a Sales Team role. */
  userIds: string[];
}

const id = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim().toLowerCase() : undefined;

/** The Stakeholder and Sales Team roles by id (rows of other categories are left out). */
export function opportunityRoles(roles: readonly Row[]): Map<string, "stakeholder" | "salesTeam"> {
  const out = new Map<string, "stakeholder" | "salesTeam">();
  for (const r of roles) {
    const roleId = id(r["connectionroleid"]);
    if (!roleId) continue;
    if (r["category"] === CONNECTION_ROLE_CATEGORY.stakeholder) out.set(roleId, "stakeholder");
    else if (r["category"] === CONNECTION_ROLE_CATEGORY.salesTeam) out.set(roleId, "salesTeam");
  }
  return out;
}

/**
 * Each opportunity's stakeholders and sales team, from its active connections (record1 the opportunity,
 * record2 the person, record2's role the one that places them). Dataverse stores each connection twice
 * (the one created and its reciprocal, sides swapped): only the copy whose record1 is the opportunity
 * matches, and a person connected twice counts once. A contact with a Sales Team role, or a user with a
 * Stakeholder role, is not counted (the forms' subgrids would list them; Dynamics 365's rule is
 * stakeholders external, sales team internal). Ids are lower-cased and sorted.
 */
export function opportunityPeople(
  roles: ReadonlyMap<string, "stakeholder" | "salesTeam">,
  connections: readonly Row[],
): Map<string, OpportunityPeople> {
  const sets = new Map<string, { contacts: Set<string>; users: Set<string> }>();
  for (const c of connections) {
    const opportunity = id(c["_record1id_value"]);
    const person = id(c["_record2id_value"]);
    const role = roles.get(id(c["_record2roleid_value"]) ?? "");
    if (!opportunity || !person || !role || c[`_record1id_value${TABLE_OF}`] !== "opportunity") continue;
    const table = c[`_record2id_value${TABLE_OF}`];
    const kind =
      role === "stakeholder" && table === "contact"
        ? "contacts"
        : role === "salesTeam" && table === "systemuser"
          ? "users"
          : undefined;
    if (!kind) continue;
    let entry = sets.get(opportunity);
    if (!entry) sets.set(opportunity, (entry = { contacts: new Set(), users: new Set() }));
    entry[kind].add(person);
  }
  const out = new Map<string, OpportunityPeople>();
  for (const [opportunity, s] of sets)
    out.set(opportunity, { contactIds: [...s.contacts].sort(), userIds: [...s.users].sort() });
  return out;
}
