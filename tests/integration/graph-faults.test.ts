import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { runGraphSync } from "../../server/src/app/graphSync";
import { SAMPLE_DIR } from "../../server/src/app/start";
import type { MessageEnvelope } from "../../server/src/core/interaction";
import type { LocalGraph } from "../../server/src/sources/graph/local/server";
import { SqliteStateStore } from "../../server/src/sources/graph/sqliteStateStore";
import {
  canonical,
  comparable,
  graphEnv,
  graphIngest,
  insightsOf,
  NOW,
  settingsFor,
  startSampleGraph,
  tempDir,
} from "./graphHarness";

// The Graph sync under the faults Graph produces: throttling storms, 503/504, dropped connections,
// repeats across pages, expired delta tokens, deletions, and a sync killed and restarted.

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "server/dist/cli/main.js");
// Three small mailboxes keep the suite fast; paging is made fine-grained with a small page size.
const SMALL = ["south-s.mbox.gz", "ring-r.mbox.gz", "williams-j.mbox.gz"];
const PAGE = { GRAPH_PAGE_SIZE: "40" };

let dir: string;
let small: string;
let reference: { server: LocalGraph; state: string };

/** Every stored item as mailbox/folder/id → envelope, to compare two syncs' states. */
function held(state: string): Map<string, unknown> {
  const store = new SqliteStateStore(state);
  try {
    const out = new Map<string, unknown>();
    for (const m of store.mailboxes())
      for (const i of store.items(m))
        out.set(`${m}/${i.folder}/${i.id}`, { ...i.envelope, origin: undefined });
    return out;
  } finally {
    store.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Items stored so far, read without writing (the child may be writing): 0 before it has a table. */
function storedCount(state: string): number {
  if (!existsSync(state)) return 0;
  try {
    const db = new Database(state, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM items").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

beforeAll(async () => {
  dir = tempDir("faults");
  small = path.join(dir, "mail");
  mkdirSync(small);
  for (const f of SMALL) copyFileSync(path.join(SAMPLE_DIR, f), path.join(small, f));
  const server = await startSampleGraph(undefined, small);
  const state = path.join(dir, "reference.sqlite");
  const result = await runGraphSync(settingsFor(server, dir, PAGE), { state, now: NOW });
  expect(result.failures).toEqual({});
  expect(result.mailboxes).toBe(SMALL.length);
  expect(result.stored).toBeGreaterThan(1000);
  reference = { server, state };
}, 60_000);

afterAll(() => reference.server.close());

test("under 429 storms, 503/504, dropped connections and repeats no item is lost or doubled, and every Retry-After is honoured", async () => {
  const server = await startSampleGraph(
    {
      seed: 7,
      throttleRate: 0.08,
      throttleBurst: 3,
      unavailableRate: 0.03,
      gatewayTimeoutRate: 0.02,
      dropRate: 0.03,
      duplicateAcrossPages: true,
    },
    small,
  );
  try {
    const state = path.join(dir, "storm.sqlite");
    const result = await runGraphSync(settingsFor(server, dir, PAGE), { state, now: NOW });
    expect(result.failures).toEqual({});
    expect(server.stats.throttled).toBeGreaterThan(5);
    expect(server.stats.dropped).toBeGreaterThan(0);
    expect(server.stats.earlyRetries).toBe(0);
    expect(server.stats.maxInFlightPerMailbox).toBeLessThanOrEqual(4);
    expect(held(state)).toEqual(held(reference.state));
  } finally {
    await server.close();
  }
}, 120_000);

test("deleted messages are removed; an expired delta resyncs the folder cleanly, without double counting", async () => {
  const server = await startSampleGraph(undefined, small);
  try {
    const state = path.join(dir, "delta.sqlite");
    const settings = settingsFor(server, dir, PAGE);
    await runGraphSync(settings, { state, now: NOW });
    const before = held(state);
    const user = server.tenant.users[0]!;
    const inbox = server.tenant.mailbox(user.id)!.folders.inbox;
    const [gone, changed] = [...inbox.items()];
    server.tenant.removeMessage(user.id, "inbox", gone!.id);
    server.tenant.putMessage(user.id, "inbox", { ...changed!, subject: "RE: changed" });
    const second = await runGraphSync(settings, { state, now: NOW });
    expect(second.removed).toBe(1);
    const after = held(state);
    expect(after.size).toBe(before.size - 1);
    expect(after.has(`${user.id}/inbox/${gone!.id}`)).toBe(false);
    expect((after.get(`${user.id}/inbox/${changed!.id}`) as MessageEnvelope).subject).toBe("RE: changed");

    // Another deletion, then every delta link has expired: each folder is read again from the start.
    const [third] = [...inbox.items()];
    server.tenant.removeMessage(user.id, "inbox", third!.id);
    server.setFaults({ expireDeltaTokens: 9 });
    const resync = await runGraphSync(settings, { state, now: NOW });
    expect(resync.resyncs).toBe(9);
    expect(resync.failures).toEqual({});
    const resynced = held(state);
    expect(resynced.size).toBe(after.size - 1);
    expect(resynced.has(`${user.id}/inbox/${third!.id}`)).toBe(false);
  } finally {
    await server.close();
  }
}, 120_000);

test("a sync killed at random points and restarted ends with the insights of a clean run", async () => {
  const server = await startSampleGraph({ delayMs: 80 }, small);
  try {
    const state = path.join(dir, "killed.sqlite");
    const env = { ...process.env, ...graphEnv(server, dir, PAGE) };
    const run = () =>
      spawn(process.execPath, [CLI, "sync", "--state", state, "--quiet", "--now", "2002-01-01"], {
        env,
        stdio: "ignore",
      });
    // Each run is killed once it has stored some mail (whatever the machine's load), after a random pause.
    const partial: number[] = [];
    for (let k = 0; k < 3; k++) {
      const child = run();
      let gone = false;
      const exited = new Promise((r) => child.once("exit", (code) => ((gone = true), r(code))));
      const before = storedCount(state);
      // No deadline: a loaded machine may take long to store the first item; a run that ends first is
      // simply not a kill mid-sync, and the check below says whether one was.
      while (storedCount(state) <= before && !gone) await sleep(20);
      await sleep(Math.random() * 300);
      child.kill("SIGKILL");
      await exited;
      partial.push(storedCount(state));
    }
    // At least one kill landed mid-sync, with part of the mail stored.
    const total = held(reference.state).size;
    expect(partial.some((n) => n > 0 && n < total)).toBe(true);
    const last = run();
    const code = await new Promise((r) => last.once("exit", r));
    expect(code).toBe(0);
    expect(held(state)).toEqual(held(reference.state));
    const killed = canonical(graphIngest(state, server));
    const clean = canonical(graphIngest(reference.state, reference.server));
    expect(comparable(killed.interactions)).toEqual(comparable(clean.interactions));
    expect(insightsOf(killed)).toEqual(insightsOf(clean));
  } finally {
    await server.close();
  }
  // Four runs of the CLI in child processes: a budget against a hang, generous for a loaded machine.
}, 600_000);
