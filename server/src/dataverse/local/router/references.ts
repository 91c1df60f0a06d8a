import type { ColumnDef } from "../../model";
import { badQuery, methodNotAllowed, recordNotFound, segmentNotFound } from "../errors";
import { mustFind, type ResolvedKey, resolveKey } from "../keys";
import { MAX_PAGE_SIZE } from "../queryEngine";
import { parseKeyPredicate } from "../resourcePath";
import { demand } from "../security";
import { infoByLogicalName, q, type TableInfo, targetColumn } from "../tableInfo";
import type { Row } from "../values";
import { type DvResponse, jsonResponse, noContent } from "../wire";
import { parseJsonBody, resolveReference, updateRecord } from "../writes";
import type { RouteCall } from "./call";

/** `/{set}(id)/{navigation}/$ref`: a relationship itself, read, set or emptied (associations.ts: many-to-many). */

/**
 * `/{set}(id)/nav/$ref` of a lookup: DELETE empties it, PUT (or POST) sets it from `{"@odata.id": "…"}`.
 * A collection-valued navigation (`nav` or `nav(relatedid)`) goes to collectionReference.
 */
export function reference(
  call: RouteCall,
  info: TableInfo,
  key: ResolvedKey,
  navSegment: string,
): DvResponse {
  const { ctx, req } = call;
  const open = navSegment.indexOf("(");
  const navName = open < 0 ? navSegment : navSegment.slice(0, open);
  const related = open < 0 ? undefined : navSegment.slice(open + 1, -1);
  if (info.collections.has(navName))
    return collectionReference(call, { info, key, navName }, related ?? call.params.get("$id") ?? undefined);
  const nav = info.navigations.get(navName);
  if (!nav || related !== undefined) throw segmentNotFound(navSegment);
  const row = mustFind(ctx.store, info, key);
  if (req.method === "DELETE") {
    updateRecord(ctx, info, row, { [`${navName}@odata.bind`]: null });
    return noContent();
  }
  if (req.method !== "PUT" && req.method !== "POST") throw methodNotAllowed(req.method);
  const ref = parseJsonBody(req.body)["@odata.id"];
  resolveReference(ctx, nav.target.table, ref, "@odata.id");
  updateRecord(ctx, info, row, { [`${navName}@odata.bind`]: ref });
  return noContent();
}

/** A one-to-many relationship seen from one parent record: the child table and its lookup to the parent. */
interface ChildLink {
  info: TableInfo;
  navName: string;
  parent: Row;
  parentId: string;
  child: TableInfo;
  lookup: ColumnDef;
}

/** The child table and lookup of the collection-valued navigation `navName`; a 404 when there is none. */
function childOf(info: TableInfo, navName: string): { child: TableInfo; lookup: ColumnDef } {
  const collection = info.collections.get(navName);
  const child = collection ? infoByLogicalName(collection.table) : undefined;
  const lookup = child?.byName.get(collection?.column ?? "");
  if (!collection || !child || !lookup) throw segmentNotFound(navName);
  return { child, lookup };
}

/**
 * `/{set}(id)/{collection}/$ref` of a one-to-many relationship: GET lists the related rows'
 * `@odata.id`s, POST `{"@odata.id": "…"}` associates a row (sets its lookup to this record),
 * DELETE `…/{collection}(relatedid)/$ref` or `…/$ref?$id=…` disassociates it (empties the lookup).
 */
function collectionReference(
  call: RouteCall,
  at: { info: TableInfo; key: ResolvedKey; navName: string },
  related: string | undefined,
): DvResponse {
  const { info, key, navName } = at;
  const { child, lookup } = childOf(info, navName);
  const parent = mustFind(call.ctx.store, info, key);
  const link: ChildLink = {
    info,
    navName,
    parent,
    parentId: String(parent[info.primaryId.name]),
    child,
    lookup,
  };
  const method = call.req.method;
  if (method === "GET" && related === undefined) return childReferences(call, link);
  const back = backNavigation(link);
  if (method === "POST" && related === undefined) return associateChild(call, link, back);
  if (method === "DELETE") return disassociateChild(call, link, back, related);
  throw methodNotAllowed(method);
}

/** GET: the `@odata.id` of each child. */
function childReferences(call: RouteCall, { info, parent, parentId, child, lookup }: ChildLink): DvResponse {
  const { ctx } = call;
  demand(ctx.access, info, "Read", parent);
  demand(ctx.access, child, "Read");
  const rows = ctx.store.all(
    `SELECT ${q(child.primaryId.name)} AS id FROM ${q(child.def.logicalName)} WHERE ${q(lookup.name)} = ? AND ${q(targetColumn(lookup))} = ? ORDER BY ${q(child.primaryId.name)} LIMIT ${MAX_PAGE_SIZE}`,
    [parentId, info.def.logicalName],
  );
  return jsonResponse(200, {
    "@odata.context": `${ctx.serviceRoot}$metadata#Collection($ref)`,
    value: rows.map((r) => ({
      "@odata.id": `${ctx.serviceRoot}${child.def.entitySetName}(${String(r.id)})`,
    })),
  });
}

/** The child's navigation property back to the parent's table (a customer lookup has one per table). */
function backNavigation({ info, navName, child, lookup }: ChildLink): string {
  const back = [...child.navigations].find(
    ([, n]) => n.column === lookup && n.target.table === info.def.logicalName,
  )?.[0];
  if (!back) throw segmentNotFound(navName);
  return back;
}

/** POST: sets the child's lookup to the parent. */
function associateChild(call: RouteCall, { info, parentId, child }: ChildLink, back: string): DvResponse {
  const ref = parseJsonBody(call.req.body)["@odata.id"];
  const { id } = resolveReference(call.ctx, child.def.logicalName, ref, "@odata.id");
  const row = mustFind(call.ctx.store, child, resolveKey(child, { kind: "id", id }));
  updateRecord(call.ctx, child, row, { [`${back}@odata.bind`]: `/${info.def.entitySetName}(${parentId})` });
  return noContent();
}

/** DELETE: empties the lookup of the child named by `nav(id)` (a key predicate) or `$id` (a record URL). */
function disassociateChild(
  call: RouteCall,
  link: ChildLink,
  back: string,
  related: string | undefined,
): DvResponse {
  const { info, navName, parentId, child, lookup } = link;
  if (!related)
    throw badQuery(
      `Disassociating from '${navName}' needs the related record: '${navName}(<id>)/$ref' or '$ref?$id=…'.`,
    );
  const childKey = /^(https?:|\/|[A-Za-z_]+\()/.test(related)
    ? resolveKey(child, {
        kind: "id",
        id: resolveReference(call.ctx, child.def.logicalName, related, "$id").id,
      })
    : resolveKey(child, parseKeyPredicate(related));
  const row = mustFind(call.ctx.store, child, childKey);
  const isChild = row[lookup.name] === parentId && row[targetColumn(lookup)] === info.def.logicalName;
  if (!isChild) throw recordNotFound(child.def.logicalName, String(row[child.primaryId.name]));
  updateRecord(call.ctx, child, row, { [`${back}@odata.bind`]: null });
  return noContent();
}
