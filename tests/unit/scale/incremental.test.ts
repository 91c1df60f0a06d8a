import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";

import { generateOrg } from "../../../server/src/app/scale/generateOrg";
import { CursorMovedError, FolderMailboxSource } from "../../../server/src/app/scale/mailboxSource";
import { type QueueName, QUEUES } from "../../../server/src/app/scale/messages";
import { parseList } from "../../../server/src/app/scale/publishList";
import { ScaleService } from "../../../server/src/app/scale/scaleService";
import { storedRows, StoreSink } from "../../../server/src/app/scale/sinks";
import { resolveConfig } from "../../../server/src/core/config";
import { Directory } from "../../../server/src/core/directory";
import { mulberry32 } from "../../../server/src/core/random";
import { MemoryScaleStore } from "./memoryScaleStore";

const NOW = Date.UTC(2026, 0, 1);
const config = resolveConfig({ orgDomains: ["contoso.com"] });
let tmp: string;
/** Each mailbox's lines (Graph message objects), as `rapport generate` wrote them. */
let mail: Map<string, string[]>;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "rapport-incremental-"));
  const out = path.join(tmp, "generated");
  await generateOrg({ seed: 11, mailboxes: 5, interactions: 1200, out });
  mail = new Map(
    readdirSync(out)
      .sort()
      .map((f) => [
        f.replace(".ndjson.gz", ""),
        gunzipSync(readFileSync(path.join(out, f)))
          .toString("utf8")
          .split("\n")
          .filter(Boolean),
      ]),
  );
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A service over a folder and an in-memory store, its queues worked here one message at a time. */
function harness(folder: string, store = new MemoryScaleStore(), incremental = true) {
  const queue: { queue: QueueName; body: unknown; deliveries: number }[] = [];
  const events: { event: string; props: Record<string, string | number | boolean> }[] = [];
  /** Messages handled, by queue (every delivery). */
  const handled = new Map<QueueName, number>();
  const service = new ScaleService({
    log: (event, props) => void events.push({ event, props }),
    store,
    source: new FolderMailboxSource(folder),
    enqueue: async (q, body) => void queue.push({ queue: q, body, deliveries: 0 }),
    sink: new StoreSink(store, config),
    config,
    incremental,
  });
  const handle = (q: QueueName, body: unknown): Promise<unknown> => {
    handled.set(q, (handled.get(q) ?? 0) + 1);
    return q === QUEUES.sync
      ? service.syncMailbox(body)
      : q === QUEUES.recompute
        ? service.recomputePartition(body)
        : service.publishPartition(body);
  };
  return {
    store,
    service,
    events,
    handled,
    /** Starts a run and works its queues to the end; a failed message is delivered again (as the host does). */
    async run(run: string, partitions: number, options: { twice?: boolean; now?: number } = {}) {
      await service.startRun({ run, now: options.now ?? NOW, partitions });
      for (let m = queue.shift(); m; m = queue.shift()) {
        try {
          await handle(m.queue, m.body);
          // Every message delivered a second time: a retried tick, the same input twice.
          if (options.twice && m.deliveries++ === 0) queue.push(m);
        } catch (err) {
          if (++m.deliveries > 5) throw err;
          queue.push(m);
        }
      }
      expect(await store.published(run)).toBeDefined();
      return run;
    },
  };
}

/** Writes the mail of batches [0, upTo) into a folder: batch 0 as the mailbox files, each later one a subfolder. */
function writeBatches(folder: string, batches: Map<string, string[]>[], upTo: number): void {
  for (let b = 0; b < upTo; b++) {
    const dir = b === 0 ? folder : path.join(folder, `batch${String(b).padStart(3, "0")}`);
    mkdirSync(dir, { recursive: true });
    for (const [mailbox, lines] of batches[b]!)
      writeFileSync(path.join(dir, `${mailbox}.ndjson.gz`), gzipSync(lines.map((l) => `${l}\n`).join("")));
  }
}

/** Splits every mailbox's mail into `n` batches at random (seeded), each line in one batch. */
function split(seed: number, n: number): Map<string, string[]>[] {
  const rand = mulberry32(seed);
  const batches = Array.from({ length: n }, () => new Map<string, string[]>());
  for (const [mailbox, lines] of mail) {
    for (const b of batches) b.set(mailbox, []);
    for (const line of lines) batches[Math.floor(rand() * n)]!.get(mailbox)!.push(line);
  }
  return batches;
}

/** Every partition's published rows and result, as text: what must match byte for byte. */
async function outputs(store: MemoryScaleStore, run: string, partitions: number): Promise<string[]> {
  const out: string[] = [];
  for (let p = 0; p < partitions; p++)
    out.push(JSON.stringify(await storedRows(store, run, p)), JSON.stringify(await store.result(run, p)));
  return out;
}

/** One full recompute (no kept state) of the mail of batches [0, upTo). */
async function fullRecompute(batches: Map<string, string[]>[], upTo: number, partitions: number, now = NOW) {
  const folder = mkdtempSync(path.join(tmp, "full-"));
  writeBatches(folder, batches, upTo);
  const h = harness(folder, new MemoryScaleStore(), false);
  return outputs(h.store, await h.run("full", partitions, { now }), partitions);
}

describe("incremental partition state", () => {
  it.each([1, 2, 3, 4])(
    "any split of the mail into ticks equals one full recompute of the same mail, after every tick (seed %i)",
    async (seed) => {
      const ticks = 2 + (seed % 3);
      const partitions = 2 + seed;
      const batches = split(seed, ticks);
      const folder = mkdtempSync(path.join(tmp, "ticks-"));
      const h = harness(folder);
      for (let t = 1; t <= ticks; t++) {
        writeBatches(folder, batches, t);
        const run = await h.run(`t${t}`, partitions);
        expect((await h.store.manifest(run))!.base).toBe(t === 1 ? undefined : `t${t - 1}`);
        expect(await outputs(h.store, run, partitions)).toEqual(await fullRecompute(batches, t, partitions));
      }
    },
  );

  it("a tick delivered twice (every message again), and a tick with no new mail, change nothing", async () => {
    const batches = split(7, 3);
    const folder = mkdtempSync(path.join(tmp, "twice-"));
    const h = harness(folder);
    writeBatches(folder, batches, 2);
    await h.run("a", 4, { twice: true });
    writeBatches(folder, batches, 3);
    await h.run("b", 4, { twice: true });
    const empty = await h.run("c", 4);
    expect(await outputs(h.store, empty, 4)).toEqual(await fullRecompute(batches, 3, 4));
    expect(await outputs(h.store, "b", 4)).toEqual(await fullRecompute(batches, 3, 4));
  });

  it.each([
    "putPart",
    "putMailboxCursor",
    "putSnapshot",
    "switchState",
    "putResult",
    "putRows",
    "putPublishedPart",
  ])("a worker dying at %s in a tick: the message's retry gives the full recompute's result", async (op) => {
    const batches = split(9, 3);
    const folder = mkdtempSync(path.join(tmp, "crash-"));
    const h = harness(folder);
    writeBatches(folder, batches, 2);
    await h.run("a", 3);
    writeBatches(folder, batches, 3);
    h.store.fail.add(op);
    await h.run("b", 3);
    expect(h.store.fail.has(op)).toBe(false);
    expect(await outputs(h.store, "b", 3)).toEqual(await fullRecompute(batches, 3, 3));
  });

  it("a recompute publishes what it computed itself; a publish that fails there is left to the publish queue", async () => {
    const batches = split(19, 2);
    const folder = mkdtempSync(path.join(tmp, "inline-"));
    const h = harness(folder);
    writeBatches(folder, batches, 1);
    await h.run("a", 3);
    // Every partition computed and published by its recompute message: no publish message at all.
    expect(h.handled.get(QUEUES.recompute)).toBe(3);
    expect(h.handled.get(QUEUES.publish)).toBeUndefined();
    expect(h.events.filter((e) => e.event === "partition.published")).toHaveLength(3);
    writeBatches(folder, batches, 2);
    h.store.fail.add("putRows");
    await h.run("b", 3);
    // The failed publish failed its recompute message; the retry found the result stored and queued it.
    expect(h.handled.get(QUEUES.recompute)).toBe(3 + 3 + 1);
    expect(h.handled.get(QUEUES.publish)).toBe(1);
    expect(h.events.filter((e) => e.event === "run.published")).toHaveLength(2);
    expect(await outputs(h.store, "b", 3)).toEqual(await fullRecompute(batches, 2, 3));
  });

  it("a snapshot written but its pointer not moved is never read: the state is the old one or the new", async () => {
    const batches = split(13, 3);
    const folder = mkdtempSync(path.join(tmp, "pointer-"));
    const h = harness(folder);
    writeBatches(folder, batches, 2);
    await h.run("a", 2);
    const before = await h.store.partitionState(2, 0);
    writeBatches(folder, batches, 3);
    h.store.fail.add("switchState");
    await h.run("b", 2);
    const after = await h.store.partitionState(2, 0);
    expect(before!.pointer.run).toBe("a");
    expect(after!.pointer.run).toBe("b");
    // The old snapshot went once the pointer moved; only the pointed-to one is left.
    const snapshots = [...h.store.blobs.keys()].filter((k) => k.startsWith("state/2/0/"));
    expect(snapshots.sort()).toEqual([after!.pointer.snapshot, after!.pointer.computed].sort());
  });

  it("a change of partition count makes a full run (rebuilt from all the mail), equal to the full recompute", async () => {
    const batches = split(17, 3);
    const folder = mkdtempSync(path.join(tmp, "count-"));
    const h = harness(folder);
    writeBatches(folder, batches, 2);
    await h.run("a", 3);
    writeBatches(folder, batches, 3);
    const run = await h.run("b", 5);
    expect((await h.store.manifest(run))!.base).toBeUndefined();
    expect(await outputs(h.store, run, 5)).toEqual(await fullRecompute(batches, 3, 5));
    // And the next tick builds on the new count's state.
    const next = await h.run("c", 5);
    expect((await h.store.manifest(next))!.base).toBe("b");
    expect(await outputs(h.store, next, 5)).toEqual(await fullRecompute(batches, 3, 5));
  });

  it("a mailbox left out makes a full run; listed again, it is read whole (its old cursor is of another epoch)", async () => {
    const batches = split(31, 2);
    const without = batches.map((b) => new Map([...b].filter(([m]) => m !== "user4")));
    const folder = mkdtempSync(path.join(tmp, "leave-"));
    const h = harness(folder);
    writeBatches(folder, batches, 2);
    await h.run("a", 3);
    rmSync(path.join(folder, "user4.ndjson.gz"));
    rmSync(path.join(folder, "batch001", "user4.ndjson.gz"));
    const b = await h.run("b", 3);
    expect((await h.store.manifest(b))!.base).toBeUndefined();
    expect(await outputs(h.store, b, 3)).toEqual(await fullRecompute(without, 2, 3));
    writeBatches(folder, batches, 2);
    const c = await h.run("c", 3);
    expect((await h.store.manifest(c))!.base).toBe("b");
    expect(await outputs(h.store, c, 3)).toEqual(await fullRecompute(batches, 2, 3));
  });

  it("a tick reads only the new mail: its shares hold the new batch, not the history", async () => {
    const batches = split(19, 2);
    const folder = mkdtempSync(path.join(tmp, "shares-"));
    const h = harness(folder);
    writeBatches(folder, batches, 2);
    await h.run("a", 2);
    writeBatches(folder, batches, 1);
    rmSync(path.join(folder, "batch001"), { recursive: true });
    writeBatches(folder, batches, 2);
    await h.run("b", 2);
    const shared = [...h.store.blobs.keys()].filter((k) => k.startsWith("runs/b/parts/"));
    expect(shared).toEqual([]);
  });

  it("a mailbox file rewritten after it was read stops the tick with CursorMovedError", async () => {
    const batches = split(23, 2);
    const folder = mkdtempSync(path.join(tmp, "moved-"));
    const h = harness(folder);
    writeBatches(folder, batches, 1);
    await h.run("a", 2);
    writeBatches(folder, split(29, 2), 1);
    await expect(
      new FolderMailboxSource(folder).readNew(
        "user0",
        config,
        NOW,
        JSON.parse((await h.store.blobs.get("cursors/user0"))!.text).after.cursor,
      ),
    ).rejects.toBeInstanceOf(CursorMovedError);
  });
});

/** How many records and connections a run's recomputes computed, against how many its partitions hold. */
function computedIn(events: ReturnType<typeof harness>["events"], run: string) {
  const mine = events.filter((e) => e.event === "partition.recomputed" && e.props.run === run);
  const sum = (key: string): number => mine.reduce((n, e) => n + Number(e.props[key]), 0);
  return { records: sum("computedRecords"), of: sum("records"), connections: sum("computedConnections") };
}

describe("a tick recomputes only what its new mail touches (scores as of the end of the run's UTC day)", () => {
  const DAY1 = Date.UTC(2026, 0, 1);
  const DAY2 = Date.UTC(2026, 0, 2);
  const DAY3 = Date.UTC(2026, 0, 3);
  const HOUR = 3_600_000;

  it("same-day ticks (one retried, one with a worker dying) equal one full recompute at the day's clock", async () => {
    const batches = split(37, 4);
    const folder = mkdtempSync(path.join(tmp, "day-"));
    const h = harness(folder);
    writeBatches(folder, batches, 1);
    await h.run("t1", 4, { now: DAY1 + 9 * HOUR });
    expect(await outputs(h.store, "t1", 4)).toEqual(await fullRecompute(batches, 1, 4, DAY2));
    writeBatches(folder, batches, 2);
    await h.run("t2", 4, { now: DAY1 + 9.25 * HOUR, twice: true });
    expect(await outputs(h.store, "t2", 4)).toEqual(await fullRecompute(batches, 2, 4, DAY2));
    writeBatches(folder, batches, 3);
    h.store.fail.add("switchState");
    await h.run("t3", 4, { now: DAY1 + 23.9 * HOUR });
    expect(await outputs(h.store, "t3", 4)).toEqual(await fullRecompute(batches, 3, 4, DAY2));
    // The first run computed every record; the ticks only some.
    const first = computedIn(h.events, "t1");
    expect(first.records).toBe(first.of);
    for (const run of ["t2", "t3"]) {
      const tick = computedIn(h.events, run);
      expect(tick.records).toBeLessThan(tick.of);
    }
  });

  it("the first run of a new day computes every record again (the daily pass), even without new mail", async () => {
    const batches = split(41, 3);
    const folder = mkdtempSync(path.join(tmp, "nextday-"));
    const h = harness(folder);
    writeBatches(folder, batches, 2);
    await h.run("a", 3, { now: DAY1 + 8 * HOUR });
    await h.run("b", 3, { now: DAY2 + 8 * HOUR });
    const daily = computedIn(h.events, "b");
    expect(daily.records).toBe(daily.of);
    expect(await outputs(h.store, "b", 3)).toEqual(await fullRecompute(batches, 2, 3, DAY3));
    writeBatches(folder, batches, 3);
    await h.run("c", 3, { now: DAY2 + 9 * HOUR });
    expect(await outputs(h.store, "c", 3)).toEqual(await fullRecompute(batches, 3, 3, DAY3));
    // A later run of the day without new mail computes nothing and changes nothing.
    await h.run("d", 3, { now: DAY2 + 10 * HOUR });
    expect(computedIn(h.events, "d")).toMatchObject({ records: 0, connections: 0 });
    expect(await outputs(h.store, "d", 3)).toEqual(await fullRecompute(batches, 3, 3, DAY3));
  });

  it("a change of partition count during the day is a full run, and the day's next tick builds on it", async () => {
    const batches = split(43, 3);
    const folder = mkdtempSync(path.join(tmp, "daycount-"));
    const h = harness(folder);
    writeBatches(folder, batches, 1);
    await h.run("a", 3, { now: DAY1 + HOUR });
    writeBatches(folder, batches, 2);
    await h.run("b", 5, { now: DAY1 + 2 * HOUR });
    expect(computedIn(h.events, "b").records).toBe(computedIn(h.events, "b").of);
    writeBatches(folder, batches, 3);
    await h.run("c", 5, { now: DAY1 + 3 * HOUR });
    expect(computedIn(h.events, "c").records).toBeLessThan(computedIn(h.events, "c").of);
    expect(await outputs(h.store, "c", 5)).toEqual(await fullRecompute(batches, 3, 5, DAY2));
  });

  it("mail touching one external person recomputes only the records holding that person and their connections", async () => {
    const batches = split(47, 1);
    const folder = mkdtempSync(path.join(tmp, "one-"));
    const h = harness(folder);
    writeBatches(folder, batches, 1);
    await h.run("a", 4, { now: DAY1 + HOUR });
    // One new message from a person the org already knows to the mailbox's owner.
    const known = JSON.parse(
      mail.get("user0")!.find((l) => !l.includes('"from":{"emailAddress":{"address":"user'))!,
    );
    const person: string = known.from.emailAddress.address;
    const message = {
      ...known,
      id: "touch-1",
      internetMessageId: "<touch-1@mail.example>",
      sentDateTime: "2025-12-31T12:00:00.000Z",
      receivedDateTime: "2025-12-31T12:00:00.000Z",
    };
    const tick = new Map(
      [...batches[0]!.keys()].map((m) => [m, m === "user0" ? [JSON.stringify(message)] : []]),
    );
    writeBatches(folder, [batches[0]!, tick], 2);
    await h.run("b", 4, { now: DAY1 + 2 * HOUR });
    expect(await outputs(h.store, "b", 4)).toEqual(await fullRecompute([batches[0]!, tick], 2, 4, DAY2));
    // Every record whose people include the person, and only those; their connections alone.
    const directory = new Directory((await h.store.directory("b"))!, config);
    const holding = directory
      .scopes(new Map([[person.slice(person.indexOf("@") + 1), [person]]]))
      .filter((s) => s.externals.has(person)).length;
    let connections = 0;
    for (let p = 0; p < 4; p++)
      connections += (await h.store.result("b", p))!.connections.filter((c) => c.external === person).length;
    const computed = computedIn(h.events, "b");
    expect(holding).toBeGreaterThan(0);
    expect(connections).toBeGreaterThan(0);
    expect(computed).toMatchObject({ records: holding, connections });
    expect(computed.of).toBeGreaterThan(10 * holding);
    // Published against run a's lists: only the changed rows are written, none read back (StoreSink
    // stores them as a change to run a's rows, which storedRows applied above).
    const published = h.events.filter((e) => e.event === "partition.published");
    const ofRun = (run: string) => published.filter((e) => e.props.run === run);
    expect(ofRun("a").every((e) => e.props.changedOnly === false)).toBe(true);
    expect(ofRun("b").every((e) => e.props.changedOnly === true)).toBe(true);
    const written = (run: string): number => ofRun(run).reduce((n, e) => n + Number(e.props.written), 0);
    expect(written("b")).toBeGreaterThan(0);
    expect(written("b")).toBeLessThan(written("a") / 20);
    // Exactly the rows that differ between the two runs' rows (new or changed lines, and keys gone).
    let differ = 0;
    for (let p = 0; p < 4; p++) {
      const before = new Set(await storedRows(h.store, "a", p));
      const after = await storedRows(h.store, "b", p);
      const keyOf = (l: string): string => (JSON.parse(l) as { key: string }).key;
      const keys = new Set(after.map(keyOf));
      differ += after.filter((l) => !before.has(l)).length;
      differ += [...before].filter((l) => !keys.has(keyOf(l))).length;
    }
    expect(written("b")).toBe(differ);
    for (let p = 0; p < 4; p++) {
      const raw = (await h.store.rows("b", p)).join("\n").split("\n");
      expect(raw[0]).toBe(JSON.stringify({ base: "a" }));
    }
    // The list of run b is what its rows resolve to: the next tick compares against exactly that.
    for (let p = 0; p < 4; p++) {
      const list = parseList((await h.store.publishList("b", p))!);
      const keys = (await storedRows(h.store, "b", p)).map((l) => (JSON.parse(l) as { key: string }).key);
      expect(list.rows.map((r) => r.key).sort()).toEqual(keys.sort());
    }
  });
});
