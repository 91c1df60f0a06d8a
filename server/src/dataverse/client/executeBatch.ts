import {
  type BatchItemResult,
  type BatchPart,
  buildBatch,
  isChangeSet,
  mapResults,
  notExecuted,
  parseBatchResponse,
} from "./batch";
import { DataverseError, InvalidValueError } from "./errors";
import { safePath, type Transport } from "./http";
import type { Operation } from "./requests";

/** Dataverse's limit: "Batch requests can contain up to 1000 individual requests". */
export const MAX_BATCH_SIZE = 1000;

export interface BatchOptions {
  /** `Prefer: odata.continue-on-error`: run every operation even after one fails. */
  continueOnError?: boolean;
  /**
   * Operations per HTTP batch, 1 to 1,000 (default 1,000). Microsoft suggests starting near 10 when
   * throughput matters: a batch counts as one request but its execution time adds up.
   */
  maxBatchSize?: number;
}

interface Slot {
  part: BatchPart;
  /** Index of the part's first operation in the caller's flattened list. */
  first: number;
  size: number;
}

/**
 * Runs operations as `$batch` requests of at most `maxBatchSize` operations (change sets never split)
 * and returns one result per operation, in the caller's order. Operations that came back 429 are sent
 * again, alone, after the service's Retry-After, until each has landed once or the retry budget is
 * spent (then they carry a ThrottledError). Without continue-on-error the batches run one after the
 * other and stop at the first failure; what never ran is reported as NotExecuted.
 */
export async function executeBatch(
  transport: Transport,
  parts: readonly BatchPart[],
  options: BatchOptions = {},
): Promise<BatchItemResult[]> {
  const { chunks, total } = chunksOf(parts, batchSize(options));
  const continueOnError = options.continueOnError ?? false;
  const results: BatchItemResult[] = new Array<BatchItemResult>(total);
  const record = (slot: Slot, rs: readonly BatchItemResult[]) =>
    rs.forEach((r, k) => (results[slot.first + k] = { ...r, index: slot.first + k }));
  const run = (chunk: Slot[]) => runChunk(transport, chunk, continueOnError, record);

  if (continueOnError) {
    await Promise.all(chunks.map(run));
  } else {
    let stopped = false;
    for (const chunk of chunks) {
      if (stopped) for (const slot of chunk) record(slot, notRun(transport, slot.part));
      else stopped = await run(chunk);
    }
  }
  return results;
}

function batchSize(options: BatchOptions): number {
  const max = options.maxBatchSize ?? MAX_BATCH_SIZE;
  if (!Number.isInteger(max) || max < 1 || max > MAX_BATCH_SIZE)
    throw new InvalidValueError("maxBatchSize", `expected an integer from 1 to ${MAX_BATCH_SIZE}`);
  return max;
}

/** The parts in chunks of at most `max` operations, change sets whole; `total` operations in all. */
function chunksOf(parts: readonly BatchPart[], max: number): { chunks: Slot[][]; total: number } {
  const chunks: Slot[][] = [];
  let current: Slot[] = [];
  let inCurrent = 0;
  let total = 0;
  for (const part of parts) {
    const size = isChangeSet(part) ? part.changeSet.length : 1;
    if (size === 0) throw new InvalidValueError("change set", "empty");
    if (size > max)
      throw new InvalidValueError("change set", `${size} operations exceed the batch size ${max}`);
    if (inCurrent + size > max) {
      chunks.push(current);
      current = [];
      inCurrent = 0;
    }
    current.push({ part, first: total, size });
    inCurrent += size;
    total += size;
  }
  if (current.length) chunks.push(current);
  return { chunks, total };
}

/** Sends one chunk until nothing in it is throttled; true when it stopped at a failure. */
async function runChunk(
  transport: Transport,
  chunk: readonly Slot[],
  continueOnError: boolean,
  record: (slot: Slot, rs: readonly BatchItemResult[]) => void,
): Promise<boolean> {
  const started = transport.now();
  let pending = chunk;
  for (let round = 1; ; round++) {
    const perPart = await sendOnce(transport, pending, continueOnError);
    if (perPart instanceof DataverseError) {
      for (const slot of pending)
        record(
          slot,
          opsOf(slot.part).map(() => failedWith(perPart)),
        );
      return true;
    }
    const retry: Slot[] = [];
    let retryAfter = 0;
    let stopped = false;
    pending.forEach((slot, k) => {
      const rs = perPart[k] ?? [];
      const throttled = rs.some((r) => r.status === 429);
      // Without continue-on-error a 429 stops the batch: what follows it never ran and goes again too.
      if (throttled || (!continueOnError && retry.length > 0)) {
        retry.push(slot);
        for (const r of rs) retryAfter = Math.max(retryAfter, r.error?.retryAfterMs ?? 0);
        // Kept in case the budget runs out; replaced when the retry lands.
        record(slot, rs);
        return;
      }
      record(slot, rs);
      if (!continueOnError && rs.some((r) => !r.ok)) stopped = true;
    });
    if (retry.length === 0) return stopped;
    const wait = retryAfter > 0 ? retryAfter : transport.backoff(round);
    const { maxRetries, maxRetryTimeMs } = transport.limits;
    if (round > maxRetries || transport.now() - started + wait > maxRetryTimeMs) return true;
    // The shared gate holds every request of this client (not just this batch) until the wait is over.
    transport.throttle(wait);
    pending = retry;
  }
}

async function sendOnce(
  transport: Transport,
  slots: readonly Slot[],
  continueOnError: boolean,
): Promise<BatchItemResult[][] | DataverseError> {
  const parts = slots.map((s) => s.part);
  const apiPath = new URL(transport.apiRoot).pathname.replace(/\/$/, "");
  const built = buildBatch(parts, apiPath);
  try {
    const res = await transport.send({
      method: "POST",
      url: "$batch",
      headers: {
        "Content-Type": built.contentType,
        ...(continueOnError ? { Prefer: "odata.continue-on-error" } : {}),
      },
      body: built.body,
      // Resending a whole batch after an ambiguous failure is safe only if every operation is.
      idempotent: parts.flatMap(opsOf).every((op) => op.idempotent),
    });
    const contentType = res.headers.get("content-type") ?? "";
    if (!contentType.startsWith("multipart/"))
      return new DataverseError({
        status: res.status,
        method: "POST",
        path: safePath(transport.resolve("$batch")),
        serverMessage: `expected a multipart response, got ${contentType || "no Content-Type"}`,
      });
    return mapResults(parts, parseBatchResponse(contentType, res.text), transport.apiRoot, transport.now());
  } catch (err) {
    if (err instanceof DataverseError) return err;
    throw err;
  }
}

const opsOf = (part: BatchPart): readonly Operation[] => (isChangeSet(part) ? part.changeSet : [part]);

function failedWith(error: DataverseError): BatchItemResult {
  return { index: 0, ok: false, status: error.status, headers: {}, body: undefined, error };
}

function notRun(transport: Transport, part: BatchPart): BatchItemResult[] {
  return opsOf(part).map((op) =>
    notExecuted(op, safePath(transport.resolve(op.url)), "an earlier batch stopped at a failure"),
  );
}
