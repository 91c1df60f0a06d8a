import { parseFetchXml, valueFor } from "../fetchXml";
import type { SqlFragment } from "../filterToSql";
import { pagingCookieAnnotation, resumeAfter } from "../pagingCookie";
import { wantsAnnotation } from "../prefer";
import { countRows, decodeSkipToken, encodeSkipToken, MAX_PAGE_SIZE, runQuery } from "../queryEngine";
import { parseQueryOptions, type QueryPlan } from "../queryOptions";
import { demandExpands, readScope, withScope } from "../security";
import type { TableInfo } from "../tableInfo";
import { contextSelection, type DvResponse, entityJson, jsonResponse } from "../wire";
import { BASE_PATH, requireGet, type RouteCall, wireFor } from "./call";
import { appliedPreferences } from "./respond";

/** Lists of records: `/{set}` with OData query options or `fetchXml`, and `/{set}/$count`. */

/** `GET /{set}/$count`: the number of rows the caller may read that match `$filter`, as text. */
export function count(call: RouteCall, info: TableInfo): DvResponse {
  requireGet(call);
  const plan = parseQueryOptions(info, call.params);
  return {
    status: 200,
    headers: { "Content-Type": "text/plain", "OData-Version": "4.0" },
    body: String(countRows(call.ctx.store, info, withScope(readScope(call.ctx.access, info), plan.where))),
  };
}

/**
 * The next page is the same resource with the same options: for the records related to one record
 * (`accounts(id)/contact_customer_accounts`) that is that path, not the related table's entity set, which would
 * list other records' rows from page 2 on.
 */
function nextLink(call: RouteCall, token: string): string {
  const kept = call.rawQuery.split("&").filter((p) => p !== "" && !/^(\$|%24)skiptoken=/i.test(p));
  kept.push(`$skiptoken=${encodeURIComponent(token)}`);
  const resource = call.req.target.slice(BASE_PATH.length).split("?")[0];
  return `${call.ctx.serviceRoot}${resource}?${kept.join("&")}`;
}

/** A page of `info`'s rows the caller may read, within `scope` (the rows related to a record) when given. */
export function list(call: RouteCall, info: TableInfo, scope?: SqlFragment): DvResponse {
  const { ctx, params, prefs } = call;
  const fetchXml = params.get("fetchXml");
  if (fetchXml !== null) return fetchXmlList(call, info, fetchXml, scope);
  const plan: QueryPlan = parseQueryOptions(info, params);
  const where = withScope(withScope(readScope(ctx.access, info), scope), plan.where);
  if (where) plan.where = where;
  demandExpands(ctx.access, plan.expands);
  // Dataverse: with odata.maxpagesize, $top is ignored; $top alone means no further pages.
  const paged = prefs.maxPageSize !== undefined || plan.top === undefined;
  const size =
    prefs.maxPageSize !== undefined
      ? Math.min(Math.max(prefs.maxPageSize, 1), MAX_PAGE_SIZE)
      : (plan.top ?? MAX_PAGE_SIZE);
  const tokenText = params.get("$skiptoken");
  const after = tokenText ? decodeSkipToken(tokenText, plan.orderBy.length) : undefined;
  const result = runQuery(ctx.store, plan, { size, ...(after ? { after } : {}) });
  const wire = wireFor(call);
  const contextSet = info.def.entitySetName;
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.serviceRoot}$metadata#${contextSet}${contextSelection(plan.select, plan.expands)}`,
  };
  if (plan.count) body["@odata.count"] = countRows(ctx.store, info, plan.where);
  body.value = result.rows.map((r) => entityJson(wire, info, r, plan.select, plan.expands));
  if (paged && result.next) body["@odata.nextLink"] = nextLink(call, encodeSkipToken(result.next));
  return jsonResponse(200, body, appliedPreferences(prefs, true));
}

const MORE_RECORDS = "Microsoft.Dynamics.CRM.morerecords";
const PAGING_COOKIE = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie";

/** FetchXML over a table, or over the records related to one record (`scope`) when asked through a navigation. */
function fetchXmlList(call: RouteCall, info: TableInfo, xml: string, scope?: SqlFragment): DvResponse {
  const { ctx, prefs } = call;
  const plan = parseFetchXml(info, xml);
  const scoped = withScope(withScope(readScope(ctx.access, info), scope), plan.where);
  if (scoped) plan.where = scoped;
  const size = plan.top ?? plan.count ?? MAX_PAGE_SIZE;
  const paged = plan.top === undefined;
  const after =
    paged && plan.pagingCookie !== undefined
      ? resumeAfter(info, plan.orderBy, plan.page, plan.pagingCookie, (c, text) => valueFor(info, c, text))
      : undefined;
  const result = runQuery(
    ctx.store,
    { info, orderBy: plan.orderBy, expands: [], count: false, ...(plan.where ? { where: plan.where } : {}) },
    after ? { size, after } : { size, offset: paged ? (plan.page - 1) * size : 0 },
  );
  const wire = wireFor(call, true);
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.serviceRoot}$metadata#${info.def.entitySetName}${contextSelection(plan.select, [])}`,
  };
  // Each annotation by its own name (or a wildcard); the cookie only while more rows follow.
  if (paged && result.more && wantsAnnotation(prefs.annotations, PAGING_COOKIE))
    body[`@${PAGING_COOKIE}`] = pagingCookieAnnotation(info, plan.orderBy, plan.page, result.rows);
  if (paged && wantsAnnotation(prefs.annotations, MORE_RECORDS)) body[`@${MORE_RECORDS}`] = result.more;
  body.value = result.rows.map((r) => entityJson(wire, info, r, plan.select));
  return jsonResponse(200, body, appliedPreferences(prefs, false));
}
