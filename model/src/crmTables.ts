import { SALES_PROCESS_TABLES } from "./salesTables";
import { activeState, owner } from "./standardColumns";
import { column as c, type TableDef } from "./types";

// The standard Dynamics 365 / Dataverse tables Rapport reads: only the columns it uses. Names follow
// Microsoft's entity reference (see shared APIS.md §8); the local endpoint creates exactly these.

export const systemuser: TableDef = {
  logicalName: "systemuser",
  schemaName: "SystemUser",
  entitySetName: "systemusers",
  displayName: "User",
  displayCollectionName: "Users",
  primaryIdColumn: "systemuserid",
  primaryNameColumn: "fullname",
  ownership: "None",
  custom: false,
  columns: [
    c("systemuserid", "uniqueidentifier", "User"),
    c("fullname", "string", "Full Name", { maxLength: 200 }),
    c("internalemailaddress", "string", "Primary Email", { maxLength: 100 }),
    c("domainname", "string", "User Name", { maxLength: 1024 }),
    c("azureactivedirectoryobjectid", "uniqueidentifier", "Azure AD Object ID"),
    c("isdisabled", "boolean", "Status", { booleanLabels: ["Enabled", "Disabled"] }),
  ],
};

/**
 * Security roles, read by the who-knows-whom control for the names of the user's roles (the platform gives
 * the control their ids). Business-owned in Dataverse; the model has no such ownership, and only reads them.
 */
export const role: TableDef = {
  logicalName: "role",
  schemaName: "Role",
  entitySetName: "roles",
  displayName: "Security Role",
  displayCollectionName: "Security Roles",
  primaryIdColumn: "roleid",
  primaryNameColumn: "name",
  ownership: "None",
  custom: false,
  columns: [c("roleid", "uniqueidentifier", "Role"), c("name", "string", "Name", { maxLength: 100 })],
};

/** Account industrycode, the default options of every Dataverse org (value: label). */
export const INDUSTRY = {
  1: "Accounting",
  2: "Agriculture and Non-petrol Natural Resource Extraction",
  3: "Broadcasting Printing and Publishing",
  4: "Brokers",
  5: "Building Supply Retail",
  6: "Business Services",
  7: "Consulting",
  8: "Consumer Services",
  9: "Design, Direction and Creative Management",
  10: "Distributors, Dispatchers and Processors",
  11: "Doctor's Offices and Clinics",
  12: "Durable Manufacturing",
  13: "Eating and Drinking Places",
  14: "Entertainment Retail",
  15: "Equipment Rental and Leasing",
  16: "Financial",
  17: "Food and Tobacco Processing",
  18: "Inbound Capital Intensive Processing",
  19: "Inbound Repair and Services",
  20: "Insurance",
  21: "Legal Services",
  22: "Non-Durable Merchandise Retail",
  23: "Outbound Consumer Service",
  24: "Petrochemical Extraction and Distribution",
  25: "Service Retail",
  26: "SIG Affiliations",
  27: "Social Services",
  28: "Special Outbound Trade Contractors",
  29: "Specialty Realty",
  30: "Transportation",
  31: "Utility Creation and Distribution",
  32: "Vehicle Retail",
  33: "Wholesale",
} as const;

export const account: TableDef = {
  logicalName: "account",
  schemaName: "Account",
  entitySetName: "accounts",
  displayName: "Account",
  displayCollectionName: "Accounts",
  primaryIdColumn: "accountid",
  primaryNameColumn: "name",
  ownership: "UserOwned",
  custom: false,
  columns: [
    c("accountid", "uniqueidentifier", "Account"),
    c("name", "string", "Account Name", { maxLength: 160, required: true }),
    c("emailaddress1", "string", "Email", { maxLength: 100 }),
    c("websiteurl", "string", "Website", { maxLength: 200 }),
    c("parentaccountid", "lookup", "Parent Account", {
      targets: [{ table: "account", navigationProperty: "parentaccountid" }],
    }),
    c("primarycontactid", "lookup", "Primary Contact", {
      targets: [{ table: "contact", navigationProperty: "primarycontactid" }],
    }),
    // "Like this deal" compares accounts by industry and size (similar won deals).
    c("industrycode", "picklist", "Industry", {
      options: Object.entries(INDUSTRY).map(([value, label]) => ({ value: Number(value), label })),
    }),
    c("numberofemployees", "integer", "Number of Employees", { min: 0, max: 1_000_000_000 }),
    c("revenue", "money", "Annual Revenue", { precision: 2 }),
    c("rp_relationshipinsightid", "lookup", "Relationship Insight", {
      schemaName: "rp_RelationshipInsightId",
      rapport: true,
      targets: [{ table: "rp_relationshipinsight", navigationProperty: "rp_RelationshipInsightId" }],
    }),
    owner,
    activeState,
  ],
  collections: [{ name: "contact_customer_accounts", table: "contact", column: "parentcustomerid" }],
};

export const contact: TableDef = {
  logicalName: "contact",
  schemaName: "Contact",
  entitySetName: "contacts",
  displayName: "Contact",
  displayCollectionName: "Contacts",
  primaryIdColumn: "contactid",
  primaryNameColumn: "fullname",
  ownership: "UserOwned",
  custom: false,
  columns: [
    c("contactid", "uniqueidentifier", "Contact"),
    c("fullname", "string", "Full Name", { maxLength: 160 }),
    c("firstname", "string", "First Name", { maxLength: 50 }),
    c("lastname", "string", "Last Name", { maxLength: 50 }),
    c("jobtitle", "string", "Job Title", { maxLength: 100 }),
    c("emailaddress1", "string", "Email", { maxLength: 100 }),
    c("emailaddress2", "string", "Email Address 2", { maxLength: 100 }),
    c("emailaddress3", "string", "Email Address 3", { maxLength: 100 }),
    c("parentcustomerid", "customer", "Company Name", {
      targets: [
        { table: "account", navigationProperty: "parentcustomerid_account" },
        { table: "contact", navigationProperty: "parentcustomerid_contact" },
      ],
    }),
    c("rp_relationshipinsightid", "lookup", "Relationship Insight", {
      schemaName: "rp_RelationshipInsightId",
      rapport: true,
      targets: [{ table: "rp_relationshipinsight", navigationProperty: "rp_RelationshipInsightId" }],
    }),
    owner,
    activeState,
  ],
};

export const lead: TableDef = {
  logicalName: "lead",
  schemaName: "Lead",
  entitySetName: "leads",
  displayName: "Lead",
  displayCollectionName: "Leads",
  primaryIdColumn: "leadid",
  primaryNameColumn: "fullname",
  ownership: "UserOwned",
  custom: false,
  columns: [
    c("leadid", "uniqueidentifier", "Lead"),
    c("fullname", "string", "Name", { maxLength: 160 }),
    c("firstname", "string", "First Name", { maxLength: 50 }),
    c("lastname", "string", "Last Name", { maxLength: 50 }),
    c("subject", "string", "Topic", { maxLength: 300 }),
    c("companyname", "string", "Company Name", { maxLength: 100 }),
    c("emailaddress1", "string", "Email", { maxLength: 100 }),
    c("emailaddress2", "string", "Email Address 2", { maxLength: 100 }),
    c("emailaddress3", "string", "Email Address 3", { maxLength: 100 }),
    c("parentaccountid", "lookup", "Existing Account", {
      targets: [{ table: "account", navigationProperty: "parentaccountid" }],
    }),
    c("parentcontactid", "lookup", "Existing Contact", {
      targets: [{ table: "contact", navigationProperty: "parentcontactid" }],
    }),
    c("rp_relationshipinsightid", "lookup", "Relationship Insight", {
      schemaName: "rp_RelationshipInsightId",
      rapport: true,
      targets: [{ table: "rp_relationshipinsight", navigationProperty: "rp_RelationshipInsightId" }],
    }),
    owner,
    c("statecode", "state", "Status", {
      options: [
        { value: 0, label: "Open" },
        { value: 1, label: "Qualified" },
        { value: 2, label: "Disqualified" },
      ],
    }),
  ],
};

/** Opportunity statuscode, with the statecode each belongs to (0 Open, 1 Won, 2 Lost). */
export const OPPORTUNITY_STATUS = [
  { value: 1, label: "In Progress", state: 0 },
  { value: 2, label: "On Hold", state: 0 },
  { value: 3, label: "Won", state: 1 },
  { value: 4, label: "Canceled", state: 2 },
  { value: 5, label: "Out-Sold", state: 2 },
] as const;

export const opportunity: TableDef = {
  logicalName: "opportunity",
  schemaName: "Opportunity",
  entitySetName: "opportunities",
  displayName: "Opportunity",
  displayCollectionName: "Opportunities",
  primaryIdColumn: "opportunityid",
  primaryNameColumn: "name",
  ownership: "UserOwned",
  custom: false,
  columns: [
    c("opportunityid", "uniqueidentifier", "Opportunity"),
    c("name", "string", "Topic", { maxLength: 300, required: true }),
    c("parentaccountid", "lookup", "Account", {
      targets: [{ table: "account", navigationProperty: "parentaccountid" }],
    }),
    c("parentcontactid", "lookup", "Contact", {
      targets: [{ table: "contact", navigationProperty: "parentcontactid" }],
    }),
    c("customerid", "customer", "Potential Customer", {
      targets: [
        { table: "account", navigationProperty: "customerid_account" },
        { table: "contact", navigationProperty: "customerid_contact" },
      ],
    }),
    c("estimatedclosedate", "dateonly", "Est. Close Date"),
    c("estimatedvalue", "money", "Est. Revenue", { precision: 2 }),
    // Set by WinOpportunity / LoseOpportunity from the opportunity close, never by an update.
    c("actualclosedate", "dateonly", "Actual Close Date"),
    c("actualvalue", "money", "Actual Revenue", { precision: 2 }),
    c("salesstage", "picklist", "Sales Stage", {
      options: [
        { value: 0, label: "Qualify" },
        { value: 1, label: "Develop" },
        { value: 2, label: "Propose" },
        { value: 3, label: "Close" },
      ],
    }),
    c("closeprobability", "integer", "Probability", { min: 0, max: 100 }),
    c("createdon", "datetime", "Created On"),
    // Dataverse sets createdon to this on create (data migration): the demo's history uses it.
    c("overriddencreatedon", "datetime", "Record Created On"),
    c("rp_relationshipinsightid", "lookup", "Relationship Insight", {
      schemaName: "rp_RelationshipInsightId",
      rapport: true,
      targets: [{ table: "rp_relationshipinsight", navigationProperty: "rp_RelationshipInsightId" }],
    }),
    owner,
    c("statecode", "state", "Status", {
      options: [
        { value: 0, label: "Open" },
        { value: 1, label: "Won" },
        { value: 2, label: "Lost" },
      ],
    }),
    c("statuscode", "status", "Status Reason", { options: OPPORTUNITY_STATUS }),
  ],
  // Its sales team and stakeholders: connections from the opportunity (record1) to users and contacts.
  collections: [{ name: "opportunity_connections1", table: "connection", column: "record1id" }],
};

const ACTIVITY_STATE = [
  { value: 0, label: "Open" },
  { value: 1, label: "Completed" },
  { value: 2, label: "Canceled" },
  { value: 3, label: "Scheduled" },
] as const;

const regarding = c("regardingobjectid", "lookup", "Regarding", {
  targets: [
    { table: "contact", navigationProperty: "regardingobjectid_contact" },
    { table: "lead", navigationProperty: "regardingobjectid_lead" },
    { table: "account", navigationProperty: "regardingobjectid_account" },
    { table: "opportunity", navigationProperty: "regardingobjectid_opportunity" },
  ],
});

const activityBase = (table: string) => [
  c("activityid", "uniqueidentifier", table === "email" ? "Email Message" : "Activity"),
  c("subject", "string", "Subject", { maxLength: 400 }),
  regarding,
  owner,
  c("createdon", "datetime", "Created On"),
];

export const email: TableDef = {
  logicalName: "email",
  schemaName: "Email",
  entitySetName: "emails",
  displayName: "Email",
  displayCollectionName: "Emails",
  primaryIdColumn: "activityid",
  primaryNameColumn: "subject",
  ownership: "UserOwned",
  isActivity: true,
  custom: false,
  columns: [
    ...activityBase("email"),
    // The body, HTML; Rapport never reads it, but the who-knows-whom control writes introduction requests.
    c("description", "memo", "Description", { maxLength: 1_048_576 }),
    c("directioncode", "boolean", "Direction", { booleanLabels: ["Incoming", "Outgoing"] }),
    c("senton", "datetime", "Date Sent"),
    c("actualend", "datetime", "Actual End"),
    c("messageid", "string", "Message ID", { maxLength: 320 }),
    c("inreplyto", "string", "In Reply To Message", { maxLength: 320 }),
    c("conversationindex", "string", "Conversation Index", { maxLength: 2048 }),
    c("statecode", "state", "Activity Status", { options: ACTIVITY_STATE }),
  ],
  collections: [{ name: "email_activity_parties", table: "activityparty", column: "activityid" }],
};

export const appointment: TableDef = {
  logicalName: "appointment",
  schemaName: "Appointment",
  entitySetName: "appointments",
  displayName: "Appointment",
  displayCollectionName: "Appointments",
  primaryIdColumn: "activityid",
  primaryNameColumn: "subject",
  ownership: "UserOwned",
  isActivity: true,
  custom: false,
  columns: [
    ...activityBase("appointment"),
    c("scheduledstart", "datetime", "Start Time"),
    c("scheduledend", "datetime", "End Time"),
    c("scheduleddurationminutes", "integer", "Duration"),
    c("isalldayevent", "boolean", "All Day Event", { booleanLabels: ["No", "Yes"] }),
    c("globalobjectid", "string", "Outlook Appointment Owner", { maxLength: 300 }),
    c("statecode", "state", "Activity Status", { options: ACTIVITY_STATE }),
  ],
  collections: [{ name: "appointment_activity_parties", table: "activityparty", column: "activityid" }],
};

export const phonecall: TableDef = {
  logicalName: "phonecall",
  schemaName: "PhoneCall",
  entitySetName: "phonecalls",
  displayName: "Phone Call",
  displayCollectionName: "Phone Calls",
  primaryIdColumn: "activityid",
  primaryNameColumn: "subject",
  ownership: "UserOwned",
  isActivity: true,
  custom: false,
  columns: [
    ...activityBase("phonecall"),
    c("directioncode", "boolean", "Direction", { booleanLabels: ["Incoming", "Outgoing"] }),
    c("actualstart", "datetime", "Actual Start"),
    c("actualend", "datetime", "Actual End"),
    c("scheduledstart", "datetime", "Due"),
    c("actualdurationminutes", "integer", "Duration"),
    c("statecode", "state", "Activity Status", { options: ACTIVITY_STATE }),
  ],
  collections: [{ name: "phonecall_activity_parties", table: "activityparty", column: "activityid" }],
};

/** participationtypemask values (Microsoft's activityparty reference). */
export const PARTICIPATION = {
  sender: 1,
  to: 2,
  cc: 3,
  bcc: 4,
  requiredAttendee: 5,
  optionalAttendee: 6,
  organizer: 7,
  regarding: 8,
  owner: 9,
} as const;

export const activityparty: TableDef = {
  logicalName: "activityparty",
  schemaName: "ActivityParty",
  entitySetName: "activityparties",
  displayName: "Activity Party",
  displayCollectionName: "Activity Parties",
  primaryIdColumn: "activitypartyid",
  primaryNameColumn: "addressused",
  ownership: "None",
  custom: false,
  columns: [
    c("activitypartyid", "uniqueidentifier", "Activity Party"),
    c("activityid", "lookup", "Activity", {
      targets: [
        { table: "email", navigationProperty: "activityid_email" },
        { table: "appointment", navigationProperty: "activityid_appointment" },
        { table: "phonecall", navigationProperty: "activityid_phonecall" },
      ],
    }),
    c("partyid", "lookup", "Party", {
      targets: [
        { table: "systemuser", navigationProperty: "partyid_systemuser" },
        { table: "contact", navigationProperty: "partyid_contact" },
        { table: "lead", navigationProperty: "partyid_lead" },
        { table: "account", navigationProperty: "partyid_account" },
      ],
    }),
    c("participationtypemask", "picklist", "Participation Type", {
      options: Object.entries(PARTICIPATION).map(([label, value]) => ({ value, label })),
    }),
    c("addressused", "string", "Address", { maxLength: 320 }),
  ],
};

export const CRM_TABLES: readonly TableDef[] = [
  systemuser,
  role,
  account,
  contact,
  lead,
  opportunity,
  email,
  appointment,
  phonecall,
  activityparty,
  ...SALES_PROCESS_TABLES,
];
