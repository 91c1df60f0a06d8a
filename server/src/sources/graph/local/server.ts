import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";

import { generate } from "selfsigned";

import { listen } from "../../../net/listen";
import { type Fault, type GraphFaultOptions, GraphFaults } from "./faults";
import { LocalSubscriptions } from "./localSubscriptions";
import { errorBody, GraphHttpError, type GraphRequest, type GraphResponse, mailboxOf, route } from "./routes";
import type { LocalTenant } from "./tenant";

/**
 * The local Graph-compatible server: HTTPS with a self-signed certificate made at start (the Graph SDK
 * sends tokens only to https hosts), bearer-token authentication compared in constant time, the read
 * routes, `$batch` (at most 20 sub-requests, each throttled on its own), subscriptions, and fault
 * injection. It counts what a test or benchmark needs to check: requests, pages, throttles, retries that
 * came before their Retry-After, and the most requests in flight per mailbox.
 */

export interface LocalGraphOptions {
  tenant: LocalTenant;
  token: string;
  port?: number;
  faults?: GraphFaultOptions;
}

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

export interface LocalGraph {
  /** `https://localhost:<port>/` — the SDK's baseUrl. */
  baseUrl: string;
  /** The certificate (PEM) to trust. */
  ca: string;
  token: string;
  tenant: LocalTenant;
  stats: LocalGraphStats;
  subscriptions: LocalSubscriptions;
  /** Changes the fault options (a test lets a storm start or stop). */
  setFaults(faults: GraphFaultOptions | undefined): void;
  close(): Promise<void>;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (status: number, body: unknown, headers: Record<string, string> = {}): GraphResponse => ({
  status,
  headers: { "Content-Type": "application/json", ...headers },
  body,
});

// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export async function startLocalGraph(options: LocalGraphOptions): Promise<LocalGraph> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: false },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  const expected = digest(options.token);
  let faults = options.faults ? new GraphFaults(options.faults) : undefined;
  const stats: LocalGraphStats = {
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
  const inFlight = new Map<string, number>();
  const notBefore = new Map<string, number>();
  const subscriptions = new LocalSubscriptions();
  let base = "";

  const enter = (mailbox: string | undefined, n = 1) => {
    if (mailbox === undefined) return;
    const now = (inFlight.get(mailbox) ?? 0) + n;
    inFlight.set(mailbox, now);
    stats.maxInFlightPerMailbox = Math.max(stats.maxInFlightPerMailbox, now);
  };
  const leave = (mailbox: string | undefined, n = 1) => {
    if (mailbox !== undefined) inFlight.set(mailbox, (inFlight.get(mailbox) ?? n) - n);
  };

  /** A fault answer, recording when the request may be repeated. */
  function faultResponse(fault: Fault, key: string, requestId: string): GraphResponse | undefined {
    if (fault.kind === "throttle") {
      stats.throttled++;
      notBefore.set(key, Date.now() + fault.retryAfterSeconds * 1000);
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
      notBefore.set(key, Date.now() + fault.retryAfterSeconds * 1000);
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
  function answer(req: GraphRequest, canDrop: boolean): GraphResponse | "drop" {
    const requestId = randomUUID();
    const mailbox = mailboxOf(req.url);
    const key = `${mailbox ?? ""} ${req.url}`;
    const waitUntil = notBefore.get(key);
    if (waitUntil !== undefined) {
      if (Date.now() < waitUntil) stats.earlyRetries++;
      notBefore.delete(key);
    }
    const fault = faults?.decide(mailbox, req.url, canDrop);
    if (fault?.kind === "drop") {
      stats.dropped++;
      return "drop";
    }
    if (fault) return faultResponse(fault, key, requestId) as GraphResponse;
    try {
      return route(
        {
          tenant: options.tenant,
          base,
          duplicateAcrossPages: faults?.options.duplicateAcrossPages === true,
          onPage: (k) => (stats.pages[k] = (stats.pages[k] ?? 0) + 1),
        },
        req,
      );
    } catch (e) {
      if (e instanceof GraphHttpError)
        return json(e.status, errorBody(e.code, e.message, requestId), e.headers);
      throw e;
    }
  }

  function batch(body: unknown): GraphResponse {
    const requests = (body as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(requests))
      throw new GraphHttpError(400, "BadRequest", "Invalid batch payload format.");
    if (requests.length > 20)
      throw new GraphHttpError(400, "BadRequest", "The number of batch requests exceeds the limit of 20.");
    const ids = new Set<string>();
    const subs = requests.map(
      (r: { id?: unknown; method?: unknown; url?: unknown; headers?: Record<string, string> }) => {
        const id = String(r.id ?? "");
        if (!id || ids.has(id))
          throw new GraphHttpError(400, "BadRequest", "Batch request ids must be present and unique.");
        ids.add(id);
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
        return {
          id,
          req: {
            method: String(r.method ?? "GET"),
            url: String(r.url ?? "").replace(/^\/?(v1\.0\/)?/, "/"),
            headers,
          },
        };
      },
    );
    stats.batchSubRequests += subs.length;
    const responses = subs.map(({ id, req }) => {
      const out = answer(req, false) as GraphResponse;
      return { id, status: out.status, headers: out.headers, body: out.body };
    });
    return json(200, { responses });
  }

  /** The mailboxes a request touches: its own, or those of its $batch sub-requests. */
  function mailboxesOf(url: string, body: Record<string, unknown>): (string | undefined)[] {
    if (url !== "/$batch") return [mailboxOf(url)];
    const requests = Array.isArray(body.requests) ? (body.requests as { url?: unknown }[]) : [];
    return requests.map((r) => mailboxOf(String(r.url ?? "").replace(/^\/?(v1\.0\/)?/, "/")));
  }

  // eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const send = (out: GraphResponse) => {
      res.writeHead(out.status, { ...out.headers, "request-id": randomUUID() });
      res.end(out.body === undefined ? undefined : JSON.stringify(out.body));
    };
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
    if (!m?.[1] || !timingSafeEqual(digest(m[1].trim()), expected)) {
      stats.unauthorized++;
      req.resume();
      send(
        json(401, errorBody("InvalidAuthenticationToken", "Access token is empty or invalid.", randomUUID())),
      );
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const method = req.method ?? "GET";
    const url = (req.url ?? "/").replace(/^\/v1\.0/, "");
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    let touched: (string | undefined)[] = [];
    try {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      touched = mailboxesOf(url, body);
      touched.forEach((m) => enter(m));
      if (faults?.options.delayMs) await sleep(faults.options.delayMs);
      if (method === "POST" && url === "/$batch") return send(batch(body));
      const sub = /^\/subscriptions(?:\/([^/?]+))?$/.exec(url.split("?")[0] ?? "");
      if (sub) {
        if (method === "POST" && !sub[1]) return send(json(201, await subscriptions.create(body)));
        if (method === "PATCH" && sub[1]) return send(json(200, subscriptions.renew(sub[1], body)));
        if (method === "DELETE" && sub[1]) {
          subscriptions.remove(sub[1]);
          return send({ status: 204, headers: {} });
        }
      }
      const out = answer({ method, url, headers }, true);
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
      touched.forEach((m) => leave(m));
    }
  }

  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      process.stderr.write(`local graph: unexpected ${e instanceof Error ? e.name : "error"}\n`);
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(
          JSON.stringify(
            errorBody("InternalServerError", "An internal server error occurred.", randomUUID()),
          ),
        );
      } else res.destroy();
    });
  });
  const { port } = await listen(server, options.port ?? 0, "127.0.0.1");
  base = `https://localhost:${port}/v1.0`;
  return {
    baseUrl: `https://localhost:${port}/`,
    ca: pems.cert,
    token: options.token,
    tenant: options.tenant,
    stats,
    subscriptions,
    setFaults: (f) => {
      faults = f ? new GraphFaults(f) : undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
