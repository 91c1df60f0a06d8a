import { activeState, owner } from "./standardColumns";
import { column as c, type LookupTarget, type TableDef } from "./types";

// The Dynamics 365 Sales tables behind an opportunity's sales team, stakeholders and close: only the
// columns Rapport uses, named as in Microsoft's entity reference.

/**
 * connectionrole category: the opportunity form's Stakeholders subgrid lists connections whose role is
 * in Stakeholder, its Sales Team subgrid those in Sales Team (Microsoft's connectionrole reference).
 */
export const CONNECTION_ROLE_CATEGORY = {
  business: 1,
  family: 2,
  social: 3,
  sales: 4,
  other: 5,
  stakeholder: 1000,
  salesTeam: 1001,
  service: 1002,
} as const;

const CATEGORY_LABELS: Record<keyof typeof CONNECTION_ROLE_CATEGORY, string> = {
  business: "Business",
  family: "Family",
  social: "Social",
  sales: "Sales",
  other: "Other",
  stakeholder: "Stakeholder",
  salesTeam: "Sales Team",
  service: "Service",
};

export const connectionrole: TableDef = {
  logicalName: "connectionrole",
  schemaName: "ConnectionRole",
  entitySetName: "connectionroles",
  displayName: "Connection Role",
  displayCollectionName: "Connection Roles",
  primaryIdColumn: "connectionroleid",
  primaryNameColumn: "name",
  ownership: "OrganizationOwned",
  custom: false,
  columns: [
    c("connectionroleid", "uniqueidentifier", "Connection Role"),
    c("name", "string", "Name", { maxLength: 100, required: true }),
    c("category", "picklist", "Connection Role Category", {
      options: Object.entries(CONNECTION_ROLE_CATEGORY).map(([key, value]) => ({
        value,
        label: CATEGORY_LABELS[key as keyof typeof CONNECTION_ROLE_CATEGORY],
      })),
    }),
    c("description", "string", "Description", { maxLength: 4000 }),
    activeState,
  ],
};

/** The records a connection may join, each with its navigation property per side. */
const CONNECTED = ["account", "contact", "lead", "opportunity", "systemuser"] as const;
const side = (n: 1 | 2): LookupTarget[] =>
  CONNECTED.map((table) => ({ table, navigationProperty: `record${n}id_${table}` }));

/**
 * A connection joins two records, each with an optional role. Dataverse stores every connection twice:
 * the one created (ismaster true) and its reciprocal with the sides swapped, each pointing at the other
 * through relatedconnectionid, so a query from either record finds it as record1.
 */
export const connection: TableDef = {
  logicalName: "connection",
  schemaName: "Connection",
  entitySetName: "connections",
  displayName: "Connection",
  displayCollectionName: "Connections",
  primaryIdColumn: "connectionid",
  primaryNameColumn: "name",
  ownership: "UserOwned",
  custom: false,
  columns: [
    c("connectionid", "uniqueidentifier", "Connection"),
    c("name", "string", "Name", { maxLength: 500 }),
    c("record1id", "lookup", "Connected From", { targets: side(1) }),
    c("record2id", "lookup", "Connected To", { targets: side(2) }),
    c("record1roleid", "lookup", "Role (From)", {
      targets: [{ table: "connectionrole", navigationProperty: "record1roleid" }],
    }),
    c("record2roleid", "lookup", "Role (To)", {
      targets: [{ table: "connectionrole", navigationProperty: "record2roleid" }],
    }),
    c("ismaster", "boolean", "Is Master", { booleanLabels: ["No", "Yes"] }),
    c("relatedconnectionid", "lookup", "Reciprocal Connection", {
      targets: [{ table: "connection", navigationProperty: "relatedconnectionid" }],
    }),
    c("description", "memo", "Description", { maxLength: 4000 }),
    c("effectivestart", "datetime", "Starting"),
    c("effectiveend", "datetime", "Ending"),
    owner,
    activeState,
  ],
};

/**
 * The activity WinOpportunity and LoseOpportunity create when an opportunity closes: the actual revenue
 * and date the opportunity then takes.
 */
export const opportunityclose: TableDef = {
  logicalName: "opportunityclose",
  schemaName: "OpportunityClose",
  entitySetName: "opportunitycloses",
  displayName: "Opportunity Close",
  displayCollectionName: "Opportunity Close",
  primaryIdColumn: "activityid",
  primaryNameColumn: "subject",
  ownership: "UserOwned",
  isActivity: true,
  custom: false,
  columns: [
    c("activityid", "uniqueidentifier", "Opportunity Close"),
    c("subject", "string", "Subject", { maxLength: 200 }),
    c("opportunityid", "lookup", "Opportunity", {
      targets: [{ table: "opportunity", navigationProperty: "opportunityid" }],
    }),
    c("actualrevenue", "money", "Actual Revenue", { precision: 2 }),
    c("actualend", "datetime", "Actual End"),
    c("description", "memo", "Description", { maxLength: 2000 }),
    owner,
    c("statecode", "state", "Activity Status", {
      options: [
        { value: 0, label: "Open" },
        { value: 1, label: "Completed" },
        { value: 2, label: "Canceled" },
      ],
    }),
  ],
};

export const SALES_PROCESS_TABLES: readonly TableDef[] = [connectionrole, connection, opportunityclose];
