import type { DynamicsWebApi } from "dynamics-web-api";

import { computeAndPublish } from "../../server/src/app/dataversePipeline";
import { resolveConfig } from "../../server/src/core/config";
import type { Interaction } from "../../server/src/core/interaction";
import { DataverseClient, staticTokenProvider } from "../../server/src/dataverse/client";
import { readConnections } from "../../server/src/dataverse/read/readConnections";
import { readCrm } from "../../server/src/dataverse/read/readCrm";
import { run } from "./cliRun";
import { type Api, dynamicsWebApi, startApi, TOKEN } from "./dataverse-local/harness";

// Who counts on an opportunity (Dynamics 365: owner + sales team inside, customer contact + stakeholders +
// the account's primary contact outside), read from the connections of the local Dataverse endpoint.
// The CRM is written with DynamicsWebApi (a client nobody here wrote), read with Rapport's reader.

type Row = Record<string, unknown>;

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const NOW = Date.UTC(2002, 0, 1);
const DAY = 86_400_000;

let api: Api;
let dwa: DynamicsWebApi;
let client: DataverseClient;
const sentUrls: string[] = [];

const create = (collection: string, data: Row) => dwa.create<Row, string>({ collection, data });
const user = (name: string) =>
  create("systemusers", {
    fullname: name,
    internalemailaddress: `${name}@contoso.com`,
    domainname: `${name}@contoso.com`,
    isdisabled: false,
  });
const contact = (name: string, accountId: string) =>
  create("contacts", {
    lastname: name,
    emailaddress1: `${name}@fabrikam.com`,
    "parentcustomerid_account@odata.bind": `/accounts(${accountId})`,
  });
const role = async (name: string, category: number, active = true) => {
  const id = await create("connectionroles", { name, category });
  if (!active) await dwa.update({ collection: "connectionroles", key: id, data: { statecode: 1 } });
  return id;
};
const opportunity = (name: string, customer: string, owner: string) =>
  create("opportunities", {
    name,
    "customerid_contact@odata.bind": `/contacts(${customer})`,
    "ownerid@odata.bind": `/systemusers(${owner})`,
  });
/** A connection from an opportunity to a contact or a user, in a role, as the form's subgrids create it. */
const connect = async (
  opportunityId: string,
  to: { contact: string } | { systemuser: string },
  roleId: string,
  active = true,
) => {
  const [table, id] = "contact" in to ? ["contact", to.contact] : ["systemuser", to.systemuser];
  const set = table === "contact" ? "contacts" : "systemusers";
  const key = await create("connections", {
    "record1id_opportunity@odata.bind": `/opportunities(${opportunityId})`,
    [`record2id_${table}@odata.bind`]: `/${set}(${id})`,
    "record2roleid@odata.bind": `/connectionroles(${roleId})`,
  });
  if (!active) await dwa.update({ collection: "connections", key, data: { statecode: 1 } });
  return key;
};

let seq = 0;
/** An e-mail `daysAgo` before NOW. */
const email = (from: string, to: string, daysAgo: number): Interaction => ({
  key: `m${++seq}`,
  kind: "email",
  at: NOW - daysAgo * DAY,
  from,
  to: [to],
  cc: [],
  bcc: [],
  recipientCount: 1,
  source: "mbox",
});
/** `n` messages between a colleague and a customer person, alternating directions, a day apart. */
const exchange = (ours: string, theirs: string, n: number, start: number): Interaction[] =>
  Array.from({ length: n }, (_, i) =>
    i % 2 === 0 ? email(ours, theirs, start + i) : email(theirs, ours, start + i),
  );

const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startApi();
  dwa = dynamicsWebApi(api);
  client = new DataverseClient({
    url: api.server.url,
    token: staticTokenProvider(TOKEN),
    fetch: (input, init) => {
      sentUrls.push(decodeURIComponent(String(input)));
      return fetch(input, init);
    },
  });
  for (const name of ["owner", "team", "other", "stakeuser"]) ids[name] = await user(name);
  const account = await create("accounts", { name: "Fabrikam", websiteurl: "https://fabrikam.com" });
  for (const name of ["customer", "s1", "s2", "customer3", "teamcontact", "gone", "old", "s3", "both"])
    ids[name] = await contact(name, account);
  ids["stakeholder"] = await role("Stakeholder", 1000);
  ids["salesTeam"] = await role("Sales Team Member", 1001);
  ids["oldRole"] = await role("Former Stakeholder", 1000, false);
  ids["friend"] = await role("Friend", 3);
  // Deal: two stakeholders, no mail with its customer contact.
  ids["deal"] = await opportunity("Deal", ids["customer"]!, ids["owner"]!);
  await connect(ids["deal"], { contact: ids["s1"]! }, ids["stakeholder"]);
  await connect(ids["deal"], { contact: ids["s2"]! }, ids["stakeholder"]);
  // The same stakeholder connected twice counts once.
  await connect(ids["deal"], { contact: ids["s2"]! }, ids["stakeholder"]);
  // Deal 2: one of them only.
  ids["deal2"] = await opportunity("Deal 2", ids["customer"]!, ids["owner"]!);
  await connect(ids["deal2"], { contact: ids["s1"]! }, ids["stakeholder"]);
  // Deal 3: a sales team member; and connections that do not count.
  ids["deal3"] = await opportunity("Deal 3", ids["customer3"]!, ids["owner"]!);
  await connect(ids["deal3"], { systemuser: ids["team"]! }, ids["salesTeam"]);
  await connect(ids["deal3"], { systemuser: ids["stakeuser"]! }, ids["stakeholder"]);
  await connect(ids["deal3"], { contact: ids["teamcontact"]! }, ids["salesTeam"]);
  await connect(ids["deal3"], { contact: ids["gone"]! }, ids["stakeholder"], false);
  await connect(ids["deal3"], { contact: ids["old"]! }, ids["oldRole"]);
  await connect(ids["deal3"], { contact: ids["s1"]! }, ids["friend"]);
  // Created from the contact's side: the opportunity finds it as record1 in the reciprocal Dataverse writes.
  await create("connections", {
    "record1id_contact@odata.bind": `/contacts(${ids["s3"]})`,
    "record1roleid@odata.bind": `/connectionroles(${ids["stakeholder"]})`,
    "record2id_opportunity@odata.bind": `/opportunities(${ids["deal3"]})`,
  });
  // A role on both sides: the master and its reciprocal both carry a Stakeholder role on record2.
  await create("connections", {
    "record1id_opportunity@odata.bind": `/opportunities(${ids["deal3"]})`,
    "record1roleid@odata.bind": `/connectionroles(${ids["stakeholder"]})`,
    "record2id_contact@odata.bind": `/contacts(${ids["both"]})`,
    "record2roleid@odata.bind": `/connectionroles(${ids["stakeholder"]})`,
  });
}, 60_000);

afterAll(() => api.server.close());

const opportunityOf = async (id: string) =>
  (await readCrm(client, config)).directory.opportunities.find((o) => o.id === id)!;

describe("reading an opportunity's stakeholders and sales team", () => {
  test("stakeholders are its contacts connected in a Stakeholder role, each once", async () => {
    const deal = await opportunityOf(ids["deal"]!);
    expect(deal.contactIds).toEqual([ids["customer"], ...[ids["s1"]!, ids["s2"]!].sort()]);
    expect(deal.teamUserIds).toBeUndefined();
    expect((await opportunityOf(ids["deal2"]!)).contactIds).toEqual([ids["customer"], ids["s1"]]);
  });

  test("the sales team is its users in a Sales Team role; other people, roles and inactive rows do not count", async () => {
    const deal3 = await opportunityOf(ids["deal3"]!);
    // Not: a user as stakeholder, a contact in the sales team, an inactive connection, an inactive role,
    // a role of another category.
    expect(deal3.contactIds).not.toContain(ids["teamcontact"]);
    expect(deal3.contactIds.filter((c) => [ids["gone"], ids["old"], ids["s1"]].includes(c))).toEqual([]);
    expect(deal3.teamUserIds).toEqual([ids["team"]]);
  });

  test("a stakeholder connected from the contact's side, or with a role on both sides, counts once", async () => {
    const deal3 = await opportunityOf(ids["deal3"]!);
    expect(deal3.contactIds).toEqual([ids["customer3"], ...[ids["s3"]!, ids["both"]!].sort()]);
  });

  test("reads the roles, then the connections of those roles, with the requests documented", async () => {
    sentUrls.length = 0;
    const read = await readCrm(client, config);
    expect(read.counts).toMatchObject({ connectionroles: 2, connections: 10 });
    const roles = sentUrls.filter((u) => u.includes("/connectionroles?"));
    expect(roles).toEqual([
      expect.stringContaining(
        "$select=connectionroleid,category&$filter=(statecode eq 0) and ((category eq 1000) or (category eq 1001))",
      ),
    ]);
    const connections = sentUrls.filter((u) => u.includes("/connections?"));
    expect(connections).toEqual([
      expect.stringContaining(
        `$select=_record1id_value,_record2id_value,_record2roleid_value&$filter=(statecode eq 0) and ((_record2roleid_value eq `,
      ),
    ]);
  });

  test("many roles are asked for a few at a time, with the same result", async () => {
    const whole = await readConnections(client);
    sentUrls.length = 0;
    const chunked = await readConnections(client, 1);
    expect(sentUrls.filter((u) => u.includes("/connections?"))).toHaveLength(2);
    expect(chunked).toEqual(whole);
  });
});

describe("the people who count, in the published insights", () => {
  let insights: Map<string, Row>;
  beforeAll(async () => {
    const mail = [
      ...exchange("owner@contoso.com", "s1@fabrikam.com", 6, 5),
      ...exchange("owner@contoso.com", "s2@fabrikam.com", 6, 20),
      ...exchange("team@contoso.com", "customer3@fabrikam.com", 3, 5),
      ...exchange("other@contoso.com", "customer3@fabrikam.com", 4, 40),
    ];
    await computeAndPublish(client, {
      config,
      now: NOW,
      mail: { interactions: mail, participantsByFile: new Map() },
    });
    const rows = await dwa.retrieveAll<Row>({
      collection: "rp_relationshipinsights",
      select: ["_rp_opportunityid_value", "rp_interactioncount", "rp_singlethreaded", "rp_reasons"],
      filter: "_rp_opportunityid_value ne null",
    });
    insights = new Map(rows.value.map((r) => [String(r["_rp_opportunityid_value"]), r]));
  }, 60_000);

  test("mail with two stakeholders only gives the opportunity activity, not single-threaded", () => {
    const deal = insights.get(ids["deal"]!)!;
    expect(deal["rp_interactioncount"]).toBe(12);
    expect(deal["rp_singlethreaded"]).toBe(false);
  });

  test("mail with one stakeholder only is single-threaded", () => {
    const deal2 = insights.get(ids["deal2"]!)!;
    expect(deal2["rp_interactioncount"]).toBe(6);
    expect(deal2["rp_singlethreaded"]).toBe(true);
    expect(String(deal2["rp_reasons"])).toContain('"singleThreaded"');
  });

  test("a sales team member's mail counts, a colleague's outside the team does not", () => {
    expect(insights.get(ids["deal3"]!)!["rp_interactioncount"]).toBe(3);
  });
});

describe("rapport publish", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test("says how many opportunities have stakeholders or a sales team", async () => {
    Object.assign(process.env, {
      DATAVERSE_URL: api.server.url,
      DATAVERSE_AUTH: "static",
      DATAVERSE_TOKEN: TOKEN,
    });
    const r = await run("publish", "--quiet", "--domain", "contoso.com");
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "opportunities with stakeholders or a sales team (Dataverse connections): 3 (5 stakeholders, 1 sales team member)\n",
    );
  });
});
