#!/usr/bin/env node
import { QUEUES } from "../app/scale/messages";
import type { ScaleStore } from "../app/scale/scaleStore";
import { redactSecrets } from "../core/redact";
import { scaleHandlers } from "./handlers";
import { runQueueWorker } from "./queueWorker";
import { openScaleHost } from "./services";
import { readScaleSettings } from "./settings";

/**
 * A scale-out worker as a plain Node process: the Functions app's settings and queue handlers, driven by
 * runQueueWorker. `RAPPORT_VISIBILITY_TIMEOUT` (seconds, default 300), `RAPPORT_WORKER_CONCURRENCY` (messages at
 * once, default 4 as host.json's batchSize). On SIGTERM it prints its peak memory
 * (`{"maxRssKiB": ...}`) and exits. Fault injection for tests: `RAPPORT_FAULT_STALL_AFTER_PART_WRITES=n`
 * makes the worker hang forever after its n-th partition write (a worker dying mid-message).
 */
async function main(): Promise<void> {
  const settings = readScaleSettings(process.env);
  const stallAfter = Number(process.env["RAPPORT_FAULT_STALL_AFTER_PART_WRITES"] ?? "0");
  const host = await openScaleHost(settings, {
    log: (event, props) => process.stdout.write(`${JSON.stringify({ event, ...props })}\n`),
    ...(stallAfter > 0 ? { wrapStore: (s: ScaleStore) => stallingStore(s, stallAfter) } : {}),
  });
  const handlers = scaleHandlers(host);
  const stop = new AbortController();
  process.once("SIGTERM", () => {
    process.stdout.write(`${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
    stop.abort();
    process.exit(0);
  });
  await runQueueWorker({
    queues: host.queues,
    handlers: {
      [QUEUES.sync]: handlers.sync,
      [QUEUES.recompute]: handlers.recompute,
      [QUEUES.publish]: handlers.publish,
    },
    visibilityTimeout: Number(process.env["RAPPORT_VISIBILITY_TIMEOUT"] ?? "300"),
    // As the Functions host's batchSize in host.json.
    concurrency: Number(process.env["RAPPORT_WORKER_CONCURRENCY"] ?? "4"),
    signal: stop.signal,
    onMessage: (e) => process.stdout.write(`${JSON.stringify({ event: "message", ...e })}\n`),
  });
}

function stallingStore(store: ScaleStore, after: number): ScaleStore {
  let writes = 0;
  return Object.assign(Object.create(store) as ScaleStore, {
    putPart: async (...args: Parameters<ScaleStore["putPart"]>) => {
      if (++writes > after) {
        process.stdout.write(`${JSON.stringify({ event: "fault.stalled", writes: writes - 1 })}\n`);
        await new Promise(() => {});
      }
      return store.putPart(...args);
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `rapport worker: ${redactSecrets(err instanceof Error ? err.message : String(err))}\n`,
  );
  process.exit(1);
});
