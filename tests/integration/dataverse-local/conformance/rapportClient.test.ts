import {
  ConcurrencyMismatchError,
  createOp,
  DataverseClient,
  DuplicateRecordError,
  NotFoundError,
  odataFilter,
  type Operation,
  retrieveOp,
  staticTokenProvider,
  xml,
} from "../../../../server/src/dataverse/client";
import { MODEL_TABLES } from "../../../../server/src/dataverse/model";
import { type Api, startApi, TOKEN } from "../harness";
import { type ScenarioId, SCENARIOS } from "./scenarios";

/**
 * The same scenarios with Rapport's own Web API client, where it has the operation. What it lacks
 * (WhoAmI, associate, navigation GET, $metadata) is sent as a plain operation through `execute`.
 */

let api: Api;
let client: DataverseClient;
const sentUrls: string[] = [];
beforeAll(async () => {
  api = await startApi();
  client = new DataverseClient({
    url: api.server.url,
    token: staticTokenProvider(TOKEN),
    tables: MODEL_TABLES,
    fetch: (input, init) => {
      sentUrls.push(String(input));
      return fetch(input, init);
    },
  });
});
afterAll(() => api.server.close());

type Row = Record<string, unknown>;

const account = async (name: string) => (await client.create("accounts", { name })).id;

async function contactOf(accountId: string, firstname: string): Promise<string> {
  const body = {
    firstname,
    lastname: "Conformance",
    "parentcustomerid_account@odata.bind": `/accounts(${accountId})`,
  };
  return (await client.create("contacts", body)).id;
}

const parentOf = async (contactId: string) =>
  (await client.retrieve("contacts", contactId, { select: ["_parentcustomerid_value"] }))
    ._parentcustomerid_value;

async function fiveAccounts(prefix: string): Promise<void> {
  for (let i = 1; i <= 5; i++) await account(`${prefix} ${i}`);
}

const fetchOf = (prefix: string, descending: boolean) =>
  xml`<fetch count="2"><entity name="account"><attribute name="name" /><filter><condition attribute="name" operator="like" value="${`${prefix}%`}" /></filter><order attribute="name" descending="${descending ? "true" : "false"}" /></entity></fetch>`;

async function send(
  op: Partial<Operation> & Pick<Operation, "method" | "url">,
): Promise<{ status: number; body: Row }> {
  const res = await client.execute({ headers: {}, idempotent: true, ...op });
  return { status: res.status, body: res.text ? (JSON.parse(res.text) as Row) : {} };
}

const scenarios: Partial<Record<ScenarioId, () => Promise<void>>> = {
  create: async () => {
    expect(await account("Create")).toMatch(/^[0-9a-f-]{36}$/);
  },
  "create-representation": async () => {
    const { row } = await client.create("accounts", { name: "Represented" }, { returnRepresentation: true });
    expect(row?.name).toBe("Represented");
  },
  retrieve: async () => {
    const id = await account("Retrieved");
    expect(await client.retrieve("accounts", id, { select: ["name"] })).toMatchObject({
      accountid: id,
      name: "Retrieved",
    });
  },
  update: async () => {
    const id = await account("Before");
    await client.update("accounts", id, { name: "After" });
    expect((await client.retrieve("accounts", id)).name).toBe("After");
  },
  delete: async () => {
    const id = await account("Deleted");
    await client.delete("accounts", id);
    await expect(client.retrieve("accounts", id)).rejects.toBeInstanceOf(NotFoundError);
  },
  "upsert-key-create": async () => {
    await client.upsert("rp_connections", { rp_key: "own-1" }, { rp_name: "Created" });
    expect((await client.retrieve("rp_connections", { rp_key: "own-1" })).rp_name).toBe("Created");
  },
  "upsert-key-update": async () => {
    await client.upsert("rp_connections", { rp_key: "own-2" }, { rp_name: "One" });
    await client.upsert("rp_connections", { rp_key: "own-2" }, { rp_name: "Two" });
    const rows = await client.retrieveAll("rp_connections", { filter: odataFilter`rp_key eq ${"own-2"}` });
    expect(rows.map((r) => r.rp_name)).toEqual(["Two"]);
  },
  "upsert-if-none-match": async () => {
    await client.upsert("rp_connections", { rp_key: "own-3" }, { rp_name: "One" });
    await expect(
      client.upsert("rp_connections", { rp_key: "own-3" }, { rp_name: "Two" }, { mode: "createOnly" }),
    ).rejects.toBeInstanceOf(DuplicateRecordError);
  },
  "upsert-if-match": async () => {
    await expect(
      client.upsert(
        "rp_connections",
        { rp_key: "own-missing" },
        { rp_name: "Never" },
        { mode: "updateOnly" },
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  },
  "optimistic-concurrency": async () => {
    const id = await account("Concurrency");
    const stale = String((await client.retrieve("accounts", id))["@odata.etag"]);
    await client.update("accounts", id, { name: "Changed" });
    await expect(client.update("accounts", id, { name: "Lost" }, { ifMatch: stale })).rejects.toBeInstanceOf(
      ConcurrencyMismatchError,
    );
  },
  "retrieve-by-key": async () => {
    await client.upsert("rp_connections", { rp_key: "own-4" }, { rp_name: "Keyed" });
    expect(
      (await client.retrieve("rp_connections", { rp_key: "own-4" }, { select: ["rp_name"] })).rp_name,
    ).toBe("Keyed");
  },
  "expand-single": async () => {
    const contactId = await contactOf(await account("Expanded parent"), "Child");
    const row = await client.retrieve("contacts", contactId, {
      select: ["firstname"],
      expand: [{ property: "parentcustomerid_account", select: ["name"] }],
    });
    expect(row.parentcustomerid_account).toMatchObject({ name: "Expanded parent" });
  },
  "expand-collection": async () => {
    const accountId = await account("With children");
    const parent = { "parentcustomerid_account@odata.bind": `/accounts(${accountId})` };
    api.server.seed({ contacts: ["First", "Second"].map((firstname) => ({ firstname, ...parent })) });
    const row = await client.retrieve("accounts", accountId, {
      select: ["name"],
      expand: [{ property: "contact_customer_accounts", select: ["firstname"] }],
    });
    expect((row.contact_customer_accounts as Row[]).map((c) => c.firstname).sort()).toEqual([
      "First",
      "Second",
    ]);
  },
  annotations: async () => {
    const contactId = await contactOf(await account("Formatted parent"), "Formatted");
    const row = await client.retrieve(
      "contacts",
      contactId,
      { select: ["_parentcustomerid_value"] },
      { formattedValues: true, annotations: ["Microsoft.Dynamics.CRM.lookuplogicalname"] },
    );
    expect(row["_parentcustomerid_value@OData.Community.Display.V1.FormattedValue"]).toBe("Formatted parent");
    expect(row["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("account");
  },
  "odata-paging": async () => {
    await fiveAccounts("Paged");
    const rows = await client.retrieveAll(
      "accounts",
      { select: ["name"], filter: odataFilter`startswith(name, ${"Paged "})` },
      { maxPageSize: 2 },
    );
    expect(rows.map((r) => r.name).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `Paged ${i}`));
  },
  "count-filter": async () => {
    await fiveAccounts("Counted");
    expect(await client.count("accounts", odataFilter`startswith(name, ${"Counted "})`)).toEqual({
      count: 5,
      limitExceeded: false,
    });
  },
  "fetch-all": async () => {
    await fiveAccounts("Fetched");
    sentUrls.length = 0;
    const rows: Row[] = [];
    for await (const row of client.fetchXml(fetchOf("Fetched", false))) rows.push(row);
    expect(rows.map((r) => r.name)).toEqual([1, 2, 3, 4, 5].map((i) => `Fetched ${i}`));
    // Pages 2 and 3 went by the paging cookie, not by page number alone.
    expect(sentUrls.filter((u) => decodeURIComponent(u).includes("paging-cookie="))).toHaveLength(2);
  },
  "fetch-all-ordered": async () => {
    await fiveAccounts("Ordered");
    const rows: Row[] = [];
    for await (const row of client.fetchXml(fetchOf("Ordered", true))) rows.push(row);
    expect(rows.map((r) => r.name)).toEqual([5, 4, 3, 2, 1].map((i) => `Ordered ${i}`));
  },
  "batch-changeset": async () => {
    const [parent, child] = await client.executeBatch([
      {
        changeSet: [
          { ...createOp("accounts", { name: "Batch parent" }), contentId: "1" },
          createOp("contacts", { lastname: "Child", "parentcustomerid_account@odata.bind": "$1" }),
        ],
      },
    ]);
    expect(await parentOf(String(child?.id))).toBe(parent?.id);
  },
  "batch-get": async () => {
    const id = await account("Batch read");
    const [read, created] = await client.executeBatch([
      retrieveOp("accounts", id, { select: ["name"] }),
      createOp("accounts", { name: "Batch single" }),
    ]);
    expect((read?.body as Row).name).toBe("Batch read");
    expect(created?.id).toMatch(/^[0-9a-f-]{36}$/);
  },
  "batch-rollback": async () => {
    const results = await client.executeBatch([
      {
        changeSet: [createOp("accounts", { name: "Rolled back" }), createOp("accounts", { nosuchcolumn: 1 })],
      },
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(results[1]?.error).toMatchObject({
      status: 400,
      serverMessage: expect.stringMatching(/nosuchcolumn/),
    });
    expect(await client.retrieveAll("accounts", { filter: odataFilter`name eq ${"Rolled back"}` })).toEqual(
      [],
    );
  },
  whoami: async () => {
    const { body } = await send({ method: "GET", url: "WhoAmI" });
    expect(body.UserId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await client.retrieve("systemusers", String(body.UserId))).systemuserid).toBe(body.UserId);
  },
  "associate-collection": async () => {
    const accountId = await account("Associating");
    const { id } = await client.create("contacts", { lastname: "Loose" });
    const res = await send({
      method: "POST",
      url: `accounts(${accountId})/contact_customer_accounts/$ref`,
      body: { "@odata.id": `${client.apiRoot}/contacts(${id})` },
    });
    expect(res.status).toBe(204);
    expect(await parentOf(id)).toBe(accountId);
  },
  "disassociate-collection": async () => {
    const accountId = await account("Disassociating");
    const contactId = await contactOf(accountId, "Leaving");
    await send({
      method: "DELETE",
      url: `accounts(${accountId})/contact_customer_accounts(${contactId})/$ref`,
    });
    expect(await parentOf(contactId)).toBeNull();
  },
  "navigation-get": async () => {
    const accountId = await account("Navigated");
    const contactId = await contactOf(accountId, "Navigator");
    const op = retrieveOp(
      "contacts",
      contactId,
      { select: ["name"] },
      { navigation: "parentcustomerid_account" },
    );
    expect((await send(op)).body).toMatchObject({ accountid: accountId, name: "Navigated" });
  },
  fullname: async () => {
    const { id } = await client.create("contacts", { firstname: "Ada", lastname: "Lovelace" });
    expect((await client.retrieve("contacts", id)).fullname).toBe("Ada Lovelace");
    await client.update("contacts", id, { lastname: "Byron" });
    expect((await client.retrieve("contacts", id)).fullname).toBe("Ada Byron");
  },
};

describe("Rapport's Web API client against the local endpoint", () => {
  test.each(Object.entries(SCENARIOS).filter(([id]) => scenarios[id as ScenarioId]))("%s: %s", async (id) => {
    await scenarios[id as ScenarioId]?.();
  });
});
