/**
 * Worker-thread body of the parallel mbox reader: reads the files the main thread hands it, judges each
 * message with the core normaliser, and posts packed interactions and counted issues back in batches.
 */
import { parentPort, workerData } from "node:worker_threads";

import type { InsightConfig } from "../../core/config";
import { Normaliser } from "../../core/normalise";
import { CopySet } from "./headerBlock";
import { readMboxFileBatches } from "./readMbox";
import {
  InteractionEncoder,
  ParticipantCounter,
  type WireBatch,
  type WorkerRequest,
  type WorkerSetup,
} from "./workerProtocol";

const setup = workerData as WorkerSetup;
const normaliser = new Normaliser(setup.config as InsightConfig, setup.now);
// The cutoff is applied while judging: interactions after it are counted, never built nor sent.
const before = setup.before ?? Number.POSITIVE_INFINITY;
const encoder = new InteractionEncoder();
// Who takes part in each file's kept interactions, counted here rather than on the main thread.
const participants = new ParticipantCounter();
const port = parentPort;
if (!port) throw new Error("mboxWorker must run as a worker thread");

type Pending = Omit<WireBatch, "strings" | "nums" | "text" | "count">;

const emptyBatch = (file: string): Pending => ({
  file,
  cut: 0,
  issues: [],
  skipped: {},
  dropped: {},
  copies: 0,
  bytes: 0,
  done: false,
});

function post(out: Pending): void {
  const wire: WireBatch = { ...out, ...encoder.take() };
  port?.postMessage(wire, [wire.nums.buffer as ArrayBuffer]);
}

// Requests are taken one at a time, in order: the main thread names the next file before this one ends
// (see readMboxParallel), so that no worker waits for it between files.
let queue = Promise.resolve();
port.on("message", (req: WorkerRequest) => {
  queue = queue.then(() => handle(req));
});

async function handle(req: WorkerRequest): Promise<void> {
  if (req.type === "stop") {
    port?.close();
    return;
  }
  await readFile(req.file);
}

/** Reads one file, posting its interactions and counts in batches, the last one marked done. */
async function readFile(file: string): Promise<void> {
  const stats = { copies: 0, late: 0 };
  // Copies are recognised within a file: each file then yields the same messages whichever worker
  // reads it and in whatever order, so per-mailbox results (such as who owns it) are deterministic.
  // Copies across files are merged by the interaction store.
  const seenCopies = new CopySet();
  let out = emptyBatch(file);
  let late = 0;
  for await (const items of readMboxFileBatches(file, {
    seenCopies,
    stats,
    // Messages dated past the cutoff are counted by the reader, not parsed.
    ...(setup.before !== undefined ? { before: setup.before } : {}),
    onBytes: (n) => (out.bytes += n),
  })) {
    out.cut += stats.late - late;
    late = stats.late;
    for (const item of items) {
      if (item.type === "issue") out.issues.push(item.issue);
      else {
        const env = item.envelope;
        const r = normaliser.judge(env, before);
        if (!r.ok) {
          if ("late" in r) out.cut++;
          else out.skipped[r.reason] = (out.skipped[r.reason] ?? 0) + 1;
          continue;
        }
        const i = r.interaction;
        participants.add(i, normaliser.lastPeople);
        encoder.add(i, normaliser.lastPeople);
      }
    }
    // A batch per 4,000 interactions judged, sent or not (progress and memory as with every one sent).
    if (encoder.length + out.cut >= 4000) {
      post(out);
      out = emptyBatch(file);
    }
  }
  out.cut += stats.late - late;
  out.copies = stats.copies;
  out.dropped = { ...normaliser.dropped };
  for (const k of Object.keys(normaliser.dropped) as (keyof typeof normaliser.dropped)[])
    normaliser.dropped[k] = 0;
  out.done = true;
  const counted = participants.take();
  if (counted.length) out.participants = counted;
  post(out);
}
