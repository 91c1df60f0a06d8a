import { computeAndPublish } from "../../../server/src/app/dataversePipeline";
import { seedDemo } from "../../../server/src/app/demo/seedDemo";
import { SAMPLE_DIR } from "../../../server/src/app/start";
import { domainOf } from "../../../server/src/core/address";
import type { InsightsResult } from "../../../server/src/core/insights";
import type { DataverseClient, Row } from "../../../server/src/dataverse/client";
import { openScaleHost, type ScaleHost } from "../../../server/src/functions/services";
import { readScaleSettings } from "../../../server/src/functions/settings";
import { startAzurite, type Azurite } from "../../../scripts/azurite.cjs";
import { NOW, TOKEN, config, sampleOrgs, type SampleOrgs } from "../sampleOrg";
import { runInProcess } from "./inProcessRun";

// The org's settings row (rp_settings) honoured by the scale-out as `rapport publish` honours it: read
// when a run starts (with the CRM), kept with the run, applied by every sync, recompute and publish.
// Against the local Dataverse endpoint and Azurite, on the real sample.

let sample: SampleOrgs;
let azurite: Azurite;
let one: DataverseClient;
let scale: DataverseClient;
let host: ScaleHost;
let optedOutUser: string;
let excludedDomain: string;
let firstCounts: Record<string, number>;

const TABLES = ["rp_relationshipinsights", "rp_relationshiphistories", "rp_connections"] as const;

const settingsRow = (client: DataverseClient, values: Row) =>
  client.upsert("rp_settingses", { rp_key: "default" }, { rp_name: "Default", ...values });

/** Rows per published table, counted by reading them. */
async function counts(client: DataverseClient): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await client.retrieveAll(t, { select: ["rp_key"] })).length;
  return out;
}

/** Records and connections in a canonical order, as JSON lines (the merge of partitions orders its own way). */
const canonical = (r: InsightsResult) => ({
  records: r.records.map((x) => JSON.stringify(x)).sort(),
  connections: r.connections.map((x) => JSON.stringify(x)).sort(),
});

/** The most frequent value of a list (ties: the first in sorted order, so the choice is stable). */
function mostFrequent(values: readonly string[]): string {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

beforeAll(async () => {
  [sample, azurite] = await Promise.all([sampleOrgs("scale-settings"), startAzurite()]);
  const a = await sample.org("one");
  const b = await sample.org("scale");
  one = a.client;
  scale = b.client;
  await seedDemo(one, sample.crm);
  await seedDemo(scale, sample.crm);
  // Settings that change the result a lot: the colleague with the most connections opts out, the
  // external domain with the most connections is excluded, meetings weigh 50% more.
  const baseline = await computeAndPublish(one, { config, now: NOW, mail: sample.mail });
  optedOutUser = mostFrequent(baseline.result.connections.map((c) => c.colleague));
  excludedDomain = mostFrequent(baseline.result.connections.map((c) => domainOf(c.external)));
  host = await openScaleHost(
    readScaleSettings({
      AzureWebJobsStorage: azurite.connectionString,
      RAPPORT_ORG_DOMAINS: "enron.com",
      RAPPORT_PARTITIONS: "3",
      RAPPORT_MAILBOX_FOLDER: SAMPLE_DIR,
      GRAPH_CLIENT_STATE: "test-client-state-not-a-real-secret",
      RAPPORT_AS_OF: "2002-01-01",
      DATAVERSE_URL: b.server.url,
      DATAVERSE_AUTH: "static",
      DATAVERSE_TOKEN: TOKEN,
    }),
  );
}, 180_000);

afterAll(async () => {
  await azurite?.stop();
  await sample?.close();
});

/**
 * Saves the same settings row in both orgs, runs `rapport publish` on one and the scale-out on the
 * other, and checks they agree: the same records and connections, the same rows in every table.
 */
async function bothWith(values: Row, minute: number) {
  await settingsRow(one, values);
  await settingsRow(scale, values);
  const want = await computeAndPublish(one, { config, now: NOW, mail: sample.mail });
  const got = await runInProcess(host, minute);
  const g = canonical(got.result);
  const w = canonical(want.result);
  expect(g.records.length).toBe(w.records.length);
  expect(g.connections.length).toBe(w.connections.length);
  expect(g.records.filter((x, k) => x !== w.records[k])).toEqual([]);
  expect(g.connections.filter((x, k) => x !== w.connections[k])).toEqual([]);
  const rows = await counts(scale);
  expect(rows).toEqual(await counts(one));
  return { got, want, rows, manifest: (await host.store.manifest(got.run))! };
}

describe("the org's settings row in the scale-out", () => {
  test("opt-out, exclusion and weights: the scale-out gives exactly what rapport publish gives", async () => {
    const { want, manifest, rows } = await bothWith(
      {
        rp_optedoutusers: optedOutUser.toUpperCase(), // as an admin may type it
        rp_excludeddomains: excludedDomain,
        rp_meetingweight: 9,
      },
      0,
    );
    // The settings bite: the colleague and the domain are gone from the result.
    expect(want.result.connections.length).toBeGreaterThan(500);
    expect(want.result.connections.some((c) => c.colleague === optedOutUser)).toBe(false);
    expect(want.result.connections.some((c) => domainOf(c.external) === excludedDomain)).toBe(false);
    // Kept with the run: every step (and every retry) computes with the settings the run started with.
    expect(manifest.settings?.optedOutUsers).toEqual([optedOutUser]);
    expect(manifest.settings?.config.weights?.meeting).toBe(1.5);
    expect(manifest.crm?.users.find((u) => u.emails.includes(optedOutUser))?.optedOut).toBe(true);
    expect(rows["rp_connections"]).toBeGreaterThanOrEqual(want.result.connections.length);
    firstCounts = rows;
  }, 240_000);

  test("who knows whom off, then analytics off: each next run removes what it published before", async () => {
    const noWkw = await bothWith({ rp_whoknowswhomenabled: false }, 1);
    expect(noWkw.got.result.connections).toEqual([]);
    expect(noWkw.got.result.records.length).toBeGreaterThan(100);
    expect(noWkw.got.result.records.every((r) => r.introducers.length === 0)).toBe(true);
    expect(noWkw.rows["rp_connections"]).toBe(0);
    expect(noWkw.rows["rp_relationshipinsights"]).toBe(firstCounts["rp_relationshipinsights"]);

    const noAnalytics = await bothWith({ rp_whoknowswhomenabled: true, rp_analyticsenabled: false }, 2);
    expect(noAnalytics.rows["rp_relationshipinsights"]).toBe(0);
    expect(noAnalytics.rows["rp_relationshiphistories"]).toBe(0);
    expect(noAnalytics.rows["rp_connections"]).toBe(firstCounts["rp_connections"]);
  }, 300_000);

  test("Microsoft 365 data off: no mailbox is read, and the run still publishes, removing what came from mail", async () => {
    const off = await bothWith({ rp_analyticsenabled: true, rp_m365enabled: false }, 3);
    expect(off.manifest.mailboxes).toEqual([]);
    expect(await host.store.published(off.got.run)).toBeDefined();
    // The CRM's records stay, with nothing to say about them; every connection and history row is gone.
    expect(off.rows["rp_relationshipinsights"]).toBeGreaterThan(100);
    expect(off.rows["rp_connections"]).toBe(0);
    expect(off.rows["rp_relationshiphistories"]).toBe(0);
    expect(off.got.result.stats.relationshipInteractions).toBe(0);
  }, 240_000);
});
