import { InvocationContext, type Timer } from "@azure/functions";

import { QUEUES } from "../../../server/src/app/scale/messages";
import { mergeParts } from "../../../server/src/core/engine/partitions";
import type { InsightsResult } from "../../../server/src/core/insights";
import { scaleHandlers } from "../../../server/src/functions/handlers";
import { runQueueWorker } from "../../../server/src/functions/queueWorker";
import type { ScaleHost } from "../../../server/src/functions/services";

const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: true },
  scheduleStatus: { last: "", next: "", lastUpdated: "" },
};
const ctx = () =>
  new InvocationContext({ invocationId: "t", functionName: "startRun", logHandler: () => {} });

/** Starts a run through the timer handler, at a minute of its own; returns the run's name. */
export async function startRunAt(host: ScaleHost, minute: number): Promise<string> {
  await scaleHandlers(host, () => Date.UTC(2026, 0, 1) + minute * 60_000).startRun(timer, ctx());
  return (await host.store.latestRun())!;
}

/**
 * A run started by the timer handler at a minute of its own, worked by the app's queue loop in this
 * process until it is published; its partitions' results merged (the sample is small enough).
 */
export async function runInProcess(
  host: ScaleHost,
  minute: number,
): Promise<{ run: string; result: InsightsResult }> {
  const name = await startRunAt(host, minute);
  const handlers = scaleHandlers(host);
  const stop = new AbortController();
  const loop = runQueueWorker({
    queues: host.queues,
    handlers: {
      [QUEUES.sync]: handlers.sync,
      [QUEUES.recompute]: handlers.recompute,
      [QUEUES.publish]: handlers.publish,
    },
    visibilityTimeout: 120,
    concurrency: 4,
    idleMs: 50,
    signal: stop.signal,
  });
  const deadline = Date.now() + 150_000;
  while (!(await host.store.published(name)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  stop.abort();
  await loop;
  const directory = (await host.store.directory(name))!;
  return { run: name, result: mergeParts(await host.store.results(name), directory) };
}
