import { duplicateKey, keyNotFound, recordNotFound, versionMismatch } from "../errors";
import { findByKey, keyColumnsForInsert, mustFind, type ResolvedKey } from "../keys";
import { parseQueryOptions } from "../queryOptions";
import { demand, demandExpands } from "../security";
import type { TableInfo } from "../tableInfo";
import type { Row } from "../values";
import { type DvResponse, etagOf, noContent } from "../wire";
import { createRecord, deleteRecord, parseJsonBody, updateRecord } from "../writes";
import type { DvRequest, RouteCall } from "./call";
import { representation, writtenResponse } from "./respond";

/** One record: `POST /{set}` creates it; `/{set}(key)` reads (GET), upserts (PATCH) or deletes (DELETE) it. */

export function create(call: RouteCall, info: TableInfo): DvResponse {
  const id = createRecord(call.ctx, info, parseJsonBody(call.req.body));
  return writtenResponse(call, info, id, 201);
}

function retrieve(call: RouteCall, info: TableInfo, key: ResolvedKey): DvResponse {
  const { ctx, req, prefs } = call;
  const plan = parseQueryOptions(info, call.params);
  const row = mustFind(ctx.store, info, key);
  demand(ctx.access, info, "Read", row);
  demandExpands(ctx.access, plan.expands);
  const etag = etagOf(row);
  // "Conditional retrievals": never 304 with $expand (related rows may have changed) or with
  // annotations asked for (their values can come from related rows).
  const conditional = !plan.expands.length && prefs.annotations === undefined;
  if (conditional && req.headers["if-none-match"] === etag)
    return { status: 304, headers: { "OData-Version": "4.0", ETag: etag } };
  return representation(call, info, row, plan, { status: 200, headers: { ETag: etag } });
}

/** `If-Match: W/"n"` (optimistic concurrency) or `*` on an existing row; `If-Match: null` is no condition. */
function checkIfMatch(req: DvRequest, row: Row): void {
  const ifMatch = req.headers["if-match"]?.trim();
  if (!ifMatch || ifMatch === "*" || ifMatch === "null") return;
  if (
    !ifMatch
      .split(",")
      .map((s) => s.trim())
      .includes(etagOf(row))
  )
    throw versionMismatch();
}

/** PATCH is an upsert on Dataverse: it creates the record when the key finds none, unless If-Match says otherwise. */
function upsert(call: RouteCall, info: TableInfo, key: ResolvedKey): DvResponse {
  const { ctx, req } = call;
  const body = parseJsonBody(req.body);
  const existing = findByKey(ctx.store, info, key);
  if (existing) return updateExisting(call, info, existing, body);
  const ifMatch = req.headers["if-match"]?.trim();
  if (ifMatch && ifMatch !== "null")
    throw key.id !== undefined
      ? recordNotFound(info.def.logicalName, key.id)
      : keyNotFound(info.def.logicalName, key.text);
  const id = createRecord(
    ctx,
    info,
    body,
    key.id !== undefined ? { id: key.id } : { row: keyColumnsForInsert(info, key) },
  );
  return writtenResponse(call, info, id, 200);
}

function updateExisting(
  call: RouteCall,
  info: TableInfo,
  existing: Row,
  body: Record<string, unknown>,
): DvResponse {
  if (call.req.headers["if-none-match"]?.trim() === "*") throw duplicateKey();
  checkIfMatch(call.req, existing);
  const id = String(existing[info.primaryId.name]);
  updateRecord(call.ctx, info, existing, body);
  return writtenResponse(call, info, id, 200);
}

function remove(call: RouteCall, info: TableInfo, key: ResolvedKey): DvResponse {
  const row = mustFind(call.ctx.store, info, key);
  checkIfMatch(call.req, row);
  deleteRecord(call.ctx, info, String(row[info.primaryId.name]));
  return noContent();
}

/** By method, for `/{set}(key)`. */
export const RECORD_ROUTES = new Map<
  string,
  (call: RouteCall, info: TableInfo, key: ResolvedKey) => DvResponse
>([
  ["GET", retrieve],
  ["PATCH", upsert],
  ["DELETE", remove],
]);
