import type { app as functionsApp } from "@azure/functions";

import { QUEUES } from "../app/scale/messages";
import { answerValidation, type ScaleHandlers } from "./handlers";

/** The part of `@azure/functions`' `app` that registers triggers (a fake in tests). */
export type FunctionRegistry = Pick<typeof functionsApp, "timer" | "storageQueue" | "http">;

/** The Storage connection the triggers use: the identity-based `AzureWebJobsStorage__*` settings in Azure. */
export const CONNECTION = "AzureWebJobsStorage";

/**
 * Registers the app's seven functions. The handlers come from `handlers()`, the host's setup (Storage
 * clients and queues), awaited inside each invocation: a setup that fails fails that invocation (the host
 * retries queue messages), never the process. Graph's validation handshake is answered before it.
 * Every HTTP trigger needs a function key (authLevel "function"); Graph's notificationUrl carries it as `?code=`.
 */
export function registerFunctions(
  app: FunctionRegistry,
  handlers: () => Promise<ScaleHandlers>,
  options: { schedule: string },
): void {
  const use =
    <K extends keyof ScaleHandlers>(name: K) =>
    async (...args: Parameters<ScaleHandlers[K]>): Promise<Awaited<ReturnType<ScaleHandlers[K]>>> =>
      (
        (await handlers())[name] as (
          ...a: Parameters<ScaleHandlers[K]>
        ) => Promise<Awaited<ReturnType<ScaleHandlers[K]>>>
      )(...args);

  app.timer("startRun", { schedule: options.schedule, handler: use("startRun") });
  app.storageQueue("syncMailbox", { queueName: QUEUES.sync, connection: CONNECTION, handler: use("sync") });
  app.storageQueue("recomputePartition", {
    queueName: QUEUES.recompute,
    connection: CONNECTION,
    handler: use("recompute"),
  });
  app.storageQueue("publishPartition", {
    queueName: QUEUES.publish,
    connection: CONNECTION,
    handler: use("publish"),
  });
  app.http("recomputeRecord", {
    route: "records/{type}/{id}/recompute",
    methods: ["POST"],
    authLevel: "function",
    handler: use("recomputeRecord"),
  });
  const notifications = use("graphNotifications");
  app.http("graphNotifications", {
    route: "graph/notifications",
    methods: ["POST"],
    authLevel: "function",
    handler: async (request, context) => answerValidation(request) ?? notifications(request, context),
  });
  app.http("status", { route: "status", methods: ["GET"], authLevel: "function", handler: use("status") });
}
