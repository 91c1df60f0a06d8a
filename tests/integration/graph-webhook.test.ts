import path from "node:path";

import { SAMPLE_DIR } from "../../server/src/app/start";
import { createGraphClient } from "../../server/src/sources/graph/graphHttp";
import type { LocalGraph } from "../../server/src/sources/graph/local/server";
import { SqliteStateStore } from "../../server/src/sources/graph/sqliteStateStore";
import { ensureSubscriptions } from "../../server/src/sources/graph/subscriptions";
import type { SyncReason } from "../../server/src/sources/graph/webhook";
import { startWebhookServer } from "../../server/src/sources/graph/webhookServer";
import { startSampleGraph, tempDir, TOKEN } from "./graphHarness";

// Change notifications end to end: the local Graph server validates the endpoint when subscribing (the
// handshake), then posts change and lifecycle notifications in Graph's shape to the node:http host.

const CLIENT_STATE = "s3cret-client-state-for-tests";
let graph: LocalGraph;
let webhook: Awaited<ReturnType<typeof startWebhookServer>>;
let store: SqliteStateStore;
const queued: { mailbox: string; reason: SyncReason }[] = [];

beforeAll(async () => {
  graph = await startSampleGraph(undefined, path.join(SAMPLE_DIR, "south-s.mbox.gz"));
  webhook = await startWebhookServer({
    clientState: CLIENT_STATE,
    enqueue: (mailbox, reason) => queued.push({ mailbox, reason }),
  });
  store = new SqliteStateStore(path.join(tempDir("webhook"), "state.sqlite"));
}, 60_000);

afterAll(async () => {
  store.close();
  await Promise.all([graph.close(), webhook.close()]);
});

const client = () => createGraphClient({ baseUrl: graph.baseUrl, token: async () => TOKEN, ca: graph.ca });

test("subscriptions are created after the handshake, notifications queue the mailbox's sync, renewals come before expiry", async () => {
  const user = graph.tenant.users[0]!.id;
  const settings = { notificationUrl: webhook.url, clientState: CLIENT_STATE };
  const first = await ensureSubscriptions(client(), store, [user], settings, Date.now());
  expect(first).toEqual({ created: 3, renewed: 0 });
  expect(graph.subscriptions.all.size).toBe(3);
  // Nothing to do while every subscription has more than the margin left.
  expect(await ensureSubscriptions(client(), store, [user], settings, Date.now())).toEqual({
    created: 0,
    renewed: 0,
  });

  const started = performance.now();
  expect(await graph.subscriptions.notifyChange(user)).toBe(3);
  expect(performance.now() - started).toBeLessThan(3000);
  expect(queued.filter((q) => q.mailbox === user && q.reason === "change")).toHaveLength(3);

  const [sub] = [...graph.subscriptions.all.values()];
  await graph.subscriptions.notifyLifecycle(sub!.id, "missed");
  expect(queued.at(-1)).toEqual({ mailbox: user, reason: "missed" });

  // One expires within the margin: renewed by PATCH, not created again.
  const held = store.subscriptions()[0]!;
  store.saveSubscription({ ...held, expiresAt: Date.now() + 3600_000 });
  expect(await ensureSubscriptions(client(), store, [user], settings, Date.now())).toEqual({
    created: 0,
    renewed: 1,
  });

  // Graph removed one: the lifecycle notification queues a resync, and the next run subscribes again.
  await graph.subscriptions.notifyLifecycle(sub!.id, "subscriptionRemoved");
  expect(queued.at(-1)).toEqual({ mailbox: user, reason: "subscriptionRemoved" });
  const gone = store.subscriptions().find((s) => s.id === sub!.id)!;
  store.saveSubscription({ ...gone, expiresAt: Date.now() + 3600_000 });
  expect(await ensureSubscriptions(client(), store, [user], settings, Date.now())).toEqual({
    created: 1,
    renewed: 0,
  });
});

test("a notification without our clientState is refused and queues nothing", async () => {
  const before = queued.length;
  const forged = await fetch(webhook.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      value: [
        {
          subscriptionId: "x",
          clientState: "guess",
          changeType: "created",
          resource: "Users/abc/Messages/1",
        },
      ],
    }),
  });
  expect(forged.status).toBe(403);
  expect(queued.length).toBe(before);
  const handshake = await fetch(`${webhook.url}?validationToken=${encodeURIComponent("a b&c")}`, {
    method: "POST",
  });
  expect(handshake.status).toBe(200);
  expect(handshake.headers.get("content-type")).toMatch(/^text\/plain/);
  expect(await handshake.text()).toBe("a b&c");
});
