import type { Client } from "@microsoft/microsoft-graph-client";

import { Semaphore } from "../../net/semaphore";
import { asRequestError, GraphRequestError } from "./graphHttp";
import { type BatchItem, type BatchOutcome, type GraphPage, type GraphPort, toPage } from "./graphPort";

export interface SdkGraphPortOptions {
  /** Page size asked for with `Prefer: odata.maxpagesize` (kept by Graph in the round's links). */
  pageSize: number;
  /** Requests in flight per mailbox (Outlook allows 4 per app and mailbox). */
  perMailbox?: number;
  /** Attempts of a request whose connection failed (the SDK retries only HTTP answers). */
  networkAttempts?: number;
  /** Rounds of re-sending throttled `$batch` sub-requests. */
  batchRounds?: number;
  /** Called with every wait a Retry-After imposed inside a `$batch` (for tests and logs). */
  onBatchRetry?: (seconds: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE = new Set([429, 503, 504]);

/** The path after the version segment, for `$batch` (which takes relative URLs). */
export function relativeUrl(url: string): string {
  if (!/^https:\/\//i.test(url)) return url.startsWith("/") ? url : `/${url}`;
  const u = new URL(url);
  return `${u.pathname.replace(/^\/(v1\.0|beta)/i, "")}${u.search}`;
}

/**
 * The GraphPort over the Graph SDK client: per-mailbox concurrency cap, retry of dropped connections,
 * and `$batch` with per-sub-request throttling handled (the SDK's retry sees only the outer 200).
 */
export class SdkGraphPort implements GraphPort {
  private readonly gates = new Map<string, Semaphore>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: Client,
    private readonly options: SdkGraphPortOptions,
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async page(url: string, mailbox?: string): Promise<GraphPage> {
    const release = await this.gate(mailbox).acquire();
    try {
      const body: unknown = await this.withNetworkRetry(() =>
        this.client.api(url).header("Prefer", `odata.maxpagesize=${this.options.pageSize}`).get(),
      );
      return toPage(body);
    } finally {
      release();
    }
  }

  async batch(items: readonly BatchItem[]): Promise<Map<string, BatchOutcome>> {
    if (items.length > 20) throw new RangeError("a Graph $batch holds at most 20 requests");
    const out = new Map<string, BatchOutcome>();
    let pending = [...items];
    const rounds = this.options.batchRounds ?? 10;
    for (let round = 0; pending.length && round < rounds; round++) {
      const responses = await this.postBatch(pending);
      const { retry, wait } = settleRound(pending, responses, out, round, round + 1 < rounds);
      if (retry.length && wait > 0) {
        this.options.onBatchRetry?.(wait);
        await this.sleep(wait * 1000);
      }
      pending = retry;
    }
    for (const item of pending) out.set(item.id, { error: { status: 429, code: "TooManyRequests" } });
    return out;
  }

  /** One `$batch` request of the pending items, inside each item's mailbox gate. */
  private async postBatch(pending: readonly BatchItem[]): Promise<SubResponse[]> {
    const releases = [];
    for (const item of pending) releases.push(await this.gate(item.mailbox).acquire());
    try {
      const body = (await this.withNetworkRetry(() =>
        this.client.api("/$batch").post({
          requests: pending.map((i) => ({
            id: i.id,
            method: "GET",
            url: relativeUrl(i.url),
            headers: { Prefer: `odata.maxpagesize=${this.options.pageSize}` },
          })),
        }),
      )) as { responses?: SubResponse[] };
      return body.responses ?? [];
    } finally {
      releases.forEach((r) => r());
    }
  }

  private gate(mailbox: string | undefined): Semaphore {
    const key = mailbox ?? "";
    let g = this.gates.get(key);
    if (!g) this.gates.set(key, (g = new Semaphore(this.options.perMailbox ?? 4)));
    return g;
  }

  /** Repeats a call whose connection failed (no HTTP answer at all), with a short growing pause. */
  private async withNetworkRetry<T>(call: () => Promise<T>): Promise<T> {
    const attempts = this.options.networkAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (e) {
        const http = asRequestError(e);
        if (http) throw http;
        if (attempt >= attempts) throw new GraphRequestError(0, "NetworkError", { cause: e });
        await this.sleep(100 * 2 ** attempt);
      }
    }
  }
}

/** One answer inside a `$batch` response. */
interface SubResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Puts each pending item's outcome into `out` (a page, or an error that will not pass by waiting), and returns
 * the items to send again (unanswered, or throttled while `canRetry`) with the longest Retry-After among them.
 */
function settleRound(
  pending: readonly BatchItem[],
  responses: readonly SubResponse[],
  out: Map<string, BatchOutcome>,
  round: number,
  canRetry: boolean,
): { retry: BatchItem[]; wait: number } {
  const retry: BatchItem[] = [];
  let wait = 0;
  for (const item of pending) {
    const r = responses.find((x) => x.id === item.id);
    if (!r) {
      retry.push(item);
      continue;
    }
    if (r.status >= 200 && r.status < 300) out.set(item.id, { page: toPage(r.body) });
    else if (RETRYABLE.has(r.status) && canRetry) {
      retry.push(item);
      wait = Math.max(wait, retryAfterSeconds(r.headers, round));
    } else {
      const code = ((r.body as { error?: { code?: unknown } } | undefined)?.error?.code ?? "") as string;
      out.set(item.id, { error: { status: r.status, code: String(code) } });
    }
  }
  return { retry, wait };
}

/** Retry-After of a sub-response in seconds (HTTP date or seconds), or a growing default without one. */
function retryAfterSeconds(headers: Record<string, string> | undefined, round: number): number {
  const raw = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "retry-after")?.[1];
  if (raw !== undefined) {
    const n = Number(raw);
    if (Number.isFinite(n)) return Math.max(0, n);
    const at = Date.parse(raw);
    if (Number.isFinite(at)) return Math.max(0, Math.ceil((at - Date.now()) / 1000));
  }
  return Math.min(2 ** round, 30);
}
