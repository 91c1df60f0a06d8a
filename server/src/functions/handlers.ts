import type { HttpRequest, HttpResponseInit, InvocationContext, Timer } from "@azure/functions";

import { poisonQueueOf, QUEUES } from "../app/scale/messages";
import type { RecordType } from "../core/interaction";
import { handleNotification } from "../sources/graph/webhook";
import { type QueueHandler, withPoison } from "./poison";
import type { ScaleHost } from "./services";

export interface ScaleHandlers {
  startRun(timer: Timer, context: InvocationContext): Promise<void>;
  sync: QueueHandler;
  recompute: QueueHandler;
  publish: QueueHandler;
  recomputeRecord(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit>;
  graphNotifications(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit>;
  status(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit>;
}

/**
 * Graph's validation handshake, answered from the request alone: Graph wants the token echoed within 10
 * seconds, before anything touches Storage (an instance scaled from zero may still be setting it up).
 * Undefined when the request is not a handshake.
 */
export function answerValidation(request: HttpRequest): HttpResponseInit | undefined {
  const url = new URL(request.url);
  if (request.method !== "POST" || !url.searchParams.has("validationToken")) return undefined;
  // handleNotification answers a handshake before it reads the body or needs the clientState.
  const res = handleNotification(
    { method: request.method, url: `${url.pathname}${url.search}`, body: "" },
    { clientState: "", enqueue: () => undefined },
  );
  return { status: res.status, headers: res.headers, body: res.body };
}

const RECORD_TYPES: readonly RecordType[] = ["contact", "lead", "account", "opportunity"];

/**
 * The triggers' handlers, thin over the use cases (ScaleService). The Functions app registers them
 * (index.ts); the local worker loop (queueWorker.ts) calls the same queue handlers.
 */
export function scaleHandlers(host: ScaleHost, clock: () => number = Date.now): ScaleHandlers {
  const { service, queues, settings } = host;
  return {
    async startRun(timer, context) {
      // One run per minute of the schedule: the same tick delivered twice names the same run.
      const at = clock();
      const run = `r${new Date(at).toISOString().slice(0, 16).replace(/[-:]/g, "")}`;
      const now = settings.asOf ?? at;
      const org = host.readOrg ? await host.readOrg() : undefined;
      const n = await service.startRun({ run, now, partitions: settings.partitions, ...org });
      context.log(`run ${run}: ${n} mailbox syncs enqueued${timer.isPastDue ? " (timer past due)" : ""}`);
    },
    sync: withPoison(QUEUES.sync, queues, (m) => service.syncMailbox(m)),
    recompute: withPoison(QUEUES.recompute, queues, async (m) => {
      await service.recomputePartition(m);
    }),
    publish: withPoison(QUEUES.publish, queues, (m) => service.publishPartition(m)),

    async recomputeRecord(request) {
      const type = request.params["type"] as RecordType;
      const id = request.params["id"] ?? "";
      if (!RECORD_TYPES.includes(type) || !/^[\w.:-]{1,100}$/.test(id))
        return {
          status: 400,
          jsonBody: { error: "expected /records/{contact|lead|account|opportunity}/{id}" },
        };
      const queued = await service.recomputeRecord(type, id);
      if (!queued) return { status: 404, jsonBody: { error: "no such record in the latest run" } };
      return { status: 202, jsonBody: queued };
    },

    async graphNotifications(request, context) {
      // The Graph sync's endpoint logic (validation handshake, constant-time clientState, mailbox of the
      // resource), hosted here; the mailboxes it names are synced again from the queue.
      const mailboxes: string[] = [];
      const url = new URL(request.url);
      const res = handleNotification(
        { method: request.method, url: `${url.pathname}${url.search}`, body: await request.text() },
        { clientState: settings.graphClientState, enqueue: (mailbox) => mailboxes.push(mailbox) },
      );
      if (res.status === 202) {
        const queued = await service.mailboxesChanged(mailboxes);
        context.log(`graph notifications: ${mailboxes.length} accepted, ${queued} mailbox syncs enqueued`);
      } else if (res.status === 403) context.warn("graph notifications: none carried our clientState");
      return { status: res.status, headers: res.headers, body: res.body };
    },

    async status() {
      const depth = async (q: string): Promise<number> =>
        (await queues.getQueueClient(q).getProperties()).approximateMessagesCount ?? 0;
      const queueDepths: Record<string, number> = {};
      for (const q of Object.values(QUEUES)) {
        queueDepths[q] = await depth(q);
        queueDepths[poisonQueueOf(q)] = await depth(poisonQueueOf(q));
      }
      return { status: 200, jsonBody: { ...(await service.status()), queues: queueDepths } };
    },
  };
}
