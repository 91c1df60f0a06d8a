import { XMLParser } from "fast-xml-parser";

import type { ColumnDef, ColumnType } from "../model";
import { isLookup } from "../model";
import { badQuery, propertyNotFound } from "./errors";
import { FILTER_LIMITS, filterTooComplex } from "./filterTokens";
import { type SqlFragment } from "./filterToSql";
import { MAX_PAGE_SIZE } from "./queryEngine";
import type { OrderTerm } from "./queryOptions";
import { q, type TableInfo } from "./tableInfo";
import { isGuid, normaliseDateTime, type SqlValue } from "./values";

/**
 * A practical subset of FetchXML (`GET /{set}?fetchXml=…`): one entity, attribute / all-attributes,
 * nested and/or filters with the common condition operators, order, top, and count/page paging.
 * link-entity and aggregates are refused with a clear 400.
 */

export interface FetchPlan {
  info: TableInfo;
  select?: ColumnDef[];
  where?: SqlFragment;
  orderBy: OrderTerm[];
  top?: number;
  count?: number;
  page: number;
  /** The `paging-cookie` attribute (XML entities decoded): a cookie from the previous page. */
  pagingCookie?: string;
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => ["attribute", "order", "filter", "condition", "value", "link-entity"].includes(name),
});

const attr = (node: XmlNode, name: string): string | undefined => {
  const v = node[`@_${name}`];
  return v === undefined ? undefined : String(v);
};
const children = (node: XmlNode, name: string): XmlNode[] => (node[name] as XmlNode[] | undefined) ?? [];

function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw badQuery(`The fetch attribute '${name}' must be a positive whole number.`);
  return Number(text);
}

/** A condition value's SQL form for a column of each type, or undefined when the text does not fit it. */
type FetchConversion = (text: string) => SqlValue | undefined;

const fetchText: FetchConversion = (text) => text;
const fetchGuid: FetchConversion = (text) => {
  const g = text.replace(/^\{|\}$/g, "");
  return isGuid(g) ? g.toLowerCase() : undefined;
};
const fetchNumber: FetchConversion = (text) => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined);
const fetchBoolean: FetchConversion = (text) => {
  if (text === "1" || text === "true") return 1;
  return text === "0" || text === "false" ? 0 : undefined;
};

const FETCH_CONVERSIONS: Record<ColumnType, FetchConversion> = {
  string: fetchText,
  memo: fetchText,
  uniqueidentifier: fetchGuid,
  lookup: fetchGuid,
  customer: fetchGuid,
  owner: fetchGuid,
  boolean: fetchBoolean,
  datetime: normaliseDateTime,
  dateonly: (text) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? text : undefined),
  integer: fetchNumber,
  decimal: fetchNumber,
  double: fetchNumber,
  money: fetchNumber,
  picklist: fetchNumber,
  state: fetchNumber,
  status: fetchNumber,
};

export function valueFor(info: TableInfo, c: ColumnDef, text: string): SqlValue {
  const value = FETCH_CONVERSIONS[c.type](text);
  if (value === undefined)
    throw badQuery(`The value '${text}' does not fit attribute '${c.name}' of '${info.def.logicalName}'.`);
  return value;
}

function column(info: TableInfo, name: string | undefined): ColumnDef {
  const c = name === undefined ? undefined : info.byName.get(name);
  if (!c) throw propertyNotFound(info.def.logicalName, name ?? "");
  return c;
}

/**
 * Limits of one FetchXML query, checked as it is read: the same nesting and number of conditions as a
 * `$filter`, and at most this many values in all (SQLite binds at most 32,766 per statement).
 */
export const FETCH_MAX_VALUES = 2_000;

const tooManyConditions = () =>
  filterTooComplex(
    `The fetchXml has more than ${FILTER_LIMITS.terms} conditions; the local Dataverse endpoint accepts at most ${FILTER_LIMITS.terms} (use the 'in' operator for long lists of values).`,
  );
const tooManyValues = () =>
  filterTooComplex(
    `The fetchXml has more than ${FETCH_MAX_VALUES} condition values; the local Dataverse endpoint accepts at most ${FETCH_MAX_VALUES} per query.`,
  );

interface Budget {
  conditions: number;
}

/** One `<condition>` being read: its column and operator, and the values bound so far. */
interface ConditionRead {
  info: TableInfo;
  node: XmlNode;
  c: ColumnDef;
  op: string;
  /** The column, quoted for SQL. */
  col: string;
  params: SqlValue[];
}

const valueText = (x: XmlNode) => (typeof x === "object" ? String(x["#text"] ?? "") : String(x));

/** The condition's one value: its `value` attribute, or else its first `<value>`. */
function singleValue(r: ConditionRead): SqlValue {
  const v = attr(r.node, "value") ?? children(r.node, "value").map(valueText)[0];
  if (v === undefined)
    throw badQuery(`The condition on '${r.c.name}' with operator '${r.op}' needs a value.`);
  return valueFor(r.info, r.c, v);
}

const comparison =
  (sql: string) =>
  (r: ConditionRead): string => {
    r.params.push(singleValue(r));
    return `${r.col} ${sql} ?`;
  };

function notEqual(r: ConditionRead): string {
  r.params.push(singleValue(r));
  return `(${r.col} IS NULL OR ${r.col} <> ?)`;
}

function like(r: ConditionRead): string {
  if (isLookup(r.c) || (r.c.type !== "string" && r.c.type !== "memo"))
    throw badQuery(`The operator '${r.op}' needs a text attribute; '${r.c.name}' is not one.`);
  r.params.push(singleValue(r));
  return r.op === "like" ? `${r.col} LIKE ?` : `(${r.col} IS NULL OR ${r.col} NOT LIKE ?)`;
}

function inList(r: ConditionRead): string {
  const values = children(r.node, "value").map((x) => valueFor(r.info, r.c, valueText(x)));
  if (!values.length)
    throw badQuery(`The condition on '${r.c.name}' with operator '${r.op}' needs <value> elements.`);
  if (r.params.length + values.length > FETCH_MAX_VALUES) throw tooManyValues();
  r.params.push(...values);
  const list = values.map(() => "?").join(", ");
  return r.op === "in" ? `${r.col} IN (${list})` : `(${r.col} IS NULL OR ${r.col} NOT IN (${list}))`;
}

/** The SQL of each condition operator the endpoint supports. */
const CONDITIONS = new Map<string, (r: ConditionRead) => string>([
  ["eq", comparison("=")],
  ["lt", comparison("<")],
  ["le", comparison("<=")],
  ["gt", comparison(">")],
  ["ge", comparison(">=")],
  ["ne", notEqual],
  ["neq", notEqual],
  ["like", like],
  ["not-like", like],
  ["in", inList],
  ["not-in", inList],
  ["null", (r) => `${r.col} IS NULL`],
  ["not-null", (r) => `${r.col} IS NOT NULL`],
]);

function condition(info: TableInfo, node: XmlNode, params: SqlValue[], budget: Budget): string {
  if (++budget.conditions > FILTER_LIMITS.terms) throw tooManyConditions();
  const c = column(info, attr(node, "attribute"));
  const op = attr(node, "operator") ?? "";
  const sql = CONDITIONS.get(op);
  if (!sql)
    throw badQuery(`The condition operator '${op}' is not supported by the local Dataverse endpoint.`);
  return sql({ info, node, c, op, col: q(c.name), params });
}

function filter(info: TableInfo, node: XmlNode, params: SqlValue[], budget: Budget, depth = 1): string {
  if (depth > FILTER_LIMITS.depth)
    throw filterTooComplex(
      `Recursion depth exceeded allowed limit. The fetchXml nests more than ${FILTER_LIMITS.depth} filters.`,
    );
  const type = attr(node, "type") ?? "and";
  if (type !== "and" && type !== "or") throw badQuery(`Invalid filter type '${type}'.`);
  const parts = [
    ...children(node, "condition").map((c) => condition(info, c, params, budget)),
    ...children(node, "filter").map((f) => filter(info, f, params, budget, depth + 1)),
  ];
  if (children(node, "link-entity").length) throw linkEntity();
  if (!parts.length) return "1";
  return `(${parts.join(type === "and" ? " AND " : " OR ")})`;
}

const linkEntity = () => badQuery("FetchXML link-entity is not supported by the local Dataverse endpoint.");

/** How often `<tag` occurs in the text, counting no further than `limit + 1`. */
function occurrences(xml: string, tag: string, limit: number): number {
  let n = 0;
  for (let at = xml.indexOf(tag); at >= 0 && n <= limit; at = xml.indexOf(tag, at + tag.length)) n++;
  return n;
}

/** The `<fetch>` and its `<entity>`, checked against the request's table and the limits. */
function fetchAndEntity(info: TableInfo, xml: string): { fetch: XmlNode; entity: XmlNode } {
  // Counted before the XML is parsed: the parser's time grows faster than the text's length.
  if (occurrences(xml, "<value", FETCH_MAX_VALUES) > FETCH_MAX_VALUES) throw tooManyValues();
  if (occurrences(xml, "<condition", FILTER_LIMITS.terms) > FILTER_LIMITS.terms) throw tooManyConditions();
  let doc: XmlNode;
  try {
    doc = parser.parse(xml, true) as XmlNode;
  } catch (err) {
    throw badQuery(`The fetchXml parameter is not valid XML: ${(err as Error).message}`);
  }
  const fetch = doc.fetch as XmlNode | undefined;
  const entity = fetch?.entity as XmlNode | undefined;
  if (!fetch || !entity) throw badQuery("The fetchXml parameter needs <fetch><entity name='…'>.");
  if (attr(fetch, "aggregate") === "true")
    throw badQuery("FetchXML aggregates are not supported by the local Dataverse endpoint.");
  const name = attr(entity, "name");
  if (name !== info.def.logicalName)
    throw badQuery(
      `The fetchXml entity '${name ?? ""}' does not match the entity set of the request ('${info.def.entitySetName}').`,
    );
  if (children(entity, "link-entity").length) throw linkEntity();
  return { fetch, entity };
}

/** The paging attributes of `<fetch>`: `top`, or `count` and `page`, and the paging cookie. */
function pagingOf(fetch: XmlNode): Pick<FetchPlan, "top" | "count" | "page" | "pagingCookie"> {
  const top = positiveInt(attr(fetch, "top"), "top");
  const count = positiveInt(attr(fetch, "count"), "count");
  const page = positiveInt(attr(fetch, "page"), "page") ?? 1;
  const pagingCookie = attr(fetch, "paging-cookie");
  if (top !== undefined && (count !== undefined || attr(fetch, "page") !== undefined))
    throw badQuery("The fetch attribute 'top' cannot be used with 'count' or 'page'.");
  if ((top ?? 0) > MAX_PAGE_SIZE || (count ?? 0) > MAX_PAGE_SIZE)
    throw badQuery(`FetchXML 'top' and 'count' may not exceed ${MAX_PAGE_SIZE}.`);
  return {
    ...(top !== undefined ? { top } : {}),
    ...(count !== undefined ? { count } : {}),
    page,
    ...(pagingCookie ? { pagingCookie } : {}),
  };
}

export function parseFetchXml(info: TableInfo, xml: string): FetchPlan {
  const { fetch, entity } = fetchAndEntity(info, xml);
  const params: SqlValue[] = [];
  const budget: Budget = { conditions: 0 };
  const filters = children(entity, "filter").map((f) => filter(info, f, params, budget));
  const all = entity["all-attributes"] !== undefined;
  const attributes = children(entity, "attribute").map((a) => column(info, attr(a, "name")));
  const orderBy = children(entity, "order").map((o) => {
    if (attr(o, "alias") !== undefined) throw badQuery("FetchXML order by alias is not supported here.");
    return { column: column(info, attr(o, "attribute")), desc: attr(o, "descending") === "true" };
  });
  return {
    info,
    ...(all || !attributes.length ? {} : { select: attributes }),
    ...(filters.length ? { where: { sql: filters.join(" AND "), params } } : {}),
    orderBy,
    ...pagingOf(fetch),
  };
}
