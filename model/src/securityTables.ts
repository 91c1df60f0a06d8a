import { column as c, type TableDef } from "./types";

// The tables Dataverse keeps its security model in, as far as the local endpoint serves it: teams, and the
// intersect tables of the many-to-many relationships users-roles, teams-roles and users-teams. Intersect
// rows are not created directly: a client associates the two records (`.../<relationship>/$ref`).

export const team: TableDef = {
  logicalName: "team",
  schemaName: "Team",
  entitySetName: "teams",
  displayName: "Team",
  displayCollectionName: "Teams",
  primaryIdColumn: "teamid",
  primaryNameColumn: "name",
  ownership: "None",
  custom: false,
  columns: [c("teamid", "uniqueidentifier", "Team"), c("name", "string", "Team Name", { maxLength: 160 })],
};

/** A many-to-many relationship and the intersect table that holds its pairs. */
export interface ManyToManyDef {
  /** Relationship schema name: the collection-valued navigation property on both sides. */
  name: string;
  intersect: string;
  /** The two sides: table and the intersect column holding its id. */
  sides: readonly [{ table: string; column: string }, { table: string; column: string }];
}

const intersect = (
  logicalName: string,
  entitySetName: string,
  displayName: string,
  idColumn: string,
  a: { table: string; column: string },
  b: { table: string; column: string },
  // eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
): TableDef => ({
  logicalName,
  schemaName: logicalName,
  entitySetName,
  displayName,
  displayCollectionName: displayName,
  primaryIdColumn: idColumn,
  primaryNameColumn: idColumn,
  ownership: "None",
  custom: false,
  intersect: true,
  columns: [
    c(idColumn, "uniqueidentifier", displayName),
    c(a.column, "uniqueidentifier", a.table),
    c(b.column, "uniqueidentifier", b.table),
  ],
});

const USER = { table: "systemuser", column: "systemuserid" } as const;
const ROLE = { table: "role", column: "roleid" } as const;
const TEAM = { table: "team", column: "teamid" } as const;

export const MANY_TO_MANY: readonly ManyToManyDef[] = [
  { name: "systemuserroles_association", intersect: "systemuserroles", sides: [USER, ROLE] },
  { name: "teamroles_association", intersect: "teamroles", sides: [TEAM, ROLE] },
  { name: "teammembership_association", intersect: "teammembership", sides: [USER, TEAM] },
];

// Entity set names as the Web API reference gives them for the intersect entity types.
export const SECURITY_TABLES: readonly TableDef[] = [
  team,
  intersect(
    "systemuserroles",
    "systemuserrolescollection",
    "System User Roles",
    "systemuserroleid",
    USER,
    ROLE,
  ),
  intersect("teamroles", "teamrolescollection", "Team Roles", "teamroleid", TEAM, ROLE),
  intersect("teammembership", "teammemberships", "Team Membership", "teammembershipid", USER, TEAM),
];
