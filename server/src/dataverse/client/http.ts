import type { TokenProvider } from "../../net/auth";
import { Semaphore } from "../../net/semaphore";
import {
  DataverseError,
  errorForStatus,
  NetworkError,
  parseErrorBody,
  type PreconditionKind,
  ThrottledError,
} from "./errors";

/**
 * Sends one Web API request with the service-protection behaviour Dataverse asks of clients:
 * every request holds a permit of the instance's semaphore while in flight; a 429 closes a shared
 * gate for Retry-After so that no request of this instance is sent while throttled (sending then only
 * extends the wait); 502/503 and connection failures are retried with exponential backoff and jitter,
 * but a request the server may already have run (a POST create after a reset or a 504) is retried
 * only when the caller marked it idempotent. Attempts and total time are bounded.
 */

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** Reported once per HTTP attempt, for counting requests in benchmarks and for logs (ids only). */
export interface RequestEvent {
  method: HttpMethod;
  /** Path without query; alternate-key values masked. */
  path: string;
  /** 0 when no response arrived (connection failure, timeout). */
  status: number;
  ms: number;
  /** 1 for the first try. */
  attempt: number;
  /** The client will send this request again. */
  willRetry: boolean;
}

export interface TransportOptions {
  /** The Web API root, e.g. `https://contoso.crm.dynamics.com/api/data/v9.2` (no trailing slash). */
  apiRoot: string;
  token: TokenProvider;
  maxConcurrency: number;
  maxRetries: number;
  maxRetryTimeMs: number;
  requestTimeoutMs: number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  onRequest?: ((event: RequestEvent) => void) | undefined;
}

export interface HttpRequest {
  method: HttpMethod;
  /** Relative to the API root (`accounts?$select=name`), or absolute on the same host (a nextLink). */
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** Serialised body; JSON unless `headers` give another Content-Type. */
  body?: string;
  /** Safe to send again when the outcome of an attempt is unknown (reset, timeout, 504). */
  idempotent: boolean;
  /** Which precondition this request sent, to name a 412. */
  precondition?: PreconditionKind;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** A request being sent: what every attempt of it needs. */
interface Sending {
  req: HttpRequest;
  url: string;
  /** For errors and events: no query, no key values (see safePath). */
  path: string;
  started: number;
}

/** What one attempt got: the response and its body, or the failure that stopped it. */
type Sent =
  { ok: true; res: Response; text: string; ms: number } | { ok: false; failure: unknown; ms: number };

/** Where the request stands after an attempt. */
interface Tried {
  attempt: number;
  ms: number;
  retriesLeft: boolean;
  elapsed: number;
}

const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 60_000;

export class Transport {
  private readonly semaphore: Semaphore;
  /** Until when (clock ms) the service asked this client to hold off. */
  private throttledUntil = 0;

  constructor(private readonly o: TransportOptions) {
    this.semaphore = new Semaphore(o.maxConcurrency);
  }

  get apiRoot(): string {
    return this.o.apiRoot;
  }

  /** Absolute URL for a request URL relative to the API root. */
  resolve(url: string): string {
    return /^https?:\/\//i.test(url) ? url : `${this.o.apiRoot}/${url.replace(/^\//, "")}`;
  }

  /**
   * Sends until a final answer: 2xx, or any multipart response (a `$batch` answer whose items the
   * batch code reads; retrying it whole could run items twice). Throws a typed DataverseError otherwise.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const url = this.resolve(req.url);
    const sending: Sending = { req, url, path: safePath(url), started: this.o.now() };
    for (let attempt = 1; ; attempt++) {
      const sent = await this.attempt(sending);
      if (!sent) {
        attempt--;
        continue;
      }
      const tried: Tried = {
        attempt,
        ms: sent.ms,
        retriesLeft: attempt <= this.o.maxRetries,
        elapsed: this.o.now() - sending.started,
      };
      if (!sent.ok) await this.afterFailure(sending, tried, sent.failure);
      else {
        const answer = await this.afterResponse(sending, tried, sent);
        if (answer) return answer;
      }
    }
  }

  /**
   * One attempt: through the gate, a permit, the fetch and its body. Undefined when a 429 closed the
   * gate while the request queued for a permit: sending now would only extend the wait, so it goes back.
   */
  private async attempt(s: Sending): Promise<Sent | undefined> {
    await this.waitWhileThrottled();
    const headers = await this.headers(s.req);
    const release = await this.semaphore.acquire();
    if (this.throttledUntil > this.o.now()) {
      release();
      return undefined;
    }
    const t0 = this.o.now();
    let res: Response | undefined;
    let text = "";
    let failure: unknown;
    try {
      res = await this.o.fetch(s.url, {
        method: s.req.method,
        headers,
        body: s.req.body,
        signal: AbortSignal.timeout(this.o.requestTimeoutMs),
      });
      text = await res.text();
    } catch (err) {
      failure = err;
    } finally {
      release();
    }
    const ms = this.o.now() - t0;
    return failure !== undefined || !res ? { ok: false, failure, ms } : { ok: true, res, text, ms };
  }

  /** After a connection failure: waits before the next attempt, or throws when none will follow. */
  private async afterFailure(s: Sending, t: Tried, failure: unknown): Promise<void> {
    const kind = connectionFailure(failure);
    const retry = t.retriesLeft && (kind === "not-sent" || (kind === "ambiguous" && s.req.idempotent));
    const delay = this.backoff(t.attempt);
    const willRetry = retry && t.elapsed + delay <= this.o.maxRetryTimeMs;
    this.report(s, t, 0, willRetry);
    if (!willRetry) {
      if (kind === "other") throw failure;
      throw new NetworkError({ status: 0, method: s.req.method, path: s.path, cause: failure });
    }
    await this.o.sleep(delay);
  }

  /**
   * After a response: the final answer, or undefined once the wait before the next attempt is done
   * (a 429 closes the gate instead of sleeping); throws the typed error when no attempt will follow.
   */
  private async afterResponse(
    s: Sending,
    t: Tried,
    sent: Extract<Sent, { ok: true }>,
  ): Promise<HttpResponse | undefined> {
    const { status, headers } = sent.res;
    const contentType = headers.get("content-type") ?? "";
    if ((status >= 200 && status < 300) || contentType.startsWith("multipart/")) {
      this.report(s, t, status, false);
      return { status, headers, text: sent.text };
    }
    const retryAfter = retryAfterMs(headers.get("retry-after"), this.o.now());
    const delay = this.retryDelay(status, s.req, t.attempt, retryAfter);
    const willRetry = delay !== undefined && t.retriesLeft && t.elapsed + delay <= this.o.maxRetryTimeMs;
    this.report(s, t, status, willRetry);
    if (!willRetry || delay === undefined)
      throw this.error(s, { status, headers, text: sent.text }, retryAfter);
    if (status === 429) this.throttle(delay);
    else await this.o.sleep(delay);
    return undefined;
  }

  /** How long to wait before retrying a status: undefined when it is not retried. */
  private retryDelay(
    status: number,
    req: HttpRequest,
    attempt: number,
    retryAfter: number | undefined,
  ): number | undefined {
    if (status === 429 || status === 502 || status === 503) return retryAfter ?? this.backoff(attempt);
    if (status === 504 && req.idempotent) return this.backoff(attempt);
    return undefined;
  }

  /** Closes the shared gate: every request of this client waits until the service's Retry-After. */
  throttle(ms: number): void {
    this.throttledUntil = Math.max(this.throttledUntil, this.o.now() + ms);
  }

  /** Backoff before retry `attempt` (1-based): doubling from 1 s, capped at 60 s, with equal jitter. */
  backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.o.random() * ceiling) / 2);
  }

  get limits(): { maxRetries: number; maxRetryTimeMs: number } {
    return { maxRetries: this.o.maxRetries, maxRetryTimeMs: this.o.maxRetryTimeMs };
  }

  now(): number {
    return this.o.now();
  }

  private async waitWhileThrottled(): Promise<void> {
    // One wait per attempt, computed from the gate: an injected sleep need not move the clock.
    const wait = this.throttledUntil - this.o.now();
    if (wait > 0) await this.o.sleep(wait);
  }

  private async headers(req: HttpRequest): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "OData-MaxVersion": "4.0",
      "OData-Version": "4.0",
      Authorization: `Bearer ${await this.o.token()}`,
    };
    if (req.method === "GET") headers["If-None-Match"] = "null";
    if (req.body !== undefined) headers["Content-Type"] = "application/json; charset=utf-8";
    return { ...headers, ...req.headers };
  }

  private error(s: Sending, res: HttpResponse, retryAfter: number | undefined): DataverseError {
    const { code, message } = parseErrorBody(res.text);
    const init = {
      status: res.status,
      code,
      serverMessage: message,
      requestId: requestIdOf(res.headers),
      method: s.req.method,
      path: s.path,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    };
    return res.status === 429 ? new ThrottledError(init) : errorForStatus(init, s.req.precondition);
  }

  private report(s: Sending, t: Tried, status: number, willRetry: boolean): void {
    this.o.onRequest?.({
      method: s.req.method,
      path: s.path,
      status,
      ms: t.ms,
      attempt: t.attempt,
      willRetry,
    });
  }
}

/** The Dataverse request id of a response (`REQ_ID`, or `x-ms-service-request-id`). */
export function requestIdOf(headers: { get(name: string): string | null }): string | undefined {
  return headers.get("req_id") ?? headers.get("x-ms-service-request-id") ?? undefined;
}

/**
 * Retry-After as milliseconds: delta-seconds (what Dataverse sends) or an HTTP date. Undefined when
 * absent or unreadable.
 */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The URL's path for errors and events: no query (its values may be personal) and no alternate-key
 * values (`contacts(emailaddress1='***')`); GUIDs stay, they identify without revealing.
 */
export function safePath(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split("?")[0] ?? "";
  }
  return path.replace(/'(?:[^']|'')*'/g, "'***'");
}

/**
 * How a fetch failure bears on retrying: `not-sent` (the connection was never made: safe for any
 * request), `ambiguous` (reset, hang-up, timeout, "terminated": the server may have run it),
 * `unreachable` (the host name does not resolve: retrying will not help), `other` (a programming
 * error such as an invalid URL: never retried, rethrown as is).
 */
export function connectionFailure(err: unknown): "not-sent" | "ambiguous" | "unreachable" | "other" {
  const codes: string[] = [];
  const messages: string[] = [];
  let names = "";
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== "object") break;
    const { code, message, name, cause } = e as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
      cause?: unknown;
    };
    if (typeof code === "string") codes.push(code);
    if (typeof message === "string") messages.push(message);
    if (typeof name === "string") names += ` ${name}`;
    e = cause;
  }
  if (codes.some((c) => UNREACHABLE.has(c))) return "unreachable";
  if (codes.some((c) => NOT_SENT.has(c))) return "not-sent";
  if (codes.some((c) => AMBIGUOUS.has(c))) return "ambiguous";
  if (/TimeoutError|AbortError/.test(names)) return "ambiguous";
  if (messages.some((m) => /socket hang up|terminated|other side closed|fetch failed|ECONNRESET/i.test(m)))
    return "ambiguous";
  return "other";
}

const UNREACHABLE = new Set(["ENOTFOUND"]);
const NOT_SENT = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EAI_AGAIN"]);
const AMBIGUOUS = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);
