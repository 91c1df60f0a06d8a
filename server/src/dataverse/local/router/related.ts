import type { ColumnDef } from "../../model";
import { type ManyToManyNav, relatedScope } from "../associations";
import { badPayload, segmentNotFound } from "../errors";
import type { SqlFragment } from "../filterToSql";
import { mustFind, type ResolvedKey } from "../keys";
import { parseQueryOptions } from "../queryOptions";
import { demand } from "../security";
import { infoByLogicalName, type TableInfo, targetColumn } from "../tableInfo";
import { type Row, toSql } from "../values";
import { type DvResponse, entityJson, etagOf, jsonResponse, noContent } from "../wire";
import { parseJsonBody, updateRecord } from "../writes";
import { handlerFor, requireGet, type RouteCall } from "./call";
import { list } from "./list";
import { representation } from "./respond";

/** What `/{set}(key)/{segment}` names: the records related to it, or one of its columns. */

/** The record a list of related records hangs from, which the caller must be able to read (GET only). */
function readableParent(call: RouteCall, info: TableInfo, key: ResolvedKey): Row {
  requireGet(call);
  const parent = mustFind(call.ctx.store, info, key);
  demand(call.ctx.access, info, "Read", parent);
  return parent;
}

/** `GET /{set}(id)/{many-to-many relationship}`: the related records. */
export function manyToManyList(
  call: RouteCall,
  info: TableInfo,
  key: ResolvedKey,
  nav: ManyToManyNav,
): DvResponse {
  const parent = readableParent(call, info, key);
  return list(call, nav.farInfo, relatedScope(nav, String(parent[info.primaryId.name])));
}

/** `GET /{set}(id)/{collection-valued navigation}`: the records whose lookup points at this one. */
export function collectionList(
  call: RouteCall,
  info: TableInfo,
  key: ResolvedKey,
  navName: string,
): DvResponse {
  const parent = readableParent(call, info, key);
  const collection = info.collections.get(navName);
  const target = collection && infoByLogicalName(collection.table);
  const lookup = collection && target?.byName.get(collection.column);
  if (!target || !lookup) throw segmentNotFound(navName);
  const where: SqlFragment = {
    sql: `"${lookup.name}" = ? AND "${targetColumn(lookup)}" = ?`,
    params: [String(parent[info.primaryId.name]), info.def.logicalName],
  };
  return list(call, target, where);
}

/** `GET /{set}(id)/{single-valued navigation}`: the related record, or 204 when the lookup is empty. */
export function navigationTarget(
  call: RouteCall,
  info: TableInfo,
  key: ResolvedKey,
  navName: string,
): DvResponse {
  requireGet(call);
  const { ctx } = call;
  const nav = info.navigations.get(navName);
  const target = nav ? infoByLogicalName(nav.target.table) : undefined;
  if (!nav || !target) throw segmentNotFound(navName);
  const row = mustFind(ctx.store, info, key);
  demand(ctx.access, info, "Read", row);
  const id = row[nav.column.name];
  const related =
    typeof id === "string" && row[targetColumn(nav.column)] === target.def.logicalName
      ? ctx.store.getById(target, id)
      : undefined;
  if (!related) return noContent();
  demand(ctx.access, target, "Read", related);
  return representation(call, target, related, parseQueryOptions(target, call.params), {
    status: 200,
    headers: { ETag: etagOf(related) },
  });
}

/** One column of one record, as named in the URL. */
interface PropertyTarget {
  info: TableInfo;
  row: Row;
  column: ColumnDef;
  name: string;
}

function readProperty(call: RouteCall, { info, row, column, name }: PropertyTarget): DvResponse {
  demand(call.ctx.access, info, "Read", row);
  const value = entityJson({ store: call.ctx.store, names: new Map() }, info, row, [column])[name];
  return jsonResponse(200, {
    "@odata.context": `${call.ctx.serviceRoot}$metadata#${info.def.entitySetName}(${String(row[info.primaryId.name])})/${name}`,
    value,
  });
}

function writeProperty(call: RouteCall, { info, row, column, name }: PropertyTarget): DvResponse {
  const body = parseJsonBody(call.req.body);
  if (!("value" in body)) throw badPayload(`PUT of '${name}' needs a body {"value": …}.`);
  toSql(info.def.logicalName, column, body.value); // validates before the write
  updateRecord(call.ctx, info, row, { [column.name]: body.value });
  return noContent();
}

function emptyProperty(call: RouteCall, { info, row, column }: PropertyTarget): DvResponse {
  updateRecord(call.ctx, info, row, { [column.name]: null });
  return noContent();
}

const PROPERTY_ROUTES = new Map<string, (call: RouteCall, target: PropertyTarget) => DvResponse>([
  ["GET", readProperty],
  ["PUT", writeProperty],
  ["DELETE", emptyProperty],
]);

/** `/{set}(id)/column`: GET reads one value, PUT writes it from `{"value": …}`, DELETE empties it. */
export function property(call: RouteCall, info: TableInfo, key: ResolvedKey, name: string): DvResponse {
  const column = info.byName.get(name) ?? info.byWireName.get(name);
  if (!column) throw segmentNotFound(name);
  const row = mustFind(call.ctx.store, info, key);
  return handlerFor(PROPERTY_ROUTES, call.req.method)(call, { info, row, column, name });
}
