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
  // eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
  async send(req: HttpRequest): Promise<HttpResponse> {
    const url = this.resolve(req.url);
    const path = safePath(url);
    const started = this.o.now();
    for (let attempt = 1; ; attempt++) {
      await this.waitWhileThrottled();
      const headers = await this.headers(req);
      const release = await this.semaphore.acquire();
      // A 429 may have closed the gate while this request queued for a permit: sending now would
      // only extend the wait, so go back to the gate.
      if (this.throttledUntil > this.o.now()) {
        release();
        attempt--;
        continue;
      }
      const t0 = this.o.now();
      let res: Response | undefined;
      let text = "";
      let failure: unknown;
      try {
        res = await this.o.fetch(url, {
          method: req.method,
          headers,
          body: req.body,
          signal: AbortSignal.timeout(this.o.requestTimeoutMs),
        });
        text = await res.text();
      } catch (err) {
        failure = err;
      } finally {
        release();
      }
      const ms = this.o.now() - t0;
      const retriesLeft = attempt <= this.o.maxRetries;
      const elapsed = this.o.now() - started;

      if (failure !== undefined || !res) {
        const kind = connectionFailure(failure);
        const retry = retriesLeft && (kind === "not-sent" || (kind === "ambiguous" && req.idempotent));
        const delay = this.backoff(attempt);
        const willRetry = retry && elapsed + delay <= this.o.maxRetryTimeMs;
        this.report(req.method, path, 0, ms, attempt, willRetry);
        if (!willRetry) {
          if (kind === "other") throw failure;
          throw new NetworkError({ status: 0, method: req.method, path, cause: failure });
        }
        await this.o.sleep(delay);
        continue;
      }

      const status = res.status;
      const contentType = res.headers.get("content-type") ?? "";
      if ((status >= 200 && status < 300) || contentType.startsWith("multipart/")) {
        this.report(req.method, path, status, ms, attempt, false);
        return { status, headers: res.headers, text };
      }

      const retryAfter = retryAfterMs(res.headers.get("retry-after"), this.o.now());
      let delay: number | undefined;
      if (status === 429) delay = retryAfter ?? this.backoff(attempt);
      else if (status === 502 || status === 503) delay = retryAfter ?? this.backoff(attempt);
      else if (status === 504 && req.idempotent) delay = this.backoff(attempt);
      const willRetry = delay !== undefined && retriesLeft && elapsed + delay <= this.o.maxRetryTimeMs;
      this.report(req.method, path, status, ms, attempt, willRetry);
      if (!willRetry || delay === undefined)
        throw this.error(req, path, status, res.headers, text, retryAfter);
      if (status === 429) this.throttle(delay);
      else await this.o.sleep(delay);
    }
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

  // eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
  private error(
    req: HttpRequest,
    path: string,
    status: number,
    headers: Headers,
    text: string,
    retryAfter: number | undefined,
  ): DataverseError {
    const { code, message } = parseErrorBody(text);
    const init = {
      status,
      code,
      serverMessage: message,
      requestId: requestIdOf(headers),
      method: req.method,
      path,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    };
    return status === 429 ? new ThrottledError(init) : errorForStatus(init, req.precondition);
  }

  // eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
  private report(
    method: HttpMethod,
    path: string,
    status: number,
    ms: number,
    attempt: number,
    willRetry: boolean,
  ): void {
    this.o.onRequest?.({ method, path, status, ms, attempt, willRetry });
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
