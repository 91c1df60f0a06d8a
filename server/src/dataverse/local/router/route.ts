import { manyToManyOf, manyToManyReference } from "../associations";
import { DataverseHttpError, ERROR_CODES, segmentNotFound } from "../errors";
import { type ResolvedKey, resolveKey } from "../keys";
import { parsePrefer } from "../prefer";
import { parseResourcePath } from "../resourcePath";
import { infoBySet, type TableInfo } from "../tableInfo";
import { type DvResponse, errorResponse } from "../wire";
import { BASE_PATH, type DvRequest, handlerFor, type RouteCall, type RouteContext } from "./call";
import { count, list } from "./list";
import { create, RECORD_ROUTES } from "./record";
import { reference } from "./references";
import { collectionList, manyToManyList, navigationTarget, property } from "./related";
import { SERVICE_ROUTES } from "./service";

/**
 * One Web API request in, one response out, synchronously (better-sqlite3 is synchronous, so a request
 * runs to its end before the next starts, and a change set is simply a transaction around several).
 * The path picks the handler: the service's own resources (service.ts), an entity set, one record, or
 * what is related to a record.
 */

const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/** Handles a request; never throws: errors become Dataverse error responses. */
export function handleRequest(ctx: RouteContext, req: DvRequest): DvResponse {
  try {
    // A write is one transaction: a deep insert or a failed lookup bind leaves nothing behind.
    return WRITE_METHODS.has(req.method) ? ctx.store.transaction(() => route(ctx, req)) : route(ctx, req);
  } catch (err) {
    if (err instanceof DataverseHttpError) return errorResponse(err);
    ctx.onUnexpected?.(err);
    return errorResponse(
      new DataverseHttpError(500, ERROR_CODES.unexpected, "An unexpected error occurred.", { cause: err }),
    );
  }
}

function splitTarget(target: string): { path: string; rawQuery: string } {
  const qm = target.indexOf("?");
  return qm < 0
    ? { path: target, rawQuery: "" }
    : { path: target.slice(0, qm), rawQuery: target.slice(qm + 1) };
}

/** The path after the service root, decoded; a 404 outside the service root. */
function resourceText(path: string): string {
  if (!path.startsWith(BASE_PATH) && path !== BASE_PATH.slice(0, -1)) throw segmentNotFound(path);
  try {
    return decodeURIComponent(path.slice(BASE_PATH.length));
  } catch (err) {
    throw new DataverseHttpError(400, ERROR_CODES.query, "The request URL is not correctly encoded.", {
      cause: err,
    });
  }
}

export function route(ctx: RouteContext, req: DvRequest): DvResponse {
  const { path, rawQuery } = splitTarget(req.target);
  const rest = resourceText(path);
  const call: RouteCall = {
    ctx,
    req,
    rawQuery,
    params: new URLSearchParams(rawQuery),
    prefs: parsePrefer(req.headers["prefer"]),
  };
  const service = SERVICE_ROUTES.get(rest);
  return service ? service(call) : entityRoute(call, rest);
}

/** `/{set}…`: the set, one record of it, or something related to that record. */
function entityRoute(call: RouteCall, rest: string): DvResponse {
  const resource = parseResourcePath(rest);
  const info = infoBySet(resource.segment);
  if (!info) throw segmentNotFound(resource.segment);
  const [first, second, third] = resource.rest;
  if (third !== undefined) throw segmentNotFound(third);
  if (!resource.key) return setRoute(call, info, first, second);
  const key = resolveKey(info, resource.key);
  if (first === undefined) return handlerFor(RECORD_ROUTES, call.req.method)(call, info, key);
  return relatedRoute(call, info, key, first, second);
}

const SET_ROUTES = new Map<string, (call: RouteCall, info: TableInfo) => DvResponse>([
  ["GET", (call, info) => list(call, info)],
  ["POST", create],
]);

/** `/{set}` (GET lists, POST creates) and `/{set}/$count`. */
function setRoute(call: RouteCall, info: TableInfo, first?: string, second?: string): DvResponse {
  if (first === "$count" && second === undefined) return count(call, info);
  if (first !== undefined) throw segmentNotFound(first);
  return handlerFor(SET_ROUTES, call.req.method)(call, info);
}

/**
 * `/{set}(id)/{segment}`: a many-to-many relationship, a single- or collection-valued navigation, or a
 * column; with `/$ref`, the relationship itself.
 */
function relatedRoute(
  call: RouteCall,
  info: TableInfo,
  key: ResolvedKey,
  first: string,
  second?: string,
): DvResponse {
  const manyToMany = manyToManyOf(info, first);
  if (second === "$ref")
    return manyToMany ? manyToManyReference(call, info, key, manyToMany) : reference(call, info, key, first);
  if (second !== undefined) throw segmentNotFound(second);
  if (manyToMany && !manyToMany.farId) return manyToManyList(call, info, key, manyToMany);
  if (info.navigations.has(first)) return navigationTarget(call, info, key, first);
  if (info.collections.has(first)) return collectionList(call, info, key, first);
  return property(call, info, key, first);
}
