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

const USER = { table: "systemuser", column: "systemuserid" } as const;
const ROLE = { table: "role", column: "roleid" } as const;
const TEAM = { table: "team", column: "teamid" } as const;

const USER_ROLES: ManyToManyDef = {
  name: "systemuserroles_association",
  intersect: "systemuserroles",
  sides: [USER, ROLE],
};
const TEAM_ROLES: ManyToManyDef = {
  name: "teamroles_association",
  intersect: "teamroles",
  sides: [TEAM, ROLE],
};
const TEAM_MEMBERSHIP: ManyToManyDef = {
  name: "teammembership_association",
  intersect: "teammembership",
  sides: [USER, TEAM],
};

export const MANY_TO_MANY: readonly ManyToManyDef[] = [USER_ROLES, TEAM_ROLES, TEAM_MEMBERSHIP];

/** The intersect table of a many-to-many relationship: its id and one id column per side. */
const intersect = (
  m: ManyToManyDef,
  entitySetName: string,
  displayName: string,
  idColumn: string,
): TableDef => {
  const [a, b] = m.sides;
  return {
    logicalName: m.intersect,
    schemaName: m.intersect,
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
  };
};

// Entity set names as the Web API reference gives them for the intersect entity types.
export const SECURITY_TABLES: readonly TableDef[] = [
  team,
  intersect(USER_ROLES, "systemuserrolescollection", "System User Roles", "systemuserroleid"),
  intersect(TEAM_ROLES, "teamrolescollection", "Team Roles", "teamroleid"),
  intersect(TEAM_MEMBERSHIP, "teammemberships", "Team Membership", "teammembershipid"),
];
