import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { HttpRequest, InvocationContext, type Timer } from "@azure/functions";
import { QueueClient } from "@azure/storage-queue";

import { type Azurite, startAzurite } from "../../../scripts/azurite.cjs";
import {
  decodeMessage,
  MAX_DEQUEUE_COUNT,
  poisonQueueOf,
  type PoisonRecord,
  QUEUES,
} from "../../../server/src/app/scale/messages";
import { storedRows } from "../../../server/src/app/scale/sinks";
import { SAMPLE_DIR } from "../../../server/src/app/start";
import { resolveConfig } from "../../../server/src/core/config";
import { Directory } from "../../../server/src/core/directory";
import { mergeParts } from "../../../server/src/core/engine/partitions";
import type { InsightsResult } from "../../../server/src/core/insights";
import { rowsOf } from "../../../server/src/dataverse/publish/allRows";
import { scaleHandlers } from "../../../server/src/functions/handlers";
import { runQueueWorker } from "../../../server/src/functions/queueWorker";
import { openScaleHost, type ScaleHost } from "../../../server/src/functions/services";
import { readScaleSettings, SettingsError } from "../../../server/src/functions/settings";
import { startWorker, type WorkerProcess } from "./workers";

// The scale-out service over real Storage queues and blobs (Azurite), with the worker processes running
// the Functions app's own queue handlers: N workers give exactly the single-process result, a worker
// killed mid-message leaves the result unchanged, and poison messages land in the poison queue with why.

const ROOT = path.resolve(__dirname, "../../..");
const CLI = path.join(ROOT, "server/dist/cli/main.js");
const NOW = Date.UTC(2002, 0, 1);
const config = resolveConfig({ orgDomains: ["enron.com"] });

let azurite: Azurite;
let dir: string;
let expected: InsightsResult;
let env: Record<string, string>;
let host: ScaleHost;
const workers: WorkerProcess[] = [];

const ctx = (functionName: string, dequeueCount = 1) =>
  new InvocationContext({
    invocationId: `test-${functionName}`,
    functionName,
    triggerMetadata: { dequeueCount },
    logHandler: () => {},
  });
const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: true },
  scheduleStatus: { last: "", next: "", lastUpdated: "" },
};

/**
 * Where two results differ (undefined when they are the same): records, connections and the count of
 * relationship interactions, compared as JSON (the stored-interaction count is left out, see
 * docs/scale-out.md). Names the first differing item, rather than diffing megabytes on failure.
 */
function difference(got: InsightsResult, want: InsightsResult): string | undefined {
  if (got.stats.relationshipInteractions !== want.stats.relationshipInteractions)
    return "relationshipInteractions";
  for (const key of ["records", "connections"] as const) {
    if (got[key].length !== want[key].length) return `${key}: ${got[key].length} against ${want[key].length}`;
    for (let k = 0; k < got[key].length; k++) {
      const a = JSON.stringify(got[key][k]);
      const b = JSON.stringify(want[key][k]);
      if (a !== b) return `${key}[${k}]: ${a.slice(0, 300)} against ${b.slice(0, 300)}`;
    }
  }
  return undefined;
}

async function published(run: string, ms = 150_000): Promise<InsightsResult> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    // Partitions publish on their own; the sample is small enough to merge here and compare whole.
    if (await host.store.published(run))
      return mergeParts(await host.store.results(run), (await host.store.directory(run))!);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`run ${run} was not published in time`);
}

/** A new run of the sample through the timer handler (real InvocationContext and Timer), a minute of its own. */
async function startRun(minute: number): Promise<string> {
  const handlers = scaleHandlers(host, () => Date.UTC(2026, 0, 1) + minute * 60_000);
  await handlers.startRun(timer, ctx("startRun"));
  return (await host.store.latestRun()) as string;
}

/** The single-process result, from the product's own CLI (`rapport insights`) over the same mail. */
function singleProcess(mbox: string, name: string): InsightsResult {
  const out = path.join(dir, name);
  execFileSync(process.execPath, [
    CLI,
    "insights",
    "--mbox",
    mbox,
    "--domain",
    "enron.com",
    "--now",
    "2002-01-01",
    "--out",
    out,
    // Every person, as the scale-out keeps them (the command lists only the top few by default).
    "--people-per-list",
    "0",
    "--quiet",
  ]);
  return JSON.parse(readFileSync(out, "utf8")) as InsightsResult;
}

beforeAll(async () => {
  azurite = await startAzurite();
  dir = mkdtempSync(path.join(os.tmpdir(), "rapport-scale-"));
  expected = singleProcess(SAMPLE_DIR, "expected.json");
  env = {
    AzureWebJobsStorage: azurite.connectionString,
    RAPPORT_ORG_DOMAINS: "enron.com",
    RAPPORT_PARTITIONS: "4",
    RAPPORT_MAILBOX_FOLDER: SAMPLE_DIR,
    GRAPH_CLIENT_STATE: "test-client-state-not-a-real-secret",
    RAPPORT_AS_OF: "2002-01-01",
  };
  host = await openScaleHost(readScaleSettings(env));
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await azurite?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("scale-out over Storage queues", () => {
  test("the sample fanned out to 3 worker processes gives exactly the single-process insights and rows", async () => {
    const run = await startRun(0);
    const three = [startWorker(env), startWorker(env), startWorker(env)];
    workers.push(...three);
    const merged = await published(run);
    await Promise.all(three.map((w) => w.stop()));
    expect(merged.records.length).toBe(expected.records.length);
    expect(merged.records.length).toBeGreaterThan(1000);
    expect(difference(merged, expected)).toBeUndefined();
    const directory = (await host.store.directory(run))!;
    const d = new Directory(directory, config);
    expect(JSON.stringify(rowsOf(merged, d)) === JSON.stringify(rowsOf(expected, d))).toBe(true);
    // Each partition published its own rows: together, exactly the single process's rows, each once.
    const want = rowsOf(expected, d);
    const wanted = new Map(
      [...want.insights, ...want.history, ...want.connections].map((r) => [r.key, JSON.stringify(r.values)]),
    );
    const publishedRows = new Map<string, string>();
    for (let p = 0; p < 4; p++)
      for (const line of await storedRows(host.store, run, p)) {
        const { key, values } = JSON.parse(line) as { key: string; values: Record<string, unknown> };
        expect(values["rp_partition"]).toBe(p);
        expect(publishedRows.has(key)).toBe(false);
        delete values["rp_partition"];
        publishedRows.set(key, JSON.stringify(values));
      }
    expect(publishedRows.size).toBe(wanted.size);
    expect([...publishedRows].filter(([k, v]) => wanted.get(k) !== v)).toEqual([]);
    expect((await host.store.published(run))?.written).toBe(wanted.size);
    // One sync planned the run, though three workers finished syncs at about the same time; the claim
    // is that mailbox's alone (its retried message may plan again, no other may).
    expect(three.flatMap((w) => w.events).filter((e) => e["event"] === "run.planned")).toHaveLength(1);
    const mailboxes = (await host.store.manifest(run))!.mailboxes;
    const claims = await Promise.all(mailboxes.map((m) => host.store.claimPlan(run, m)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    // A duplicate recompute (a stage started twice, a redelivery) finds the same inputs and computes nothing.
    const before = await host.store.publishedPart(run, 0);
    expect(await host.service.recomputePartition({ run, partition: 0 })).toBe("unchanged");
    await host.service.publishPartition({ run, partition: 0 });
    expect(await host.store.publishedPart(run, 0)).toEqual(before);
    await host.queues.getQueueClient(QUEUES.publish).clearMessages();
    // The work really was shared: more than one worker handled messages.
    expect(
      three.filter((w) => w.events.some((e) => e["event"] === "message" && e["ok"] === true)).length,
    ).toBeGreaterThan(1);
  }, 200_000);

  test("a worker killed in the middle of a sync leaves its message to another, with the result unchanged", async () => {
    // Three of the sample's mailboxes, to keep the test short; the single-process result of the same three.
    const folder = path.join(dir, "three");
    mkdirSync(folder);
    for (const m of ["ring-r", "ermis-f", "griffith-j"])
      copyFileSync(path.join(SAMPLE_DIR, `${m}.mbox.gz`), path.join(folder, `${m}.mbox.gz`));
    const want = singleProcess(folder, "three.json");
    const env3 = { ...env, RAPPORT_MAILBOX_FOLDER: folder };
    host = await openScaleHost(readScaleSettings(env3));
    const run = await startRun(1);
    const doomed = startWorker({
      ...env3,
      RAPPORT_VISIBILITY_TIMEOUT: "3",
      RAPPORT_FAULT_STALL_AFTER_PART_WRITES: "1",
    });
    workers.push(doomed);
    // It has written one partition of a mailbox and hangs: kill it there, mid-message.
    await doomed.waitFor((e) => e["event"] === "fault.stalled");
    await doomed.kill();
    const two = [startWorker(env3), startWorker(env3)];
    workers.push(...two);
    const merged = await published(run);
    await Promise.all(two.map((w) => w.stop()));
    const retried = two
      .flatMap((w) => w.events)
      .filter((e) => e["event"] === "message" && (e["dequeueCount"] as number) >= 2);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(merged.records.length).toBeGreaterThan(100);
    expect(difference(merged, want)).toBeUndefined();
  }, 200_000);
});

describe("HTTP triggers (real HttpRequest and InvocationContext)", () => {
  const post = (
    url: string,
    body?: unknown,
    query: Record<string, string> = {},
    params: Record<string, string> = {},
  ) =>
    new HttpRequest({
      method: "POST",
      url,
      query,
      params,
      ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
    });
  const messages = async (queue: string): Promise<unknown[]> => {
    const { peekedMessageItems } = await host.queues
      .getQueueClient(queue)
      .peekMessages({ numberOfMessages: 32 });
    return peekedMessageItems.map((m) => decodeMessage(m.messageText, queue));
  };
  afterEach(async () => {
    for (const q of Object.values(QUEUES)) await host.queues.getQueueClient(q).clearMessages();
  });

  test("Graph's subscription validation gets its token back as text", async () => {
    const token = "Validation: Testing client application reachability for subscription Request-Id: 1";
    const res = await scaleHandlers(host).graphNotifications(
      post(
        `https://rapport.example/api/graph/notifications?validationToken=${encodeURIComponent(token)}`,
        undefined,
        {
          validationToken: token,
        },
      ),
      ctx("graphNotifications"),
    );
    expect(res).toMatchObject({
      status: 200,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
      body: token,
    });
  });

  test("a notification with the wrong clientState is refused (403); the right one enqueues a sync of its mailbox", async () => {
    const h = scaleHandlers(host);
    const note = (clientState: string) => ({
      value: [
        {
          subscriptionId: "s1",
          clientState,
          changeType: "created",
          resource: "Users/ring-r/Messages/AAMkAGI2",
        },
      ],
    });
    const url = "https://rapport.example/api/graph/notifications";
    expect((await h.graphNotifications(post(url, note("guessed")), ctx("graphNotifications"))).status).toBe(
      403,
    );
    expect(await messages(QUEUES.sync)).toEqual([]);
    const ok = await h.graphNotifications(
      post(url, note(env["GRAPH_CLIENT_STATE"]!)),
      ctx("graphNotifications"),
    );
    expect(ok.status).toBe(202);
    const run = await host.store.latestRun();
    expect(await messages(QUEUES.sync)).toEqual([{ run, mailbox: "ring-r" }]);
  });

  test("recompute one record: its partition is queued; an unknown record is 404, a bad type 400", async () => {
    const h = scaleHandlers(host);
    const run = (await host.store.latestRun())!;
    const contact = (await host.store.directory(run))!.contacts[0]!;
    const url = "https://rapport.example/api/records";
    const res = await h.recomputeRecord(
      post(url, undefined, {}, { type: "contact", id: contact.id }),
      ctx("recomputeRecord"),
    );
    expect(res.status).toBe(202);
    const { partition } = res.jsonBody as { partition: number };
    expect(await messages(QUEUES.recompute)).toEqual([{ run, partition }]);
    expect(
      (await h.recomputeRecord(post(url, undefined, {}, { type: "contact", id: "c-none" }), ctx("r"))).status,
    ).toBe(404);
    expect(
      (await h.recomputeRecord(post(url, undefined, {}, { type: "invoice", id: "x" }), ctx("r"))).status,
    ).toBe(400);
  });

  test("status reports the latest run's progress and the queues", async () => {
    const res = await scaleHandlers(host).status(
      new HttpRequest({ method: "GET", url: "https://rapport.example/api/status" }),
      ctx("status"),
    );
    const body = res.jsonBody as {
      run: string;
      mailboxes: number;
      synced: number;
      partitions: number;
      recomputed: number;
      published?: { records: number };
      queues: Record<string, number>;
    };
    expect(body).toMatchObject({ mailboxes: 3, synced: 3, partitions: 4, recomputed: 4 });
    expect(body.published?.records).toBeGreaterThan(100);
    expect(Object.keys(body.queues)).toContain("rapport-sync-poison");
  });

  test("the settings name every missing one at once", () => {
    expect(() => readScaleSettings({ RAPPORT_PARTITIONS: "0" })).toThrow(SettingsError);
    try {
      readScaleSettings({ RAPPORT_PARTITIONS: "0" });
    } catch (err) {
      expect((err as SettingsError).missing).toEqual([
        "AzureWebJobsStorage (or AzureWebJobsStorage__accountName)",
        "RAPPORT_ORG_DOMAINS",
        "GRAPH_CLIENT_STATE",
      ]);
      expect((err as Error).message).toContain("RAPPORT_PARTITIONS: expected an integer from 1 to 4096");
    }
    // Without a mailbox folder, mail comes from Graph: its settings are checked too.
    expect(() =>
      readScaleSettings({ ...env, RAPPORT_MAILBOX_FOLDER: "", GRAPH_AUTH: "clientSecret" }),
    ).toThrow("Graph setting GRAPH_TENANT_ID: missing");
    expect(readScaleSettings({ ...env, RAPPORT_MAILBOX_FOLDER: "" }).graph?.auth.kind).toBe(
      "managedIdentity",
    );
  });
});

// Last: its broken run becomes the latest.
describe("poison", () => {
  test("poison messages land in the poison queue with their reason", async () => {
    const handlers = scaleHandlers(host);
    const sync = host.queues.getQueueClient(QUEUES.sync);
    const recompute = host.queues.getQueueClient(QUEUES.recompute);
    await sync.sendMessage("this is not base64 JSON {");
    await sync.sendMessage(
      Buffer.from(JSON.stringify({ run: "no-such-run", mailbox: "x" })).toString("base64"),
    );
    // A recompute of a run whose directory is gone fails every time: retried, then poisoned at the fifth delivery.
    await host.store.putManifest({
      run: "r-broken",
      now: NOW,
      partitions: 2,
      mailboxes: [],
      orgDomains: ["enron.com"],
    });
    await recompute.sendMessage(
      Buffer.from(JSON.stringify({ run: "r-broken", partition: 1 })).toString("base64"),
    );
    const stop = new AbortController();
    const seen: number[] = [];
    const loop = runQueueWorker({
      queues: host.queues,
      handlers: { [QUEUES.sync]: handlers.sync, [QUEUES.recompute]: handlers.recompute },
      visibilityTimeout: 1,
      retryAfterSeconds: 1,
      idleMs: 100,
      signal: stop.signal,
      onMessage: (e) => seen.push(e.dequeueCount),
    });
    const records = async (q: string): Promise<PoisonRecord[]> => {
      const client = new QueueClient(azurite.connectionString, poisonQueueOf(q));
      const { peekedMessageItems } = await client.peekMessages({ numberOfMessages: 32 });
      return peekedMessageItems.map((m) => decodeMessage(m.messageText, q) as PoisonRecord);
    };
    const deadline = Date.now() + 60_000;
    while (
      Date.now() < deadline &&
      ((await records(QUEUES.sync)).length < 2 || (await records(QUEUES.recompute)).length < 1)
    )
      await new Promise((r) => setTimeout(r, 200));
    stop.abort();
    await loop;
    const syncPoison = await records(QUEUES.sync);
    expect(syncPoison.map((r) => r.reason).sort()).toEqual([
      "rapport-sync: the message is not a JSON object",
      "run no-such-run does not exist",
    ]);
    expect(syncPoison.every((r) => r.dequeueCount === 1)).toBe(true);
    const [broken] = await records(QUEUES.recompute);
    expect(broken?.dequeueCount).toBe(MAX_DEQUEUE_COUNT);
    expect(broken?.reason).toBe("failed 5 times; last: MissingStateError: run r-broken has no directory yet");
    expect(broken?.message).toEqual({ run: "r-broken", partition: 1 });
    expect(Math.max(...seen)).toBe(MAX_DEQUEUE_COUNT);
    // Nothing is left to be retried.
    expect((await sync.getProperties()).approximateMessagesCount).toBe(0);
    expect((await recompute.getProperties()).approximateMessagesCount).toBe(0);
  }, 90_000);
});
