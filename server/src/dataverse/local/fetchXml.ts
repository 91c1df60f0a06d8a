import { XMLParser } from "fast-xml-parser";

import type { ColumnDef } from "../model";
import { isLookup } from "../model";
import { badQuery, propertyNotFound } from "./errors";
import { FILTER_LIMITS, filterTooComplex, type SqlFragment } from "./filterToSql";
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

// eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function valueFor(info: TableInfo, c: ColumnDef, text: string): SqlValue {
  const bad = () =>
    badQuery(`The value '${text}' does not fit attribute '${c.name}' of '${info.def.logicalName}'.`);
  switch (c.type) {
    case "string":
    case "memo":
      return text;
    case "uniqueidentifier":
    case "lookup":
    case "customer":
    case "owner": {
      const g = text.replace(/^\{|\}$/g, "");
      if (!isGuid(g)) throw bad();
      return g.toLowerCase();
    }
    case "boolean":
      if (text === "1" || text === "true") return 1;
      if (text === "0" || text === "false") return 0;
      throw bad();
    case "datetime": {
      const t = normaliseDateTime(text);
      if (t === undefined) throw bad();
      return t;
    }
    case "dateonly":
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw bad();
      return text;
    default:
      if (!/^-?\d+(\.\d+)?$/.test(text)) throw bad();
      return Number(text);
  }
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

// eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function condition(info: TableInfo, node: XmlNode, params: SqlValue[], budget: Budget): string {
  if (++budget.conditions > FILTER_LIMITS.terms) throw tooManyConditions();
  const c = column(info, attr(node, "attribute"));
  const op = attr(node, "operator") ?? "";
  const col = q(c.name);
  const single = () => {
    const v =
      attr(node, "value") ??
      children(node, "value").map((x) => (typeof x === "object" ? String(x["#text"] ?? "") : String(x)))[0];
    if (v === undefined) throw badQuery(`The condition on '${c.name}' with operator '${op}' needs a value.`);
    return valueFor(info, c, v);
  };
  const comparisons: Record<string, string> = { eq: "=", lt: "<", le: "<=", gt: ">", ge: ">=" };
  const cmp = comparisons[op];
  if (cmp) {
    params.push(single());
    return `${col} ${cmp} ?`;
  }
  switch (op) {
    case "ne":
    case "neq":
      params.push(single());
      return `(${col} IS NULL OR ${col} <> ?)`;
    case "like":
    case "not-like": {
      if (isLookup(c) || (c.type !== "string" && c.type !== "memo"))
        throw badQuery(`The operator '${op}' needs a text attribute; '${c.name}' is not one.`);
      params.push(single());
      return op === "like" ? `${col} LIKE ?` : `(${col} IS NULL OR ${col} NOT LIKE ?)`;
    }
    case "in":
    case "not-in": {
      const values = children(node, "value").map((x) =>
        valueFor(info, c, typeof x === "object" ? String(x["#text"] ?? "") : String(x)),
      );
      if (!values.length)
        throw badQuery(`The condition on '${c.name}' with operator '${op}' needs <value> elements.`);
      if (params.length + values.length > FETCH_MAX_VALUES) throw tooManyValues();
      params.push(...values);
      const list = values.map(() => "?").join(", ");
      return op === "in" ? `${col} IN (${list})` : `(${col} IS NULL OR ${col} NOT IN (${list}))`;
    }
    case "null":
      return `${col} IS NULL`;
    case "not-null":
      return `${col} IS NOT NULL`;
    default:
      throw badQuery(`The condition operator '${op}' is not supported by the local Dataverse endpoint.`);
  }
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

// eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function parseFetchXml(info: TableInfo, xml: string): FetchPlan {
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
  const params: SqlValue[] = [];
  const budget: Budget = { conditions: 0 };
  const filters = children(entity, "filter").map((f) => filter(info, f, params, budget));
  const all = entity["all-attributes"] !== undefined;
  const attributes = children(entity, "attribute").map((a) => column(info, attr(a, "name")));
  const orderBy = children(entity, "order").map((o) => {
    if (attr(o, "alias") !== undefined) throw badQuery("FetchXML order by alias is not supported here.");
    return { column: column(info, attr(o, "attribute")), desc: attr(o, "descending") === "true" };
  });
  const top = positiveInt(attr(fetch, "top"), "top");
  const count = positiveInt(attr(fetch, "count"), "count");
  const page = positiveInt(attr(fetch, "page"), "page") ?? 1;
  const pagingCookie = attr(fetch, "paging-cookie");
  if (top !== undefined && (count !== undefined || attr(fetch, "page") !== undefined))
    throw badQuery("The fetch attribute 'top' cannot be used with 'count' or 'page'.");
  if ((top ?? 0) > MAX_PAGE_SIZE || (count ?? 0) > MAX_PAGE_SIZE)
    throw badQuery(`FetchXML 'top' and 'count' may not exceed ${MAX_PAGE_SIZE}.`);
  return {
    info,
    ...(all || !attributes.length ? {} : { select: attributes }),
    ...(filters.length ? { where: { sql: filters.join(" AND "), params } } : {}),
    orderBy,
    ...(top !== undefined ? { top } : {}),
    ...(count !== undefined ? { count } : {}),
    page,
    ...(pagingCookie ? { pagingCookie } : {}),
  };
}
