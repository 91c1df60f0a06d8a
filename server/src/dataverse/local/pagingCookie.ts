import { XMLParser } from "fast-xml-parser";

import type { ColumnDef } from "../model";
import { badQuery } from "./errors";
import type { SkipToken } from "./queryEngine";
import type { OrderTerm } from "./queryOptions";
import type { TableInfo } from "./tableInfo";
import type { Row, SqlValue } from "./values";

/**
 * FetchXML paging cookies as Dataverse writes them ("Page results using FetchXml"): the annotation is
 * `<cookie pagenumber="N+1" pagingcookie="…" istracking="False" />`, its `pagingcookie` URL-encoded twice;
 * decoded, `<cookie page="N"><col last="…" first="…" />…<primaryid last="{GUID}" first="{GUID}" /></cookie>`
 * with the sort columns, then the primary id, of the page's first and last rows. A query that sends it
 * back in `paging-cookie` with the next page number resumes right after that last row.
 */

const xmlAttr = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Like .NET's UrlEncode, as the sample in the docs: lower-case hex, `( ) ! * '` encoded too. */
const urlEncode = (s: string) =>
  encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)
    .replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());

function cookieText(value: unknown, primary: boolean): string | undefined {
  if (value === null || value === undefined) return undefined;
  return primary ? `{${String(value).toUpperCase()}}` : String(value);
}

/** The `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie` value for a page of `rows` (at least one). */
export function pagingCookieAnnotation(
  info: TableInfo,
  orderBy: readonly OrderTerm[],
  page: number,
  rows: readonly Row[],
): string {
  const first = rows[0] ?? {};
  const last = rows[rows.length - 1] ?? {};
  const columns = [...orderBy.map((t) => t.column), info.primaryId];
  const elements = columns.map((c, i) => {
    const primary = i === columns.length - 1;
    const attrs = [
      ["last", cookieText(last[c.name], primary)],
      ["first", cookieText(first[c.name], primary)],
    ]
      .filter((a): a is [string, string] => a[1] !== undefined)
      .map(([k, v]) => ` ${k}="${xmlAttr(v)}"`)
      .join("");
    return `<${c.name}${attrs} />`;
  });
  const inner = `<cookie page="${page}">${elements.join("")}</cookie>`;
  return `<cookie pagenumber="${page + 1}" pagingcookie="${urlEncode(urlEncode(inner))}" istracking="False" />`;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseAttributeValue: false,
  htmlEntities: true,
});

type XmlNode = Record<string, unknown>;

/**
 * Where the page after the cookie's page starts, or undefined when the cookie cannot be used: another
 * page than the next one was asked (Dataverse then ignores the cookie), or its columns are not this
 * query's order. `valueFor` converts a cookie's text to the column's stored value.
 */
export function resumeAfter(
  info: TableInfo,
  orderBy: readonly OrderTerm[],
  page: number,
  cookie: string,
  valueFor: (c: ColumnDef, text: string) => SqlValue,
): SkipToken | undefined {
  let root: XmlNode | undefined;
  try {
    root = (parser.parse(cookie, true) as XmlNode).cookie as XmlNode | undefined;
  } catch (err) {
    throw badQuery(`The fetch attribute 'paging-cookie' is not a paging cookie: ${(err as Error).message}`);
  }
  if (!root || typeof root !== "object")
    throw badQuery("The fetch attribute 'paging-cookie' is not a paging cookie.");
  if (Number(root["@_page"]) !== page - 1) return undefined;
  const lastOf = (c: ColumnDef): string | null | undefined => {
    const node = root[c.name];
    if (!node || typeof node !== "object" || Array.isArray(node)) return undefined;
    const text = (node as XmlNode)["@_last"];
    return text === undefined ? null : String(text);
  };
  const values: SqlValue[] = [];
  for (const t of orderBy) {
    const text = lastOf(t.column);
    if (text === undefined) return undefined;
    values.push(text === null ? null : valueFor(t.column, text));
  }
  const id = lastOf(info.primaryId);
  if (!id) return undefined;
  return { values, id: String(valueFor(info.primaryId, id)) };
}
