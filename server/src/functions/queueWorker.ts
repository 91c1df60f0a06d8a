import { InvocationContext } from "@azure/functions";
import type { DequeuedMessageItem, QueueServiceClient } from "@azure/storage-queue";

import { decodeMessage } from "../app/scale/messages";
import { redactSecrets } from "../core/redact";
import type { QueueHandler } from "./poison";

export interface WorkerOptions {
  queues: QueueServiceClient;
  /** Queue name → the handler the Functions app registers for it. */
  handlers: Readonly<Record<string, QueueHandler>>;
  /** Seconds a received message stays invisible: a worker that dies leaves it to reappear after this. */
  visibilityTimeout: number;
  /** Seconds before a message whose handler failed is tried again (host.json's visibilityTimeout, 30). */
  retryAfterSeconds?: number;
  /** Wait between polls when every queue was empty. */
  idleMs?: number;
  /**
   * Messages handled at once (the Functions host's `batchSize`, 4 in host.json): while one waits on
   * Storage, another computes. Default 1.
   */
  concurrency?: number;
  /** Told about each message handled (ids and counts only). */
  onMessage?: (e: { queue: string; id: string; dequeueCount: number; ok: boolean; ms: number }) => void;
  signal?: AbortSignal;
}

/**
 * The queue-trigger loop of the Functions host, for running the same handlers as plain processes (the
 * Functions host cannot run here, and a machine can run Rapport's scale-out without it): poll each queue,
 * hide the message for the visibility timeout, call the handler with a real InvocationContext carrying
 * the dequeue count, delete the message on success, and on failure leave it to reappear (the handler's
 * poison wrapper gives up on it at the fifth delivery). Up to `concurrency` messages run at once.
 */
export async function runQueueWorker(options: WorkerOptions): Promise<void> {
  const { queues, handlers, visibilityTimeout, signal } = options;
  const idleMs = options.idleMs ?? 200;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const retryAfterSeconds = options.retryAfterSeconds ?? 30;
  const names = Object.keys(handlers);
  const inFlight = new Set<Promise<void>>();

  /** The next message, from the first queue that has one (sync before recompute before publish). */
  const receive = async (): Promise<{ queue: string; m: DequeuedMessageItem } | undefined> => {
    for (const queue of names) {
      const { receivedMessageItems } = await queues
        .getQueueClient(queue)
        .receiveMessages({ numberOfMessages: 1, visibilityTimeout });
      const m = receivedMessageItems[0];
      if (m) return { queue, m };
    }
    return undefined;
  };

  const handle = async (queue: string, m: DequeuedMessageItem): Promise<void> => {
    const started = Date.now();
    const context = new InvocationContext({
      invocationId: m.messageId,
      functionName: queue,
      triggerMetadata: { id: m.messageId, dequeueCount: m.dequeueCount, insertionTime: m.insertedOn },
      logHandler: (level, ...args) => {
        if (level !== "trace" && level !== "debug")
          process.stderr.write(`[${level}] ${redactSecrets(args.map(String).join(" "))}\n`);
      },
    });
    let ok = true;
    try {
      let body: unknown;
      try {
        body = decodeMessage(m.messageText, queue);
      } catch {
        // Not JSON: the handler receives the text, as the Functions host passes it, and poisons it.
        body = m.messageText;
      }
      await (handlers[queue] as QueueHandler)(body, context);
      await queues.getQueueClient(queue).deleteMessage(m.messageId, m.popReceipt);
    } catch {
      ok = false;
      // As the Functions host does (host.json visibilityTimeout): the failed message is retried after a
      // short delay, not after the long timeout that only covers a worker that died.
      await queues
        .getQueueClient(queue)
        .updateMessage(m.messageId, m.popReceipt, undefined, retryAfterSeconds)
        .catch(() => undefined);
    }
    options.onMessage?.({
      queue,
      id: m.messageId,
      dequeueCount: m.dequeueCount,
      ok,
      ms: Date.now() - started,
    });
  };

  while (!signal?.aborted) {
    if (inFlight.size >= concurrency) {
      await Promise.race(inFlight);
      continue;
    }
    const next = await receive();
    if (!next) {
      // Nothing queued: wait a little, or less if a running message finishes (it may enqueue more).
      await Promise.race([new Promise((r) => setTimeout(r, idleMs)), ...inFlight]);
      continue;
    }
    const running: Promise<void> = handle(next.queue, next.m).finally(() => inFlight.delete(running));
    inFlight.add(running);
  }
  await Promise.all(inFlight);
}
