import path from "node:path";

import { type Azurite, startAzurite } from "../../../scripts/azurite.cjs";
import { runGraphSync } from "../../../server/src/app/graphSync";
import { ingestGraphState } from "../../../server/src/app/ingestGraphState";
import { buildState } from "../../../server/src/app/pipeline";
import { QUEUES } from "../../../server/src/app/scale/messages";
import { computeInsights, type InsightsResult } from "../../../server/src/core/insights";
import { openScaleHost, type ScaleHost } from "../../../server/src/functions/services";
import { readScaleSettings } from "../../../server/src/functions/settings";
import type { LocalGraph } from "../../../server/src/sources/graph/local/server";
import { SqliteStateStore } from "../../../server/src/sources/graph/sqliteStateStore";
import { config, graphEnv, NOW, settingsFor, startSampleGraph, tempDir } from "../graphHarness";
import { runInProcess as run, startRunAt } from "./inProcessRun";

// The scale-out reading mail from Microsoft Graph (the local HTTPS Graph server holding the sample): each
// sync message runs the Graph sync's delta round for one mailbox over its state kept in a blob, and the
// run gives exactly what one process gives from the same Graph sync. A second run asks Graph only for
// changes (delta links kept between runs); an opted-out user's mailbox is dropped from the next run.

let azurite: Azurite;
let graph: LocalGraph;
let dir: string;
let env: Record<string, string>;
let expected: InsightsResult;

beforeAll(async () => {
  dir = tempDir("scale");
  [azurite, graph] = await Promise.all([startAzurite(), startSampleGraph()]);
  env = {
    AzureWebJobsStorage: azurite.connectionString,
    RAPPORT_ORG_DOMAINS: "enron.com",
    RAPPORT_PARTITIONS: "4",
    GRAPH_CLIENT_STATE: "test-client-state-not-a-real-secret",
    RAPPORT_AS_OF: "2002-01-01",
    ...graphEnv(graph, dir),
  };
  // One process over the same Graph sync, mailboxes in id order (the order a partition reads its shares in).
  const state = path.join(dir, "single.sqlite");
  const synced = await runGraphSync(settingsFor(graph, dir), { state, now: NOW });
  expect(synced.failures).toEqual({});
  const store = new SqliteStateStore(state);
  const ingested = ingestGraphState(store, {
    config,
    now: NOW,
    order: graph.tenant.users.map((u) => u.id).sort(),
  });
  store.close();
  const built = buildState(ingested, config);
  expected = computeInsights(built.state, built.scopes, NOW, { detail: "full" });
}, 120_000);

afterAll(async () => {
  await Promise.all([azurite?.stop(), graph?.close()]);
});

describe("scale-out with mailboxes read from Microsoft Graph", () => {
  let host: ScaleHost;

  test("each mailbox synced from Graph by a queue message gives the single-process result", async () => {
    host = await openScaleHost(readScaleSettings(env));
    expect(host.settings.graph).toBeDefined();
    const first = await run(host, 0);
    expect(first.result.records.length).toBe(expected.records.length);
    expect(first.result.records.length).toBeGreaterThan(1000);
    expect(first.result.records).toEqual(expected.records);
    expect(first.result.connections).toEqual(expected.connections);
    const users = graph.tenant.users.map((u) => u.id);
    expect((await host.store.manifest(first.run))?.mailboxes).toEqual([...users].sort());
  }, 200_000);

  test("the next run asks Graph only for changes, with the same result", async () => {
    // Pages of mail and events (users are listed again at each run's start).
    const mailPages = () =>
      Object.entries(graph.stats.pages).reduce(
        (n, [kind, count]) => (kind === "u" || kind === "g" ? n : n + count),
        0,
      );
    const pagesBefore = mailPages();
    const second = await run(host, 1);
    const pages = mailPages() - pagesBefore;
    // One delta page per folder (nothing changed), three folders per mailbox.
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThanOrEqual(graph.tenant.users.length * 3);
    expect(second.result.records).toEqual(expected.records);
    expect(second.result.connections).toEqual(expected.connections);
  }, 200_000);

  test("an opted-out user's mailbox leaves the next run and its kept state is deleted", async () => {
    const user = graph.tenant.users[0]!;
    expect(await host.store.mailboxState(user.id)).toBeDefined();
    const optedOut = await openScaleHost(readScaleSettings({ ...env, GRAPH_OPTED_OUT: user.id }));
    const latest = await startRunAt(optedOut, 2);
    expect((await optedOut.store.manifest(latest))?.mailboxes).not.toContain(user.id);
    expect(await optedOut.store.mailboxState(user.id)).toBeUndefined();
    for (const q of Object.values(QUEUES)) await optedOut.queues.getQueueClient(q).clearMessages();
  }, 60_000);
});
