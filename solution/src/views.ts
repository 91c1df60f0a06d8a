import { choiceValue, RAPPORT_TABLES, type TableDef } from "@rapport/model";

import { INTRODUCED } from "./common";
import { braced } from "./ids";
import { el, flag, labels, text, type XNode } from "./xml";

/** FetchXML, as much of it as Rapport's views use. */
export interface Condition {
  attribute: string;
  operator: "eq" | "ne" | "eq-userid" | "like" | "not-null";
  value?: string | number;
}
export interface Filter {
  type: "and" | "or";
  conditions: Condition[];
  filters?: Filter[];
  quickFind?: boolean;
}
export interface Order {
  attribute: string;
  descending?: boolean;
}
export interface LinkEntity {
  name: string;
  from: string;
  to: string;
  alias: string;
  linkType: "outer" | "inner";
  attributes: string[];
  orders?: Order[];
  filter?: Filter;
}
export interface Fetch {
  attributes: string[];
  orders?: Order[];
  filters?: Filter[];
  links?: LinkEntity[];
}

/** SavedQuery.QueryType values used here. */
export const QUERY_TYPE = { public: 0, advancedFind: 1, associated: 2, quickFind: 4, lookup: 64 } as const;

export interface ViewDef {
  /** Stable key the view's id derives from; never rename once shipped. */
  key: string;
  table: string;
  name: string;
  description?: string;
  queryType: (typeof QUERY_TYPE)[keyof typeof QUERY_TYPE];
  isDefault: boolean;
  /** Grid columns; a linked column is `alias.column`. */
  columns: { name: string; width: number }[];
  fetch: Fetch;
  /** Views Rapport adds beyond the ones every table needs (deletable, as a maker's view would be). */
  extra?: boolean;
  /** Show the records with the HealthGrid control when that control is built (see placements.ts). */
  healthGrid?: boolean;
  /**
   * Offer the RelationshipPipeline control on the view besides (placements.ts): the view's records are
   * open opportunities with their close date, revenue and insight.
   */
  pipeline?: boolean;
  /**
   * The order the view's FetchXML gives, for readers that cannot run link-entity FetchXML (the
   * preview): ascending on the linked column, the rows where it is null last.
   */
  nullsLastOrder?: { alias: string; attribute: string };
}

export const viewId = (v: ViewDef): string => braced(`view:${v.table}:${v.key}`);

const active: Filter = { type: "and", conditions: [{ attribute: "statecode", operator: "eq", value: 0 }] };

/**
 * The views every custom table needs (what the maker creates with a new table): active (the default
 * public view), inactive, advanced find, associated (related lists), quick find and lookup.
 */
function standardViews(t: TableDef, grid: string[], quickFind: string[]): ViewDef[] {
  const id = t.primaryIdColumn;
  const cols = (names: string[]) => names.map((name, i) => ({ name, width: i === 0 ? 300 : 125 }));
  const fetch = (filters: Filter[], names = grid): Fetch => ({
    attributes: [id, ...names],
    orders: [{ attribute: t.primaryNameColumn }],
    filters,
  });
  const short = [t.primaryNameColumn, "createdon"];
  return [
    {
      key: "active",
      table: t.logicalName,
      name: `Active ${t.displayCollectionName}`,
      queryType: 0,
      isDefault: true,
      columns: cols(grid),
      fetch: fetch([active]),
    },
    {
      key: "inactive",
      table: t.logicalName,
      name: `Inactive ${t.displayCollectionName}`,
      queryType: 0,
      isDefault: false,
      columns: cols(grid),
      fetch: fetch([{ type: "and", conditions: [{ attribute: "statecode", operator: "eq", value: 1 }] }]),
    },
    {
      key: "advancedfind",
      table: t.logicalName,
      name: `${t.displayName} Advanced Find View`,
      queryType: 1,
      isDefault: true,
      columns: cols(grid),
      fetch: fetch([]),
    },
    {
      key: "associated",
      table: t.logicalName,
      name: `${t.displayName} Associated View`,
      queryType: 2,
      isDefault: true,
      columns: cols(short),
      fetch: fetch([active], short),
    },
    {
      key: "quickfind",
      table: t.logicalName,
      name: `Quick Find Active ${t.displayCollectionName}`,
      queryType: 4,
      isDefault: true,
      columns: cols(grid),
      fetch: fetch([
        active,
        {
          type: "or",
          quickFind: true,
          conditions: quickFind.map((attribute) => ({ attribute, operator: "like", value: "{0}" })),
        },
      ]),
    },
    {
      key: "lookup",
      table: t.logicalName,
      name: `${t.displayName} Lookup View`,
      queryType: 64,
      isDefault: true,
      columns: cols(short),
      fetch: { attributes: [id, ...short], filters: [active] },
    },
  ];
}

/** Grid columns and quick-find columns of each Rapport table. */
const GRIDS: Record<string, { grid: string[]; quickFind: string[] }> = {
  rp_relationshipinsight: {
    grid: [
      "rp_name",
      "rp_recordtype",
      "rp_healthstatus",
      "rp_healthscore",
      "rp_healthtrend",
      "rp_lastactivityon",
      "rp_lastcomputedon",
    ],
    quickFind: ["rp_name"],
  },
  rp_relationshiphistory: {
    grid: ["rp_name", "rp_weekstart", "rp_healthscore", "rp_healthstatus"],
    quickFind: ["rp_name"],
  },
  rp_connection: {
    grid: ["rp_name", "rp_introducerid", "rp_target", "rp_strength", "rp_band", "rp_lastinteractionon"],
    quickFind: ["rp_name", "rp_target", "rp_introduceremail"],
  },
  rp_settings: { grid: ["rp_name", "rp_key", "modifiedon"], quickFind: ["rp_name"] },
  rp_introduction: {
    grid: ["rp_name", "rp_targetname", "rp_introducerid", "rp_status", "rp_requestedon", "ownerid"],
    quickFind: ["rp_name", "rp_targetname", "rp_targetemail"],
  },
  rp_introducerprofile: {
    grid: ["rp_name", "rp_userid", "rp_acceptsrequests", "rp_openrequests", "rp_countedon"],
    quickFind: ["rp_name"],
  },
};

/**
 * An introductions view of the active requests matching `who` (none: every request the user may read),
 * newest request first. A view cannot be restricted to a role: each user sees the rows their privileges
 * and the shares reach (a Reader's "All Introductions" lists their own requests and those shared with them).
 */
function introductionView(
  key: string,
  name: string,
  description: string,
  who: Condition | undefined,
  columns: [string, number][],
): ViewDef {
  return {
    key,
    table: "rp_introduction",
    name,
    description,
    queryType: 0,
    isDefault: false,
    extra: true,
    columns: columns.map(([n, width]) => ({ name: n, width })),
    fetch: {
      attributes: ["rp_introductionid", ...columns.map(([n]) => n)],
      orders: [{ attribute: "rp_requestedon", descending: true }],
      filters: [{ ...active, conditions: [...active.conditions, ...(who ? [who] : [])] }],
    },
  };
}

/** The three ways to look at introductions: as the seller who asked, as the colleague asked, as an admin. */
const INTRODUCTION_VIEWS: ViewDef[] = [
  introductionView(
    "mine",
    "My Introduction Requests",
    "The introductions I asked for, newest first, with the colleague asked and where each stands.",
    { attribute: "ownerid", operator: "eq-userid" },
    [
      ["rp_name", 250],
      ["rp_targetname", 160],
      ["rp_introducerid", 150],
      ["rp_status", 110],
      ["rp_requestedon", 130],
      ["rp_respondedon", 130],
    ],
  ),
  introductionView(
    "asked-of-me",
    "Introductions Asked of Me",
    "The introductions colleagues asked me for, newest first, with who asked and where each stands.",
    { attribute: "rp_introducerid", operator: "eq-userid" },
    [
      ["rp_name", 250],
      ["rp_targetname", 160],
      ["rp_requesterid", 150],
      ["rp_status", 110],
      ["rp_requestedon", 130],
      ["rp_snoozeduntil", 130],
    ],
  ),
  introductionView(
    "all",
    "All Introductions",
    "Every introduction, newest first: who asked whom, about whom, and how it ended (administrators see all).",
    undefined,
    [
      ["rp_name", 250],
      ["rp_requesterid", 150],
      ["rp_introducerid", 150],
      ["rp_connectorid", 150],
      ["rp_targetname", 160],
      ["rp_status", 110],
      ["rp_requestedon", 130],
      ["rp_meetingon", 130],
      ["rp_closedon", 130],
    ],
  ),
];

/** The insight's health columns, joined onto a record through the lookup the solution adds to it. */
const insightLink = (): LinkEntity => ({
  name: "rp_relationshipinsight",
  from: "rp_relationshipinsightid",
  to: "rp_relationshipinsightid",
  alias: "insight",
  linkType: "outer",
  attributes: [
    "rp_healthstatus",
    "rp_healthscore",
    "rp_healthtrend",
    "rp_lastactivityon",
    "rp_nextactivityon",
    "rp_interactioncount",
    "rp_emailssent",
    "rp_emailsreceived",
  ],
});

/**
 * Weakest relationships first, and the records with no score (no insight yet, or not enough
 * information to score) after every scored one. Dataverse (SQL Server) sorts NULL first ascending, so
 * ordering on the outer-joined score alone would put the unscored records on top. A second outer join
 * to the insight, restricted to scored insights, gives a key that is the same non-null value for every
 * scored record (the insight's record type: all insights of a lead are of type Lead) and NULL for the
 * others: descending on it puts the scored records first (NULL sorts last descending), then the score
 * ascending. Both orders sit in the one link-entity, so they apply in that sequence (docs/solution.md).
 */
function weakestFirst(links: LinkEntity[]): LinkEntity[] {
  const scored: LinkEntity = {
    name: "rp_relationshipinsight",
    from: "rp_relationshipinsightid",
    to: "rp_relationshipinsightid",
    alias: "scored",
    linkType: "outer",
    attributes: [],
    filter: { type: "and", conditions: [{ attribute: "rp_healthscore", operator: "not-null" }] },
    orders: [{ attribute: "rp_recordtype", descending: true }, { attribute: "rp_healthscore" }],
  };
  return [...links, scored];
}
const WEAKEST_FIRST = { alias: "insight", attribute: "rp_healthscore" } as const;

const insightCells = [
  { name: "insight.rp_healthstatus", width: 100 },
  { name: "insight.rp_healthscore", width: 100 },
  { name: "insight.rp_healthtrend", width: 110 },
  { name: "insight.rp_lastactivityon", width: 140 },
  { name: "insight.rp_nextactivityon", width: 140 },
  // Key KPIs of the last 12 months, so the health grid shows the activity behind the score.
  { name: "insight.rp_interactioncount", width: 110 },
  { name: "insight.rp_emailssent", width: 100 },
  { name: "insight.rp_emailsreceived", width: 100 },
];
const mineAndOpen: Filter = {
  type: "and",
  conditions: [
    { attribute: "statecode", operator: "eq", value: 0 },
    { attribute: "ownerid", operator: "eq-userid" },
  ],
};

/** A health-grid view of a record table's active rows, whoever owns them, with the insight's key columns. */
function everyOwner(
  table: string,
  key: string,
  name: string,
  who: string,
  columns: [string, number][],
): ViewDef {
  const t = RECORD_IDS[table];
  if (!t) throw new Error(`everyOwner: no id column known for ${table}`);
  return {
    key,
    table,
    name,
    description: `${who} with their relationship health, trend and activity, weakest first; not yet scored last.`,
    queryType: 0,
    isDefault: false,
    extra: true,
    healthGrid: true,
    columns: [...columns.map(([n, width]) => ({ name: n, width })), ...insightCells],
    fetch: {
      attributes: [t, ...columns.map(([n]) => n)],
      filters: [active],
      links: weakestFirst([insightLink()]),
    },
    nullsLastOrder: WEAKEST_FIRST,
  };
}
const RECORD_IDS: Record<string, string> = {
  opportunity: "opportunityid",
  lead: "leadid",
  contact: "contactid",
  account: "accountid",
};

/**
 * The views of PRIOR-ART §2.5 ("My Open Leads by Relationship", "My Open Opportunities by Relationship":
 * the seller's open records with health, trend and last/next activity, sortable) and the insight view a
 * manager starts from.
 */
const RAPPORT_VIEWS: ViewDef[] = [
  {
    key: "my-open-by-relationship",
    table: "opportunity",
    name: "My Open Opportunities by Relationship",
    description:
      "My open opportunities with their relationship health, trend and last and next activity, weakest first; not yet scored last.",
    queryType: 0,
    isDefault: false,
    extra: true,
    healthGrid: true,
    pipeline: true,
    columns: [
      { name: "name", width: 250 },
      { name: "customerid", width: 150 },
      { name: "estimatedvalue", width: 110 },
      { name: "estimatedclosedate", width: 110 },
      { name: "salesstage", width: 90 },
      { name: "closeprobability", width: 90 },
      ...insightCells,
    ],
    fetch: {
      attributes: [
        "opportunityid",
        "name",
        "customerid",
        "estimatedvalue",
        "estimatedclosedate",
        "salesstage",
        "closeprobability",
      ],
      filters: [mineAndOpen],
      links: weakestFirst([insightLink()]),
    },
    nullsLastOrder: WEAKEST_FIRST,
  },
  {
    key: "my-closed",
    table: "opportunity",
    name: "My Closed Opportunities",
    description: "My won and lost opportunities, most recently closed first, with their outcome and revenue.",
    queryType: 0,
    isDefault: false,
    extra: true,
    columns: [
      { name: "name", width: 250 },
      { name: "customerid", width: 150 },
      { name: "statuscode", width: 100 },
      { name: "actualclosedate", width: 110 },
      { name: "actualvalue", width: 110 },
      { name: "estimatedvalue", width: 110 },
    ],
    fetch: {
      attributes: [
        "opportunityid",
        "name",
        "customerid",
        "statuscode",
        "actualclosedate",
        "actualvalue",
        "estimatedvalue",
      ],
      orders: [{ attribute: "actualclosedate", descending: true }],
      filters: [
        {
          type: "and",
          conditions: [
            { attribute: "statecode", operator: "ne", value: 0 },
            { attribute: "ownerid", operator: "eq-userid" },
          ],
        },
      ],
    },
  },
  {
    key: "my-open-by-relationship",
    table: "lead",
    name: "My Open Leads by Relationship",
    description:
      "My open leads with their relationship health, trend and last and next activity, weakest first; not yet scored last.",
    queryType: 0,
    isDefault: false,
    extra: true,
    healthGrid: true,
    columns: [
      { name: "fullname", width: 200 },
      { name: "companyname", width: 150 },
      { name: "subject", width: 200 },
      ...insightCells,
    ],
    fetch: {
      attributes: ["leadid", "fullname", "companyname", "subject"],
      filters: [mineAndOpen],
      links: weakestFirst([insightLink()]),
    },
    nullsLastOrder: WEAKEST_FIRST,
  },
  // Everyone's records, for managers and for sellers covering a team (the "My" views above filter on owner).
  {
    ...everyOwner(
      "opportunity",
      "open-by-relationship",
      "Open Opportunities by Relationship",
      "Open opportunities of every owner",
      [
        ["name", 250],
        ["customerid", 150],
        ["ownerid", 140],
        ["estimatedvalue", 110],
        ["estimatedclosedate", 110],
      ],
    ),
    pipeline: true,
  },
  everyOwner("lead", "open-by-relationship", "Open Leads by Relationship", "Open leads of every owner", [
    ["fullname", 200],
    ["companyname", 150],
    ["ownerid", 140],
  ]),
  everyOwner("contact", "active-by-relationship", "Active Contacts by Relationship", "Active contacts", [
    ["fullname", 200],
    ["parentcustomerid", 150],
    ["emailaddress1", 200],
  ]),
  everyOwner("account", "active-by-relationship", "Active Accounts by Relationship", "Active accounts", [
    ["name", 220],
    ["websiteurl", 180],
    ["ownerid", 140],
  ]),
  {
    key: "needing-attention",
    table: "rp_relationshipinsight",
    name: "Relationships Needing Attention",
    description: "Active relationships whose health is poor or declining, weakest first.",
    queryType: 0,
    isDefault: false,
    extra: true,
    healthGrid: true,
    columns: [
      { name: "rp_name", width: 250 },
      { name: "rp_recordtype", width: 100 },
      { name: "rp_healthscore", width: 100 },
      { name: "rp_healthstatus", width: 100 },
      { name: "rp_healthtrend", width: 110 },
      { name: "rp_lastactivityon", width: 140 },
      { name: "rp_summary", width: 300 },
    ],
    fetch: {
      attributes: [
        "rp_relationshipinsightid",
        "rp_name",
        "rp_recordtype",
        "rp_healthscore",
        "rp_healthstatus",
        "rp_healthtrend",
        "rp_lastactivityon",
        "rp_summary",
      ],
      orders: [{ attribute: "rp_healthscore" }],
      filters: [
        active,
        {
          type: "or",
          conditions: [
            { attribute: "rp_healthstatus", operator: "eq", value: choiceValue("healthStatus", "poor") },
            { attribute: "rp_healthtrend", operator: "eq", value: choiceValue("healthTrend", "declining") },
          ],
        },
      ],
    },
  },
];

/** Every view of the solution, grouped by table in a stable order. */
export function allViews(): ViewDef[] {
  const standard = RAPPORT_TABLES.flatMap((t) => {
    const g = GRIDS[t.logicalName];
    if (!g) throw new Error(`No grid columns declared for ${t.logicalName}`);
    return standardViews(t, g.grid, g.quickFind);
  });
  return [...standard, ...RAPPORT_VIEWS, ...INTRODUCTION_VIEWS];
}

const filterNode = (f: Filter): XNode =>
  el(
    "filter",
    { type: f.type, isquickfindfields: f.quickFind ? 1 : undefined },
    f.conditions.map((c) =>
      el("condition", { attribute: c.attribute, operator: c.operator, value: c.value }),
    ),
    (f.filters ?? []).map(filterNode),
  );
const orderNode = (o: Order): XNode =>
  el("order", { attribute: o.attribute, descending: o.descending ? "true" : "false" });

export function fetchNode(table: string, f: Fetch): XNode {
  return el(
    "fetch",
    { version: "1.0", mapping: "logical" },
    el(
      "entity",
      { name: table },
      f.attributes.map((a) => el("attribute", { name: a })),
      (f.orders ?? []).map(orderNode),
      (f.filters ?? []).map(filterNode),
      (f.links ?? []).map((l) =>
        el(
          "link-entity",
          { name: l.name, from: l.from, to: l.to, alias: l.alias, "link-type": l.linkType },
          l.attributes.map((a) => el("attribute", { name: a })),
          (l.orders ?? []).map(orderNode),
          l.filter && filterNode(l.filter),
        ),
      ),
    ),
  );
}

export function savedQueryNode(v: ViewDef, idColumn: string, gridControl?: XNode): XNode {
  const lookupOrAssociated = v.queryType === QUERY_TYPE.lookup || v.queryType === QUERY_TYPE.associated;
  return el(
    "savedquery",
    null,
    flag("IsCustomizable", true),
    flag("CanBeDeleted", v.extra === true),
    flag("isquickfindquery", v.queryType === QUERY_TYPE.quickFind),
    flag("isprivate", false),
    flag("isdefault", v.isDefault),
    text("savedqueryid", viewId(v)),
    el(
      "layoutxml",
      null,
      el(
        "grid",
        {
          name: lookupOrAssociated ? `${v.table}s` : "resultset",
          jump: v.columns[0]?.name,
          select: 1,
          icon: 1,
          preview: v.queryType === QUERY_TYPE.lookup ? 0 : 1,
        },
        el(
          "row",
          { name: lookupOrAssociated ? v.table : "result", id: idColumn },
          v.columns.map((c) => el("cell", { name: c.name, width: c.width })),
        ),
        gridControl,
      ),
    ),
    text("querytype", v.queryType),
    el("fetchxml", null, fetchNode(v.table, v.fetch)),
    text("IntroducedVersion", INTRODUCED),
    labels("LocalizedNames", "LocalizedName", v.name),
    v.description !== undefined && labels("Descriptions", "Description", v.description),
  );
}
