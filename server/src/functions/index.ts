import { app } from "@azure/functions";

import { registerFunctions } from "./functionsApp";
import { scaleHandlers } from "./handlers";
import { RetryingSetup } from "./hostSetup";
import { openScaleHost } from "./services";
import { readScaleSettings } from "./settings";

/**
 * The Azure Functions v4 app (package main). Settings are read once, at start, and a missing one fails the
 * start naming it. The host's Storage setup starts at load and is retried with backoff when it fails
 * (hostSetup.ts); no trigger's registration waits for it, and Graph's validation handshake never does.
 */
const log = (event: string, props: Record<string, unknown>): void =>
  console.log(JSON.stringify({ event, ...props }));
const settings = readScaleSettings(process.env);
const setup = new RetryingSetup(async () => scaleHandlers(await openScaleHost(settings, { log })), {
  onFailure: (e) => log("host.setup.failed", e),
});
setup.warm();
registerFunctions(app, () => setup.get(), {
  schedule: process.env["RAPPORT_SCHEDULE"] ?? "0 */15 * * * *",
});
