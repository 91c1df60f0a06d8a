import { DataverseError, InvalidValueError } from "./errors";
import { executeBatch } from "./executeBatch";
import { fetchAttributes, pagingCookieFrom, withFetchAttributes } from "./fetchXml";
import type { Transport } from "./http";
import { checkName } from "./odata";
import { checkPageSize, FORMATTED_VALUE, MAX_PAGE_SIZE, preferHeader } from "./prefer";

/**
 * Reading collections page by page: OData paging with `Prefer: odata.maxpagesize` and
 * `@odata.nextLink` followed unchanged (query/page-results), and FetchXML paging with the `page`,
 * `count` and `paging-cookie` attributes (fetchxml/page-results).
 */

export type Row = Record<string, unknown>;

/** GET URLs may be 32,768 characters; longer ones go inside a `$batch`, where 64 KB is allowed. */
export const MAX_GET_URL_LENGTH = 32_768;

const PAGING_COOKIE = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie";
const MORE_RECORDS = "Microsoft.Dynamics.CRM.morerecords";

export interface PageOptions {
  /** Rows per page, 1 to 5,000 (default 5,000). */
  maxPageSize?: number;
  /** Ask for `<column>@OData.Community.Display.V1.FormattedValue` (choice labels, formatted dates). */
  formattedValues?: boolean;
  /** Other annotations to include, e.g. `Microsoft.Dynamics.CRM.lookuplogicalname` (a lookup's table). */
  annotations?: readonly string[];
}

export interface Page {
  rows: Row[];
  /** `@odata.count` when `$count=true` was asked (at most 5,000 on Dataverse). */
  count?: number;
  /** The whole response body, for other annotations. */
  raw: Record<string, unknown>;
}

/**
 * Pages of an OData query from `firstUrl` (relative to the API root), following `@odata.nextLink`
 * unchanged with the same Prefer header until there is none.
 */
export async function* odataPages(
  transport: Transport,
  firstUrl: string,
  prefer: string | undefined,
): AsyncGenerator<Page> {
  let url: string | undefined = firstUrl;
  while (url) {
    const body = await getJson(transport, url, prefer);
    yield toPage(body);
    const next = body["@odata.nextLink"];
    url = typeof next === "string" ? sameService(transport, next) : undefined;
  }
}

/**
 * Pages of a FetchXML query. A `count` on `<fetch>` is the page size (else `maxPageSize`); `page`
 * starts there (else 1). Each following page sends the paging cookie from the previous response, or
 * only the next page number when Dataverse returned none (simple paging: at most 50,000 rows). A
 * query with `top` or `aggregate` is sent once, unpaged, as Dataverse requires.
 */
export async function* fetchXmlPages(
  transport: Transport,
  entitySet: string,
  fetchXml: string,
  options: PageOptions,
): AsyncGenerator<Page> {
  checkName(entitySet, "entity set");
  const attrs = fetchAttributes(fetchXml);
  const annotations = [
    PAGING_COOKIE,
    MORE_RECORDS,
    ...(options.formattedValues ? [FORMATTED_VALUE] : []),
    ...(options.annotations ?? []),
  ];
  const prefer = preferHeader(undefined, annotations);
  const url = (xml: string) => `${entitySet}?fetchXml=${encodeURIComponent(xml)}`;
  if (attrs.has("top") || attrs.get("aggregate") === "true") {
    yield toPage(await getJson(transport, url(fetchXml), prefer));
    return;
  }
  const count = attrs.get("count") ?? String(checkPageSize(options.maxPageSize ?? MAX_PAGE_SIZE));
  let page = Number(attrs.get("page") ?? "1");
  if (!Number.isInteger(page) || page < 1)
    throw new InvalidValueError("FetchXML page", "not a positive integer");
  let cookie: string | undefined;
  for (;;) {
    const set: Record<string, string> = { count, page: String(page) };
    if (cookie !== undefined) set["paging-cookie"] = cookie;
    const body = await getJson(transport, url(withFetchAttributes(fetchXml, set)), prefer);
    yield toPage(body);
    if (body[`@${MORE_RECORDS}`] !== true) return;
    cookie = pagingCookieFrom(body[`@${PAGING_COOKIE}`]);
    page++;
  }
}

function toPage(body: Record<string, unknown>): Page {
  const rows = Array.isArray(body.value) ? (body.value as Row[]) : [];
  const count = body["@odata.count"];
  return { rows, raw: body, ...(typeof count === "number" ? { count } : {}) };
}

/** GET returning a JSON object; a URL over the GET limit travels inside a one-operation `$batch`. */
export async function getJson(
  transport: Transport,
  url: string,
  prefer: string | undefined,
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = prefer ? { Prefer: prefer } : {};
  if (transport.resolve(url).length <= MAX_GET_URL_LENGTH) {
    const res = await transport.send({ method: "GET", url, headers, idempotent: true });
    return parseObject(res.text);
  }
  const relative = url.startsWith(transport.apiRoot) ? url.slice(transport.apiRoot.length + 1) : url;
  const [result] = await executeBatch(transport, [
    { method: "GET", url: relative, headers, idempotent: true },
  ]);
  if (!result?.ok) throw result?.error ?? new InvalidValueError("batch GET", "no result");
  return typeof result.body === "object" && result.body !== null
    ? (result.body as Record<string, unknown>)
    : {};
}

function parseObject(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : { value: parsed };
}

/** A nextLink must point at this service: the bearer token is never sent to another origin. */
function sameService(transport: Transport, next: string): string {
  const target = new URL(next, `${transport.apiRoot}/`);
  if (target.origin !== new URL(transport.apiRoot).origin)
    throw new DataverseError({
      status: 0,
      method: "GET",
      path: target.pathname,
      serverMessage: "nextLink points at another origin; not followed",
    });
  // Sent as received: "Don't change the @odata.nextLink URL value or append any query options to it."
  return /^https?:\/\//i.test(next) ? next : target.href;
}
