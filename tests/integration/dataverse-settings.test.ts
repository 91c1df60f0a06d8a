import path from "node:path";

import { computeAndPublish } from "../../server/src/app/dataversePipeline";
import type { DemoCrm } from "../../server/src/app/demo/demoCrm";
import { seedDemo } from "../../server/src/app/demo/seedDemo";
import { type Ingested, ingestGraphJson } from "../../server/src/app/ingest";
import { resolveConfig } from "../../server/src/core/config";
import { type DataverseClient, odataFilter, type Row } from "../../server/src/dataverse/client";
import { config, NOW, type SampleOrgs, sampleOrgs } from "./sampleOrg";

// The on/off settings of rp_settings (analytics, who knows whom, Microsoft 365 data), honoured by
// computeAndPublish against the local Dataverse endpoint, on the real sample.

const ROOT = path.resolve(__dirname, "../..");
let sample: SampleOrgs;
let mail: Ingested;
let crm: DemoCrm;
const org = async (name: string) => (await sample.org(name)).client;

beforeAll(async () => {
  sample = await sampleOrgs("settings");
  ({ mail, crm } = sample);
}, 60_000);

afterAll(() => sample.close());

const settings = (client: DataverseClient, values: Row) =>
  client.upsert("rp_settingses", { rp_key: "default" }, { rp_name: "Default", ...values });

/** Rows in a table, counted by reading them ($count stops at 5,000 as on Dataverse). */
const count = async (client: DataverseClient, entitySet: string) =>
  (await client.retrieveAll(entitySet, { select: ["rp_key"] })).length;

describe("on/off settings in rp_settings", () => {
  test("analytics off: no insight or history rows (those published are removed); on again: back and linked", async () => {
    const client = await org("analytics");
    await seedDemo(client, crm);
    await computeAndPublish(client, { config, now: NOW, mail });
    const insights = await count(client, "rp_relationshipinsights");
    const history = await count(client, "rp_relationshiphistories");
    const connections = await count(client, "rp_connections");
    expect(insights).toBeGreaterThan(0);
    expect(history).toBeGreaterThan(0);

    await settings(client, { rp_analyticsenabled: false });
    const off = await computeAndPublish(client, { config, now: NOW, mail });
    expect(off.settings.features.analytics).toBe(false);
    expect(off.published.failures).toEqual([]);
    expect(off.published.tables["rp_relationshipinsight"]!.deleted).toBe(insights);
    expect(await count(client, "rp_relationshipinsights")).toBe(0);
    expect(await count(client, "rp_relationshiphistories")).toBe(0);
    // Who knows whom is its own setting: the connections stay.
    expect(await count(client, "rp_connections")).toBe(connections);
    // No record points at a removed insight row.
    const linked = await client.retrieveAll("contacts", {
      select: ["contactid"],
      filter: odataFilter`_rp_relationshipinsightid_value ne ${null}`,
    });
    expect(linked).toEqual([]);

    await settings(client, { rp_analyticsenabled: true });
    const on = await computeAndPublish(client, { config, now: NOW, mail });
    expect(on.published.failures).toEqual([]);
    expect(await count(client, "rp_relationshipinsights")).toBe(insights);
    expect(await count(client, "rp_relationshiphistories")).toBe(history);
    const unlinked = await client.retrieveAll("contacts", {
      select: ["contactid"],
      filter: odataFilter`_rp_relationshipinsightid_value eq ${null}`,
    });
    expect(unlinked).toEqual([]);
  }, 120_000);

  test("who knows whom off: no connection rows (those published are removed) and no introducers in insights", async () => {
    const client = await org("wkw");
    await seedDemo(client, crm);
    const first = await computeAndPublish(client, { config, now: NOW, mail });
    const connections = await count(client, "rp_connections");
    expect(connections).toBeGreaterThan(0);
    const withIntroducers = (rows: Row[]) => rows.filter((r) => r["rp_introducers"] !== "[]").length;
    const before = await client.retrieveAll("rp_relationshipinsights", { select: ["rp_introducers"] });
    expect(withIntroducers(before)).toBeGreaterThan(0);

    await settings(client, { rp_whoknowswhomenabled: false });
    const off = await computeAndPublish(client, { config, now: NOW, mail });
    expect(off.published.failures).toEqual([]);
    expect(off.published.tables["rp_connection"]!.deleted).toBe(connections);
    expect(off.result.connections).toEqual([]);
    expect(await count(client, "rp_connections")).toBe(0);
    const after = await client.retrieveAll("rp_relationshipinsights", { select: ["rp_introducers"] });
    expect(after.length).toBe(first.result.records.length);
    expect(withIntroducers(after)).toBe(0);
  }, 120_000);

  test("Microsoft 365 data off: the mail passed in is ignored, only tracked activities count", async () => {
    const graphConfig = resolveConfig({ orgDomains: ["contoso.com"] });
    const now = Date.UTC(2024, 5, 1);
    const graph = await ingestGraphJson(path.join(ROOT, "tests/fixtures/graph"), {
      config: graphConfig,
      now,
    });
    const client = await org("m365");
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
    await client.create("emails", {
      subject: "Q2 pricing proposal",
      // Completed: a sent email (Dataverse creates a row Open, i.e. a draft, unless told otherwise).
      statecode: 1,
      senton: "2024-04-15T14:03:27Z",
      directioncode: true,
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
      ],
    });

    const withMail = await computeAndPublish(client, { config: graphConfig, now, mail: graph });
    expect(withMail.result.stats.interactions).toBeGreaterThan(1);

    await settings(client, { rp_m365enabled: false });
    const tracked = await computeAndPublish(client, { config: graphConfig, now, mail: graph });
    expect(tracked.settings.features.m365).toBe(false);
    expect(tracked.tracked.interactions).toBe(1);
    expect(tracked.result.stats.interactions).toBe(1);
    const insight = tracked.result.records.find((r) => r.record.id === carlos);
    expect(insight?.kpis?.history.map((h) => h.subject)).toEqual(["Q2 pricing proposal"]);
    // Nobody seen only in the mailbox keeps a published connection.
    const targets = await client.retrieveAll("rp_connections", { select: ["rp_target"] });
    expect(targets.length).toBe(tracked.result.connections.length);
    expect(new Set(targets.map((t) => t["rp_target"]))).toEqual(
      new Set(tracked.result.connections.map((c) => c.external)),
    );
    expect(tracked.result.connections.every((c) => c.external === "carlos.ruiz@fabrikam.com")).toBe(true);
  }, 60_000);
});
