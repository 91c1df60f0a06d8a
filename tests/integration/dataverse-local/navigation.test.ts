import { ANNOTATIONS, type Api, startApi } from "./harness";

/** Plain HTTP, as Microsoft's Web API pages write the requests: navigation, $ref, WhoAmI, FetchXML cookies. */

let api: Api;
let accountId: string;
let contactIds: string[];
beforeAll(async () => {
  api = await startApi();
  [accountId = ""] = api.server.seed({ accounts: [{ name: "Navigation" }] }).accounts ?? [];
  const parent = { "parentcustomerid_account@odata.bind": `/accounts(${accountId})` };
  contactIds =
    api.server.seed({
      contacts: [{ lastname: "One", ...parent }, { lastname: "Two", ...parent }, { lastname: "Alone" }],
    }).contacts ?? [];
});
afterAll(() => api.server.close());

test("WhoAmI answers the caller's ids with Dataverse's context; POST matches no resource", async () => {
  const me = await api.get("WhoAmI");
  expect(me.status).toBe(200);
  expect(me.json).toEqual({
    "@odata.context": `${api.server.serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    UserId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    OrganizationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
  });
  expect((await api.get("WhoAmI()")).json.UserId).toBe(me.json.UserId);
  expect((await api.get(`systemusers(${String(me.json.UserId)})?$select=fullname`)).json.fullname).toBe(
    "System Administrator",
  );
  const post = await api.call("POST", "WhoAmI", { body: {} });
  expect(post.status).toBe(404);
  expect(post.json.error.message).toMatch(/^No HTTP resource was found that matches the request URI/);
});

test("a single-valued navigation property reads the related record, or 204 when the lookup is empty", async () => {
  const r = await api.get(`contacts(${contactIds[0]})/parentcustomerid_account?$select=name`);
  expect(r.status).toBe(200);
  expect(r.json).toMatchObject({
    "@odata.context": `${api.server.serviceRoot}$metadata#accounts(name)/$entity`,
    accountid: accountId,
    name: "Navigation",
  });
  expect((await api.get(`contacts(${contactIds[2]})/parentcustomerid_account`)).status).toBe(204);
  expect(
    (await api.call("PATCH", `contacts(${contactIds[0]})/parentcustomerid_account`, { body: {} })).status,
  ).toBe(405);
});

test("$ref on a collection-valued navigation lists, associates and disassociates", async () => {
  const list = await api.get(`accounts(${accountId})/contact_customer_accounts/$ref`);
  expect(list.json["@odata.context"]).toBe(`${api.server.serviceRoot}$metadata#Collection($ref)`);
  expect(list.json.value.map((v: { "@odata.id": string }) => v["@odata.id"]).sort()).toEqual(
    contactIds
      .slice(0, 2)
      .map((id) => `${api.server.serviceRoot}contacts(${id})`)
      .sort(),
  );
  const alone = `${api.server.serviceRoot}contacts(${contactIds[2]})`;
  const refs = `accounts(${accountId})/contact_customer_accounts/$ref`;
  expect((await api.call("POST", refs, { body: { "@odata.id": alone } })).status).toBe(204);
  expect((await api.get(refs)).json.value).toHaveLength(3);
  const wrongTable = await api.call("POST", refs, { body: { "@odata.id": `/accounts(${accountId})` } });
  expect(wrongTable.status).toBe(400);
  expect((await api.call("DELETE", `${refs}?$id=${encodeURIComponent(alone)}`)).status).toBe(204);
  expect(
    (await api.call("DELETE", `accounts(${accountId})/contact_customer_accounts(${contactIds[1]})/$ref`))
      .status,
  ).toBe(204);
  expect((await api.get(refs)).json.value).toHaveLength(1);
  // No longer related: 404, the related record is not found under this navigation.
  expect(
    (await api.call("DELETE", `accounts(${accountId})/contact_customer_accounts(${contactIds[1]})/$ref`))
      .status,
  ).toBe(404);
});

test("no 304 when $expand or annotations are asked, as Dataverse's conditional retrievals", async () => {
  const etag = String((await api.get(`accounts(${accountId})`)).json["@odata.etag"]);
  const expand = await api.get(`accounts(${accountId})?$expand=contact_customer_accounts($select=lastname)`, {
    "If-None-Match": etag,
  });
  expect(expand.status).toBe(200);
  expect((await api.get(`accounts(${accountId})`, { "If-None-Match": etag, ...ANNOTATIONS })).status).toBe(
    200,
  );
  expect((await api.get(`accounts(${accountId})`, { "If-None-Match": etag })).status).toBe(304);
});

test("alternate keys are annotated in $metadata", async () => {
  const csdl = (await api.get("$metadata")).text;
  expect(csdl).toContain('<EntityType Name="rp_settings">');
  expect(csdl).toMatch(
    /<EntityType Name="rp_settings">.*?<Annotation Term="OData\.Community\.Keys\.V1\.AlternateKeys"><Collection><Record Type="OData\.Community\.Keys\.V1\.AlternateKey"><PropertyValue Property="Key"><Collection><Record Type="OData\.Community\.Keys\.V1\.PropertyRef"><PropertyValue Property="Alias" String="rp_key" \/><PropertyValue Property="Name" PropertyPath="rp_key" \/><\/Record><\/Collection><\/PropertyValue><\/Record><\/Collection><\/Annotation><\/EntityType>/,
  );
  expect(csdl).not.toMatch(
    /<EntityType Name="contact">[^]*?AlternateKeys[^]*?<\/EntityType><EntityType Name="lead">/,
  );
});

describe("FetchXML paging cookie", () => {
  const cookiePrefer = { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie"' };
  const fetchXml = (attrs: string) =>
    encodeURIComponent(
      `<fetch count="2" ${attrs}><entity name="contact"><attribute name="lastname" /><order attribute="lastname" descending="true" /></entity></fetch>`,
    );

  test("is Dataverse's double-encoded cookie of the page's first and last rows, asked for by name", async () => {
    const r = await api.get(`contacts?fetchXml=${fetchXml('page="1"')}`, cookiePrefer);
    expect(r.json["@Microsoft.Dynamics.CRM.morerecords"]).toBeUndefined();
    const annotation = String(r.json["@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"]);
    const m = /^<cookie pagenumber="2" pagingcookie="([^"]+)" istracking="False" \/>$/.exec(annotation);
    expect(m?.[1]).toMatch(/^%253ccookie%2520page%253d%25221%2522%253e/);
    const [first, second] = r.json.value.map((v: { contactid: string }) => v.contactid.toUpperCase());
    expect(decodeURIComponent(decodeURIComponent(m?.[1] ?? ""))).toBe(
      `<cookie page="1"><lastname last="One" first="Two" /><contactid last="{${second}}" first="{${first}}" /></cookie>`,
    );
  });

  test("resumes after the cookie's last row, and is ignored for a page that does not follow it", async () => {
    const cookie =
      '&lt;cookie page="1"&gt;&lt;lastname last="One" first="Two" /&gt;&lt;contactid last="{00000000-0000-0000-0000-000000000000}" /&gt;&lt;/cookie&gt;';
    const next = await api.get(`contacts?fetchXml=${fetchXml(`page="2" paging-cookie='${cookie}'`)}`);
    expect(next.json.value.map((v: { lastname: string }) => v.lastname)).toEqual(["One", "Alone"]);
    const skipped = await api.get(`contacts?fetchXml=${fetchXml(`page="3" paging-cookie='${cookie}'`)}`);
    expect(skipped.json.value).toEqual([]);
  });
});

test("fullname follows the name parts on create and update, and empties with them", async () => {
  const id = /\(([0-9a-f-]{36})\)$/.exec(
    (await api.call("POST", "leads", { body: { firstname: "Grace", lastname: "Hopper" } })).headers.get(
      "odata-entityid",
    ) ?? "",
  )?.[1];
  const name = async () => (await api.get(`leads(${id})?$select=fullname`)).json.fullname;
  expect(await name()).toBe("Grace Hopper");
  await api.call("PATCH", `leads(${id})`, { body: { firstname: null } });
  expect(await name()).toBe("Hopper");
  await api.call("PATCH", `leads(${id})`, { body: { lastname: null } });
  expect(await name()).toBeNull();
});

/** An account with contacts A1 and A3, and another account's A2 sorting between them. */
function twoAccounts(): string {
  const [mine = "", other = ""] =
    api.server.seed({ accounts: [{ name: "Mine" }, { name: "Other" }] }).accounts ?? [];
  const of = (id: string) => ({ "parentcustomerid_account@odata.bind": `/accounts(${id})` });
  api.server.seed({
    contacts: [
      { lastname: "A1", ...of(mine) },
      { lastname: "A2", ...of(other) },
      { lastname: "A3", ...of(mine) },
    ],
  });
  return mine;
}
const names = (r: { json: { value: { lastname: string }[] } }) => r.json.value.map((c) => c.lastname);

test("a related list pages through its own path: page 2 still holds only this account's contacts", async () => {
  const related = `accounts(${twoAccounts()})/contact_customer_accounts`;
  const prefer = { Prefer: "odata.maxpagesize=1" };
  const first = await api.get(`${related}?$select=lastname&$orderby=lastname`, prefer);
  expect(names(first)).toEqual(["A1"]);
  const next = String(first.json["@odata.nextLink"]);
  expect(next.startsWith(`${api.server.serviceRoot}${related}?`)).toBe(true);
  const second = await api.get(next, prefer);
  expect(names(second)).toEqual(["A3"]);
  expect(second.json["@odata.nextLink"]).toBeUndefined();
});

test("FetchXML asked through a navigation lists the related records only, not the whole table", async () => {
  const fetchXml =
    '<fetch><entity name="contact"><attribute name="lastname"/><order attribute="lastname"/></entity></fetch>';
  const related = `accounts(${twoAccounts()})/contact_customer_accounts`;
  const r = await api.get(`${related}?fetchXml=${encodeURIComponent(fetchXml)}`);
  expect(r.status).toBe(200);
  expect(names(r)).toEqual(["A1", "A3"]);
});
