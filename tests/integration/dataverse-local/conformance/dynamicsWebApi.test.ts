import type { DynamicsWebApi, RequestError } from "dynamics-web-api";

import { type Api, dynamicsWebApi, startApi } from "../harness";
import { type ScenarioId, SCENARIOS } from "./scenarios";

/**
 * The local endpoint driven by DynamicsWebApi 2.5 (a client nobody here wrote), used as a Node
 * application uses it: `serverUrl` and `onTokenRefresh` returning the token.
 */

let api: Api;
let dwa: DynamicsWebApi;
beforeAll(async () => {
  api = await startApi();
  dwa = dynamicsWebApi(api);
});
afterAll(() => api.server.close());

type Row = Record<string, unknown>;

async function statusOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return 200;
  } catch (err) {
    return (err as RequestError).status;
  }
}

const account = (name: string) => dwa.create<Row, string>({ collection: "accounts", data: { name } });

async function contactOf(accountId: string, firstname: string): Promise<string> {
  return dwa.create<Row, string>({
    collection: "contacts",
    data: {
      firstname,
      lastname: "Conformance",
      "parentcustomerid_account@odata.bind": `/accounts(${accountId})`,
    },
  });
}

/** Five accounts named `<prefix> 1` … `<prefix> 5`. */
async function fiveAccounts(prefix: string): Promise<void> {
  for (let i = 1; i <= 5; i++) await account(`${prefix} ${i}`);
}

const fetchOf = (prefix: string, order = "") =>
  `<fetch count="2"><entity name="account"><attribute name="name" />` +
  `<filter><condition attribute="name" operator="like" value="${prefix}%" /></filter>${order}</entity></fetch>`;

const parentOf = async (contactId: string) =>
  (await dwa.retrieve<Row>({ collection: "contacts", key: contactId }))._parentcustomerid_value;

const etagOf = async (id: string) =>
  String((await dwa.retrieve<Row>({ collection: "accounts", key: id, select: ["name"] }))["@odata.etag"]);

const scenarios: Record<ScenarioId, () => Promise<void>> = {
  create: async () => {
    expect(await account("Create")).toMatch(/^[0-9a-f-]{36}$/);
  },
  "create-representation": async () => {
    const row = await dwa.create<Row, Row>({
      collection: "accounts",
      data: { name: "Represented" },
      returnRepresentation: true,
      select: ["name"],
    });
    expect(row.name).toBe("Represented");
  },
  retrieve: async () => {
    const id = await account("Retrieved");
    const row = await dwa.retrieve<Row>({ collection: "accounts", key: id, select: ["name"] });
    expect(row).toMatchObject({ accountid: id, name: "Retrieved" });
  },
  update: async () => {
    const id = await account("Before");
    await dwa.update({ collection: "accounts", key: id, data: { name: "After" } });
    expect((await dwa.retrieve<Row>({ collection: "accounts", key: id })).name).toBe("After");
  },
  "update-property": async () => {
    const id = await account("Single");
    await dwa.updateSingleProperty({ collection: "accounts", key: id, fieldValuePair: { name: "Put" } });
    expect((await dwa.retrieve<Row>({ collection: "accounts", key: id })).name).toBe("Put");
  },
  delete: async () => {
    const id = await account("Deleted");
    await dwa.deleteRecord({ collection: "accounts", key: id });
    expect(await statusOf(dwa.retrieve({ collection: "accounts", key: id }))).toBe(404);
  },
  "upsert-key-create": async () => {
    await dwa.upsert({ collection: "rp_connections", key: "rp_key='dwa-1'", data: { rp_name: "Created" } });
    const row = await dwa.retrieve<Row>({ collection: "rp_connections", key: "rp_key='dwa-1'" });
    expect(row.rp_name).toBe("Created");
  },
  "upsert-key-update": async () => {
    await dwa.upsert({ collection: "rp_connections", key: "rp_key='dwa-2'", data: { rp_name: "One" } });
    await dwa.upsert({ collection: "rp_connections", key: "rp_key='dwa-2'", data: { rp_name: "Two" } });
    const rows = await dwa.retrieveMultiple<Row>({
      collection: "rp_connections",
      filter: "rp_key eq 'dwa-2'",
    });
    expect(rows.value.map((r) => r.rp_name)).toEqual(["Two"]);
  },
  "upsert-if-none-match": async () => {
    await dwa.upsert({ collection: "rp_connections", key: "rp_key='dwa-3'", data: { rp_name: "One" } });
    const again = dwa.upsert({
      collection: "rp_connections",
      key: "rp_key='dwa-3'",
      data: { rp_name: "Two" },
      ifnonematch: "*",
    });
    expect(await statusOf(again)).toBe(412);
  },
  "upsert-if-match": async () => {
    const missing = dwa.upsert({
      collection: "rp_connections",
      key: "rp_key='dwa-missing'",
      data: { rp_name: "Never" },
      ifmatch: "*",
    });
    expect(await statusOf(missing)).toBe(404);
  },
  "optimistic-concurrency": async () => {
    const id = await account("Concurrency");
    const stale = await etagOf(id);
    await dwa.update({ collection: "accounts", key: id, data: { name: "Changed" } });
    const write = dwa.update({ collection: "accounts", key: id, data: { name: "Lost" }, ifmatch: stale });
    expect(await statusOf(write)).toBe(412);
  },
  "retrieve-by-key": async () => {
    await dwa.upsert({ collection: "rp_connections", key: "rp_key='dwa-4'", data: { rp_name: "Keyed" } });
    const row = await dwa.retrieve<Row>({
      collection: "rp_connections",
      key: "rp_key='dwa-4'",
      select: ["rp_name"],
    });
    expect(row.rp_name).toBe("Keyed");
  },
  "conditional-304": async () => {
    const id = await account("Unchanged");
    const etag = await etagOf(id);
    // DynamicsWebApi resolves a 304 with no record.
    const row = await dwa.retrieve<Row | null>({
      collection: "accounts",
      key: id,
      select: ["name"],
      ifnonematch: etag,
    });
    expect(row?.name).toBeUndefined();
  },
  "conditional-expand": async () => {
    const accountId = await account("Parent");
    const contactId = await contactOf(accountId, "Expanded");
    const etag = String((await dwa.retrieve<Row>({ collection: "contacts", key: contactId }))["@odata.etag"]);
    const row = await dwa.retrieve<Row>({
      collection: "contacts",
      key: contactId,
      select: ["firstname"],
      expand: [{ property: "parentcustomerid_account", select: ["name"] }],
      ifnonematch: etag,
    });
    expect(row.firstname).toBe("Expanded");
  },
  "conditional-annotations": async () => {
    const id = await account("Annotated");
    const etag = await etagOf(id);
    const row = await dwa.retrieve<Row>({
      collection: "accounts",
      key: id,
      select: ["name"],
      ifnonematch: etag,
      includeAnnotations: "OData.Community.Display.V1.FormattedValue",
    });
    expect(row.name).toBe("Annotated");
  },
  "expand-single": async () => {
    const accountId = await account("Expanded parent");
    const contactId = await contactOf(accountId, "Child");
    const row = await dwa.retrieve<Row>({
      collection: "contacts",
      key: contactId,
      select: ["firstname"],
      expand: [{ property: "parentcustomerid_account", select: ["name"] }],
    });
    expect(row.parentcustomerid_account).toMatchObject({ name: "Expanded parent" });
  },
  "expand-collection": async () => {
    const accountId = await account("With children");
    await contactOf(accountId, "First");
    await contactOf(accountId, "Second");
    const row = await dwa.retrieve<Row>({
      collection: "accounts",
      key: accountId,
      select: ["name"],
      expand: [{ property: "contact_customer_accounts", select: ["firstname"] }],
    });
    const children = row.contact_customer_accounts as Row[];
    expect(children.map((c) => c.firstname).sort()).toEqual(["First", "Second"]);
  },
  annotations: async () => {
    const accountId = await account("Formatted parent");
    const contactId = await contactOf(accountId, "Formatted");
    const row = await dwa.retrieve<Row>({
      collection: "contacts",
      key: contactId,
      select: ["_parentcustomerid_value"],
      includeAnnotations: "*",
    });
    expect(row["_parentcustomerid_value@OData.Community.Display.V1.FormattedValue"]).toBe("Formatted parent");
    expect(row["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("account");
  },
  "odata-paging": async () => {
    await fiveAccounts("Paged");
    const all = await dwa.retrieveAll<Row>({
      collection: "accounts",
      select: ["name"],
      filter: "startswith(name,'Paged ')",
      maxPageSize: 2,
    });
    expect(all.value.map((r) => r.name).sort()).toEqual([
      "Paged 1",
      "Paged 2",
      "Paged 3",
      "Paged 4",
      "Paged 5",
    ]);
  },
  "count-endpoint": async () => {
    const before = await dwa.count({ collection: "rp_relationshiphistories" });
    await dwa.create({
      collection: "rp_relationshiphistories",
      data: { rp_name: "week", rp_key: "dwa-count" },
    });
    expect(await dwa.count({ collection: "rp_relationshiphistories" })).toBe(before + 1);
  },
  "count-filter": async () => {
    await fiveAccounts("Counted");
    expect(await dwa.count({ collection: "accounts", filter: "startswith(name,'Counted ')" })).toBe(5);
  },
  "count-all": async () => {
    await fiveAccounts("All counted");
    const n = await dwa.countAll({
      collection: "accounts",
      filter: "startswith(name,'All counted ')",
      select: ["name"],
    });
    expect(n).toBe(5);
  },
  "fetch-cookie-by-name": async () => {
    await fiveAccounts("Cookie");
    const page = await dwa.fetch<Row>({
      collection: "accounts",
      fetchXml: fetchOf("Cookie"),
      includeAnnotations: "Microsoft.Dynamics.CRM.fetchxmlpagingcookie",
    });
    expect(page.value).toHaveLength(2);
    expect(page.PagingInfo?.cookie).toMatch(/^&lt;cookie page=&quot;1&quot;&gt;/);
  },
  "fetch-morerecords-wildcard": async () => {
    await fiveAccounts("Wildcard");
    const page = (await dwa.fetch<Row>({
      collection: "accounts",
      fetchXml: fetchOf("Wildcard"),
      includeAnnotations: "Microsoft.Dynamics.CRM.*",
    })) as unknown as Row;
    expect(page["@Microsoft.Dynamics.CRM.morerecords"]).toBe(true);
    expect(page["@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"]).toMatch(/pagingcookie="%253ccookie/);
  },
  "fetch-all": async () => {
    await fiveAccounts("Fetched");
    const all = await dwa.fetchAll<Row>({
      collection: "accounts",
      fetchXml: fetchOf("Fetched"),
      includeAnnotations: "Microsoft.Dynamics.CRM.fetchxmlpagingcookie",
    });
    expect(all.value.map((r) => r.name).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `Fetched ${i}`));
  },
  "fetch-all-ordered": async () => {
    await fiveAccounts("Ordered");
    const all = await dwa.fetchAll<Row>({
      collection: "accounts",
      fetchXml: fetchOf("Ordered", '<order attribute="name" descending="true" />'),
      includeAnnotations: "Microsoft.Dynamics.CRM.fetchxmlpagingcookie",
    });
    expect(all.value.map((r) => r.name)).toEqual([5, 4, 3, 2, 1].map((i) => `Ordered ${i}`));
  },
  "batch-changeset": async () => {
    dwa.startBatch();
    void dwa.create({ collection: "accounts", data: { name: "Batch parent" }, contentId: "1" });
    void dwa.create({
      collection: "contacts",
      data: { firstname: "Batch", lastname: "Child", "parentcustomerid_account@odata.bind": "$1" },
    });
    const [accountId, contactId] = (await dwa.executeBatch()) as string[];
    expect(await parentOf(String(contactId))).toBe(accountId);
  },
  "batch-get": async () => {
    const id = await account("Batch read");
    dwa.startBatch();
    void dwa.retrieve({ collection: "accounts", key: id, select: ["name"] });
    void dwa.create({ collection: "accounts", data: { name: "Batch single" }, inChangeSet: false });
    const [row, created] = await dwa.executeBatch();
    expect((row as Row).name).toBe("Batch read");
    expect(String(created)).toMatch(/^[0-9a-f-]{36}$/);
  },
  "batch-rollback": async () => {
    dwa.startBatch();
    void dwa.create({ collection: "accounts", data: { name: "Rolled back" } });
    void dwa.create({ collection: "accounts", data: { nosuchcolumn: 1 } });
    const failure: unknown = await dwa.executeBatch().then(
      () => [],
      (err: unknown) => err,
    );
    // DynamicsWebApi rejects a batch with the list of its errors, each with the answer's body in `error`.
    const errors = [failure].flat() as (RequestError & { error?: { message?: string } })[];
    expect(errors.map((e) => [e.status, e.error?.message])).toEqual([
      [400, expect.stringMatching(/nosuchcolumn/)],
    ]);
    const rows = await dwa.retrieveMultiple<Row>({ collection: "accounts", filter: "name eq 'Rolled back'" });
    expect(rows.value).toHaveLength(0);
  },
  whoami: async () => {
    const me = await dwa.callFunction<Row>("WhoAmI");
    expect(me).toMatchObject({
      UserId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      BusinessUnitId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      OrganizationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const user = await dwa.retrieve<Row>({ collection: "systemusers", key: String(me.UserId) });
    expect(user.systemuserid).toBe(me.UserId);
  },
  "associate-collection": async () => {
    const accountId = await account("Associating");
    const contactId = await dwa.create<Row, string>({ collection: "contacts", data: { lastname: "Loose" } });
    await dwa.associate({
      collection: "accounts",
      primaryKey: accountId,
      relationshipName: "contact_customer_accounts",
      relatedCollection: "contacts",
      relatedKey: contactId,
    });
    expect(await parentOf(contactId)).toBe(accountId);
  },
  "disassociate-collection": async () => {
    const accountId = await account("Disassociating");
    const contactId = await contactOf(accountId, "Leaving");
    await dwa.disassociate({
      collection: "accounts",
      primaryKey: accountId,
      relationshipName: "contact_customer_accounts",
      relatedKey: contactId,
    });
    expect(await parentOf(contactId)).toBeNull();
  },
  "associate-single": async () => {
    const accountId = await account("Single-valued");
    const contactId = await dwa.create<Row, string>({ collection: "contacts", data: { lastname: "Single" } });
    await dwa.associateSingleValued({
      collection: "contacts",
      primaryKey: contactId,
      navigationProperty: "parentcustomerid_account",
      relatedCollection: "accounts",
      relatedKey: accountId,
    });
    expect(await parentOf(contactId)).toBe(accountId);
  },
  "disassociate-single": async () => {
    const accountId = await account("Single-valued gone");
    const contactId = await contactOf(accountId, "Orphan");
    await dwa.disassociateSingleValued({
      collection: "contacts",
      primaryKey: contactId,
      navigationProperty: "parentcustomerid_account",
    });
    expect(await parentOf(contactId)).toBeNull();
  },
  "navigation-get": async () => {
    const accountId = await account("Navigated");
    const contactId = await contactOf(accountId, "Navigator");
    const parent = await dwa.retrieve<Row>({
      collection: "contacts",
      key: contactId,
      navigationProperty: "parentcustomerid_account",
      select: ["name"],
    });
    expect(parent).toMatchObject({ accountid: accountId, name: "Navigated" });
  },
  fullname: async () => {
    const id = await dwa.create<Row, string>({
      collection: "contacts",
      data: { firstname: "Ada", lastname: "Lovelace" },
    });
    expect((await dwa.retrieve<Row>({ collection: "contacts", key: id })).fullname).toBe("Ada Lovelace");
    await dwa.update({ collection: "contacts", key: id, data: { lastname: "Byron" } });
    expect((await dwa.retrieve<Row>({ collection: "contacts", key: id })).fullname).toBe("Ada Byron");
  },
  "metadata-keys": async () => {
    const csdl = await dwa.retrieveCsdlMetadata();
    expect(csdl).toMatch(
      /<EntityType Name="rp_connection">.*<Annotation Term="OData\.Community\.Keys\.V1\.AlternateKeys">.*<PropertyValue Property="Name" PropertyPath="rp_key" \/>/s,
    );
  },
};

describe("DynamicsWebApi 2.5 against the local endpoint", () => {
  test.each(Object.entries(SCENARIOS))("%s: %s", async (id) => {
    await scenarios[id as ScenarioId]();
  });
});
