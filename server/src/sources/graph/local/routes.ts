import type { Collection, Cursor, GraphItem } from "./collection";
import { GraphHttpError, type GraphRequest, type GraphResponse } from "./requests";
import { LOCAL_FOLDERS, type LocalFolder, type LocalTenant, type LocalUser } from "./tenant";

/**
 * The read routes of the local Graph server, as a function from a request to a response: users, group
 * members, messages delta per folder and calendarView delta, with Graph's paging (`@odata.nextLink` with
 * `$skiptoken`, `@odata.deltaLink` with `$deltatoken`), `$select`, `Prefer: odata.maxpagesize` and
 * error bodies. Tokens are opaque to clients; here they carry the round's cursor.
 */

/** What Mail.ReadBasic.All and Calendars.ReadBasic.All never return. */
const FORBIDDEN = new Set(["body", "bodypreview", "uniquebody", "attachments", "extensions"]);
const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;
const MAX_USERS_PAGE = 999;

interface Token {
  /** m: messages of a folder, e: calendarView, u: users, g: group members */
  k: "m" | "e" | "u" | "g";
  u?: string;
  f?: LocalFolder;
  g?: string;
  c?: Cursor;
  /** A delta token: the round starts from changes after this seq. */
  d?: number;
  /** Page size fixed at the round's start (Graph encodes the options in its tokens). */
  n: number;
  sel?: string[];
  w?: [number, number];
  /** Offset for user lists. */
  o?: number;
}

const encode = (t: Token): string => Buffer.from(JSON.stringify(t)).toString("base64url");

function decode(raw: string): Token {
  try {
    const t = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Token;
    if (typeof t === "object" && t !== null && typeof t.k === "string" && typeof t.n === "number") return t;
  } catch {
    // Not one of ours: answered as Graph answers a token it cannot read.
  }
  throw new GraphHttpError(400, "BadRequest", "The provided token is not valid.");
}

function pageSizeOf(headers: GraphRequest["headers"], query: URLSearchParams, max: number): number {
  const prefer = /odata\.maxpagesize=(\d+)/i.exec(headers["prefer"] ?? "")?.[1];
  const top = query.get("$top");
  const n = Number(prefer ?? top ?? DEFAULT_PAGE);
  if (!Number.isInteger(n) || n < 1)
    throw new GraphHttpError(400, "BadRequest", "Invalid page size specified.");
  return Math.min(n, max);
}

function selectOf(query: URLSearchParams): string[] | undefined {
  const raw = query.get("$select");
  if (raw === null) return undefined;
  const fields = raw
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  for (const f of fields) {
    if (FORBIDDEN.has(f.toLowerCase()))
      throw new GraphHttpError(
        403,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
      );
  }
  return fields;
}

function project(item: GraphItem, select: string[] | undefined): Record<string, unknown> {
  if (!select) return item;
  const out: Record<string, unknown> = {};
  for (const k of ["@odata.type", "@odata.etag", "id"]) if (item[k] !== undefined) out[k] = item[k];
  for (const f of select) if (item[f] !== undefined) out[f] = item[f];
  // Derived-type properties (an eventMessage's meeting) come with the item, as Graph adds them by type.
  for (const k of ["meetingMessageType", "startDateTime", "endDateTime", "isAllDay"])
    if (item[k] !== undefined && item["@odata.type"] === "#microsoft.graph.eventMessage") out[k] = item[k];
  return out;
}

function userJson(u: LocalUser, select: string[] | undefined): Record<string, unknown> {
  return project({ ...u } as unknown as GraphItem, select);
}

export interface RouteContext {
  tenant: LocalTenant;
  /** `https://host:port/v1.0`: links are absolute https URLs to this server, as Graph's are to itself. */
  base: string;
  onPage?: (kind: Token["k"]) => void;
  /** Repeat the last item of a page at the top of the next (a fault Graph's docs allow for). */
  duplicateAcrossPages?: boolean;
}

const ok = (body: unknown, headers: Record<string, string> = {}): GraphResponse => ({
  status: 200,
  headers: { "Content-Type": "application/json; odata.metadata=minimal; odata.streaming=true", ...headers },
  body,
});

/** The user (mailbox) a request is about, for throttling and concurrency accounting; undefined for others. */
export function mailboxOf(url: string): string | undefined {
  const m = /^\/users\/([^/?]+)\//i.exec(url);
  if (m?.[1]) return decodeURIComponent(m[1]).toLowerCase();
  const token = /[?&]\$(?:skiptoken|deltatoken)=([^&]+)/.exec(url)?.[1];
  if (!token) return undefined;
  try {
    return decode(decodeURIComponent(token)).u?.toLowerCase();
  } catch {
    return undefined;
  }
}

export function route(ctx: RouteContext, req: GraphRequest): GraphResponse {
  const parsed = new URL(req.url, "https://local.invalid");
  const p = decodeURIComponent(parsed.pathname).replace(/\/+$/, "");
  const q = parsed.searchParams;
  if (req.method !== "GET")
    throw new GraphHttpError(405, "Request_BadRequest", `The ${req.method} method is not supported here.`);
  const skip = q.get("$skiptoken") ?? q.get("$deltatoken");
  const r: Routed = { ctx, headers: req.headers, q, token: skip !== null ? decode(skip) : undefined };
  for (const { path, handle } of ROUTES) {
    const m = path.exec(p);
    if (m) return handle(r, m);
  }
  throw new GraphHttpError(
    400,
    "BadRequest",
    `Resource not found for the segment '${p.split("/")[1] ?? ""}'.`,
  );
}

/** A GET request as the routes read it: its headers and query, and its `$skiptoken`/`$deltatoken` decoded. */
interface Routed {
  ctx: RouteContext;
  headers: GraphRequest["headers"];
  q: URLSearchParams;
  token: Token | undefined;
}

/** The routes, by path (after the version segment, without trailing slashes); the first match answers. */
const ROUTES: readonly { path: RegExp; handle: (r: Routed, m: RegExpExecArray) => GraphResponse }[] = [
  { path: /^\/users$/i, handle: usersRoute },
  { path: /^\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/i, handle: groupMembersRoute },
  // Graph's own links write the folder as mailFolders('inbox'); requests may use mailFolders/inbox.
  {
    path: /^\/users\/([^/]+)\/mailFolders(?:\/([^/(]+)|\('([^']+)'\))\/messages\/delta$/i,
    handle: messagesDeltaRoute,
  },
  { path: /^\/users\/([^/]+)\/calendarView\/delta$/i, handle: calendarDeltaRoute },
];

function usersRoute(r: Routed): GraphResponse {
  return users(
    r.ctx,
    r.token ?? { k: "u", n: pageSizeOf(r.headers, r.q, MAX_USERS_PAGE), sel: selectOf(r.q), o: 0 },
  );
}

function groupMembersRoute(r: Routed, m: RegExpExecArray): GraphResponse {
  return users(
    r.ctx,
    r.token ?? { k: "g", g: m[1], n: pageSizeOf(r.headers, r.q, MAX_USERS_PAGE), sel: selectOf(r.q), o: 0 },
  );
}

function messagesDeltaRoute(r: Routed, m: RegExpExecArray): GraphResponse {
  const user = userOrThrow(r.ctx, m[1] ?? "");
  const folder = (m[2] ?? m[3] ?? "").toLowerCase() as LocalFolder;
  if (!LOCAL_FOLDERS.includes(folder))
    throw new GraphHttpError(404, "ErrorInvalidIdMalformed", "Id is malformed.");
  const col = r.ctx.tenant.mailbox(user.id)!.folders[folder];
  return delta(
    r.ctx,
    col,
    r.token ?? { k: "m", u: user.id, f: folder, n: pageSizeOf(r.headers, r.q, MAX_PAGE), sel: selectOf(r.q) },
    `users/${user.id}/mailFolders('${folder}')/messages/delta`,
  );
}

function calendarDeltaRoute(r: Routed, m: RegExpExecArray): GraphResponse {
  const { ctx, q } = r;
  const user = userOrThrow(ctx, m[1] ?? "");
  const col = ctx.tenant.mailbox(user.id)!.calendar;
  if (r.token) return delta(ctx, col, r.token, `users/${user.id}/calendarView/delta`);
  const start = Date.parse(q.get("startDateTime") ?? "");
  const end = Date.parse(q.get("endDateTime") ?? "");
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw new GraphHttpError(
      400,
      "ErrorInvalidParameter",
      "The parameters startDateTime and endDateTime are required.",
    );
  if (q.has("$select"))
    throw new GraphHttpError(400, "ErrorInvalidUrlQuery", "$select is not supported on calendarView delta.");
  return delta(
    ctx,
    col,
    { k: "e", u: user.id, n: pageSizeOf(r.headers, q, MAX_PAGE), w: [start, end] },
    `users/${user.id}/calendarView/delta`,
  );
}

function userOrThrow(ctx: RouteContext, idOrAddress: string): LocalUser {
  const user = ctx.tenant.user(idOrAddress);
  if (!user || !ctx.tenant.mailbox(user.id))
    throw new GraphHttpError(404, "ErrorInvalidUser", "The requested user is invalid.");
  return user;
}

function users(ctx: RouteContext, t: Token): GraphResponse {
  let list = ctx.tenant.users;
  if (t.k === "g") {
    const group = ctx.tenant.groups.get(t.g ?? "");
    if (!group)
      throw new GraphHttpError(
        404,
        "Request_ResourceNotFound",
        "Resource does not exist or one of its queried reference-property objects are not present.",
      );
    list = list.filter((u) => group.members.includes(u.id));
  }
  const from = t.o ?? 0;
  const page = list.slice(from, from + t.n).map((u) => userJson(u, t.sel));
  ctx.onPage?.(t.k);
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.base}/$metadata#users`,
    value: page,
  };
  const path = t.k === "g" ? `groups/${t.g}/transitiveMembers/microsoft.graph.user` : "users";
  if (from + t.n < list.length)
    body["@odata.nextLink"] = `${ctx.base}/${path}?$skiptoken=${encode({ ...t, o: from + t.n })}`;
  return ok(body);
}

function overlaps(item: GraphItem, w: [number, number]): boolean {
  const dt = (v: unknown) => Date.parse(`${String((v as { dateTime?: string } | null)?.dateTime ?? "")}Z`);
  return dt(item.start) < w[1] && dt(item.end) > w[0];
}

function delta(ctx: RouteContext, col: Collection, t: Token, path: string): GraphResponse {
  const cursor = t.c ?? col.begin(t.d ?? 0);
  const { items, next } = col.page(cursor, t.n);
  const value: Record<string, unknown>[] = [];
  if (ctx.duplicateAcrossPages && cursor.from > 0 && t.c) {
    // The item just before this page, again: the client must take a repeat as harmless.
    const before = col.page({ ...cursor, from: Math.max(0, cursor.from - 1), end: cursor.from }, 1).items[0];
    if (before?.item) value.push(project(before.item, t.sel));
  }
  for (const e of items) {
    const v = deltaValue(e, t, cursor);
    if (v) value.push(v);
  }
  ctx.onPage?.(t.k);
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.base}/$metadata#Collection(${t.k === "e" ? "event" : "message"})`,
    value,
  };
  if (next) body["@odata.nextLink"] = `${ctx.base}/${path}?$skiptoken=${encode({ ...t, c: next })}`;
  else
    body["@odata.deltaLink"] =
      `${ctx.base}/${path}?$deltatoken=${encode({ ...t, c: undefined, d: cursor.end })}`;
  return ok(body, { "Preference-Applied": `odata.maxpagesize=${t.n}` });
}

/** One entry of a delta page as Graph lists it: the item (selected fields), a removal, or nothing. */
function deltaValue(
  e: ReturnType<Collection["page"]>["items"][number],
  t: Token,
  cursor: Cursor,
): Record<string, unknown> | undefined {
  if (!e.item) return { id: e.id, "@removed": { reason: "deleted" } };
  if (t.w && !overlaps(e.item, t.w))
    // Graph reports changes to events outside the window as removals; a first round leaves them out.
    return cursor.since > 0 ? { id: e.id, "@removed": { reason: "deleted" } } : undefined;
  return project(e.item, t.sel);
}
