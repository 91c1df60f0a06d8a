import { seedDemo } from "../../../server/src/app/demo/seedDemo";
import { buildState } from "../../../server/src/app/pipeline";
import { changedRows, groupedRows } from "../../../server/src/app/scale/publishList";
import { recomputeOne } from "../../../server/src/app/scale/scaleService";
import { DataverseSink, partitionRowSet } from "../../../server/src/app/scale/sinks";
import { Directory, type DirectoryData } from "../../../server/src/core/directory";
import { PartitionRouter } from "../../../server/src/core/engine/partitions";
import { computeInsights, type InsightsResult } from "../../../server/src/core/insights";
import type { Interaction } from "../../../server/src/core/interaction";
import type { DataverseClient } from "../../../server/src/dataverse/client";
import { RAPPORT_TABLES } from "../../../server/src/dataverse/model";
import { rowsOf } from "../../../server/src/dataverse/publish/allRows";
import { clientTransport } from "../../../server/src/dataverse/publish/clientTransport";
import { publish } from "../../../server/src/dataverse/publish/publisher";
import { readCrm } from "../../../server/src/dataverse/read/readCrm";
import { ALL_FEATURES } from "../../../server/src/dataverse/read/settingsFromRow";
import { config, NOW, type SampleOrgs, sampleOrgs } from "../sampleOrg";

// Each scale-out partition publishes its own rows to Dataverse (the local endpoint, the real client and
// publisher): together they give exactly the single process's rows, partitions publishing at the same
// time never remove each other's rows, and a change of the partition count or a move from one process
// to scale-out converges to the same rows, each once, owned by its new partition.

// The tables the service publishes: those keyed by content hash (not the settings, not the introductions).
const PUBLISHED = RAPPORT_TABLES.filter((t) => t.columns.some((c) => c.name === "rp_contenthash"));

let sample: SampleOrgs;
let directory: DirectoryData;
let expectedKeys: Map<string, Set<string>>;
let expected: InsightsResult;

const clone = (list: readonly Interaction[]): Interaction[] => list.map((i) => structuredClone(i));

/** Each partition's result, as the recompute workers give it. */
function partitionResults(count: number): InsightsResult[] {
  const router = new PartitionRouter(directory, config, count);
  const parts: Interaction[][] = Array.from({ length: count }, () => []);
  for (const i of sample.mail.interactions)
    for (const p of router.route(i)) parts[p]!.push(structuredClone(i));
  return parts.map((list, p) => recomputeOne(list, directory, config, { now: NOW, partitions: count }, p));
}

/** Every partition published at once (as parallel workers would), in the given order of starting. */
async function publishPartitions(client: DataverseClient, count: number, reverse = false): Promise<number> {
  const results = partitionResults(count);
  const sink = new DataverseSink(client, config);
  const order = results.map((_, p) => p);
  if (reverse) order.reverse();
  const written = await Promise.all(
    order.map((p) =>
      sink.publishPartition({ run: "test", partition: p, partitions: count, result: results[p]!, directory }),
    ),
  );
  return written.reduce((a, b) => a + b, 0);
}

/** Which partition should own each key, for a partition count. */
function owners(count: number): Map<string, number> {
  const out = new Map<string, number>();
  partitionResults(count).forEach((r, p) => {
    const set = partitionRowSet(r, directory, config, p);
    for (const row of [...set.insights, ...set.history, ...set.connections]) out.set(row.key, p);
  });
  return out;
}

/** What the org holds: per table, every row's key and partition (duplicates would show as a count mismatch). */
async function held(
  client: DataverseClient,
): Promise<Map<string, { rows: number; partition: Map<string, unknown> }>> {
  const out = new Map<string, { rows: number; partition: Map<string, unknown> }>();
  for (const t of PUBLISHED) {
    const rows = await client.retrieveAll(t.entitySetName, { select: ["rp_key", "rp_partition"] });
    out.set(t.logicalName, {
      rows: rows.length,
      partition: new Map(rows.map((r) => [String(r["rp_key"]), r["rp_partition"]])),
    });
  }
  return out;
}

async function expectRows(client: DataverseClient, count: number): Promise<void> {
  const got = await held(client);
  const own = owners(count);
  for (const t of PUBLISHED) {
    const h = got.get(t.logicalName)!;
    const want = expectedKeys.get(t.logicalName)!;
    expect(h.rows).toBe(want.size);
    expect(new Set(h.partition.keys())).toEqual(want);
    expect([...h.partition].filter(([key, p]) => own.get(key) !== p)).toEqual([]);
  }
}

beforeAll(async () => {
  sample = await sampleOrgs("partition-publish");
  const { client } = await sample.org("crm");
  await seedDemo(client, sample.crm);
  directory = (await readCrm(client, config)).directory;
  const single = buildState(
    { interactions: clone(sample.mail.interactions), participantsByFile: new Map() },
    config,
    directory,
  );
  expected = computeInsights(single.state, single.scopes, NOW, { detail: "full" });
  const rows = rowsOf(expected, new Directory(directory, config));
  expectedKeys = new Map([
    ["rp_relationshipinsight", new Set(rows.insights.map((r) => r.key))],
    ["rp_relationshiphistory", new Set(rows.history.map((r) => r.key))],
    ["rp_connection", new Set(rows.connections.map((r) => r.key))],
  ]);
}, 120_000);

afterAll(() => sample.close());

describe("publishing per partition", () => {
  test("partitions publishing at once give the single process's rows, each once; a rerun writes nothing", async () => {
    const { client } = await sample.org("partitions");
    await seedDemo(client, sample.crm);
    expect(expected.records.length).toBeGreaterThan(100);
    const written = await publishPartitions(client, 4);
    expect(written).toBeGreaterThan(expectedKeys.get("rp_connection")!.size);
    await expectRows(client, 4);
    expect(await publishPartitions(client, 4, true)).toBe(0);

    // Fewer partitions, published at once in the other order: rows move owner, none is lost or doubled.
    expect(await publishPartitions(client, 3, true)).toBeGreaterThan(0);
    await expectRows(client, 3);
    // More partitions than before: the new partitions take their rows over.
    await publishPartitions(client, 5);
    await expectRows(client, 5);
  }, 300_000);

  test("a partition given its publish list writes only the rows that changed and deletes by key, reading nothing", async () => {
    const { client } = await sample.org("listed");
    await seedDemo(client, sample.crm);
    await publishPartitions(client, 4);
    const policy = { config, features: ALL_FEATURES };
    const before = partitionResults(4)[1]!;
    const listed = groupedRows(before, directory, policy, 1).listed;
    // The next result: one record's summary changed (a copy: computed again), one connection gone, the
    // rest the very objects of the last result (reused as they were).
    const k = before.records.findIndex((r) => r.kpis !== null);
    const changed = { ...before.records[k]!, summary: `${before.records[k]!.summary} (changed)` };
    const after = {
      ...before,
      records: before.records.map((r, i) => (i === k ? changed : r)),
      connections: before.connections.slice(1),
    };
    const delta = changedRows(
      after,
      before,
      { basis: "b", rows: listed },
      { directory, policy, partition: 1 },
    );
    // Every GET the sink sends (reads go in $batches of GETs, or page through retrieveMultiple).
    const reads: string[] = [];
    const writes: string[] = [];
    const counting = new Proxy(client, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (prop === "executeBatch")
            for (const op of args[0] as { method: string; url: string }[])
              if (op.method === "GET") reads.push(op.url);
              else writes.push(`${op.method} ${op.url.replace(/\(.*$/, "")}`);
          if (prop === "retrieveMultiple" || prop === "retrieveAll") reads.push(String(args[0]));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const written = await new DataverseSink(counting, config).publishPartition({
      run: "next",
      partition: 1,
      partitions: 4,
      result: after,
      directory,
      rows: delta.set,
      held: delta.held,
      base: "test",
    });
    expect(reads).toEqual([]);
    // The changed insight row (and its record's link to it), and the gone connection's row, by key.
    expect(writes.sort()).toEqual([
      "DELETE rp_connections",
      "PATCH contacts",
      "PATCH rp_relationshipinsights",
    ]);
    expect(written).toBe(3);
    // The org now holds partition 1's rows of the new result, each with its hash, and no other.
    const want = new Map(groupedRows(after, directory, policy, 1).listed.map((l) => [l.key, l.hash]));
    const got = new Map<string, unknown>();
    for (const t of PUBLISHED)
      for (const r of await client.retrieveAll(t.entitySetName, {
        select: ["rp_key", "rp_contenthash", "rp_partition"],
      }))
        if (r["rp_partition"] === 1) got.set(String(r["rp_key"]), r["rp_contenthash"]);
    expect(got).toEqual(want);
    expect(delta.list.rows.map((l) => l.key).sort()).toEqual([...want.keys()].sort());
  }, 300_000);

  test("rows one process published are taken over by the partitions, and stale ones swept", async () => {
    const { client } = await sample.org("migrate");
    await seedDemo(client, sample.crm);
    const report = await publish(
      clientTransport(client),
      rowsOf(expected, new Directory(directory, config)),
      {
        linked: new Set(),
      },
    );
    expect(report.failures).toEqual([]);
    // A row no computation produces any more (as after a person is excluded), left by the one process.
    await client.upsert(
      "rp_connections",
      { rp_key: "0".repeat(40) },
      { rp_name: "stale", rp_contenthash: "x" },
    );
    await publishPartitions(client, 4);
    await expectRows(client, 4);
  }, 300_000);
});
