import { methodNotAllowed } from "../errors";
import type { Preferences } from "../prefer";
import type { WireContext } from "../wire";
import type { WriteContext } from "../writes";

/**
 * What every route handler is given: the request, the endpoint's context, and the query string and
 * `Prefer` header read once.
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

/** A request being routed. */
export interface RouteCall {
  ctx: RouteContext;
  req: DvRequest;
  /** The query string as sent (without `?`), and parsed. */
  rawQuery: string;
  params: URLSearchParams;
  prefs: Preferences;
}

/** The handler for the request's method, or a 405 when the resource has none for it. */
export function handlerFor<H>(handlers: ReadonlyMap<string, H>, method: string): H {
  const handler = handlers.get(method);
  if (!handler) throw methodNotAllowed(method);
  return handler;
}

/** A resource that can only be read. */
export function requireGet(call: RouteCall): void {
  if (call.req.method !== "GET") throw methodNotAllowed(call.req.method);
}

/** How records are written in this response: with the annotations the caller asked for. */
export const wireFor = (call: RouteCall, omitNulls?: true): WireContext => ({
  store: call.ctx.store,
  names: new Map(),
  ...(omitNulls ? { omitNulls } : {}),
  ...(call.prefs.annotations !== undefined ? { annotations: call.prefs.annotations } : {}),
});
