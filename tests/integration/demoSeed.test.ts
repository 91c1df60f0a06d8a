import { SERVICE_USER } from "../../server/src/app/demo/demoRoles";
import { seedDemo } from "../../server/src/app/demo/seedDemo";
import { isoDate } from "../../server/src/core/time";
import {
  DataverseClient,
  guid,
  odataFilter,
  type Row,
  staticTokenProvider,
} from "../../server/src/dataverse/client";
import { type SampleOrgs, sampleOrgs } from "./sampleOrg";

// The demo org's sales history seeded through the Web API into the local endpoint (docs/demo-crm.md):
// opportunities created when their mail began, the won and lost ones closed by WinOpportunity /
// LoseOpportunity, sales team and stakeholders as connections; a second seed changes nothing.

let sample: SampleOrgs;
beforeAll(async () => {
  sample = await sampleOrgs("demo-seed");
}, 60_000);
afterAll(() => sample.close());

const OPPORTUNITY = [
  "opportunityid",
  "name",
  "statecode",
  "statuscode",
  "salesstage",
  "closeprobability",
  "estimatedvalue",
  "estimatedclosedate",
  "actualclosedate",
  "actualvalue",
  "createdon",
  "_ownerid_value",
  "_parentcontactid_value",
  "_customerid_value",
];

/** What the org holds of the sales history, in a stable order. */
async function holding(
  client: DataverseClient,
): Promise<Record<"opportunities" | "connections" | "connectionroles" | "closes", Row[]>> {
  // The data in a stable order, not its version: an upsert of the same values is still a write (new etag).
  const read = async (set: string, select: string[], key: string) =>
    (await client.retrieveAll(set, { select }))
      .map(({ "@odata.etag": _etag, ...r }) => r as Row)
      .sort((a, b) => (String(a[key]) < String(b[key]) ? -1 : 1));
  return {
    opportunities: await read("opportunities", OPPORTUNITY, "opportunityid"),
    connections: await read(
      "connections",
      ["connectionid", "_record1id_value", "_record2id_value", "_record2roleid_value", "ismaster"],
      "connectionid",
    ),
    connectionroles: await read(
      "connectionroles",
      ["connectionroleid", "name", "category"],
      "connectionroleid",
    ),
    closes: await read(
      "opportunitycloses",
      ["_opportunityid_value", "actualrevenue", "actualend", "statecode"],
      "_opportunityid_value",
    ),
  };
}

describe("seeding the sales history", () => {
  test("opportunities open, won and lost as derived, with dates, revenue, team and stakeholders; a reseed changes nothing", async () => {
    const { client, server } = await sample.org("history");
    const { crm } = sample;
    await seedDemo(client, crm);
    const first = await holding(client);

    const won = new Map(crm.closes.filter((c) => c.status === 3).map((c) => [c.opportunityid, c]));
    const lost = new Map(crm.closes.filter((c) => c.status !== 3).map((c) => [c.opportunityid, c]));
    const state = (s: number) => first.opportunities.filter((o) => o["statecode"] === s).length;
    expect([state(0), state(1), state(2)]).toEqual([
      crm.opportunities.length - crm.closes.length,
      won.size,
      lost.size,
    ]);
    expect(won.size).toBeGreaterThanOrEqual(30);
    expect(lost.size).toBeGreaterThanOrEqual(30);
    expect(state(0)).toBeGreaterThanOrEqual(10);
    const derived = new Map(crm.opportunities.map((o) => [String(o["opportunityid"]), o]));
    for (const o of first.opportunities) {
      const id = String(o["opportunityid"]);
      const close = won.get(id) ?? lost.get(id);
      // Created when the deal's mail began (overriddencreatedon), closed on its last exchange.
      expect(o["createdon"]).toBe(String(derived.get(id)!["overriddencreatedon"]).replace(".000Z", "Z"));
      expect(o["_ownerid_value"]).toBeTruthy();
      expect(o["_parentcontactid_value"]).toBeTruthy();
      if (!close) {
        expect([o["statuscode"], o["actualclosedate"]]).toEqual([1, null]);
        continue;
      }
      expect(o["statuscode"]).toBe(close.status);
      expect(o["actualclosedate"]).toBe(isoDate(Date.parse(close.actualend)));
      expect(o["actualvalue"]).toBe(close.actualrevenue);
      expect(o["salesstage"]).toBe(3);
    }
    expect(first.closes).toHaveLength(crm.closes.length);
    expect(first.connectionroles.map((r) => r["category"]).sort()).toEqual([
      ...Array<number>(6).fill(1000),
      ...Array<number>(3).fill(1001),
    ]);
    // Every connection is stored with its reciprocal, as Dataverse does.
    const masters = first.connections.filter((c) => c["ismaster"] === true);
    expect(masters).toHaveLength(crm.connections.length);
    expect(first.connections).toHaveLength(2 * crm.connections.length);

    // The Rapport service reads the sales team and stakeholders from the opportunity.
    const service = new DataverseClient({
      url: server.url,
      token: staticTokenProvider(server.tokenFor(String(SERVICE_USER["systemuserid"]))),
      sleep: async () => {},
    });
    const withTeam = String(crm.connections[0]!["record1id_opportunity@odata.bind"]).slice(15, -1);
    const seen = await service.retrieveAll("connections", {
      select: ["connectionid", "_record2roleid_value"],
      filter: odataFilter`_record1id_value eq ${guid(withTeam)}`,
    });
    expect(seen.length).toBeGreaterThan(0);

    // Seeding again: no failure (a closed opportunity is not written or closed again), nothing changes.
    await seedDemo(client, crm);
    expect(await holding(client)).toEqual(first);
  });
});
