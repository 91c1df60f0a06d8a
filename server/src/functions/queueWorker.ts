import { InvocationContext } from "@azure/functions";
import type { QueueServiceClient } from "@azure/storage-queue";
import { decodeMessage } from "../app/scale/messages";
import type { QueueHandler } from "./poison";

export interface WorkerOptions {
  queues: QueueServiceClient;
  /** Queue name → the handler the Functions app registers for it. */
  handlers: Readonly<Record<string, QueueHandler>>;
  /** Seconds a received message stays invisible: a worker that dies leaves it to reappear after this. */
  visibilityTimeout: number;
  /** Wait between polls when every queue was empty. */
  idleMs?: number;
  /** Told about each message handled (ids and counts only). */
  onMessage?: (e: { queue: string; id: string; dequeueCount: number; ok: boolean; ms: number }) => void;
  signal?: AbortSignal;
}

/**
 * The queue-trigger loop of the Functions host, for running the same handlers as plain processes (the
 * Functions host cannot run here, and a machine can run Rapport's scale-out without it): poll each queue,
 * hide the message for the visibility timeout, call the handler with a real InvocationContext carrying
 * the dequeue count, delete the message on success, and on failure leave it to reappear (the handler's
 * poison wrapper gives up on it at the fifth delivery).
 */
export async function runQueueWorker(options: WorkerOptions): Promise<void> {
  const { queues, handlers, visibilityTimeout, signal } = options;
  const idleMs = options.idleMs ?? 200;
  const names = Object.keys(handlers);
  while (!signal?.aborted) {
    let handled = 0;
    for (const queue of names) {
      const client = queues.getQueueClient(queue);
      const { receivedMessageItems } = await client.receiveMessages({
        numberOfMessages: 1,
        visibilityTimeout,
      });
      const m = receivedMessageItems[0];
      if (!m) continue;
      handled++;
      const started = Date.now();
      const context = new InvocationContext({
        invocationId: m.messageId,
        functionName: queue,
        triggerMetadata: { id: m.messageId, dequeueCount: m.dequeueCount, insertionTime: m.insertedOn },
        logHandler: (level, ...args) => {
          if (level !== "trace" && level !== "debug")
            process.stderr.write(`[${level}] ${args.map(String).join(" ")}\n`);
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
        await client.deleteMessage(m.messageId, m.popReceipt);
      } catch {
        ok = false;
      }
      options.onMessage?.({
        queue,
        id: m.messageId,
        dequeueCount: m.dequeueCount,
        ok,
        ms: Date.now() - started,
      });
      // Stay on the queues that have work: start again from the first (sync before recompute before publish).
      break;
    }
    if (handled === 0) await new Promise((r) => setTimeout(r, idleMs));
  }
}
