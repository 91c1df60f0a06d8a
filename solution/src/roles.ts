import { RAPPORT_TABLES, tableByLogicalName } from "../../server/src/dataverse/model";
import { INTRODUCED } from "./common";
import { braced } from "./ids";
import { el, flag, text, type XNode } from "./xml";

export type Verb = "Create" | "Read" | "Write" | "Delete" | "Append" | "AppendTo";
export type Depth = "Basic" | "Local" | "Deep" | "Global";

export interface RoleDef {
  key: string;
  name: string;
  description: string;
  grants: { tables: string[]; verbs: Verb[]; depth: Depth }[];
}

/**
 * Privilege names are `prv<Verb><entity>`, the entity in its schema-name casing, as Dataverse exports
 * them (prvReadAccount, prvCreatemsevtmgt_EventRegistration): for Rapport's tables prvReadrp_RelationshipInsight.
 * A few standard tables share another entity's privileges: users are `User`, and every activity type
 * (email, appointment, phone call) and its parties are covered by the `Activity` privileges.
 */
const PRIVILEGE_ENTITY: Record<string, string> = {
  systemuser: "User",
  email: "Activity",
  appointment: "Activity",
  phonecall: "Activity",
  activityparty: "Activity",
};

export function privilegeName(verb: Verb, table: string): string {
  const t = tableByLogicalName(table);
  if (!t) throw new Error(`Unknown table ${table}`);
  return `prv${verb}${PRIVILEGE_ENTITY[table] ?? t.schemaName}`;
}

const RAPPORT = RAPPORT_TABLES.map((t) => t.logicalName);
const DATA = ["rp_relationshipinsight", "rp_relationshiphistory", "rp_connection"];
const RECORDS = ["contact", "lead", "opportunity", "account"];

/**
 * Rapport's tables are organization-owned, so Global (organization) is the only depth their privileges
 * have, and they have no Assign or Share privileges. Every seller with the Reader role therefore reads
 * every insight, as with Dynamics 365's own KPI tables (also organization-owned; PRIOR-ART §4).
 *
 * The roles add to the roles users already have (Salesperson, Basic User...): they grant only what
 * Rapport needs, so a seller still sees the contacts, leads and opportunities their own roles allow.
 */
export const ROLES: RoleDef[] = [
  {
    key: "reader",
    name: "Rapport Reader",
    description: "Sellers: read relationship insights, history, connections and settings.",
    grants: [{ tables: RAPPORT, verbs: ["Read"], depth: "Global" }],
  },
  {
    key: "administrator",
    name: "Rapport Administrator",
    description:
      "Administrators: everything a reader can, create and edit Rapport's settings, and forget a person.",
    grants: [
      { tables: RAPPORT, verbs: ["Read"], depth: "Global" },
      { tables: ["rp_settings"], verbs: ["Create", "Write"], depth: "Global" },
      // "Forget this person" on the settings page deletes that person's connection rows at once.
      { tables: ["rp_connection"], verbs: ["Delete"], depth: "Global" },
    ],
  },
  {
    key: "service",
    name: "Rapport Service",
    description:
      "The Rapport service's application user: reads the CRM records and activities it analyses, writes " +
      "insights, history and connections, and links each record to its insight.",
    grants: [
      // Its own data: upserted, deleted when a record is forgotten, linked to records and each other.
      { tables: DATA, verbs: ["Create", "Read", "Write", "Delete", "Append", "AppendTo"], depth: "Global" },
      { tables: ["rp_settings"], verbs: ["Read"], depth: "Global" },
      // Read what it analyses: the records, users, and activities with their parties.
      { tables: [...RECORDS, "systemuser", "email"], verbs: ["Read"], depth: "Global" },
      // Set rp_relationshipinsightid on a record: Write and Append on the record (AppendTo on the insight
      // is above). Rows pointing at records and users also need AppendTo on those.
      { tables: RECORDS, verbs: ["Write", "Append", "AppendTo"], depth: "Global" },
      { tables: ["systemuser"], verbs: ["AppendTo"], depth: "Global" },
    ],
  },
];

export const roleId = (r: RoleDef): string => braced(`role:${r.key}`);

/** The role's privileges, each once (the widest depth wins), sorted by name. */
export function privilegesOf(r: RoleDef): { name: string; level: Depth }[] {
  const rank: Depth[] = ["Basic", "Local", "Deep", "Global"];
  const out = new Map<string, Depth>();
  for (const g of r.grants) {
    for (const t of g.tables) {
      for (const v of g.verbs) {
        const name = privilegeName(v, t);
        const prev = out.get(name);
        if (!prev || rank.indexOf(g.depth) > rank.indexOf(prev)) out.set(name, g.depth);
      }
    }
  }
  return [...out.entries()]
    .map(([name, level]) => ({ name, level }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

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
