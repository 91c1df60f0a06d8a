import type { CollectionNavigation, ColumnDef } from "../model";
import { badQuery, propertyNotFound } from "./errors";
import { filterToSql, type SqlFragment } from "./filterToSql";
import { splitTopLevel } from "./resourcePath";
import { infoByLogicalName, type NavigationInfo, type TableInfo } from "./tableInfo";

/**
 * OData system query options (`$select`, `$filter`, `$orderby`, `$top`, `$expand`, `$count`) read into a
 * plan that names model columns only. Options Dataverse does not support (`$skip`, `$search`,
 * `$format`) are refused as Dataverse refuses them.
 */

export interface OrderTerm {
  column: ColumnDef;
  desc: boolean;
}

export interface SingleExpand {
  kind: "single";
  name: string;
  nav: NavigationInfo;
  target: TableInfo;
  select?: ColumnDef[];
}

export interface CollectionExpand {
  kind: "collection";
  name: string;
  nav: CollectionNavigation;
  target: TableInfo;
  select?: ColumnDef[];
  where?: SqlFragment;
  orderBy: OrderTerm[];
  top?: number;
}

export type ExpandPlan = SingleExpand | CollectionExpand;

export interface QueryPlan {
  info: TableInfo;
  /** Undefined: every column. */
  select?: ColumnDef[];
  where?: SqlFragment;
  orderBy: OrderTerm[];
  top?: number;
  expands: ExpandPlan[];
  count: boolean;
}

const SUPPORTED = new Set(["$select", "$filter", "$orderby", "$top", "$expand", "$count", "$skiptoken"]);
const REFUSED = new Set(["$skip", "$search", "$format"]);

export function parseSelect(info: TableInfo, text: string): ColumnDef[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => {
      const c = info.byWireName.get(name) ?? info.byName.get(name);
      if (!c) throw propertyNotFound(info.def.logicalName, name);
      return c;
    });
}

export function parseOrderBy(info: TableInfo, text: string): OrderTerm[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((term) => {
      const [name = "", dir, extra] = term.split(/\s+/);
      if (extra !== undefined || (dir !== undefined && dir !== "asc" && dir !== "desc"))
        throw badQuery(`Syntax error in $orderby '${text}'.`);
      const c = info.byWireName.get(name);
      if (!c) throw propertyNotFound(info.def.logicalName, name);
      return { column: c, desc: dir === "desc" };
    });
}

export function parseTop(text: string): number {
  if (!/^\d+$/.test(text)) throw badQuery(`Invalid value '${text}' for $top query option found.`);
  const n = Number(text);
  if (n > 5000) throw badQuery(`The $top query option value ${n} is greater than the maximum of 5000.`);
  return n;
}

/** `nav(opt=value;…)` as its name and its options. */
function expandItemParts(item: string): { name: string; options: Map<string, string> } {
  const open = item.indexOf("(");
  const name = (open < 0 ? item : item.slice(0, open)).trim();
  const options = new Map<string, string>();
  if (open < 0) return { name, options };
  if (!item.trimEnd().endsWith(")")) throw badQuery(`Syntax error in $expand '${item}'.`);
  for (const part of splitTopLevel(item.slice(open + 1, item.trimEnd().length - 1), ";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw badQuery(`Syntax error in $expand '${item}'.`);
    options.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return { name, options };
}

const unsupportedInExpand = (key: string, name: string) =>
  badQuery(`The query option '${key}' is not supported in the $expand of '${name}' here.`);

/** A single-valued navigation's expand: `$select` only. */
function singleExpand(
  info: TableInfo,
  name: string,
  nav: NavigationInfo,
  options: Map<string, string>,
): SingleExpand {
  const target = infoByLogicalName(nav.target.table);
  if (!target) throw propertyNotFound(info.def.logicalName, name);
  for (const key of options.keys()) if (key !== "$select") throw unsupportedInExpand(key, name);
  const select = options.get("$select");
  return { kind: "single", name, nav, target, ...(select ? { select: parseSelect(target, select) } : {}) };
}

/** The options a collection-valued navigation's expand takes, each read into its plan. */
const COLLECTION_EXPAND_OPTIONS = new Map<string, (plan: CollectionExpand, value: string) => void>([
  ["$select", (plan, value) => (plan.select = parseSelect(plan.target, value))],
  ["$filter", (plan, value) => (plan.where = filterToSql(plan.target, value))],
  ["$orderby", (plan, value) => (plan.orderBy = parseOrderBy(plan.target, value))],
  ["$top", (plan, value) => (plan.top = parseTop(value))],
]);

function collectionExpand(info: TableInfo, name: string, options: Map<string, string>): CollectionExpand {
  const collection = info.collections.get(name);
  if (!collection) throw propertyNotFound(info.def.logicalName, name);
  const target = infoByLogicalName(collection.table);
  if (!target) throw propertyNotFound(info.def.logicalName, name);
  const plan: CollectionExpand = { kind: "collection", name, nav: collection, target, orderBy: [] };
  for (const [key, value] of options) {
    const read = COLLECTION_EXPAND_OPTIONS.get(key);
    if (!read) throw unsupportedInExpand(key, name);
    read(plan, value);
  }
  return plan;
}

function parseExpandItem(info: TableInfo, item: string): ExpandPlan {
  const { name, options } = expandItemParts(item);
  const nav = info.navigations.get(name);
  return nav ? singleExpand(info, name, nav, options) : collectionExpand(info, name, options);
}

export function parseExpand(info: TableInfo, text: string): ExpandPlan[] {
  return splitTopLevel(text, ",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => parseExpandItem(info, item));
}

/** Reads the query string of a collection or single-record GET. */
export function parseQueryOptions(info: TableInfo, params: URLSearchParams): QueryPlan {
  for (const key of params.keys()) {
    if (REFUSED.has(key)) throw badQuery(`The query parameter ${key} is not supported`);
    if (key === "$apply")
      throw badQuery("The query parameter $apply is not supported by the local Dataverse endpoint");
    if (key.startsWith("$") && !SUPPORTED.has(key))
      throw badQuery(`The query parameter ${key} is not supported`);
  }
  const plan: QueryPlan = { info, orderBy: [], expands: [], count: false };
  const select = params.get("$select");
  if (select) plan.select = parseSelect(info, select);
  const filter = params.get("$filter");
  if (filter) plan.where = filterToSql(info, filter);
  const orderBy = params.get("$orderby");
  if (orderBy) plan.orderBy = parseOrderBy(info, orderBy);
  const top = params.get("$top");
  if (top !== null) plan.top = parseTop(top);
  const expand = params.get("$expand");
  if (expand) plan.expands = parseExpand(info, expand);
  const count = params.get("$count");
  if (count !== null) {
    if (count !== "true" && count !== "false") throw badQuery(`Invalid value '${count}' for $count.`);
    plan.count = count === "true";
  }
  return plan;
}
