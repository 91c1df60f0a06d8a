import type { InvocationContext } from "@azure/functions";
import type { QueueServiceClient } from "@azure/storage-queue";

import { PoisonMessageError } from "../app/scale/errors";
import { encodeMessage, MAX_DEQUEUE_COUNT, poisonQueueOf, type PoisonRecord } from "../app/scale/messages";

export type QueueHandler = (message: unknown, context: InvocationContext) => Promise<void>;

/**
 * Functions' poison handling, with the reason kept: a message no retry can fix (PoisonMessageError) or one
 * on its last delivery (dequeueCount reached maxDequeueCount, 5) is written to `<queue>-poison` with why it
 * failed, and the invocation then succeeds so that the host deletes it. Any other failure is rethrown:
 * the host (or the local worker loop) makes the message visible again and retries it.
 */
export function withPoison(queue: string, queues: QueueServiceClient, handler: QueueHandler): QueueHandler {
  return async (message, context) => {
    const dequeueCount = Number(context.triggerMetadata?.["dequeueCount"] ?? 1);
    try {
      await handler(message, context);
    } catch (err) {
      const poison = err instanceof PoisonMessageError;
      if (!poison && dequeueCount < MAX_DEQUEUE_COUNT) {
        context.warn(`${queue}: attempt ${dequeueCount} failed (${errorName(err)}); it will be retried`);
        throw err;
      }
      const record: PoisonRecord = {
        queue,
        reason: poison
          ? (err as Error).message
          : `failed ${dequeueCount} times; last: ${errorName(err)}: ${(err as Error).message}`,
        dequeueCount,
        message,
      };
      await queues.getQueueClient(poisonQueueOf(queue)).sendMessage(encodeMessage(record));
      context.error(
        `${queue}: message moved to ${poisonQueueOf(queue)}: ${poison ? "malformed or unknown run" : "retries exhausted"}`,
      );
    }
  };
}

/**
 * The error's class, with a Storage or HTTP error's code and status (`RestError RequestBodyTooLarge 413`):
 * enough to act on, and never the message text, which can carry blob names made of mailbox addresses.
 */
export function errorName(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  const code = typeof e.code === "string" ? ` ${e.code}` : "";
  const status = typeof e.statusCode === "number" ? ` ${e.statusCode}` : "";
  return `${err.name}${code}${status}`;
}
