import { recordNotFound } from "../errors";
import type { Preferences } from "../prefer";
import { MAX_PAGE_SIZE } from "../queryEngine";
import { parseQueryOptions, type QueryPlan } from "../queryOptions";
import type { TableInfo } from "../tableInfo";
import type { Row } from "../values";
import { contextSelection, type DvResponse, entityJson, jsonResponse, noContent } from "../wire";
import { type RouteCall, wireFor } from "./call";

/** Answers that carry one record: a representation of it, or its address after a write. */

export function appliedPreferences(prefs: Preferences, pageSize: boolean): Record<string, string> {
  const applied: string[] = [];
  if (pageSize && prefs.maxPageSize !== undefined)
    applied.push(`odata.maxpagesize=${Math.min(Math.max(prefs.maxPageSize, 1), MAX_PAGE_SIZE)}`);
  if (prefs.annotations !== undefined) applied.push(`odata.include-annotations="${prefs.annotations}"`);
  return applied.length ? { "Preference-Applied": applied.join(",") } : {};
}

/** The status and headers of an answer. */
export interface ResponseHead {
  status: number;
  headers: Record<string, string>;
}

/** A record as the answer's body, with its `@odata.context`. */
export function representation(
  call: RouteCall,
  info: TableInfo,
  row: Row,
  plan: QueryPlan,
  head: ResponseHead,
): DvResponse {
  return jsonResponse(
    head.status,
    {
      "@odata.context": `${call.ctx.serviceRoot}$metadata#${info.def.entitySetName}${contextSelection(plan.select, plan.expands)}/$entity`,
      ...entityJson(wireFor(call), info, row, plan.select, plan.expands),
    },
    { ...head.headers, ...appliedPreferences(call.prefs, false) },
  );
}

const entityUrl = (call: RouteCall, info: TableInfo, id: string) =>
  `${call.ctx.serviceRoot}${info.def.entitySetName}(${id})`;

/** After a create or update: the record's address, or the record itself with `return=representation`. */
function written(call: RouteCall, info: TableInfo, id: string, status: number): DvResponse {
  const url = entityUrl(call, info, id);
  if (!call.prefs.returnRepresentation) return noContent({ Location: url, "OData-EntityId": url });
  const row = call.ctx.store.getById(info, id);
  if (!row) throw recordNotFound(info.def.logicalName, id);
  return representation(call, info, row, parseQueryOptions(info, call.params), {
    status,
    headers: { "OData-EntityId": url, "Preference-Applied": "return=representation" },
  });
}

function withRepresentationHeader(res: DvResponse, prefs: Preferences): DvResponse {
  if (!prefs.returnRepresentation) return res;
  const applied = res.headers["Preference-Applied"];
  res.headers["Preference-Applied"] =
    applied && !applied.includes("return=representation")
      ? `return=representation,${applied}`
      : (applied ?? "return=representation");
  return res;
}

/** The answer to a create (201) or an upsert (200) of the record `id`. */
export const writtenResponse = (call: RouteCall, info: TableInfo, id: string, status: number): DvResponse =>
  withRepresentationHeader(written(call, info, id, status), call.prefs);
