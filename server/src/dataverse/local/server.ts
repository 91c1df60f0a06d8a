import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { listen, ListenError } from "../../net/listen";
import { handleBatch } from "./batch";
import { DataverseHttpError, ERROR_CODES, LocalDataverseStartError } from "./errors";
import { type FaultDecision, FaultInjector, type FaultOptions } from "./faults";
import { Identities } from "./identity";
import { BASE_PATH, handleRequest, type RouteContext } from "./routes";
import { crossSiteRefusal } from "./sameSite";
import { accessOf, ensureRoles } from "./security";
import { SqlStore } from "./sqlStore";
import { infoBySet } from "./tableInfo";
import { type DvResponse, errorResponse } from "./wire";
import { createRecord, type WriteContext } from "./writes";

/**
 * The local Dataverse-compatible endpoint: node:http in front of the SQLite store. Every request is
 * authenticated by its bearer token, which signs in a caller whose roles' privileges every request is
 * checked against (security.ts), may be faulted (tests), and is answered by the synchronous router;
 * `$batch` goes through the batch runner.
 */

export interface LocalDataverseOptions {
  /** SQLite file (created when missing) or ":memory:". */
  db: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the endpoint is for this machine. */
  host?: string;
  /**
   * The origin clients reach the endpoint at, named in its links (`@odata.context`, `@odata.nextLink`,
   * `Location`, `OData-EntityId`). Default `http://<host>:<port>`; set it when listening on 0.0.0.0.
   */
  origin?: string;
  /** The bearer token of the local administrator: System Administrator, every privilege. */
  token: string;
  /**
   * Further bearer tokens, each signing in a user (token → systemuserid): such a caller may do what the
   * roles associated with that user (systemuserroles, or teamroles through teammembership) allow.
   */
  users?: Readonly<Record<string, string>>;
  /** Fault injection for tests; off when absent. */
  faults?: FaultOptions;
  /** Request bodies above this get 413 (default 64 MiB). */
  maxBodyBytes?: number;
  /** Clock for createdon/modifiedon (tests). */
  now?: () => number;
  /** Unexpected errors (bugs) are reported here; default: one line on stderr with the request id. */
  onUnexpected?: (err: unknown, requestId: string) => void;
}

export interface LocalDataverseStats {
  requests: number;
  byMethod: Record<string, number>;
  /** Requests inside $batch bodies. */
  batchRequests: number;
  unauthorized: number;
  faults: { throttle: number; unavailable: number; reset: number; slow: number };
}

/** Records to insert per entity set, as Web API create payloads (lookups by `nav@odata.bind`). */
export type SeedData = Record<string, readonly Record<string, unknown>[]>;

export interface LocalDataverse {
  /** Origin, e.g. `http://127.0.0.1:5555`. */
  url: string;
  /** `${url}/api/data/v9.2/` */
  serviceRoot: string;
  token: string;
  /** Signs a user in: returns a new bearer token whose requests run as that systemuser, with its roles. */
  tokenFor(systemuserid: string): string;
  /** Live counters. */
  stats: LocalDataverseStats;
  /** Inserts records directly (no HTTP), all in one transaction; returns the new ids per entity set. */
  seed(data: SeedData): Record<string, string[]>;
  /**
   * Answers one request as the endpoint's own server would (token check included), so a host can serve
   * the Web API on its own origin under /api/data/v9.2/ (the local preview does). `origin` is that host's
   * origin (`http://localhost:4280`): the links in the answers name it. Never the request's Host header,
   * which any client may set.
   */
  handle(req: IncomingMessage, res: ServerResponse, origin?: string): void;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

class BodyTooLarge extends Error {
  override readonly name = "BodyTooLarge";
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes a response with its request id (the header Dataverse names REQ_ID). */
function send(
  res: ServerResponse,
  reqId: string,
  out: DvResponse | { status: number; headers: Record<string, string>; body?: string },
) {
  res.writeHead(out.status, { ...out.headers, REQ_ID: reqId });
  res.end(out.body);
}

/**
 * Plays an injected fault: waits its delay (slow), then drops the connection (reset) or answers as the
 * service does when it throttles (429 with Retry-After) or is unavailable (503). True when the request
 * was answered or dropped.
 */
async function applyFault(
  stats: LocalDataverseStats,
  fault: FaultDecision,
  req: IncomingMessage,
  res: ServerResponse,
  reqId: string,
): Promise<boolean> {
  if (fault.delayMs > 0) {
    stats.faults.slow++;
    await sleep(fault.delayMs);
  }
  if (fault.kind === "none") return false;
  stats.faults[fault.kind]++;
  if (fault.kind === "reset") {
    req.socket.destroy();
    return true;
  }
  req.resume();
  const err =
    fault.kind === "throttle"
      ? new DataverseHttpError(
          429,
          ERROR_CODES.throttled,
          "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
          { headers: { "Retry-After": String(fault.retryAfterSeconds) } },
        )
      : new DataverseHttpError(
          503,
          ERROR_CODES.unexpected,
          "The service is temporarily unavailable. Try again later.",
        );
  send(res, reqId, errorResponse(err));
  return true;
}

// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export async function startLocalDataverse(options: LocalDataverseOptions): Promise<LocalDataverse> {
  if (!options.token)
    throw new LocalDataverseStartError("a token is required to start the local Dataverse endpoint");
  let identities: Identities;
  try {
    identities = new Identities(options.token, options.users);
  } catch (err) {
    throw new LocalDataverseStartError(`users: ${(err as Error).message}`, { cause: err });
  }
  const store = SqlStore.open(options.db);
  ensureRoles(store);
  const host = options.host ?? "127.0.0.1";
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const faults = options.faults ? new FaultInjector(options.faults) : undefined;
  const stats: LocalDataverseStats = {
    requests: 0,
    byMethod: {},
    batchRequests: 0,
    unauthorized: 0,
    faults: { throttle: 0, unavailable: 0, reset: 0, slow: 0 },
  };
  const report =
    options.onUnexpected ??
    ((err: unknown, id: string) => {
      // The error's name and where it was thrown; never its message, which could quote request data.
      const where =
        err instanceof Error ? (err.stack?.split("\n").find((l) => l.trim().startsWith("at ")) ?? "") : "";
      process.stderr.write(
        `local dataverse: request ${id} failed unexpectedly: ${err instanceof Error ? err.name : "error"} ${where.trim()}\n`,
      );
    });
  let origin = "";

  // eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
  async function onRequest(req: IncomingMessage, res: ServerResponse, linkOrigin: string): Promise<void> {
    const reqId = randomUUID();
    const method = req.method ?? "GET";
    stats.requests++;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    const caller = identities.callerFor(req.headers.authorization);
    if (!caller) {
      stats.unauthorized++;
      req.resume();
      const err = new DataverseHttpError(
        401,
        ERROR_CODES.authentication,
        "The requested resource requires authentication.",
        {
          headers: { "WWW-Authenticate": "Bearer" },
        },
      );
      send(res, reqId, errorResponse(err));
      return;
    }
    const refused = crossSiteRefusal(method, req.url ?? "/", req.headers);
    if (refused) {
      req.resume();
      send(res, reqId, errorResponse(refused));
      return;
    }
    const fault = faults?.decide();
    if (fault && (await applyFault(stats, fault, req, res, reqId))) return;
    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      res.setHeader("Connection", "close");
      send(
        res,
        reqId,
        errorResponse(
          new DataverseHttpError(
            413,
            ERROR_CODES.payload,
            `The request body is larger than the limit of ${maxBody} bytes.`,
          ),
        ),
      );
      return;
    }
    const ctx: RouteContext = {
      store,
      now,
      // The links (@odata.context, nextLink, Location, OData-EntityId) name the server's own origin: a
      // client that follows them sends its token there, so a forged Host header must not choose it.
      serviceRoot: `${linkOrigin}${BASE_PATH}`,
      access: accessOf(store, caller),
      onUnexpected: (err) => report(err, reqId),
    };
    const headers = lowerCaseHeaders(req);
    const target = req.url ?? "/";
    if (method === "POST" && target.split("?")[0] === `${BASE_PATH}$batch`) {
      try {
        const outcome = handleBatch(ctx, { headers, body }, maxBody);
        stats.batchRequests += outcome.requests;
        send(res, reqId, {
          status: outcome.status,
          headers: { "Content-Type": outcome.contentType, "OData-Version": "4.0" },
          body: outcome.body,
        });
      } catch (err) {
        if (!(err instanceof DataverseHttpError)) throw err;
        send(res, reqId, errorResponse(err));
      }
      return;
    }
    send(res, reqId, handleRequest(ctx, { method, target, headers, body: body.toString("utf8") }));
  }

  const listener = (req: IncomingMessage, res: ServerResponse, linkOrigin = origin): void => {
    onRequest(req, res, linkOrigin).catch((err: unknown) => {
      const id = randomUUID();
      report(err, id);
      if (!res.headersSent)
        send(
          res,
          id,
          errorResponse(new DataverseHttpError(500, ERROR_CODES.unexpected, "An unexpected error occurred.")),
        );
      else res.destroy();
    });
  };
  const server = createServer((req, res) => listener(req, res));

  let address: AddressInfo;
  try {
    address = await listen(server, options.port ?? 0, host);
  } catch (err) {
    store.close();
    if (err instanceof ListenError) throw new LocalDataverseStartError(err.message, { cause: err.cause });
    throw err;
  }
  origin =
    options.origin?.replace(/\/+$/, "") ??
    `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;

  const writeContext: WriteContext = { store, now };
  return {
    url: origin,
    serviceRoot: `${origin}${BASE_PATH}`,
    token: options.token,
    tokenFor: (systemuserid) => identities.signIn(systemuserid),
    stats,
    seed(data: SeedData): Record<string, string[]> {
      return store.transaction(() => {
        const ids: Record<string, string[]> = {};
        for (const [set, records] of Object.entries(data)) {
          const info = infoBySet(set);
          if (!info) throw new Error(`seed: unknown entity set '${set}'`);
          ids[set] = records.map((r) => createRecord(writeContext, info, r));
        }
        return ids;
      });
    },
    handle: listener,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          store.close();
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
