import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";

import type { InsightConfig } from "../../core/config";
import { listMboxFiles } from "./readMbox";
import {
  InteractionDecoder,
  type WireBatch,
  WorkerBatch,
  type WorkerRequest,
  type WorkerSetup,
} from "./workerProtocol";

export interface ParallelReadOptions {
  config: InsightConfig;
  now: number;
  /** Keep only interactions observed strictly before this instant (applied by the workers). */
  before?: number;
  /** Worker threads; default: the machine's cores. */
  workers?: number;
  onBytes?: (bytes: number) => void;
}

const WORKER_SCRIPT = path.join(__dirname, "mboxWorker.js");

/** True where the compiled worker script exists (the built CLI); tests running from TypeScript read in-thread. */
export function canReadInParallel(): boolean {
  return existsSync(WORKER_SCRIPT);
}

/** Files in the order they are read: largest first, so one big mailbox does not finish alone at the end. */
async function largestFirst(files: readonly string[]): Promise<string[]> {
  const sizes = await Promise.all(
    files.map(async (f) => (await import("node:fs/promises")).stat(f).then((s) => s.size)),
  );
  return files
    .map((f, i) => ({ f, size: sizes[i] ?? 0 }))
    .sort((a, b) => b.size - a.size || (a.f < b.f ? -1 : 1))
    .map((x) => x.f);
}

/**
 * Reads an mbox file or folder on several worker threads, one file at a time per worker, and yields each
 * worker's batches as they come. The order of batches depends on timing: consumers must be (and the
 * interaction store is) independent of arrival order.
 */
export async function* readMboxParallel(
  target: string,
  options: ParallelReadOptions,
): AsyncGenerator<WorkerBatch> {
  const queue = await largestFirst(await listMboxFiles(target));
  const count = Math.max(1, Math.min(options.workers ?? os.availableParallelism(), queue.length || 1));
  const setup: WorkerSetup = { config: options.config, now: options.now };
  if (options.before !== undefined) setup.before = options.before;
  const pending: WorkerBatch[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let active = 0;
  const workers: Worker[] = [];

  const stopped = new Set<Worker>();
  const next = (w: Worker): void => {
    const file = queue.shift();
    if (file === undefined) {
      if (!stopped.has(w)) w.postMessage({ type: "stop" } satisfies WorkerRequest);
      stopped.add(w);
      return;
    }
    w.postMessage({ type: "file", file } satisfies WorkerRequest);
  };
  for (let i = 0; i < count; i++) {
    const w = new Worker(WORKER_SCRIPT, {
      workerData: setup,
      // Each message leaves a few kilobytes that live until its batch is posted: a young generation larger
      // than the default makes scavenges rarer while what survives each one stays the same.
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
    });
    const decoder = new InteractionDecoder();
    active++;
    w.on("message", (wire: WireBatch) => {
      const batch = new WorkerBatch(wire.file);
      batch.interactions = decoder.decode(wire);
      batch.numbered = decoder.numbered;
      batch.cut = wire.cut;
      if (wire.participants) batch.participants = new Map(wire.participants);
      batch.issues = wire.issues;
      batch.skipped = wire.skipped;
      batch.dropped = wire.dropped;
      batch.copies = wire.copies;
      batch.bytes = wire.bytes;
      batch.done = wire.done;
      if (options.onBytes && batch.bytes) options.onBytes(batch.bytes);
      pending.push(batch);
      if (batch.done) next(w);
      wake?.();
    });
    w.on("error", (err) => {
      failure = err;
      wake?.();
    });
    w.on("exit", () => {
      active--;
      wake?.();
    });
    workers.push(w);
  }
  // Each worker is handed a second file before it ends its first, and one more each time it ends one: it
  // then never waits for this thread (busy adding batches) to name its next file.
  for (let round = 0; round < 2; round++) for (const w of workers) next(w);
  try {
    while (true) {
      if (failure) throw failure;
      const batch = pending.shift();
      if (batch) {
        yield batch;
        continue;
      }
      if (active === 0) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    for (const w of workers) void w.terminate();
  }
}
