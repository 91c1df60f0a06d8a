import { CHOICE_BASE, CHOICE_NAMES, type ChoiceSet } from "./choices";
import { owner } from "./standardColumns";
import { type ChoiceOption, column as c, type ColumnDef, type TableDef } from "./types";

// Rapport's own tables (publisher prefix rp). Keep names stable once shipped: makers build views and
// charts on them. Choice values start at 100000000, the range Dataverse gives custom choices.

const o = (...labels: string[]): ChoiceOption[] =>
  labels.map((label, i) => ({ value: CHOICE_BASE + i, label }));

/**
 * Choice sets: the core's names (choices.ts) in option order, with the labels the solution shows.
 * `displayName` labels the choice (global option set) in the solution.
 */
export const CHOICES = {
  recordType: {
    displayName: "Tracked Record Type",
    core: CHOICE_NAMES.recordType,
    options: o("Contact", "Lead", "Opportunity", "Account"),
  },
  healthStatus: {
    displayName: "Relationship Health",
    core: CHOICE_NAMES.healthStatus,
    options: o("Good", "Fair", "Poor", "Not enough information", "Not scored"),
  },
  healthTrend: {
    displayName: "Relationship Health Trend",
    core: CHOICE_NAMES.healthTrend,
    options: o("Improving", "Steady", "Declining", "Not enough information"),
  },
  activityType: {
    displayName: "Activity Type",
    core: CHOICE_NAMES.activityType,
    options: o("Email", "Meeting", "Phone call", "Task"),
  },
  direction: {
    displayName: "Activity Direction",
    core: CHOICE_NAMES.direction,
    options: o("Outgoing", "Incoming"),
  },
  band: {
    displayName: "Connection Strength Band",
    core: CHOICE_NAMES.band,
    options: o("Strong", "Moderate", "Weak"),
  },
  targetType: {
    displayName: "Connection Target Type",
    core: CHOICE_NAMES.targetType,
    options: o("Person", "Company", "Colleague"),
  },
  cadence: {
    displayName: "Expected Cadence",
    core: CHOICE_NAMES.cadence,
    options: o(
      "Once a day",
      "Once every few days",
      "Once a week",
      "Once every couple of weeks",
      "Once a month",
    ),
  },
  similarBasis: {
    displayName: "Similar Won Deals Basis",
    core: CHOICE_NAMES.similarBasis,
    options: o("Deals like this one", "Most recent won deals", "Too few closed deals"),
  },
  introductionStatus: {
    displayName: "Introduction Status",
    core: CHOICE_NAMES.introductionStatus,
    options: o("Requested", "Accepted", "Declined", "Snoozed", "Made", "Meeting held", "Won", "Lost"),
  },
} as const satisfies Record<ChoiceSet, unknown>;

const choice = (
  name: string,
  schemaName: string,
  display: string,
  set: ChoiceSet,
  extra: Partial<ColumnDef> = {},
) => c(name, "picklist", display, { schemaName, options: CHOICES[set].options, choiceSet: set, ...extra });
const int = (name: string, schemaName: string, display: string, extra: Partial<ColumnDef> = {}) =>
  c(name, "integer", display, { schemaName, min: 0, max: 2_147_483_647, ...extra });
const dec = (name: string, schemaName: string, display: string, precision = 2) =>
  c(name, "decimal", display, { schemaName, precision, min: 0, max: 100_000_000_000 });
const text = (
  name: string,
  schemaName: string,
  display: string,
  maxLength: number,
  extra: Partial<ColumnDef> = {},
) => c(name, maxLength > 4000 ? "memo" : "string", display, { schemaName, maxLength, ...extra });
const when = (name: string, schemaName: string, display: string) =>
  c(name, "datetime", display, { schemaName });

/** The natural key of a row, hashed to 40 hex characters: alternate-key values may not hold `:`, `/` or `+`. */
const keyColumn = (description: string) =>
  text("rp_key", "rp_Key", "Key", 100, { required: true, description });

/**
 * Hash of the values Rapport last wrote: the publisher reads keys and hashes only (a few bytes a row)
 * to find what changed, instead of every column of every row.
 */
const contentHash = () =>
  text("rp_contenthash", "rp_ContentHash", "Content Hash", 100, {
    description: "Hash of the published values, for change detection.",
  });

/**
 * The scale-out partition whose publish owns the row (empty when one process publishes everything):
 * partitions publish side by side, each reading and removing only its own rows.
 */
const partitionColumn = () =>
  int("rp_partition", "rp_Partition", "Partition", {
    description: "The scale-out partition that publishes this row; empty when one process publishes.",
  });

const recordLookups: ColumnDef[] = [
  c("rp_contactid", "lookup", "Contact", {
    schemaName: "rp_ContactId",
    targets: [{ table: "contact", navigationProperty: "rp_ContactId" }],
  }),
  c("rp_leadid", "lookup", "Lead", {
    schemaName: "rp_LeadId",
    targets: [{ table: "lead", navigationProperty: "rp_LeadId" }],
  }),
  c("rp_opportunityid", "lookup", "Opportunity", {
    schemaName: "rp_OpportunityId",
    targets: [{ table: "opportunity", navigationProperty: "rp_OpportunityId" }],
  }),
  c("rp_accountid", "lookup", "Account", {
    schemaName: "rp_AccountId",
    targets: [{ table: "account", navigationProperty: "rp_AccountId" }],
  }),
];

const lastNext = (prefix: "last" | "next", label: string): ColumnDef[] => {
  const P = prefix === "last" ? "Last" : "Next";
  return [
    when(`rp_${prefix}activityon`, `rp_${P}ActivityOn`, `${label} Activity`),
    choice(`rp_${prefix}activitytype`, `rp_${P}ActivityType`, `${label} Activity Type`, "activityType"),
    choice(
      `rp_${prefix}activitydirection`,
      `rp_${P}ActivityDirection`,
      `${label} Activity Direction`,
      "direction",
    ),
  ];
};

export const rp_relationshipinsight: TableDef = {
  logicalName: "rp_relationshipinsight",
  schemaName: "rp_RelationshipInsight",
  entitySetName: "rp_relationshipinsights",
  displayName: "Relationship Insight",
  displayCollectionName: "Relationship Insights",
  description:
    "Relationship analytics of one contact, lead, opportunity or account: KPIs, health, trend and reasons.",
  primaryIdColumn: "rp_relationshipinsightid",
  primaryNameColumn: "rp_name",
  ownership: "OrganizationOwned",
  custom: true,
  columns: [
    c("rp_relationshipinsightid", "uniqueidentifier", "Relationship Insight", {
      schemaName: "rp_RelationshipInsightId",
    }),
    text("rp_name", "rp_Name", "Name", 200, { required: true }),
    keyColumn("Hash of the record type and id."),
    contentHash(),
    partitionColumn(),
    choice("rp_recordtype", "rp_RecordType", "Record Type", "recordType", { required: true }),
    text("rp_recordid", "rp_RecordId", "Record Id", 100),
    ...recordLookups,
    int("rp_healthscore", "rp_HealthScore", "Health Score", { max: 100 }),
    choice("rp_healthstatus", "rp_HealthStatus", "Health", "healthStatus"),
    choice("rp_healthtrend", "rp_HealthTrend", "Health Trend", "healthTrend"),
    text("rp_reasons", "rp_Reasons", "Reasons", 10_000, {
      description: "JSON: the reasons behind the score, strongest first.",
    }),
    text("rp_summary", "rp_Summary", "Summary", 2_000),
    c("rp_singlethreaded", "boolean", "Single-threaded", {
      schemaName: "rp_SingleThreaded",
      booleanLabels: ["No", "Yes"],
    }),
    int("rp_emailssent", "rp_EmailsSent", "Sent Emails"),
    int("rp_emailsreceived", "rp_EmailsReceived", "Received Emails"),
    int("rp_meetingssent", "rp_MeetingsSent", "Sent Meetings"),
    int("rp_meetingsreceived", "rp_MeetingsReceived", "Received Meetings"),
    int("rp_phonecallsmade", "rp_PhoneCallsMade", "Phone Calls Made"),
    int("rp_phonecallsreceived", "rp_PhoneCallsReceived", "Phone Calls Received"),
    int("rp_timespentbyteam", "rp_TimeSpentByTeam", "Time Spent by Team (minutes)"),
    int("rp_timespentbycustomer", "rp_TimeSpentByCustomer", "Time Engaged with Customer (minutes)"),
    int("rp_repliesbyus", "rp_RepliesByUs", "Replies by Us"),
    int("rp_repliesbythem", "rp_RepliesByThem", "Replies by Them"),
    dec(
      "rp_averagefirstresponsetimebyusinhrs",
      "rp_AverageFirstResponseTimeByUsInHrs",
      "Average Seller Response Time (hours)",
    ),
    dec(
      "rp_averagefirstresponsetimebytheminhrs",
      "rp_AverageFirstResponseTimeByThemInHrs",
      "Average Customer Response Time (hours)",
    ),
    dec("rp_responseratebyus", "rp_ResponseRateByUs", "Rate of Response by the Seller", 4),
    dec("rp_responseratebythem", "rp_ResponseRateByThem", "Rate of Response of the Customer", 4),
    ...lastNext("last", "Last"),
    ...lastNext("next", "Next"),
    int("rp_interactioncount", "rp_InteractionCount", "Interactions (12 months)"),
    text("rp_mostcontacted", "rp_MostContacted", "Most Contacted", 10_000, {
      description: "JSON: top three each side, most contacted and most contacted by.",
    }),
    text("rp_timeline", "rp_Timeline", "Activity Timeline", 100_000, {
      description: "JSON: weekly points and the 60-day series.",
    }),
    text("rp_activityhistory", "rp_ActivityHistory", "Activity History", 1_048_576, {
      description: "JSON: the interactions behind the numbers, newest first.",
    }),
    text("rp_introducers", "rp_Introducers", "Introducers", 100_000, {
      description: "JSON: colleagues who know this record's people, strongest first.",
    }),
    // Opportunities only: this deal against won and lost deals like it, at the same age (issue 17).
    choice("rp_similarbasis", "rp_SimilarBasis", "Similar Won Deals Basis", "similarBasis"),
    int("rp_similarwoncount", "rp_SimilarWonCount", "Similar Won Deals Compared"),
    int("rp_similarlostcount", "rp_SimilarLostCount", "Similar Lost Deals Compared"),
    text("rp_similardeals", "rp_SimilarDeals", "Similar Won Deals", 100_000, {
      description:
        "JSON: this deal against the typical won and lost deal like it at the same age, and the difference that matters most.",
    }),
    text("rp_similarsummary", "rp_SimilarSummary", "Similar Won Deals: Key Difference", 1_000),
    when("rp_lastcomputedon", "rp_LastComputedOn", "Last Updated"),
  ],
  alternateKeys: [
    { schemaName: "rp_relationshipinsight_key", displayName: "Record key", columns: ["rp_key"] },
  ],
  collections: [
    { name: "rp_relationshipinsight_history", table: "rp_relationshiphistory", column: "rp_insightid" },
  ],
};

export const rp_relationshiphistory: TableDef = {
  logicalName: "rp_relationshiphistory",
  schemaName: "rp_RelationshipHistory",
  entitySetName: "rp_relationshiphistories",
  displayName: "Relationship History",
  displayCollectionName: "Relationship History",
  description: "One week of a record's relationship: health and activity counts, for trend charts.",
  primaryIdColumn: "rp_relationshiphistoryid",
  primaryNameColumn: "rp_name",
  ownership: "OrganizationOwned",
  custom: true,
  columns: [
    c("rp_relationshiphistoryid", "uniqueidentifier", "Relationship History", {
      schemaName: "rp_RelationshipHistoryId",
    }),
    text("rp_name", "rp_Name", "Name", 200, { required: true }),
    keyColumn("Hash of the record type, id and week."),
    contentHash(),
    partitionColumn(),
    c("rp_insightid", "lookup", "Relationship Insight", {
      schemaName: "rp_InsightId",
      targets: [{ table: "rp_relationshipinsight", navigationProperty: "rp_InsightId" }],
    }),
    choice("rp_recordtype", "rp_RecordType", "Record Type", "recordType"),
    text("rp_recordid", "rp_RecordId", "Record Id", 100),
    c("rp_weekstart", "dateonly", "Week", { schemaName: "rp_WeekStart" }),
    int("rp_healthscore", "rp_HealthScore", "Health Score", { max: 100 }),
    choice("rp_healthstatus", "rp_HealthStatus", "Health", "healthStatus"),
    int("rp_emailssent", "rp_EmailsSent", "Sent Emails"),
    int("rp_emailsreceived", "rp_EmailsReceived", "Received Emails"),
    int("rp_meetings", "rp_Meetings", "Meetings"),
    int("rp_phonecalls", "rp_PhoneCalls", "Phone Calls"),
  ],
  alternateKeys: [{ schemaName: "rp_relationshiphistory_key", displayName: "Week key", columns: ["rp_key"] }],
};

export const rp_connection: TableDef = {
  logicalName: "rp_connection",
  schemaName: "rp_Connection",
  entitySetName: "rp_connections",
  displayName: "Connection",
  displayCollectionName: "Connections",
  description:
    "Who knows whom: a colleague's connection to an external person or company, or to another colleague, with its strength and evidence.",
  primaryIdColumn: "rp_connectionid",
  primaryNameColumn: "rp_name",
  ownership: "OrganizationOwned",
  custom: true,
  columns: [
    c("rp_connectionid", "uniqueidentifier", "Connection", { schemaName: "rp_ConnectionId" }),
    text("rp_name", "rp_Name", "Name", 400, { required: true }),
    keyColumn("Hash of the colleague and the person or company."),
    contentHash(),
    partitionColumn(),
    c("rp_introducerid", "lookup", "Introducer", {
      schemaName: "rp_IntroducerId",
      targets: [{ table: "systemuser", navigationProperty: "rp_IntroducerId" }],
    }),
    text("rp_introduceremail", "rp_IntroducerEmail", "Introducer Email", 320),
    choice("rp_targettype", "rp_TargetType", "Target Type", "targetType"),
    text("rp_target", "rp_Target", "Target", 320, {
      description: "The person's address, the company's domain, or the other colleague's address.",
    }),
    // Colleague ties (target type Colleague): the other colleague, so a path names both by their user.
    c("rp_colleagueid", "lookup", "Colleague", {
      schemaName: "rp_ColleagueId",
      targets: [{ table: "systemuser", navigationProperty: "rp_ColleagueId" }],
    }),
    ...recordLookups,
    int("rp_strength", "rp_Strength", "Strength", { max: 100 }),
    choice("rp_band", "rp_Band", "Strength Band", "band"),
    c("rp_score", "double", "Raw Strength", { schemaName: "rp_Score", min: 0, max: 1e9 }),
    int("rp_emailssent", "rp_EmailsSent", "Emails Sent"),
    int("rp_emailsreceived", "rp_EmailsReceived", "Emails Received"),
    int("rp_meetingssent", "rp_MeetingsSent", "Meetings Sent"),
    int("rp_meetingsreceived", "rp_MeetingsReceived", "Meetings Received"),
    int("rp_phonecallsmade", "rp_PhoneCallsMade", "Phone Calls Made"),
    int("rp_phonecallsreceived", "rp_PhoneCallsReceived", "Phone Calls Received"),
    int("rp_daysintouch", "rp_DaysInTouch", "Days in Touch"),
    when("rp_firstinteractionon", "rp_FirstInteractionOn", "First Interaction"),
    when("rp_lastinteractionon", "rp_LastInteractionOn", "Last Interaction"),
    choice("rp_lastinteractiontype", "rp_LastInteractionType", "Last Interaction Type", "activityType"),
    choice(
      "rp_lastinteractiondirection",
      "rp_LastInteractionDirection",
      "Last Interaction Direction",
      "direction",
    ),
  ],
  alternateKeys: [{ schemaName: "rp_connection_key", displayName: "Connection key", columns: ["rp_key"] }],
};

const weight = (kind: string, label: string) =>
  int(`rp_${kind}weight`, `rp_${kind[0]!.toUpperCase()}${kind.slice(1)}Weight`, `${label} Influence`, {
    min: 3,
    max: 9,
  });

/** An on/off setting; an empty value (a row saved before the column existed) means on. */
const toggle = (name: string, schemaName: string, display: string, description: string) =>
  c(name, "boolean", display, { schemaName, booleanLabels: ["Off", "On"], description });

export const rp_settings: TableDef = {
  logicalName: "rp_settings",
  schemaName: "rp_Settings",
  entitySetName: "rp_settingses",
  displayName: "Rapport Settings",
  displayCollectionName: "Rapport Settings",
  description:
    "How Rapport judges relationships: activity influence, expected cadence, thresholds, exclusions.",
  primaryIdColumn: "rp_settingsid",
  primaryNameColumn: "rp_name",
  ownership: "OrganizationOwned",
  custom: true,
  columns: [
    c("rp_settingsid", "uniqueidentifier", "Rapport Settings", { schemaName: "rp_SettingsId" }),
    text("rp_name", "rp_Name", "Name", 100, { required: true }),
    keyColumn("The settings profile: 'default'."),
    toggle(
      "rp_analyticsenabled",
      "rp_AnalyticsEnabled",
      "Relationship Analytics",
      "Insight and history rows are published.",
    ),
    toggle(
      "rp_whoknowswhomenabled",
      "rp_WhoKnowsWhomEnabled",
      "Who Knows Whom",
      "Connection rows and introducers are published.",
    ),
    toggle(
      "rp_m365enabled",
      "rp_M365Enabled",
      "Microsoft 365 Data",
      "Mail and calendar from Microsoft 365 are read; off: Dataverse activities only.",
    ),
    weight("email", "Email"),
    weight("meeting", "Meeting"),
    weight("phonecall", "Phone Call"),
    weight("task", "Task"),
    choice("rp_cadencecontact", "rp_CadenceContact", "Expected Cadence: Contacts", "cadence"),
    choice("rp_cadencelead", "rp_CadenceLead", "Expected Cadence: Leads", "cadence"),
    choice("rp_cadenceopportunity", "rp_CadenceOpportunity", "Expected Cadence: Opportunities", "cadence"),
    choice("rp_cadenceaccount", "rp_CadenceAccount", "Expected Cadence: Accounts", "cadence"),
    int("rp_goodthreshold", "rp_GoodThreshold", "Good From", { max: 100 }),
    int("rp_fairthreshold", "rp_FairThreshold", "Fair From", { max: 100 }),
    text("rp_orgdomains", "rp_OrgDomains", "Organisation Domains", 4_000),
    text("rp_excludeddomains", "rp_ExcludedDomains", "Excluded Domains", 100_000),
    text("rp_excludedaddresses", "rp_ExcludedAddresses", "Excluded People", 100_000),
    text("rp_optedoutusers", "rp_OptedOutUsers", "Opted-out Colleagues", 100_000),
    text("rp_introductiontemplate", "rp_IntroductionTemplate", "Introduction Request Template", 10_000),
    text("rp_whoknowswhomroles", "rp_WhoKnowsWhomRoles", "Who Knows Whom Roles", 10_000, {
      description: "Security roles (names or ids, one per line) allowed to see who knows whom; empty: all.",
    }),
    int("rp_introductioncap", "rp_IntroductionCap", "Open Introduction Requests per Colleague", {
      min: 1,
      max: 50,
      description: "The most open introduction requests a colleague is sent at once; empty: 3.",
    }),
    int(
      "rp_introductioncooldowndays",
      "rp_IntroductionCooldownDays",
      "Days Before Asking Again After a Decline",
      {
        max: 365,
        description: "After a colleague declines, days before the same seller may ask them again; empty: 30.",
      },
    ),
  ],
  alternateKeys: [{ schemaName: "rp_settings_key", displayName: "Profile", columns: ["rp_key"] }],
};

/** A user lookup (a colleague) on one of Rapport's tables. */
const userLookup = (name: string, schemaName: string, display: string, extra: Partial<ColumnDef> = {}) =>
  c(name, "lookup", display, {
    schemaName,
    targets: [{ table: "systemuser", navigationProperty: schemaName }],
    ...extra,
  });

/**
 * An introduction a seller asked a colleague for (issue 19). User-owned: the owner is the seller who asked,
 * and the request is shared with the introducer (GrantAccess), so the Reader role's user-depth privileges
 * let each seller see their own requests and the requests addressed to them, and nobody else's.
 */
export const rp_introduction: TableDef = {
  logicalName: "rp_introduction",
  schemaName: "rp_Introduction",
  entitySetName: "rp_introductions",
  displayName: "Introduction",
  displayCollectionName: "Introductions",
  description:
    "A seller's request to a colleague for an introduction to a person, tracked from the request to the deal.",
  primaryIdColumn: "rp_introductionid",
  primaryNameColumn: "rp_name",
  ownership: "UserOwned",
  custom: true,
  columns: [
    c("rp_introductionid", "uniqueidentifier", "Introduction", { schemaName: "rp_IntroductionId" }),
    text("rp_name", "rp_Name", "Name", 400, { required: true }),
    owner,
    userLookup("rp_requesterid", "rp_RequesterId", "Requested By", { required: true }),
    userLookup("rp_introducerid", "rp_IntroducerId", "Introducer", {
      required: true,
      description: "The colleague asked: the first step of the path.",
    }),
    userLookup("rp_connectorid", "rp_ConnectorId", "Connector", {
      description: "Two-step paths: the colleague who knows the person, reached through the introducer.",
    }),
    text("rp_targetemail", "rp_TargetEmail", "Person's Email", 320, { required: true }),
    text("rp_targetname", "rp_TargetName", "Person", 200),
    choice("rp_recordtype", "rp_RecordType", "Record Type", "recordType", { required: true }),
    ...recordLookups,
    text("rp_path", "rp_Path", "Path", 10_000, {
      description: "JSON: each step of the path with its strength and evidence, as ranked when asked.",
    }),
    int("rp_pathstrength", "rp_PathStrength", "Path Strength", { max: 100 }),
    choice("rp_status", "rp_Status", "Introduction Status", "introductionStatus", { required: true }),
    text("rp_declinereason", "rp_DeclineReason", "Reason Declined", 400),
    c("rp_emailid", "lookup", "Request Email", {
      schemaName: "rp_EmailId",
      targets: [{ table: "email", navigationProperty: "rp_EmailId" }],
    }),
    when("rp_requestedon", "rp_RequestedOn", "Requested On"),
    when("rp_respondedon", "rp_RespondedOn", "Answered On"),
    when("rp_snoozeduntil", "rp_SnoozedUntil", "Snoozed Until"),
    when("rp_madeon", "rp_MadeOn", "Introduced On"),
    when("rp_meetingon", "rp_MeetingOn", "First Meeting On"),
    when("rp_closedon", "rp_ClosedOn", "Deal Closed On"),
  ],
};

/**
 * A colleague as an introducer (issue 19): whether they take introduction requests (their own choice; they
 * stay in the data either way) and how many requests they have open, counted by the service so a seller's
 * control can respect the cap without reading other sellers' requests. Owned by the colleague.
 */
export const rp_introducerprofile: TableDef = {
  logicalName: "rp_introducerprofile",
  schemaName: "rp_IntroducerProfile",
  entitySetName: "rp_introducerprofiles",
  displayName: "Introducer Profile",
  displayCollectionName: "Introducer Profiles",
  description: "A colleague's availability for introduction requests and their open requests.",
  primaryIdColumn: "rp_introducerprofileid",
  primaryNameColumn: "rp_name",
  ownership: "UserOwned",
  custom: true,
  columns: [
    c("rp_introducerprofileid", "uniqueidentifier", "Introducer Profile", {
      schemaName: "rp_IntroducerProfileId",
    }),
    text("rp_name", "rp_Name", "Name", 200, { required: true }),
    keyColumn("Hash of the colleague's user id."),
    owner,
    userLookup("rp_userid", "rp_UserId", "Colleague", { required: true }),
    c("rp_acceptsrequests", "boolean", "Takes Introduction Requests", {
      schemaName: "rp_AcceptsRequests",
      booleanLabels: ["No", "Yes"],
      description: "Off: the colleague is never offered as an introducer; their connections still count.",
    }),
    int("rp_openrequests", "rp_OpenRequests", "Open Requests", {
      description:
        "Requests addressed to the colleague still requested or snoozed, as counted by the service.",
    }),
    when("rp_countedon", "rp_CountedOn", "Counted On"),
  ],
  alternateKeys: [
    { schemaName: "rp_introducerprofile_key", displayName: "Colleague key", columns: ["rp_key"] },
  ],
};

export const RAPPORT_TABLES: readonly TableDef[] = [
  rp_relationshipinsight,
  rp_relationshiphistory,
  rp_connection,
  rp_settings,
  rp_introduction,
  rp_introducerprofile,
];
