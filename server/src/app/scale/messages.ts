import { PoisonMessageError } from "./errors";

/** The Storage queues of the scale-out service (Functions moves a failing message to `<name>-poison`). */
export const QUEUES = {
  sync: "rapport-sync",
  recompute: "rapport-recompute",
  publish: "rapport-publish",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Functions' default: after this many deliveries a failing message goes to the poison queue. */
export const MAX_DEQUEUE_COUNT = 5;

export const poisonQueueOf = (queue: string): string => `${queue}-poison`;

/** Sync one mailbox into a run. */
export interface SyncMessage {
  run: string;
  mailbox: string;
}

/** Recompute one partition of external parties of a run. */
export interface RecomputeMessage {
  run: string;
  partition: number;
}

/** Publish one recomputed partition of a run (each partition publishes its own rows). */
export interface PublishMessage {
  run: string;
  partition: number;
}

/** What a poison queue holds: the message as received, why it was given up, and how often it was tried. */
export interface PoisonRecord {
  queue: string;
  reason: string;
  dequeueCount: number;
  message: unknown;
}

const RUN = /^[0-9A-Za-z:._-]{1,64}$/;

function fields(message: unknown, queue: string): Record<string, unknown> {
  if (typeof message !== "object" || message === null || Array.isArray(message))
    throw new PoisonMessageError(`${queue}: the message is not a JSON object`);
  const m = message as Record<string, unknown>;
  if (typeof m["run"] !== "string" || !RUN.test(m["run"]))
    throw new PoisonMessageError(`${queue}: "run" is missing or not a run id`);
  return m;
}

export function parseSync(message: unknown): SyncMessage {
  const m = fields(message, QUEUES.sync);
  const mailbox = m["mailbox"];
  if (typeof mailbox !== "string" || mailbox === "" || mailbox.length > 256)
    throw new PoisonMessageError(`${QUEUES.sync}: "mailbox" is missing or too long`);
  return { run: m["run"] as string, mailbox };
}

/** The run a message names (its partition is checked once the run's manifest is read). */
export const runOf = (message: unknown, queue: QueueName): string => fields(message, queue)["run"] as string;

function partitionOf(message: unknown, queue: QueueName, partitions: number): RecomputeMessage {
  const m = fields(message, queue);
  const p = m["partition"];
  if (typeof p !== "number" || !Number.isInteger(p) || p < 0 || p >= partitions)
    throw new PoisonMessageError(`${queue}: "partition" is not a partition of 0..${partitions - 1}`);
  return { run: m["run"] as string, partition: p };
}

export const parseRecompute = (message: unknown, partitions: number): RecomputeMessage =>
  partitionOf(message, QUEUES.recompute, partitions);

export const parsePublish = (message: unknown, partitions: number): PublishMessage =>
  partitionOf(message, QUEUES.publish, partitions);

/** Queue messages for the Functions host are base64 text of JSON. */
export const encodeMessage = (body: unknown): string =>
  Buffer.from(JSON.stringify(body), "utf8").toString("base64");

/** Reads a queue message; a message that is not base64 JSON is poison. */
export function decodeMessage(text: string, queue: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, "base64").toString("utf8"));
  } catch (err) {
    throw new PoisonMessageError(`${queue}: the message is not base64-encoded JSON`, { cause: err });
  }
}
