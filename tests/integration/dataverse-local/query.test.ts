import { ANNOTATIONS, type Api, startApi } from "./harness";

let api: Api;
let accountIds: string[];
let contactIds: string[];
const names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"];

beforeAll(async () => {
  api = await startApi({ now: () => Date.UTC(2025, 2, 1, 12, 0, 0) });
  const seeded = api.server.seed({
    contacts: [
      { lastname: "O'Brien", emailaddress1: "pat@obrien.example" },
      { firstname: "Zed", lastname: "Zulu" },
    ],
  });
  contactIds = seeded.contacts ?? [];
  accountIds =
    api.server.seed({
      accounts: names.map((name, i) => ({
        name,
        statecode: i % 2,
        websiteurl: i < 3 ? `https://${name.toLowerCase()}.example` : null,
        ...(i === 0 ? { "primarycontactid@odata.bind": `/contacts(${contactIds[0]})` } : {}),
      })),
    }).accounts ?? [];
  api.server.seed({
    contacts: [
      { fullname: "Child of Alpha", "parentcustomerid_account@odata.bind": `/accounts(${accountIds[0]})` },
    ],
    opportunities: [{ name: "Big deal", estimatedvalue: 1234.5, estimatedclosedate: "2025-06-30" }],
  });
});
afterAll(() => api.server.close());

const namesOf = (r: { json: { value: { name: string }[] } }) => r.json.value.map((v) => v.name);

describe("$filter", () => {
  test.each([
    ["name eq 'Charlie'", ["Charlie"]],
    ["name ne 'Charlie' and statecode eq 0", ["Alpha", "Echo", "Golf"]],
    ["statecode eq 1 or name eq 'Alpha'", ["Alpha", "Bravo", "Delta", "Foxtrot"]],
    ["not (statecode eq 1) and (startswith(name,'E') or endswith(name,'lf'))", ["Echo", "Golf"]],
    ["contains(name,'ha')", ["Alpha", "Charlie"]],
    // OData precedence: not, then and, then or.
    ["not statecode eq 1 and name lt 'D'", ["Alpha", "Charlie"]],
    ["statecode eq 0 and not name eq 'Alpha' or name eq 'Bravo'", ["Bravo", "Charlie", "Echo", "Golf"]],
    ["not (statecode eq 1 or name eq 'Alpha')", ["Charlie", "Echo", "Golf"]],
    ["websiteurl eq null", ["Delta", "Echo", "Foxtrot", "Golf"]],
    ["websiteurl ne null and name gt 'B'", ["Bravo", "Charlie"]],
    ["name ge 'F' and name le 'G'", ["Foxtrot"]],
    ["name lt 'B'", ["Alpha"]],
    ["name eq 'ALPHA'", ["Alpha"]],
    ["createdon ge 2025-03-01T00:00:00Z and createdon lt 2025-03-02", names],
  ])("%s", async (filter, expected) => {
    const r = await api.get(`accounts?$select=name&$orderby=name&$filter=${encodeURIComponent(filter)}`);
    expect(r.status).toBe(200);
    expect(namesOf(r)).toEqual(expected);
  });

  test("filters lookups as _x_value with a GUID literal", async () => {
    const r = await api.get(`accounts?$select=name&$filter=_primarycontactid_value eq ${contactIds[0]}`);
    expect(namesOf(r)).toEqual(["Alpha"]);
  });

  test("treats quotes inside string literals as text, never as SQL", async () => {
    const obrien = await api.get(
      `contacts?$select=fullname&$filter=${encodeURIComponent("fullname eq 'O''Brien'")}`,
    );
    expect(obrien.json.value).toHaveLength(1);
    for (const attack of ["') or true or ('", "' or 1=1 --", "x'); DROP TABLE account; --", "%", "_"]) {
      const literal = attack.replace(/'/g, "''");
      const r = await api.get(`accounts?$select=name&$filter=${encodeURIComponent(`name eq '${literal}'`)}`);
      expect(r.status).toBe(200);
      expect(r.json.value).toEqual([]);
    }
    const like = await api.get(`accounts?$select=name&$filter=${encodeURIComponent("contains(name,'%')")}`);
    expect(like.json.value).toEqual([]);
    expect((await api.get("accounts/$count")).text).toBe("7");
  });

  test.each([
    [
      "an unknown column",
      "nosuch eq 1",
      "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.account'.",
    ],
    [
      "a type mismatch",
      "name eq 5",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.SByte' for operator kind 'Equal'.",
    ],
    ["a syntax error", "name eq 'x' and", undefined],
    ["an unsupported function", "tolower(name) eq 'x'", undefined],
    ["a lookup by its navigation name", "primarycontactid eq null", undefined],
    ["the in operator", "name in ('Alpha','Bravo')", undefined],
    ["a lambda", "contact_customer_accounts/any(c:c/fullname eq 'x')", undefined],
    ["arithmetic", "statecode add 1 eq 2", undefined],
    ["an unterminated string", "name eq 'Alpha", undefined],
    ["unbalanced parentheses", "(name eq 'Alpha'", undefined],
    ["a closing parenthesis too many", "name eq 'Alpha')", undefined],
    ["a bare literal", "true", undefined],
    // Names every object has, which an operator table must not take from a plain object's prototype.
    [
      "the operator 'constructor'",
      "name constructor 'Alpha'",
      "The expression 'name' is not supported in $filter here.",
    ],
    [
      "the operator 'toString'",
      "name toString 'Alpha'",
      "The expression 'name' is not supported in $filter here.",
    ],
  ])("answers 400 for %s", async (_label, filter, message) => {
    const r = await api.get(`accounts?$filter=${encodeURIComponent(filter)}`);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toMatch(/^0x/);
    if (message) expect(r.json.error.message).toBe(message);
  });
});

describe("$select, $orderby, $top, $count and refused options", () => {
  test("returns every column (nulls included) without $select, and the id last with one", async () => {
    const all = await api.get(`accounts(${accountIds[3]})`);
    expect(all.json).toHaveProperty("websiteurl", null);
    expect(all.json).toHaveProperty("_parentaccountid_value", null);
    expect(all.json).toHaveProperty("versionnumber");
    const some = await api.get(`accounts(${accountIds[3]})?$select=name`);
    expect(Object.keys(some.json)).toEqual(["@odata.context", "@odata.etag", "name", "accountid"]);
  });

  test("orders descending and limits with $top (no nextLink)", async () => {
    const r = await api.get("accounts?$select=name&$orderby=statecode desc,name asc&$top=3");
    expect(namesOf(r)).toEqual(["Bravo", "Delta", "Foxtrot"]);
    expect(r.json["@odata.nextLink"]).toBeUndefined();
  });

  test("counts with $count=true and /$count", async () => {
    const r = await api.get("accounts?$select=name&$filter=statecode eq 0&$count=true&$top=1");
    expect(r.json["@odata.count"]).toBe(4);
    expect(r.json.value).toHaveLength(1);
    const plain = await api.get(`accounts/$count?$filter=${encodeURIComponent("statecode eq 1")}`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(plain.text).toBe("3");
  });

  test.each([
    ["$skip=2", "The query parameter $skip is not supported"],
    ["$search=alpha", "The query parameter $search is not supported"],
    ["$select=Name", "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'."],
    ["$orderby=nosuch", "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.account'."],
    ["$top=abc", undefined],
    ["$expand=nosuchnav", undefined],
  ])("answers 400 for %s", async (query, message) => {
    const r = await api.get(`accounts?${query}`);
    expect(r.status).toBe(400);
    if (message) expect(r.json.error.message).toBe(message);
  });
});

describe("paging", () => {
  test("pages with odata.maxpagesize and an opaque, deterministic nextLink over three pages", async () => {
    const prefer = { Prefer: "odata.maxpagesize=3" };
    const first = await api.get("accounts?$select=name&$orderby=statecode desc,name", prefer);
    expect(first.headers.get("preference-applied")).toBe("odata.maxpagesize=3");
    const next1 = first.json["@odata.nextLink"] as string;
    expect(next1).toMatch(
      new RegExp(
        `^${api.server.serviceRoot.replace(/[.$]/g, "\\$&")}accounts\\?\\$select=name&\\$orderby=statecode%20desc,name&\\$skiptoken=`,
      ),
    );
    const second = await api.get(next1, prefer);
    const next2 = second.json["@odata.nextLink"] as string;
    const third = await api.get(next2, prefer);
    expect(third.json["@odata.nextLink"]).toBeUndefined();
    expect([...namesOf(first), ...namesOf(second), ...namesOf(third)]).toEqual([
      "Bravo",
      "Delta",
      "Foxtrot",
      "Alpha",
      "Charlie",
      "Echo",
      "Golf",
    ]);
    // The same request gives the same links.
    expect(
      (await api.get("accounts?$select=name&$orderby=statecode desc,name", prefer)).json["@odata.nextLink"],
    ).toBe(next1);
    expect((await api.get(next1, prefer)).json["@odata.nextLink"]).toBe(next2);
  });

  test("resumes after the last row even when rows are added before it meanwhile", async () => {
    const prefer = { Prefer: "odata.maxpagesize=2" };
    const first = await api.get("contacts?$select=fullname&$orderby=fullname", prefer);
    expect(first.json.value.map((v: { fullname: string }) => v.fullname)).toEqual([
      "Child of Alpha",
      "O'Brien",
    ]);
    await api.call("POST", "contacts", { body: { fullname: "Aaron Early" } });
    const second = await api.get(first.json["@odata.nextLink"], prefer);
    expect(second.json.value.map((v: { fullname: string }) => v.fullname)).toEqual(["Zed Zulu"]);
  });

  test("ignores $top when odata.maxpagesize is sent, as Dataverse does", async () => {
    const r = await api.get("accounts?$select=name&$top=1", { Prefer: "odata.maxpagesize=5" });
    expect(r.json.value).toHaveLength(5);
    expect(r.json["@odata.nextLink"]).toBeDefined();
  });

  test("refuses a skip token that was tampered with", async () => {
    const r = await api.get("accounts?$select=name&$skiptoken=bm90LWEtdG9rZW4");
    expect(r.status).toBe(400);
  });
});

describe("$expand", () => {
  test("expands a single-valued lookup with a nested $select", async () => {
    const r = await api.get(
      `accounts(${accountIds[0]})?$select=name&$expand=primarycontactid($select=fullname,emailaddress1)`,
    );
    expect(r.json["@odata.context"]).toBe(
      `${api.server.serviceRoot}$metadata#accounts(name,primarycontactid(fullname,emailaddress1))/$entity`,
    );
    expect(r.json.primarycontactid).toEqual({
      "@odata.etag": expect.stringMatching(/^W\/"\d+"$/),
      fullname: "O'Brien",
      emailaddress1: "pat@obrien.example",
      contactid: contactIds[0],
    });
    const none = await api.get(
      `accounts(${accountIds[1]})?$select=name&$expand=primarycontactid($select=fullname)`,
    );
    expect(none.json.primarycontactid).toBeNull();
  });

  test("expands a collection navigation from the model", async () => {
    const r = await api.get(
      `accounts?$select=name&$filter=name eq 'Alpha'&$expand=contact_customer_accounts($select=fullname)`,
    );
    expect(r.json.value[0].contact_customer_accounts).toEqual([
      expect.objectContaining({ fullname: "Child of Alpha" }),
    ]);
  });
});

describe("formatted values", () => {
  test("formats choices, booleans, numbers, money, dates and lookups when annotations are asked for", async () => {
    const r = await api.get(
      "opportunities?$select=name,estimatedvalue,estimatedclosedate,statecode,createdon",
      ANNOTATIONS,
    );
    expect(r.headers.get("preference-applied")).toBe('odata.include-annotations="*"');
    expect(r.json.value[0]).toMatchObject({
      "estimatedvalue@OData.Community.Display.V1.FormattedValue": "$1,234.50",
      estimatedvalue: 1234.5,
      "estimatedclosedate@OData.Community.Display.V1.FormattedValue": "6/30/2025",
      estimatedclosedate: "2025-06-30",
      "createdon@OData.Community.Display.V1.FormattedValue": "3/1/2025 12:00 PM",
      createdon: "2025-03-01T12:00:00Z",
    });
    const acc = await api.get(`accounts(${accountIds[1]})?$select=statecode`, {
      Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    });
    expect(acc.json["statecode@OData.Community.Display.V1.FormattedValue"]).toBe("Inactive");
    const user = api.server.seed({ systemusers: [{ fullname: "Disabled User", isdisabled: true }] })
      .systemusers?.[0];
    const u = await api.get(`systemusers(${user})?$select=isdisabled`, ANNOTATIONS);
    expect(u.json["isdisabled@OData.Community.Display.V1.FormattedValue"]).toBe("Disabled");
    expect(u.json.isdisabled).toBe(true);
  });
});

describe("FetchXML", () => {
  const fetchXml = (xml: string, headers?: Record<string, string>) =>
    api.get(`accounts?fetchXml=${encodeURIComponent(xml)}`, headers);

  test("runs attributes, nested and/or filters, order and top; leaves out empty columns", async () => {
    const r = await fetchXml(`<fetch top="3">
      <entity name="account">
        <attribute name="name" /><attribute name="websiteurl" />
        <filter type="or">
          <condition attribute="statecode" operator="eq" value="1" />
          <filter type="and">
            <condition attribute="name" operator="like" value="%a%" />
            <condition attribute="websiteurl" operator="not-null" />
          </filter>
        </filter>
        <order attribute="name" descending="true" />
      </entity></fetch>`);
    expect(r.status).toBe(200);
    expect(namesOf(r)).toEqual(["Foxtrot", "Delta", "Charlie"]);
    expect(r.json.value[0]).not.toHaveProperty("websiteurl");
    expect(r.json.value[2].websiteurl).toBe("https://charlie.example");
  });

  test("supports in, ne, null and count/page paging with morerecords", async () => {
    const xml = (
      page: number,
    ) => `<fetch count="2" page="${page}"><entity name="account"><attribute name="name" />
      <filter><condition attribute="name" operator="in"><value>Alpha</value><value>Bravo</value><value>Echo</value></condition>
      <condition attribute="name" operator="ne" value="Zulu" /><condition attribute="parentaccountid" operator="null" /></filter>
      <order attribute="name" /></entity></fetch>`;
    const p1 = await fetchXml(xml(1), ANNOTATIONS);
    expect(namesOf(p1)).toEqual(["Alpha", "Bravo"]);
    expect(p1.json["@Microsoft.Dynamics.CRM.morerecords"]).toBe(true);
    const p2 = await fetchXml(xml(2), ANNOTATIONS);
    expect(namesOf(p2)).toEqual(["Echo"]);
    expect(p2.json["@Microsoft.Dynamics.CRM.morerecords"]).toBe(false);
  });

  test.each([
    [
      "link-entity",
      `<fetch><entity name="account"><link-entity name="contact" from="contactid" to="primarycontactid" /></entity></fetch>`,
      /link-entity is not supported/,
    ],
    ["another entity", `<fetch><entity name="contact" /></fetch>`, /does not match/],
    [
      "an unknown attribute",
      `<fetch><entity name="account"><attribute name="nosuch" /></entity></fetch>`,
      /nosuch/,
    ],
    [
      "an unknown operator",
      `<fetch><entity name="account"><filter><condition attribute="name" operator="begins-with" value="A" /></filter></entity></fetch>`,
      /begins-with/,
    ],
    [
      // A name every object has: once taken from a plain object's prototype, written into the SQL, a 500.
      "the operator 'constructor'",
      `<fetch><entity name="account"><filter><condition attribute="name" operator="constructor" value="A" /></filter></entity></fetch>`,
      /The condition operator 'constructor' is not supported/,
    ],
    ["broken XML", `<fetch><entity name="account">`, /./],
  ])("answers 400 for %s", async (_label, xml, message) => {
    const r = await fetchXml(xml);
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(message);
  });
});
