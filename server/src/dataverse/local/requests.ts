import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import { handleBatch } from "./batch";
import { DataverseHttpError, ERROR_CODES } from "./errors";
import type { FaultDecision, FaultInjector } from "./faults";
import type { Identities } from "./identity";
import { BASE_PATH, handleRequest, type RouteContext } from "./router";
import { crossSiteRefusal } from "./sameSite";
import { accessOf } from "./security";
import type { LocalDataverseStats } from "./server";
import type { SqlStore } from "./sqlStore";
import { type DvResponse, errorResponse } from "./wire";

/**
 * One HTTP request to the local endpoint, from its arrival to its answer: counted, authenticated by its
 * bearer token, refused when a hostile page could have sent it, maybe faulted (tests), its body read
 * within the limit, and answered by the batch runner (`POST $batch`) or the router.
 */

/** What serving a request needs of the running endpoint. */
export interface Endpoint {
  store: SqlStore;
  identities: Identities;
  stats: LocalDataverseStats;
  maxBody: number;
  faults?: FaultInjector;
  /** Clock for createdon/modifiedon. */
  now: () => number;
  /** Unexpected errors (bugs), with the id of the request they failed. */
  report: (err: unknown, requestId: string) => void;
}

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

function unauthenticated(stats: LocalDataverseStats, req: IncomingMessage): DvResponse {
  stats.unauthorized++;
  req.resume();
  return errorResponse(
    new DataverseHttpError(
      401,
      ERROR_CODES.authentication,
      "The requested resource requires authentication.",
      {
        headers: { "WWW-Authenticate": "Bearer" },
      },
    ),
  );
}

/** The request's body, or undefined when it is larger than the limit (then it has been answered 413). */
async function bodyOf(
  ep: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  reqId: string,
): Promise<Buffer | undefined> {
  try {
    return await readBody(req, ep.maxBody);
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
          `The request body is larger than the limit of ${ep.maxBody} bytes.`,
        ),
      ),
    );
    return undefined;
  }
}

function batchAnswer(
  ep: Endpoint,
  ctx: RouteContext,
  headers: Record<string, string | undefined>,
  body: Buffer,
): DvResponse {
  try {
    const outcome = handleBatch(ctx, { headers, body }, ep.maxBody);
    ep.stats.batchRequests += outcome.requests;
    return {
      status: outcome.status,
      headers: { "Content-Type": outcome.contentType, "OData-Version": "4.0" },
      body: outcome.body,
    };
  } catch (err) {
    if (!(err instanceof DataverseHttpError)) throw err;
    return errorResponse(err);
  }
}

/** The answer to an admitted request: `POST $batch` goes to the batch runner, the rest to the router. */
function answer(ep: Endpoint, ctx: RouteContext, req: IncomingMessage, body: Buffer): DvResponse {
  const method = req.method ?? "GET";
  const headers = lowerCaseHeaders(req);
  const target = req.url ?? "/";
  if (method === "POST" && target.split("?")[0] === `${BASE_PATH}$batch`)
    return batchAnswer(ep, ctx, headers, body);
  return handleRequest(ctx, { method, target, headers, body: body.toString("utf8") });
}

async function onRequest(
  ep: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  linkOrigin: string,
): Promise<void> {
  const reqId = randomUUID();
  const method = req.method ?? "GET";
  ep.stats.requests++;
  ep.stats.byMethod[method] = (ep.stats.byMethod[method] ?? 0) + 1;
  const caller = ep.identities.callerFor(req.headers.authorization);
  if (!caller) return send(res, reqId, unauthenticated(ep.stats, req));
  const refused = crossSiteRefusal(method, req.url ?? "/", req.headers);
  if (refused) {
    req.resume();
    return send(res, reqId, errorResponse(refused));
  }
  const fault = ep.faults?.decide();
  if (fault && (await applyFault(ep.stats, fault, req, res, reqId))) return;
  const body = await bodyOf(ep, req, res, reqId);
  if (!body) return;
  const ctx: RouteContext = {
    store: ep.store,
    now: ep.now,
    // The links (@odata.context, nextLink, Location, OData-EntityId) name the server's own origin: a
    // client that follows them sends its token there, so a forged Host header must not choose it.
    serviceRoot: `${linkOrigin}${BASE_PATH}`,
    access: accessOf(ep.store, caller),
    onUnexpected: (err) => ep.report(err, reqId),
  };
  send(res, reqId, answer(ep, ctx, req, body));
}

/** Serves one request; an unexpected error is reported and answered 500 (or the connection dropped). */
export function serve(ep: Endpoint, req: IncomingMessage, res: ServerResponse, linkOrigin: string): void {
  onRequest(ep, req, res, linkOrigin).catch((err: unknown) => {
    const id = randomUUID();
    ep.report(err, id);
    if (!res.headersSent)
      send(
        res,
        id,
        errorResponse(new DataverseHttpError(500, ERROR_CODES.unexpected, "An unexpected error occurred.")),
      );
    else res.destroy();
  });
}
