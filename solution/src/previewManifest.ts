import type {
  ColumnSpec,
  FieldSpec,
  PreviewManifest,
  TableSpec,
  ViewSpec,
} from "../../server/preview/src/spec";
import {
  and,
  type Expand,
  type Filter as ODataFilter,
  guid,
  identifier,
  odataFilter,
  or,
} from "../../server/src/dataverse/client";
import { queryOptions } from "../../server/src/dataverse/client";
import {
  ALL_TABLES,
  type ColumnDef,
  columnOf,
  tableByLogicalName,
  type TableDef,
} from "../../server/src/dataverse/model";
import { allViews, type Condition, type Filter, type LinkEntity, type ViewDef, viewId } from "./views";

/**
 * The local preview's manifest (server/preview/src/spec.ts) from the solution's own views and forms: the
 * health-grid views of each record table as Web API queries (the local endpoint speaks OData, not
 * link-entity FetchXML), with the columns a PCF dataset would describe.
 */

/** Navigation order of the preview, as a seller's sitemap has it. */
export const PREVIEW_TABLES = ["opportunity", "lead", "contact", "account"] as const;

/** Stands for the signed-in user in a query until the page substitutes the real id. */
const USER_SENTINEL = "ffffffff-ffff-4fff-bfff-ffffffffffff";

/** PCF data types (ComponentFramework.PropertyHelper.DataSetApi.Column.dataType) of the model's types. */
const DATA_TYPE: Record<ColumnDef["type"], string> = {
  uniqueidentifier: "SingleLine.Text",
  string: "SingleLine.Text",
  memo: "Multiple",
  integer: "Whole.None",
  decimal: "Decimal",
  double: "FP",
  money: "Currency",
  boolean: "TwoOptions",
  datetime: "DateAndTime.DateAndTime",
  dateonly: "DateAndTime.DateOnly",
  picklist: "OptionSet",
  state: "OptionSet",
  status: "OptionSet",
  lookup: "Lookup.Simple",
  customer: "Lookup.Customer",
  owner: "Lookup.Owner",
};

const isLookupType = (c: ColumnDef) => c.type === "lookup" || c.type === "customer" || c.type === "owner";
const propertyOf = (c: ColumnDef) => (isLookupType(c) ? `_${c.name}_value` : c.name);

function mustColumn(t: TableDef, name: string): ColumnDef {
  const c = columnOf(t, name);
  if (!c) throw new Error(`preview manifest: ${t.logicalName} has no column ${name}`);
  return c;
}

function conditionFilter(t: TableDef, c: Condition): ODataFilter {
  const col = identifier(propertyOf(mustColumn(t, c.attribute)));
  switch (c.operator) {
    case "eq":
      return odataFilter`${col} eq ${c.value ?? null}`;
    case "ne":
      return odataFilter`${col} ne ${c.value ?? null}`;
    case "eq-userid":
      return odataFilter`${col} eq ${guid(USER_SENTINEL)}`;
    case "not-null":
      return odataFilter`${col} ne ${null}`;
    case "like":
      throw new Error(`preview manifest: "like" conditions are for quick find, not grid views`);
  }
}

function filterOf(t: TableDef, f: Filter): ODataFilter {
  const parts = [
    ...f.conditions.map((c) => conditionFilter(t, c)),
    ...(f.filters ?? []).map((x) => filterOf(t, x)),
  ];
  return f.type === "and" ? and(...parts) : or(...parts);
}

/** The lookup on `t` a link-entity follows, with its navigation property. */
function linkNavigation(t: TableDef, link: LinkEntity): { nav: string; target: TableDef } {
  const col = mustColumn(t, link.to);
  const target = tableByLogicalName(link.name);
  const nav = col.targets?.find((x) => x.table === link.name)?.navigationProperty;
  if (!target || !nav)
    throw new Error(`preview manifest: ${t.logicalName}.${link.to} does not lead to ${link.name}`);
  return { nav, target };
}

/**
 * Columns the RelationshipPipeline asks the dataset for (addColumn) when the view lacks them; the preview
 * loads them with the view, hidden, as the platform would after the control's request.
 */
const PIPELINE_COLUMNS = [
  "estimatedclosedate",
  "estimatedvalue",
  "insight.rp_reasons",
  "insight.rp_lastcomputedon",
];

type Links = Map<string, { link: LinkEntity; nav: string; target: TableDef }>;

function columnSpec(t: TableDef, v: ViewDef, links: Links, c: { name: string; width: number }, i: number) {
  const dot = c.name.indexOf(".");
  const hidden = i >= v.columns.length ? { hidden: true } : {};
  if (dot < 0) {
    const col = mustColumn(t, c.name);
    return {
      name: c.name,
      displayName: col.displayName,
      dataType: DATA_TYPE[col.type],
      width: c.width,
      isPrimary: i === 0,
      property: propertyOf(col),
      ...hidden,
    };
  }
  const l = links.get(c.name.slice(0, dot));
  if (!l) throw new Error(`preview manifest: view ${v.name} names an unknown alias in ${c.name}`);
  const col = mustColumn(l.target, c.name.slice(dot + 1));
  return {
    name: c.name,
    displayName: col.displayName,
    dataType: DATA_TYPE[col.type],
    width: c.width,
    isPrimary: false,
    property: propertyOf(col),
    expand: l.nav,
    ...hidden,
  };
}

function viewSpec(t: TableDef, v: ViewDef): ViewSpec {
  const links: Links = new Map(
    (v.fetch.links ?? []).map((l) => [l.alias, { link: l, ...linkNavigation(t, l) }]),
  );
  const extras = v.pipeline
    ? PIPELINE_COLUMNS.filter((name) => !v.columns.some((c) => c.name === name)).map((name) => ({
        name,
        width: 0,
      }))
    : [];
  const columns: ColumnSpec[] = [...v.columns, ...extras].map((c, i) => columnSpec(t, v, links, c, i));
  const own = extras.filter((c) => !c.name.includes(".")).map((c) => c.name);
  const linked = (alias: string) =>
    extras.filter((c) => c.name.startsWith(`${alias}.`)).map((c) => c.name.slice(alias.length + 1));
  const select = [...new Set([...v.fetch.attributes, ...own].map((a) => propertyOf(mustColumn(t, a))))];
  // A link that only orders (no columns) is the view's sort key, applied below, not an $expand.
  const expand: Expand[] = [...links.values()]
    .filter((l) => l.link.attributes.length > 0)
    .map((l) => ({
      property: l.nav,
      select: [...l.link.attributes, ...linked(l.link.alias)].map((a) => propertyOf(mustColumn(l.target, a))),
    }));
  const filters = (v.fetch.filters ?? []).map((f) => filterOf(t, f));
  const query = queryOptions({
    select,
    ...(filters.length ? { filter: filters.length === 1 ? filters[0]! : and(...filters) } : {}),
    orderBy: (v.fetch.orders ?? [{ attribute: t.primaryNameColumn }]).map(
      (o) => `${propertyOf(mustColumn(t, o.attribute))}${o.descending ? " desc" : ""}`,
    ),
    ...(expand.length ? { expand } : {}),
  });
  const sortLink = v.nullsLastOrder && links.get(v.nullsLastOrder.alias);
  if (v.nullsLastOrder && !sortLink)
    throw new Error(`preview manifest: view ${v.name} orders on an unknown alias ${v.nullsLastOrder.alias}`);
  return {
    id: viewId(v).replace(/[{}]/g, ""),
    name: v.name,
    description: v.description ?? "",
    query: `?${query.split(USER_SENTINEL).join("{userid}")}`,
    columns,
    ...(v.pipeline ? { pipeline: true } : {}),
    ...(v.nullsLastOrder && sortLink
      ? {
          sort: {
            expand: sortLink.nav,
            property: propertyOf(mustColumn(sortLink.target, v.nullsLastOrder.attribute)),
          },
        }
      : {}),
  };
}

/** The fields above Rapport's controls on each record's form. */
const FORM_FIELDS: Record<(typeof PREVIEW_TABLES)[number], string[]> = {
  opportunity: ["name", "customerid", "estimatedvalue", "estimatedclosedate", "ownerid"],
  lead: ["fullname", "companyname", "subject", "emailaddress1", "ownerid"],
  contact: ["fullname", "parentcustomerid", "jobtitle", "emailaddress1", "ownerid"],
  account: ["name", "websiteurl", "emailaddress1", "ownerid"],
};

function fieldSpec(t: TableDef, name: string): FieldSpec {
  const col = mustColumn(t, name);
  const target = col.targets?.find((x) => (PREVIEW_TABLES as readonly string[]).includes(x.table))?.table;
  return {
    name,
    displayName: col.displayName,
    property: propertyOf(col),
    ...(col.type === "lookup" || col.type === "customer" ? (target ? { lookupTable: target } : {}) : {}),
  };
}

export function previewManifest(): PreviewManifest {
  const views = allViews().filter((v) => v.healthGrid);
  const tables: TableSpec[] = PREVIEW_TABLES.map((name) => {
    const t = tableByLogicalName(name)!;
    // Everyone's view first: the preview opens on the fullest list.
    const own = views
      .filter((v) => v.table === name)
      .sort((a, b) => Number(a.key.startsWith("my-")) - Number(b.key.startsWith("my-")));
    if (own.length === 0) throw new Error(`preview manifest: no health-grid view on ${name}`);
    return {
      logicalName: name,
      entitySet: t.entitySetName,
      displayName: t.displayName,
      displayCollectionName: t.displayCollectionName,
      primaryIdColumn: t.primaryIdColumn,
      primaryNameColumn: t.primaryNameColumn,
      views: own.map((v) => viewSpec(t, v)),
      fields: FORM_FIELDS[name].map((f) => fieldSpec(t, f)),
    };
  });
  return {
    tables,
    entitySets: Object.fromEntries(ALL_TABLES.map((t) => [t.logicalName, t.entitySetName])),
    settingsPage: "/WebResources/rp_/settings/index.html",
  };
}
