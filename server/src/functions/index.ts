import { app } from "@azure/functions";
import { QUEUES } from "../app/scale/messages";
import { scaleHandlers, type ScaleHandlers } from "./handlers";
import { openScaleHost } from "./services";
import { readScaleSettings } from "./settings";

/**
 * The Azure Functions v4 app (package main: dist/functions/index.js). Settings are read once, at start,
 * and a missing one fails the start naming it. Every HTTP trigger needs a function key (authLevel
 * "function"); Graph's notificationUrl carries it as `?code=`.
 */
const settings = readScaleSettings(process.env);
const ready: Promise<ScaleHandlers> = openScaleHost(settings, {
  log: (event, props) => console.log(JSON.stringify({ event, ...props })),
}).then((host) => scaleHandlers(host));
const use =
  <K extends keyof ScaleHandlers>(name: K) =>
  async (...args: Parameters<ScaleHandlers[K]>): Promise<Awaited<ReturnType<ScaleHandlers[K]>>> =>
    (
      (await ready)[name] as (
        ...a: Parameters<ScaleHandlers[K]>
      ) => Promise<Awaited<ReturnType<ScaleHandlers[K]>>>
    )(...args);

app.timer("startRun", {
  schedule: process.env["RAPPORT_SCHEDULE"] ?? "0 */15 * * * *",
  handler: use("startRun"),
});
app.storageQueue("syncMailbox", {
  queueName: QUEUES.sync,
  connection: "AzureWebJobsStorage",
  handler: use("sync"),
});
app.storageQueue("recomputePartition", {
  queueName: QUEUES.recompute,
  connection: "AzureWebJobsStorage",
  handler: use("recompute"),
});
app.storageQueue("publishPartition", {
  queueName: QUEUES.publish,
  connection: "AzureWebJobsStorage",
  handler: use("publish"),
});
app.http("recomputeRecord", {
  route: "records/{type}/{id}/recompute",
  methods: ["POST"],
  authLevel: "function",
  handler: use("recomputeRecord"),
});
app.http("graphNotifications", {
  route: "graph/notifications",
  methods: ["POST"],
  authLevel: "function",
  handler: use("graphNotifications"),
});
app.http("status", { route: "status", methods: ["GET"], authLevel: "function", handler: use("status") });
