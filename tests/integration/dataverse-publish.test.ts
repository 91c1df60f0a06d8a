import { spawn } from "node:child_process";
import path from "node:path";

import { computeAndPublish } from "../../server/src/app/dataversePipeline";
import type { DemoCrm } from "../../server/src/app/demo/demoCrm";
import { seedDemo } from "../../server/src/app/demo/seedDemo";
import { forgetPerson } from "../../server/src/app/forgetPerson";
import { type Ingested, ingestGraphJson, ingestMbox } from "../../server/src/app/ingest";
import { buildState } from "../../server/src/app/pipeline";
import { SAMPLE_DIR } from "../../server/src/app/start";
import { resolveConfig } from "../../server/src/core/config";
import {
  type DataverseClient,
  DuplicateRecordError,
  odataFilter,
  type Row,
} from "../../server/src/dataverse/client";
import type { FaultOptions } from "../../server/src/dataverse/local";
import { RAPPORT_TABLES } from "../../server/src/dataverse/model";
import { config, NOW, type SampleOrgs, sampleOrgs, TOKEN } from "./sampleOrg";

// The publisher, the Web API client and the local Dataverse endpoint together, on the real sample.

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "server/dist/cli/main.js");
// The tables the service publishes: those keyed by content hash (not the settings, not the introductions).
const PUBLISHED = RAPPORT_TABLES.filter((t) => t.columns.some((c) => c.name === "rp_contenthash"));

let sample: SampleOrgs;
let mail: Ingested;
let crm: DemoCrm;
const org = (name: string, faults?: FaultOptions) => sample.org(name, faults);

beforeAll(async () => {
  sample = await sampleOrgs("publish");
  ({ mail, crm } = sample);
}, 60_000);

afterAll(() => sample.close());

/** Every published row, by table: key → content hash (and the count, to see duplicates). */
async function held(
  client: DataverseClient,
): Promise<Record<string, { rows: number; byKey: Map<string, string> }>> {
  const out: Record<string, { rows: number; byKey: Map<string, string> }> = {};
  for (const t of PUBLISHED) {
    const rows: Row[] = await client.retrieveAll(t.entitySetName, { select: ["rp_key", "rp_contenthash"] });
    out[t.logicalName] = {
      rows: rows.length,
      byKey: new Map(rows.map((r) => [String(r["rp_key"]), String(r["rp_contenthash"])])),
    };
  }
  return out;
}

describe("client and local endpoint", () => {
  test("the demo CRM seeds, reads back, and upserts again without duplicates", async () => {
    const { client } = await org("seed");
    const written = await seedDemo(client, crm);
    expect(written).toBeGreaterThan(100);
    await seedDemo(client, crm);
    expect((await client.count("contacts")).count).toBe(crm.contacts.length);
    expect((await client.count("leads")).count).toBe(crm.leads.length);
    // A create-only upsert of an existing record is refused, typed.
    const lead = crm.leads[0]!;
    await expect(
      client.upsert("leads", String(lead["leadid"]), { fullname: "x" }, { mode: "createOnly" }),
    ).rejects.toBeInstanceOf(DuplicateRecordError);
  });

  test("a name with a quote is one value; an injection attempt matches nothing", async () => {
    const { client } = await org("quotes");
    await client.create("contacts", { fullname: "Dermot O'Brien", emailaddress1: "dob@fabrikam.com" });
    await client.create("contacts", { fullname: "Other", emailaddress1: "o@fabrikam.com" });
    const named = await client.retrieveAll("contacts", {
      select: ["fullname"],
      filter: odataFilter`fullname eq ${"Dermot O'Brien"}`,
    });
    expect(named.map((r) => r["fullname"])).toEqual(["Dermot O'Brien"]);
    const injected = await client.retrieveAll("contacts", {
      select: ["fullname"],
      filter: odataFilter`fullname eq ${"') or true or ('"}`,
    });
    expect(injected).toEqual([]);
  });
});

describe("publishing", () => {
  let reference: Awaited<ReturnType<typeof held>>;

  test("a first publish creates every row and links every record; a rerun writes nothing", async () => {
    const { client, server } = await org("reference");
    await seedDemo(client, crm);
    const first = await computeAndPublish(client, { config, now: NOW, mail });
    expect(first.published.failures).toEqual([]);
    const insights = first.published.tables["rp_relationshipinsight"]!;
    expect(insights.created).toBe(first.result.records.length);
    expect(first.published.linked).toBe(first.result.records.length);
    reference = await held(client);
    for (const t of PUBLISHED)
      expect(reference[t.logicalName]!.rows).toBe(reference[t.logicalName]!.byKey.size);

    const posts = server.stats.byMethod["POST"] ?? 0;
    const patches = server.stats.byMethod["PATCH"] ?? 0;
    const again = await computeAndPublish(client, { config, now: NOW, mail });
    expect(again.published.writes).toBe(0);
    // Reading what the org holds took one $batch (of partition queries); nothing was written.
    expect((server.stats.byMethod["POST"] ?? 0) - posts).toBe(1);
    expect((server.stats.byMethod["PATCH"] ?? 0) - patches).toBe(0);
    // Every record points at its insight row.
    const contacts = await client.retrieveAll("contacts", { select: ["_rp_relationshipinsightid_value"] });
    expect(contacts.filter((c) => !c["_rp_relationshipinsightid_value"])).toEqual([]);
  }, 120_000);

  test("connections that no longer exist are removed (an excluded domain disappears)", async () => {
    const { client } = await org("removal");
    await seedDemo(client, crm);
    await computeAndPublish(client, { config, now: NOW, mail });
    const domain = "calpine.com";
    const toDomain = odataFilter`endswith(rp_target,${`@${domain}`})`;
    expect((await client.count("rp_connections", toDomain)).count).toBeGreaterThan(0);
    const excluding = resolveConfig({ orgDomains: ["enron.com"], excludedDomains: [domain] });
    const ingested = await ingestMbox(SAMPLE_DIR, { config: excluding, now: NOW });
    const run = await computeAndPublish(client, { config: excluding, now: NOW, mail: ingested });
    expect(run.published.tables["rp_connection"]!.deleted).toBeGreaterThan(0);
    expect((await client.count("rp_connections", toDomain)).count).toBe(0);
  }, 120_000);

  test("under a storm of 429s (and some 503s) every row lands exactly once", async () => {
    const { client, server } = await org("storm", {
      seed: 7,
      throttle: { probability: 0.3, retryAfterSeconds: 0 },
      unavailable: { probability: 0.05 },
    });
    await seedDemo(client, crm);
    const run = await computeAndPublish(client, { config, now: NOW, mail });
    expect(run.published.failures).toEqual([]);
    expect(server.stats.faults.throttle).toBeGreaterThan(5);
    const got = await held(client);
    for (const t of PUBLISHED) {
      expect(got[t.logicalName]!.rows).toBe(reference[t.logicalName]!.rows);
      expect(got[t.logicalName]!.byKey).toEqual(reference[t.logicalName]!.byKey);
    }
  }, 120_000);

  test("a publish killed mid-write and run again converges to the same rows", async () => {
    const { client, server } = await org("killed", { slow: { every: 1, delayMs: 400 } });
    await seedDemo(client, crm);
    const env = {
      ...process.env,
      DATAVERSE_URL: server.url,
      DATAVERSE_AUTH: "static",
      DATAVERSE_TOKEN: TOKEN,
    };
    const args = [
      CLI,
      "publish",
      "--mbox",
      SAMPLE_DIR,
      "--domain",
      "enron.com",
      "--now",
      "2002-01-01",
      "--quiet",
    ];
    const child = spawn(process.execPath, args, { env, stdio: "ignore" });
    let gone = false;
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => ((gone = true), resolve(code))),
    );
    // Kill it once two batches of writes (1,000 each) have landed, well before the last: however long the
    // child takes on a loaded machine to get there (no deadline; a child that ends first fails below).
    const base = server.stats.batchRequests;
    let landed = 0;
    while (!gone && landed < 2000) {
      await new Promise((r) => setTimeout(r, 20));
      // Operations run inside $batch requests since seeding: the partition reads, then the writes.
      landed = server.stats.batchRequests - base - 33;
    }
    child.kill("SIGKILL");
    await exited;
    const partial = await held(client);
    const partialRows = PUBLISHED.reduce((n, t) => n + partial[t.logicalName]!.rows, 0);
    const allRows = PUBLISHED.reduce((n, t) => n + reference[t.logicalName]!.rows, 0);
    expect(landed).toBeGreaterThanOrEqual(2000);
    expect(partialRows).toBeGreaterThanOrEqual(2000);
    expect(partialRows).toBeLessThan(allRows);

    const rerun = spawn(process.execPath, args, { env, stdio: "ignore" });
    expect(await new Promise((resolve) => rerun.on("exit", resolve))).toBe(0);
    const got = await held(client);
    for (const t of PUBLISHED) {
      expect(got[t.logicalName]!.rows).toBe(reference[t.logicalName]!.rows);
      expect(got[t.logicalName]!.byKey).toEqual(reference[t.logicalName]!.byKey);
    }
    // Two runs of the CLI in child processes: a budget against a hang, generous for a loaded machine.
  }, 600_000);
});

describe("privacy through the org's settings", () => {
  test("an opted-out colleague and a forgotten person disappear from every published row", async () => {
    const { client } = await org("privacy");
    await seedDemo(client, crm);
    await computeAndPublish(client, { config, now: NOW, mail });
    const colleague = String(crm.systemusers[0]!["internalemailaddress"]);
    const person = String(crm.contacts[0]!["emailaddress1"]);
    const byColleague = odataFilter`rp_introduceremail eq ${colleague}`;
    const toPerson = odataFilter`rp_target eq ${person}`;
    expect((await client.count("rp_connections", byColleague)).count).toBeGreaterThan(0);
    expect((await client.count("rp_connections", toPerson)).count).toBeGreaterThan(0);

    await client.upsert(
      "rp_settingses",
      { rp_key: "default" },
      { rp_name: "Default", rp_optedoutusers: colleague },
    );
    const forgot = await forgetPerson(client, person.toUpperCase());
    expect(forgot.newlyExcluded).toBe(true);
    expect(forgot.connectionsDeleted).toBeGreaterThan(0);
    // Gone at once, before any recompute.
    expect((await client.count("rp_connections", toPerson)).count).toBe(0);
    expect(await forgetPerson(client, person)).toEqual({
      newlyExcluded: false,
      connectionsDeleted: 0,
      introductionsDeleted: 0,
      profilesDeleted: 0,
    });
    const run = await computeAndPublish(client, { config, now: NOW, mail });
    expect(run.config.excludedAddresses).toContain(person);
    expect(run.published.failures).toEqual([]);

    expect((await client.count("rp_connections", byColleague)).count).toBe(0);
    expect((await client.count("rp_connections", toPerson)).count).toBe(0);
    const insights = await client.retrieveAll("rp_relationshipinsights", {
      select: ["rp_activityhistory", "rp_mostcontacted", "rp_introducers"],
    });
    const mentions = (who: string) => insights.filter((r) => JSON.stringify(r).includes(who)).length;
    expect(mentions(person)).toBe(0);
    expect(insights.filter((r) => String(r["rp_introducers"]).includes(colleague))).toEqual([]);
  }, 120_000);

  test("a bad setting in Dataverse is named", async () => {
    const { client } = await org("badsettings");
    await client.upsert(
      "rp_settingses",
      { rp_key: "default" },
      { rp_name: "Default", rp_goodthreshold: 30, rp_fairthreshold: 50 },
    );
    await expect(computeAndPublish(client, { config, now: NOW })).rejects.toThrow(
      /rp_settings \(default\): thresholds/,
    );
  });
});

describe("tracked activities", () => {
  test("an email tracked in Dataverse and also in the mailbox counts once, keeping its regarding record", async () => {
    const graphConfig = resolveConfig({ orgDomains: ["contoso.com"] });
    const now = Date.UTC(2024, 5, 1);
    const graph = await ingestGraphJson(path.join(ROOT, "tests/fixtures/graph"), {
      config: graphConfig,
      now,
    });
    const { client } = await org("tracked");
    const jane = "10000000-0000-0000-0000-000000000001";
    const carlos = "20000000-0000-0000-0000-000000000002";
    await client.upsert("systemusers", jane, {
      fullname: "Jane Doe",
      internalemailaddress: "jane.doe@contoso.com",
    });
    await client.upsert("contacts", carlos, {
      fullname: "Carlos Ruiz",
      emailaddress1: "carlos.ruiz@fabrikam.com",
    });
    const email = {
      subject: "Q2 pricing proposal",
      statecode: 1, // Completed: sent (a new row is Open, a draft, unless told otherwise)
      senton: "2024-04-15T14:03:27Z",
      directioncode: true,
      messageid: "<AM0PR83MB0401A1B2C3D4E5F6@AM0PR83MB0401.EURPRD83.prod.outlook.com>",
      "regardingobjectid_contact@odata.bind": `/contacts(${carlos})`,
      email_activity_parties: [
        {
          "partyid_systemuser@odata.bind": `/systemusers(${jane})`,
          participationtypemask: 1,
          addressused: "jane.doe@contoso.com",
        },
        {
          "partyid_contact@odata.bind": `/contacts(${carlos})`,
          participationtypemask: 2,
          addressused: "carlos.ruiz@fabrikam.com",
        },
        { participationtypemask: 2, addressused: "Mei.Chen@fabrikam.com" },
        { participationtypemask: 3, addressused: "sam.patel@contoso.com" },
      ],
    };
    await client.create("emails", email);

    const withMail = await computeAndPublish(client, { config: graphConfig, now, mail: graph });
    expect(withMail.tracked.interactions).toBe(1);
    // The tracked copy and the mailbox copy are one interaction.
    const mailOnly = buildState(graph, graphConfig);
    expect(withMail.result.stats.interactions).toBe(mailOnly.state.store.size);
    const insight = withMail.result.records.find((r) => r.record.id === carlos);
    const tracked = insight?.kpis?.history.find((h) => h.activityId !== undefined);
    expect(tracked?.subject).toBe("Q2 pricing proposal");

    // A draft (an introduction request not sent yet) is no interaction: skipped and counted.
    await client.create("emails", { ...email, statecode: undefined, subject: "Draft", messageid: undefined });
    const withDraft = await computeAndPublish(client, { config: graphConfig, now, mail: graph });
    expect(withDraft.tracked.interactions).toBe(1);
    expect(withDraft.tracked.skipped["unsentEmail"]).toBe(1);
    expect(withDraft.result.stats.interactions).toBe(withMail.result.stats.interactions);
  }, 60_000);
});
