import { manyToManyOf, manyToManyReference, relatedScope } from "./associations";
import {
  badPayload,
  badQuery,
  DataverseHttpError,
  duplicateKey,
  ERROR_CODES,
  keyNotFound,
  methodNotAllowed,
  recordNotFound,
  segmentNotFound,
  versionMismatch,
} from "./errors";
import { parseFetchXml, valueFor } from "./fetchXml";
import type { SqlFragment } from "./filterToSql";
import { findByKey, keyColumnsForInsert, mustFind, type ResolvedKey, resolveKey } from "./keys";
import { metadataDocument, serviceDocument } from "./metadata";
import { pagingCookieAnnotation, resumeAfter } from "./pagingCookie";
import { parsePrefer, type Preferences, wantsAnnotation } from "./prefer";
import { countRows, decodeSkipToken, encodeSkipToken, MAX_PAGE_SIZE, runQuery } from "./queryEngine";
import { parseQueryOptions, type QueryPlan } from "./queryOptions";
import { parseKeyPredicate, parseResourcePath } from "./resourcePath";
import { demand, demandExpands, readScope, withScope } from "./security";
import { infoByLogicalName, infoBySet, q, type TableInfo, targetColumn } from "./tableInfo";
import { type Row, toSql } from "./values";
import { whoAmI } from "./whoAmI";
import {
  contextSelection,
  type DvResponse,
  entityJson,
  errorResponse,
  etagOf,
  jsonResponse,
  noContent,
  type WireContext,
} from "./wire";
import {
  createRecord,
  deleteRecord,
  parseJsonBody,
  resolveReference,
  updateRecord,
  type WriteContext,
} from "./writes";

/**
 * One Web API request in, one response out, synchronously (better-sqlite3 is synchronous, so a request
 * runs to its end before the next starts, and a change set is simply a transaction around several).
 */

export const BASE_PATH = "/api/data/v9.2/";

export interface DvRequest {
  method: string;
  /** Path and query, starting with BASE_PATH. */
  target: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
}

export interface RouteContext extends WriteContext {
  /** Absolute URL of the service root, ending with `/api/data/v9.2/`. */
  serviceRoot: string;
  /** Called with unexpected errors (a bug here, not a client mistake); gets no request data. */
  onUnexpected?: (err: unknown) => void;
}

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

// eslint-disable-next-line complexity, max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function route(ctx: RouteContext, req: DvRequest): DvResponse {
  const { path, rawQuery } = splitTarget(req.target);
  if (!path.startsWith(BASE_PATH) && path !== BASE_PATH.slice(0, -1)) throw segmentNotFound(path);
  let rest: string;
  try {
    rest = decodeURIComponent(path.slice(BASE_PATH.length));
  } catch (err) {
    throw new DataverseHttpError(400, ERROR_CODES.query, "The request URL is not correctly encoded.", {
      cause: err,
    });
  }
  const params = new URLSearchParams(rawQuery);
  const prefs = parsePrefer(req.headers["prefer"]);
  if (rest === "") {
    if (req.method !== "GET") throw methodNotAllowed(req.method);
    return jsonResponse(200, serviceDocument(ctx.serviceRoot));
  }
  if (rest === "$metadata") {
    if (req.method !== "GET") throw methodNotAllowed(req.method);
    return {
      status: 200,
      headers: { "Content-Type": "application/xml", "OData-Version": "4.0" },
      body: metadataDocument(),
    };
  }
  if (rest === "WhoAmI" || rest === "WhoAmI()")
    return jsonResponse(200, whoAmI(ctx, ctx.serviceRoot, req.method));
  if (rest === "$batch") {
    // A top-level POST $batch never gets here (the server hands it to the batch runner).
    if (req.method !== "POST") throw methodNotAllowed(req.method);
    throw badQuery("A batch request cannot contain another batch request.");
  }
  const resource = parseResourcePath(rest);
  const info = infoBySet(resource.segment);
  if (!info) throw segmentNotFound(resource.segment);
  const [first, second, third] = resource.rest;
  if (third !== undefined) throw segmentNotFound(third);

  if (!resource.key) {
    if (first === "$count" && second === undefined) {
      if (req.method !== "GET") throw methodNotAllowed(req.method);
      const plan = parseQueryOptions(info, params);
      return {
        status: 200,
        headers: { "Content-Type": "text/plain", "OData-Version": "4.0" },
        body: String(countRows(ctx.store, info, withScope(readScope(ctx.access, info), plan.where))),
      };
    }
    if (first !== undefined) throw segmentNotFound(first);
    if (req.method === "GET") return list(ctx, info, params, rawQuery, prefs, info.def.entitySetName);
    if (req.method === "POST") return create(ctx, req, info, params, prefs);
    throw methodNotAllowed(req.method);
  }

  const key = resolveKey(info, resource.key);
  if (first === undefined) {
    switch (req.method) {
      case "GET":
        return retrieve(ctx, req, info, key, params, prefs);
      case "PATCH":
        return upsert(ctx, req, info, key, params, prefs);
      case "DELETE": {
        const row = mustFind(ctx.store, info, key);
        checkIfMatch(req, row);
        deleteRecord(ctx, info, String(row[info.primaryId.name]));
        return noContent();
      }
      default:
        throw methodNotAllowed(req.method);
    }
  }
  const manyToMany = manyToManyOf(info, first);
  if (manyToMany && second === "$ref") return manyToManyReference(ctx, req, info, key, manyToMany, params);
  if (second === "$ref") return reference(ctx, req, info, key, first, params);
  if (second !== undefined) throw segmentNotFound(second);
  if (manyToMany && !manyToMany.farId) {
    if (req.method !== "GET") throw methodNotAllowed(req.method);
    const parent = mustFind(ctx.store, info, key);
    demand(ctx.access, info, "Read", parent);
    const where = relatedScope(manyToMany, String(parent[info.primaryId.name]));
    const target = manyToMany.farInfo;
    return list(ctx, target, params, rawQuery, prefs, target.def.entitySetName, where);
  }
  if (info.navigations.has(first)) {
    if (req.method !== "GET") throw methodNotAllowed(req.method);
    return navigationTarget(ctx, info, key, first, params, prefs);
  }
  const collection = info.collections.get(first);
  if (collection) {
    if (req.method !== "GET") throw methodNotAllowed(req.method);
    const parent = mustFind(ctx.store, info, key);
    demand(ctx.access, info, "Read", parent);
    const target = infoByLogicalName(collection.table);
    const lookup = target?.byName.get(collection.column);
    if (!target || !lookup) throw segmentNotFound(first);
    const where: SqlFragment = {
      sql: `"${lookup.name}" = ? AND "${targetColumn(lookup)}" = ?`,
      params: [String(parent[info.primaryId.name]), info.def.logicalName],
    };
    return list(ctx, target, params, rawQuery, prefs, target.def.entitySetName, where);
  }
  return property(ctx, req, info, key, first);
}

function appliedPreferences(prefs: Preferences, pageSize: boolean): Record<string, string> {
  const applied: string[] = [];
  if (pageSize && prefs.maxPageSize !== undefined)
    applied.push(`odata.maxpagesize=${Math.min(Math.max(prefs.maxPageSize, 1), MAX_PAGE_SIZE)}`);
  if (prefs.annotations !== undefined) applied.push(`odata.include-annotations="${prefs.annotations}"`);
  return applied.length ? { "Preference-Applied": applied.join(",") } : {};
}

function nextLink(ctx: RouteContext, entitySet: string, rawQuery: string, token: string): string {
  const kept = rawQuery.split("&").filter((p) => p !== "" && !/^(\$|%24)skiptoken=/i.test(p));
  kept.push(`$skiptoken=${encodeURIComponent(token)}`);
  return `${ctx.serviceRoot}${entitySet}?${kept.join("&")}`;
}

// eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function list(
  ctx: RouteContext,
  info: TableInfo,
  params: URLSearchParams,
  rawQuery: string,
  prefs: Preferences,
  contextSet: string,
  scope?: SqlFragment,
): DvResponse {
  const fetchXml = params.get("fetchXml");
  if (fetchXml !== null) return fetchXmlList(ctx, info, fetchXml, prefs);
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
  const wire: WireContext = {
    store: ctx.store,
    ...(prefs.annotations !== undefined ? { annotations: prefs.annotations } : {}),
  };
  const names = new Map<string, string | null>();
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.serviceRoot}$metadata#${contextSet}${contextSelection(plan.select, plan.expands)}`,
  };
  if (plan.count) body["@odata.count"] = countRows(ctx.store, info, plan.where);
  body.value = result.rows.map((r) => entityJson(wire, info, r, plan.select, plan.expands, names));
  if (paged && result.next)
    body["@odata.nextLink"] = nextLink(ctx, contextSet, rawQuery, encodeSkipToken(result.next));
  return jsonResponse(200, body, appliedPreferences(prefs, true));
}

const MORE_RECORDS = "Microsoft.Dynamics.CRM.morerecords";
const PAGING_COOKIE = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie";

function fetchXmlList(ctx: RouteContext, info: TableInfo, xml: string, prefs: Preferences): DvResponse {
  const plan = parseFetchXml(info, xml);
  const scoped = withScope(readScope(ctx.access, info), plan.where);
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
  const wire: WireContext = {
    store: ctx.store,
    omitNulls: true,
    ...(prefs.annotations !== undefined ? { annotations: prefs.annotations } : {}),
  };
  const names = new Map<string, string | null>();
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.serviceRoot}$metadata#${info.def.entitySetName}${contextSelection(plan.select, [])}`,
  };
  // Each annotation by its own name (or a wildcard); the cookie only while more rows follow.
  if (paged && result.more && wantsAnnotation(prefs.annotations, PAGING_COOKIE))
    body[`@${PAGING_COOKIE}`] = pagingCookieAnnotation(info, plan.orderBy, plan.page, result.rows);
  if (paged && wantsAnnotation(prefs.annotations, MORE_RECORDS)) body[`@${MORE_RECORDS}`] = result.more;
  body.value = result.rows.map((r) => entityJson(wire, info, r, plan.select, [], names));
  return jsonResponse(200, body, appliedPreferences(prefs, false));
}

// eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function retrieve(
  ctx: RouteContext,
  req: DvRequest,
  info: TableInfo,
  key: ResolvedKey,
  params: URLSearchParams,
  prefs: Preferences,
): DvResponse {
  const plan = parseQueryOptions(info, params);
  const row = mustFind(ctx.store, info, key);
  demand(ctx.access, info, "Read", row);
  demandExpands(ctx.access, plan.expands);
  const etag = etagOf(row);
  // "Conditional retrievals": never 304 with $expand (related rows may have changed) or with
  // annotations asked for (their values can come from related rows).
  const conditional = !plan.expands.length && prefs.annotations === undefined;
  if (conditional && req.headers["if-none-match"] === etag)
    return { status: 304, headers: { "OData-Version": "4.0", ETag: etag } };
  return representation(ctx, info, row, plan, prefs, 200, { ETag: etag });
}

// eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function representation(
  ctx: RouteContext,
  info: TableInfo,
  row: Row,
  plan: QueryPlan,
  prefs: Preferences,
  status: number,
  headers: Record<string, string>,
): DvResponse {
  const wire: WireContext = {
    store: ctx.store,
    ...(prefs.annotations !== undefined ? { annotations: prefs.annotations } : {}),
  };
  return jsonResponse(
    status,
    {
      "@odata.context": `${ctx.serviceRoot}$metadata#${info.def.entitySetName}${contextSelection(plan.select, plan.expands)}/$entity`,
      ...entityJson(wire, info, row, plan.select, plan.expands),
    },
    { ...headers, ...appliedPreferences(prefs, false) },
  );
}

const entityUrl = (ctx: RouteContext, info: TableInfo, id: string) =>
  `${ctx.serviceRoot}${info.def.entitySetName}(${id})`;

// eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function written(
  ctx: RouteContext,
  info: TableInfo,
  id: string,
  params: URLSearchParams,
  prefs: Preferences,
  status: number,
): DvResponse {
  const url = entityUrl(ctx, info, id);
  if (!prefs.returnRepresentation) return noContent({ Location: url, "OData-EntityId": url });
  const row = ctx.store.getById(info, id);
  if (!row) throw recordNotFound(info.def.logicalName, id);
  return representation(ctx, info, row, parseQueryOptions(info, params), prefs, status, {
    "OData-EntityId": url,
    "Preference-Applied": "return=representation",
  });
}

function create(
  ctx: RouteContext,
  req: DvRequest,
  info: TableInfo,
  params: URLSearchParams,
  prefs: Preferences,
): DvResponse {
  const id = createRecord(ctx, info, parseJsonBody(req.body));
  return withRepresentationHeader(written(ctx, info, id, params, prefs, 201), prefs);
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
// eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function upsert(
  ctx: RouteContext,
  req: DvRequest,
  info: TableInfo,
  key: ResolvedKey,
  params: URLSearchParams,
  prefs: Preferences,
): DvResponse {
  const body = parseJsonBody(req.body);
  const existing = findByKey(ctx.store, info, key);
  const ifMatch = req.headers["if-match"]?.trim();
  const ifNoneMatch = req.headers["if-none-match"]?.trim();
  if (existing) {
    if (ifNoneMatch === "*") throw duplicateKey();
    checkIfMatch(req, existing);
    const id = String(existing[info.primaryId.name]);
    updateRecord(ctx, info, existing, body);
    return withRepresentationHeader(written(ctx, info, id, params, prefs, 200), prefs);
  }
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
  return withRepresentationHeader(written(ctx, info, id, params, prefs, 200), prefs);
}

/**
 * `/{set}(id)/nav/$ref` of a lookup: DELETE empties it, PUT (or POST) sets it from `{"@odata.id": "…"}`.
 * A collection-valued navigation (`nav` or `nav(relatedid)`) goes to collectionReference.
 */
// eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function reference(
  ctx: RouteContext,
  req: DvRequest,
  info: TableInfo,
  key: ResolvedKey,
  navSegment: string,
  params: URLSearchParams,
): DvResponse {
  const open = navSegment.indexOf("(");
  const navName = open < 0 ? navSegment : navSegment.slice(0, open);
  const related = open < 0 ? undefined : navSegment.slice(open + 1, -1);
  if (info.collections.has(navName))
    return collectionReference(ctx, req, info, key, navName, related ?? params.get("$id") ?? undefined);
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

/**
 * `/{set}(id)/{collection}/$ref` of a one-to-many relationship: GET lists the related rows'
 * `@odata.id`s, POST `{"@odata.id": "…"}` associates a row (sets its lookup to this record),
 * DELETE `…/{collection}(relatedid)/$ref` or `…/$ref?$id=…` disassociates it (empties the lookup).
 */
// eslint-disable-next-line complexity, max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function collectionReference(
  ctx: RouteContext,
  req: DvRequest,
  info: TableInfo,
  key: ResolvedKey,
  navName: string,
  related: string | undefined,
): DvResponse {
  const collection = info.collections.get(navName);
  const child = collection ? infoByLogicalName(collection.table) : undefined;
  const lookup = child?.byName.get(collection?.column ?? "");
  if (!collection || !child || !lookup) throw segmentNotFound(navName);
  const parent = mustFind(ctx.store, info, key);
  const parentId = String(parent[info.primaryId.name]);
  const isChild = (row: Row) =>
    row[lookup.name] === parentId && row[targetColumn(lookup)] === info.def.logicalName;
  if (req.method === "GET" && related === undefined) {
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
  // The related row's navigation property back to this table (a customer lookup has one per table).
  const back = [...child.navigations].find(
    ([, n]) => n.column === lookup && n.target.table === info.def.logicalName,
  )?.[0];
  if (!back) throw segmentNotFound(navName);
  if (req.method === "POST" && related === undefined) {
    const ref = parseJsonBody(req.body)["@odata.id"];
    const { id } = resolveReference(ctx, child.def.logicalName, ref, "@odata.id");
    const row = mustFind(ctx.store, child, resolveKey(child, { kind: "id", id }));
    updateRecord(ctx, child, row, { [`${back}@odata.bind`]: `/${info.def.entitySetName}(${parentId})` });
    return noContent();
  }
  if (req.method === "DELETE") {
    if (!related)
      throw badQuery(
        `Disassociating from '${navName}' needs the related record: '${navName}(<id>)/$ref' or '$ref?$id=…'.`,
      );
    // `nav(id)` holds a key predicate; `$id` a record URL.
    const childKey = /^(https?:|\/|[A-Za-z_]+\()/.test(related)
      ? resolveKey(child, { kind: "id", id: resolveReference(ctx, child.def.logicalName, related, "$id").id })
      : resolveKey(child, parseKeyPredicate(related));
    const row = mustFind(ctx.store, child, childKey);
    if (!isChild(row)) throw recordNotFound(child.def.logicalName, String(row[child.primaryId.name]));
    updateRecord(ctx, child, row, { [`${back}@odata.bind`]: null });
    return noContent();
  }
  throw methodNotAllowed(req.method);
}

/** `GET /{set}(id)/{single-valued navigation}`: the related record, or 204 when the lookup is empty. */
// eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function navigationTarget(
  ctx: RouteContext,
  info: TableInfo,
  key: ResolvedKey,
  navName: string,
  params: URLSearchParams,
  prefs: Preferences,
): DvResponse {
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
  return representation(ctx, target, related, parseQueryOptions(target, params), prefs, 200, {
    ETag: etagOf(related),
  });
}

/** `/{set}(id)/column`: GET reads one value, PUT writes it from `{"value": …}`, DELETE empties it. */
function property(
  ctx: RouteContext,
  req: DvRequest,
  info: TableInfo,
  key: ResolvedKey,
  name: string,
): DvResponse {
  const c = info.byName.get(name) ?? info.byWireName.get(name);
  if (!c) throw segmentNotFound(name);
  const row = mustFind(ctx.store, info, key);
  if (req.method === "GET") {
    demand(ctx.access, info, "Read", row);
    const value = entityJson({ store: ctx.store }, info, row, [c])[name];
    return jsonResponse(200, {
      "@odata.context": `${ctx.serviceRoot}$metadata#${info.def.entitySetName}(${String(row[info.primaryId.name])})/${name}`,
      value,
    });
  }
  if (req.method === "PUT") {
    const body = parseJsonBody(req.body);
    if (!("value" in body)) throw badPayload(`PUT of '${name}' needs a body {"value": …}.`);
    toSql(info.def.logicalName, c, body.value); // validates before the write
    updateRecord(ctx, info, row, { [c.name]: body.value });
    return noContent();
  }
  if (req.method === "DELETE") {
    updateRecord(ctx, info, row, { [c.name]: null });
    return noContent();
  }
  throw methodNotAllowed(req.method);
}
