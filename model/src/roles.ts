import { CRM_TABLES } from "./crmTables";
import { RAPPORT_TABLES } from "./rapportTables";
import { SECURITY_TABLES } from "./securityTables";
import type { TableDef } from "./types";

/**
 * Security roles, defined once: the solution generator renders Rapport's three roles into
 * customizations.xml, and the local Dataverse endpoint enforces every role below on its callers.
 */

export type Verb = "Create" | "Read" | "Write" | "Delete" | "Append" | "AppendTo" | "Assign" | "Share";
export type Depth = "Basic" | "Local" | "Deep" | "Global";

export const VERBS: readonly Verb[] = [
  "Create",
  "Read",
  "Write",
  "Delete",
  "Append",
  "AppendTo",
  "Assign",
  "Share",
];
/** Narrowest first: a privilege held at one depth covers every narrower one. */
export const DEPTHS: readonly Depth[] = ["Basic", "Local", "Deep", "Global"];

export interface RoleDef {
  key: string;
  name: string;
  description: string;
  grants: { tables: string[]; verbs: Verb[]; depth: Depth }[];
  /** A role every Dataverse org has (System Administrator) or Dynamics 365 Sales installs; not in the solution. */
  builtin?: boolean;
}

const TABLES: readonly TableDef[] = [...CRM_TABLES, ...SECURITY_TABLES, ...RAPPORT_TABLES];

/**
 * Privilege names are `prv<Verb><entity>`, the entity in its schema-name casing, as Dataverse exports
 * them (prvReadAccount, prvCreatemsevtmgt_EventRegistration): for Rapport's tables prvReadrp_RelationshipInsight.
 * A few standard tables share another entity's privileges: users are `User`, every activity type
 * (email, appointment, phone call) and its parties are covered by the `Activity` privileges, and the
 * intersect tables are read with the privileges of the table the relationship grants (roles, teams).
 */
const PRIVILEGE_ENTITY: Record<string, string> = {
  systemuser: "User",
  email: "Activity",
  appointment: "Activity",
  phonecall: "Activity",
  activityparty: "Activity",
  opportunityclose: "Activity",
  systemuserroles: "Role",
  teamroles: "Role",
  teammembership: "Team",
};

export function privilegeName(verb: Verb, table: string): string {
  const t = TABLES.find((x) => x.logicalName === table);
  if (!t) throw new Error(`Unknown table ${table}`);
  return `prv${verb}${PRIVILEGE_ENTITY[table] ?? t.schemaName}`;
}

/** Rapport's organization-owned tables: what it computes, and its settings. */
const RAPPORT = RAPPORT_TABLES.filter((t) => t.ownership === "OrganizationOwned").map((t) => t.logicalName);
const INTRODUCTION = "rp_introduction";
const PROFILE = "rp_introducerprofile";
const DATA = ["rp_relationshipinsight", "rp_relationshiphistory", "rp_connection"];
const RECORDS = ["contact", "lead", "opportunity", "account"];
const ACTIVITIES = ["email", "appointment", "phonecall", "activityparty"];

/**
 * Rapport's computed tables and its settings are organization-owned, so Global (organization) is the only
 * depth their privileges have, and they have no Assign or Share privileges. Every seller with the Reader
 * role therefore reads every insight, as with Dynamics 365's own KPI tables (also organization-owned;
 * PRIOR-ART §4).
 *
 * Introductions are user-owned (owner: the seller who asked) and read at user (Basic) depth: a seller sees
 * their own requests, and the requests shared with them as the introducer (Share, at user depth, lets the
 * requester grant that access when asking). Introducer profiles are read by everyone (a seller's control
 * must know who takes requests) and written by their owner, the colleague.
 *
 * The roles add to the roles users already have (Salesperson, Basic User...): they grant only what
 * Rapport needs, so a seller still sees the contacts, leads and opportunities their own roles allow.
 */
const SELLER_GRANTS: RoleDef["grants"] = [
  { tables: [...RAPPORT, PROFILE], verbs: ["Read"], depth: "Global" },
  // Ask (create, share with the introducer, link to the record and the email), answer, withdraw.
  {
    tables: [INTRODUCTION],
    verbs: ["Create", "Read", "Write", "Delete", "Append", "Share"],
    depth: "Basic",
  },
  // A colleague's own profile: take requests or not (Append: the profile names its colleague).
  { tables: [PROFILE], verbs: ["Create", "Write", "Append"], depth: "Basic" },
];

export const ROLES: RoleDef[] = [
  {
    key: "reader",
    name: "Rapport Reader",
    description:
      "Sellers: read relationship insights, history, connections and settings; ask for introductions and answer those addressed to them.",
    grants: SELLER_GRANTS,
  },
  {
    key: "administrator",
    name: "Rapport Administrator",
    description:
      "Administrators: everything a reader can, create and edit Rapport's settings, see every introduction, and forget a person.",
    grants: [
      ...SELLER_GRANTS,
      // Every introduction and profile: to answer "who asked whom", and to forget a person.
      { tables: [INTRODUCTION, PROFILE], verbs: ["Read", "Write", "Delete"], depth: "Global" },
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
      // Read what it analyses: the records, users, and activities with their parties; an opportunity's
      // sales team and stakeholders are connections with their roles.
      {
        tables: [...RECORDS, "systemuser", "email", "connection", "connectionrole"],
        verbs: ["Read"],
        depth: "Global",
      },
      // Set rp_relationshipinsightid on a record: Write and Append on the record (AppendTo on the insight
      // is above). Rows pointing at records and users also need AppendTo on those.
      { tables: RECORDS, verbs: ["Write", "Append", "AppendTo"], depth: "Global" },
      { tables: ["systemuser"], verbs: ["AppendTo"], depth: "Global" },
      // Introductions: follows each to its outcome (made, meeting held, won, lost) from the mail and the CRM.
      { tables: [INTRODUCTION], verbs: ["Read", "Write"], depth: "Global" },
      // Introducer profiles: counts open requests; creates a colleague's profile owned by that colleague.
      { tables: [PROFILE], verbs: ["Create", "Read", "Write", "Append", "Assign"], depth: "Global" },
    ],
  },
];

const EVERY_TABLE = TABLES.map((t) => t.logicalName);
const OWN = "Basic" as const;

/**
 * The roles a demo org starts with besides Rapport's. System Administrator holds every privilege at
 * organization depth. Salesperson is Dynamics 365 Sales' seller role, reduced to the tables the model
 * knows: it reads the CRM, users, roles and teams across the organization, and creates, edits and deletes
 * the records and activities it owns (user depth), as the shipped role does for its core records.
 */
export const BUILTIN_ROLES: RoleDef[] = [
  {
    key: "system-administrator",
    name: "System Administrator",
    description: "Every privilege on every table, at organization depth.",
    builtin: true,
    grants: [{ tables: EVERY_TABLE, verbs: [...VERBS], depth: "Global" }],
  },
  {
    key: "salesperson",
    name: "Salesperson",
    description: "Dynamics 365 Sales' seller role, as far as the tables served here go.",
    builtin: true,
    grants: [
      {
        tables: [
          ...RECORDS,
          ...ACTIVITIES,
          "systemuser",
          "role",
          "team",
          "systemuserroles",
          "teamroles",
          "teammembership",
          "connection",
          "connectionrole",
        ],
        verbs: ["Read"],
        depth: "Global",
      },
      { tables: [...RECORDS, ...ACTIVITIES], verbs: ["Create", "Write", "Delete", "Append"], depth: OWN },
      // A seller adds the sales team and stakeholders of their own opportunities.
      { tables: ["connection"], verbs: ["Create", "Write", "Delete", "Append", "AppendTo"], depth: OWN },
      { tables: [...RECORDS, ...ACTIVITIES], verbs: ["AppendTo"], depth: "Global" },
      { tables: ["systemuser"], verbs: ["AppendTo"], depth: "Global" },
    ],
  },
];

/** The role's privileges, each once (the widest depth wins), sorted by name. */
export function privilegesOf(r: RoleDef): { name: string; level: Depth }[] {
  const out = new Map<string, Depth>();
  for (const g of r.grants) {
    for (const t of g.tables) {
      for (const v of g.verbs) {
        const name = privilegeName(v, t);
        const prev = out.get(name);
        if (!prev || DEPTHS.indexOf(g.depth) > DEPTHS.indexOf(prev)) out.set(name, g.depth);
      }
    }
  }
  return [...out.entries()]
    .map(([name, level]) => ({ name, level }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What the role may do: for each table it reaches, each verb with its depth (tables in model order). */
export function roleMatrix(role: RoleDef): Map<string, Map<Verb, Depth>> {
  const held = new Map(privilegesOf(role).map((p) => [p.name, p.level]));
  const out = new Map<string, Map<Verb, Depth>>();
  for (const t of TABLES)
    for (const v of VERBS) {
      const d = held.get(privilegeName(v, t.logicalName));
      if (d) out.set(t.logicalName, (out.get(t.logicalName) ?? new Map<Verb, Depth>()).set(v, d));
    }
  return out;
}

/** Every role the model defines: the built-in ones, then Rapport's. */
export const ALL_ROLES: readonly RoleDef[] = [...BUILTIN_ROLES, ...ROLES];

export function roleByKey(key: string): RoleDef {
  const r = ALL_ROLES.find((x) => x.key === key);
  if (!r) throw new Error(`No role '${key}'`);
  return r;
}
