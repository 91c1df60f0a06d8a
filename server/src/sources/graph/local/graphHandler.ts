import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import { type Fault, type GraphFaultOptions, GraphFaults } from "./faults";
import { LocalSubscriptions } from "./localSubscriptions";
import { errorBody, GraphHttpError, type GraphRequest, type GraphResponse } from "./requests";
import { mailboxOf, route } from "./routes";
import type { LocalTenant } from "./tenant";

export interface LocalGraphStats {
  requests: number;
  batchSubRequests: number;
  pages: Record<string, number>;
  throttled: number;
  unavailable: number;
  dropped: number;
  expired: number;
  unauthorized: number;
  /** Requests repeated before the Retry-After they were given had passed. */
  earlyRetries: number;
  maxInFlightPerMailbox: number;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (status: number, body: unknown, headers: Record<string, string> = {}): GraphResponse => ({
  status,
  headers: { "Content-Type": "application/json", ...headers },
  body,
});
const subUrl = (url: unknown): string => String(url ?? "").replace(/^\/?(v1\.0\/)?/, "/");

/**
 * The local Graph server's request handling: bearer-token check, `$batch`, subscriptions and the read routes,
 * with fault injection and the counts in `stats`.
 */
export class GraphHandler {
  readonly stats: LocalGraphStats = {
    requests: 0,
    batchSubRequests: 0,
    pages: {},
    throttled: 0,
    unavailable: 0,
    dropped: 0,
    expired: 0,
    unauthorized: 0,
    earlyRetries: 0,
    maxInFlightPerMailbox: 0,
  };
  readonly subscriptions = new LocalSubscriptions();
  faults: GraphFaults | undefined;
  /** `https://localhost:<port>/v1.0`, once listening. */
  base = "";
  private readonly expected: Buffer;
  private readonly inFlight = new Map<string, number>();
  private readonly notBefore = new Map<string, number>();

  constructor(
    private readonly tenant: LocalTenant,
    token: string,
    faults: GraphFaultOptions | undefined,
  ) {
    this.expected = digest(token);
    this.faults = faults ? new GraphFaults(faults) : undefined;
  }

  async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    const send = (out: GraphResponse) => {
      res.writeHead(out.status, { ...out.headers, "request-id": randomUUID() });
      res.end(out.body === undefined ? undefined : JSON.stringify(out.body));
    };
    if (!this.authorised(req.headers.authorization)) {
      this.stats.unauthorized++;
      req.resume();
      send(
        json(401, errorBody("InvalidAuthenticationToken", "Access token is empty or invalid.", randomUUID())),
      );
      return;
    }
    const { raw, request } = await readRequest(req);
    let touched: (string | undefined)[] = [];
    try {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      touched = mailboxesOf(request.url, body);
      touched.forEach((m) => this.enter(m));
      if (this.faults?.options.delayMs) await sleep(this.faults.options.delayMs);
      const out = await this.dispatch(request, body);
      if (out === "drop") {
        req.socket.destroy();
        return;
      }
      send(out);
    } catch (e) {
      if (e instanceof SyntaxError)
        return send(json(400, errorBody("BadRequest", "Unable to read JSON request payload.", randomUUID())));
      if (e instanceof GraphHttpError)
        return send(json(e.status, errorBody(e.code, e.message, randomUUID()), e.headers));
      throw e;
    } finally {
      touched.forEach((m) => this.leave(m));
    }
  }

  /** Whether an Authorization header carries the token (compared in constant time). */
  private authorised(authorization: string | undefined): boolean {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
    return m?.[1] ? timingSafeEqual(digest(m[1].trim()), this.expected) : false;
  }

  /** `$batch`, a subscription route, or a read route (which a fault may drop). */
  private async dispatch(req: GraphRequest, body: Record<string, unknown>): Promise<GraphResponse | "drop"> {
    if (req.method === "POST" && req.url === "/$batch") return this.batch(body);
    return (await this.subscriptionRoute(req, body)) ?? this.answer(req, true);
  }

  /** POST /subscriptions, PATCH and DELETE /subscriptions/{id}; undefined for any other request. */
  private async subscriptionRoute(
    req: GraphRequest,
    body: Record<string, unknown>,
  ): Promise<GraphResponse | undefined> {
    const sub = /^\/subscriptions(?:\/([^/?]+))?$/.exec(req.url.split("?")[0] ?? "");
    if (!sub) return undefined;
    const id = sub[1];
    if (req.method === "POST" && !id) return json(201, await this.subscriptions.create(body));
    if (req.method === "PATCH" && id) return json(200, this.subscriptions.renew(id, body));
    if (req.method === "DELETE" && id) {
      this.subscriptions.remove(id);
      return { status: 204, headers: {} };
    }
    return undefined;
  }

  private enter(mailbox: string | undefined, n = 1): void {
    if (mailbox === undefined) return;
    const now = (this.inFlight.get(mailbox) ?? 0) + n;
    this.inFlight.set(mailbox, now);
    this.stats.maxInFlightPerMailbox = Math.max(this.stats.maxInFlightPerMailbox, now);
  }

  private leave(mailbox: string | undefined, n = 1): void {
    if (mailbox !== undefined) this.inFlight.set(mailbox, (this.inFlight.get(mailbox) ?? n) - n);
  }

  /** A fault answer, recording when the request may be repeated. */
  private faultResponse(fault: Fault, key: string, requestId: string): GraphResponse | undefined {
    const stats = this.stats;
    if (fault.kind === "throttle") {
      stats.throttled++;
      this.notBefore.set(key, Date.now() + fault.retryAfterSeconds * 1000);
      return json(
        429,
        errorBody("TooManyRequests", "Application is over its MailboxConcurrency limit.", requestId),
        {
          "Retry-After": String(fault.retryAfterSeconds),
        },
      );
    }
    if (fault.kind === "unavailable") {
      stats.unavailable++;
      this.notBefore.set(key, Date.now() + fault.retryAfterSeconds * 1000);
      return json(503, errorBody("ServiceUnavailable", "Service Unavailable", requestId), {
        "Retry-After": String(fault.retryAfterSeconds),
      });
    }
    if (fault.kind === "gatewayTimeout") {
      stats.unavailable++;
      return json(504, errorBody("GatewayTimeout", "Gateway Timeout", requestId));
    }
    if (fault.kind === "expired") {
      stats.expired++;
      return json(
        410,
        errorBody("SyncStateNotFound", "The sync state generation is no longer valid.", requestId),
      );
    }
    return undefined;
  }

  /** One GET (a whole request or a $batch sub-request), with its faults. */
  private answer(req: GraphRequest, canDrop: boolean): GraphResponse | "drop" {
    const requestId = randomUUID();
    const mailbox = mailboxOf(req.url);
    const key = `${mailbox ?? ""} ${req.url}`;
    const waitUntil = this.notBefore.get(key);
    if (waitUntil !== undefined) {
      if (Date.now() < waitUntil) this.stats.earlyRetries++;
      this.notBefore.delete(key);
    }
    const fault = this.faults?.decide(mailbox, req.url, canDrop);
    if (fault?.kind === "drop") {
      this.stats.dropped++;
      return "drop";
    }
    if (fault) return this.faultResponse(fault, key, requestId) as GraphResponse;
    try {
      return route(
        {
          tenant: this.tenant,
          base: this.base,
          duplicateAcrossPages: this.faults?.options.duplicateAcrossPages === true,
          onPage: (k) => (this.stats.pages[k] = (this.stats.pages[k] ?? 0) + 1),
        },
        req,
      );
    } catch (e) {
      if (e instanceof GraphHttpError)
        return json(e.status, errorBody(e.code, e.message, requestId), e.headers);
      throw e;
    }
  }

  private batch(body: unknown): GraphResponse {
    const requests = (body as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(requests))
      throw new GraphHttpError(400, "BadRequest", "Invalid batch payload format.");
    if (requests.length > 20)
      throw new GraphHttpError(400, "BadRequest", "The number of batch requests exceeds the limit of 20.");
    const ids = new Set<string>();
    const subs = requests.map((r: SubRequestJson) => subRequestOf(r, ids));
    this.stats.batchSubRequests += subs.length;
    const responses = subs.map(({ id, req }) => {
      const out = this.answer(req, false) as GraphResponse;
      return { id, status: out.status, headers: out.headers, body: out.body };
    });
    return json(200, { responses });
  }
}

/** A request's body text, and its method, URL (after the version segment) and headers. */
async function readRequest(req: IncomingMessage): Promise<{ raw: string; request: GraphRequest }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
  return {
    raw,
    request: { method: req.method ?? "GET", url: (req.url ?? "/").replace(/^\/v1\.0/, ""), headers },
  };
}

/** The mailboxes a request touches: its own, or those of its $batch sub-requests. */
function mailboxesOf(url: string, body: Record<string, unknown>): (string | undefined)[] {
  if (url !== "/$batch") return [mailboxOf(url)];
  const requests = Array.isArray(body.requests) ? (body.requests as { url?: unknown }[]) : [];
  return requests.map((r) => mailboxOf(subUrl(r.url)));
}

interface SubRequestJson {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: Record<string, string>;
}

/** One `$batch` sub-request as a request; its id must be present and not among `ids` (it is added there). */
function subRequestOf(r: SubRequestJson, ids: Set<string>): { id: string; req: GraphRequest } {
  const id = String(r.id ?? "");
  if (!id || ids.has(id))
    throw new GraphHttpError(400, "BadRequest", "Batch request ids must be present and unique.");
  ids.add(id);
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  return { id, req: { method: String(r.method ?? "GET"), url: subUrl(r.url), headers } };
}
