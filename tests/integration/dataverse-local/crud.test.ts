import { ANNOTATIONS, type Api, startApi, TOKEN } from "./harness";

let api: Api;
beforeAll(async () => {
  api = await startApi({ now: () => Date.UTC(2025, 0, 15, 9, 30, 0) });
});
afterAll(() => api.server.close());

const idFrom = (entityId: string | null) => /\(([0-9a-f-]{36})\)$/.exec(entityId ?? "")?.[1] ?? "";

describe("service root and authentication", () => {
  test("lists every model table as an entity set in the service document", async () => {
    const r = await api.get("");
    expect(r.status).toBe(200);
    expect(r.headers.get("odata-version")).toBe("4.0");
    expect(r.headers.get("req_id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json["@odata.context"]).toBe(`${api.server.serviceRoot}$metadata`);
    expect(r.json.value).toContainEqual({ name: "accounts", kind: "EntitySet", url: "accounts" });
    expect(r.json.value).toContainEqual({
      name: "rp_relationshipinsights",
      kind: "EntitySet",
      url: "rp_relationshipinsights",
    });
  });

  test("serves a CSDL $metadata generated from the model", async () => {
    const r = await api.get("$metadata");
    expect(r.status).toBe(200);
    expect(r.text).toContain('<EntitySet Name="emails" EntityType="Microsoft.Dynamics.CRM.email" />');
    expect(r.text).toContain('<NavigationProperty Name="email_activity_parties"');
  });

  test.each([
    ["no Authorization header", {}],
    ["a wrong token", { Authorization: `Bearer ${TOKEN}x` }],
    ["another scheme", { Authorization: `Basic ${TOKEN}` }],
  ])("answers 401 with a Dataverse error body for %s", async (_label, headers) => {
    const res = await fetch(`${api.server.serviceRoot}accounts`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get("req_id")).toBeTruthy();
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toMatch(/^0x/);
    expect(body.error.message).toMatch(/authentication/);
  });

  test("answers 404 with Dataverse's message for an unknown entity set (names are case-sensitive)", async () => {
    const r = await api.get("Accounts");
    expect(r.status).toBe(404);
    expect(r.json.error).toEqual({
      code: "0x8006088a",
      message: "Resource not found for the segment 'Accounts'.",
    });
  });
});

describe("create, retrieve, update, delete", () => {
  test("answers 405 for a method the resource does not support", async () => {
    const r = await api.call("PUT", "accounts", { body: {} });
    expect(r.status).toBe(405);
    expect(r.json.error.code).toMatch(/^0x/);
  });

  test("reads and writes a single column at /{set}(id)/{column}", async () => {
    const id = idFrom(
      (await api.call("POST", "accounts", { body: { name: "Single" } })).headers.get("odata-entityid"),
    );
    expect(
      (await api.call("PUT", `accounts(${id})/websiteurl`, { body: { value: "https://single.example" } }))
        .status,
    ).toBe(204);
    const r = await api.get(`accounts(${id})/websiteurl`);
    expect(r.json.value).toBe("https://single.example");
  });

  test("answers 304 to a GET whose If-None-Match holds the current etag", async () => {
    const id = idFrom(
      (await api.call("POST", "accounts", { body: { name: "Cached" } })).headers.get("odata-entityid"),
    );
    const etag = (await api.get(`accounts(${id})`)).json["@odata.etag"] as string;
    expect((await api.get(`accounts(${id})`, { "If-None-Match": etag })).status).toBe(304);
  });

  test("creates with 204 and OData-EntityId, and reads the record back with an etag", async () => {
    const created = await api.call("POST", "accounts", {
      body: { name: "Contoso", websiteurl: "https://contoso.example" },
    });
    expect(created.status).toBe(204);
    const id = idFrom(created.headers.get("odata-entityid"));
    expect(created.headers.get("odata-entityid")).toBe(`${api.server.serviceRoot}accounts(${id})`);
    const r = await api.get(`accounts(${id})?$select=name,websiteurl`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      "@odata.context": `${api.server.serviceRoot}$metadata#accounts(name,websiteurl)/$entity`,
      "@odata.etag": expect.stringMatching(/^W\/"\d+"$/),
      name: "Contoso",
      websiteurl: "https://contoso.example",
      accountid: id,
    });
  });

  test("returns the record with 201 when asked for return=representation", async () => {
    const r = await api.call("POST", "contacts?$select=fullname,emailaddress1", {
      body: { fullname: "Ada Lovelace", emailaddress1: "ada@example.com" },
      headers: { Prefer: "return=representation" },
    });
    expect(r.status).toBe(201);
    expect(r.headers.get("preference-applied")).toContain("return=representation");
    expect(r.json.fullname).toBe("Ada Lovelace");
    expect(r.json.contactid).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("keeps a given primary id, and refuses the same id twice with 412", async () => {
    const id = "00000000-0000-0000-0000-00000000a001";
    expect((await api.call("POST", "accounts", { body: { accountid: id, name: "Fixed" } })).status).toBe(204);
    const again = await api.call("POST", "accounts", { body: { accountid: id, name: "Fixed" } });
    expect(again.status).toBe(412);
    expect(again.json.error.code).toBe("0x80040237");
  });

  test("updates only the sent columns, bumps the etag, and deletes with 204 then 404", async () => {
    const created = await api.call("POST", "accounts", {
      body: { name: "Fabrikam", emailaddress1: "info@fabrikam.example" },
    });
    const id = idFrom(created.headers.get("odata-entityid"));
    const before = await api.get(`accounts(${id})`);
    const patched = await api.call("PATCH", `accounts(${id})`, { body: { name: "Fabrikam Inc" } });
    expect(patched.status).toBe(204);
    const after = await api.get(`accounts(${id})`);
    expect(after.json.name).toBe("Fabrikam Inc");
    expect(after.json.emailaddress1).toBe("info@fabrikam.example");
    expect(after.json["@odata.etag"]).not.toBe(before.json["@odata.etag"]);
    expect(after.json.createdon).toBe("2025-01-15T09:30:00Z");
    expect((await api.call("DELETE", `accounts(${id})`)).status).toBe(204);
    const gone = await api.call("DELETE", `accounts(${id})`);
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe("0x80040217");
    expect((await api.get(`accounts(${id})`)).status).toBe(404);
  });

  test("takes createdon from overriddencreatedon on create (data migration), and ignores a sent createdon", async () => {
    const migrated = await api.call("POST", "opportunities", {
      body: {
        name: "Migrated",
        overriddencreatedon: "2001-03-05T10:00:00Z",
        createdon: "1999-01-01T00:00:00Z",
      },
    });
    expect(migrated.status).toBe(204);
    const row = await api.get(
      `opportunities(${idFrom(migrated.headers.get("odata-entityid"))})?$select=createdon,overriddencreatedon`,
    );
    expect(row.json.createdon).toBe("2001-03-05T10:00:00Z");
    expect(row.json.overriddencreatedon).toBe("2001-03-05T10:00:00Z");
    const id = idFrom(migrated.headers.get("odata-entityid"));
    await api.call("PATCH", `opportunities(${id})`, {
      body: { overriddencreatedon: "2000-01-01T00:00:00Z" },
    });
    const kept = await api.get(`opportunities(${id})?$select=createdon,overriddencreatedon`);
    expect(kept.json).toMatchObject({
      createdon: "2001-03-05T10:00:00Z",
      overriddencreatedon: "2001-03-05T10:00:00Z",
    });
    const plain = await api.call("POST", "opportunities", {
      body: { name: "Plain", createdon: "1999-01-01T00:00:00Z" },
    });
    const fresh = await api.get(
      `opportunities(${idFrom(plain.headers.get("odata-entityid"))})?$select=createdon`,
    );
    expect(fresh.json.createdon).toBe("2025-01-15T09:30:00Z");
  });

  test("refuses unknown columns, wrong types and over-long text with Dataverse-like 400s", async () => {
    const unknown = await api.call("POST", "accounts", { body: { name: "X", nosuchcolumn: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain("'nosuchcolumn'");
    const wrongType = await api.call("POST", "accounts", { body: { name: 42 } });
    expect(wrongType.status).toBe(400);
    const tooLong = await api.call("POST", "accounts", { body: { name: "x".repeat(161) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error).toEqual({
      code: "0x80044331",
      message:
        "A validation error occurred.  The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'.",
    });
    const badChoice = await api.call("POST", "accounts", { body: { name: "X", statecode: 7 } });
    expect(badChoice.status).toBe(400);
    const notJson = await api.call("POST", "accounts", { body: "{not json" });
    expect(notJson.status).toBe(400);
  });
});

describe("lookups", () => {
  test("binds lookups by navigation property, reads them as _x_value with annotations, and unbinds them", async () => {
    const contactId = idFrom(
      (await api.call("POST", "contacts", { body: { fullname: "Grace Hopper" } })).headers.get(
        "odata-entityid",
      ),
    );
    const accountId = idFrom(
      (
        await api.call("POST", "accounts", {
          body: { name: "Navy", "primarycontactid@odata.bind": `/contacts(${contactId})` },
        })
      ).headers.get("odata-entityid"),
    );
    const r = await api.get(`accounts(${accountId})?$select=name,_primarycontactid_value`, ANNOTATIONS);
    expect(r.json).toMatchObject({
      "_primarycontactid_value@OData.Community.Display.V1.FormattedValue": "Grace Hopper",
      "_primarycontactid_value@Microsoft.Dynamics.CRM.associatednavigationproperty": "primarycontactid",
      "_primarycontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "contact",
      _primarycontactid_value: contactId,
    });
    const keys = Object.keys(r.json);
    expect(keys.indexOf("_primarycontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname")).toBeLessThan(
      keys.indexOf("_primarycontactid_value"),
    );
    // Without the Prefer header: the value only.
    const plain = await api.get(`accounts(${accountId})?$select=_primarycontactid_value`);
    expect(Object.keys(plain.json).filter((k) => k.includes("@"))).toEqual(["@odata.context", "@odata.etag"]);

    expect(
      (await api.call("PATCH", `accounts(${accountId})`, { body: { "primarycontactid@odata.bind": null } }))
        .status,
    ).toBe(204);
    expect(
      (await api.get(`accounts(${accountId})?$select=_primarycontactid_value`)).json._primarycontactid_value,
    ).toBeNull();

    await api.call("PATCH", `accounts(${accountId})`, {
      body: { "primarycontactid@odata.bind": `contacts(${contactId})` },
    });
    expect((await api.call("DELETE", `accounts(${accountId})/primarycontactid/$ref`)).status).toBe(204);
    expect(
      (await api.get(`accounts(${accountId})?$select=_primarycontactid_value`)).json._primarycontactid_value,
    ).toBeNull();
  });

  test("binds a polymorphic lookup to the table named in the reference, and by alternate key", async () => {
    const key = await api.call("PATCH", "rp_relationshipinsights(rp_key='insight-1')", {
      body: { rp_name: "Insight 1", rp_recordtype: 100000003 },
    });
    expect(key.status).toBe(204);
    const accountId = idFrom(
      (await api.call("POST", "accounts", { body: { name: "Poly" } })).headers.get("odata-entityid"),
    );
    const opp = await api.call(
      "POST",
      "opportunities?$select=_customerid_value,_rp_relationshipinsightid_value",
      {
        body: {
          name: "Deal",
          "customerid_account@odata.bind": `/accounts(${accountId})`,
          "rp_RelationshipInsightId@odata.bind": "/rp_relationshipinsights(rp_key='insight-1')",
        },
        headers: { Prefer: 'return=representation,odata.include-annotations="Microsoft.Dynamics.CRM.*"' },
      },
    );
    expect(opp.status).toBe(201);
    expect(opp.json["_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("account");
    expect(opp.json["_customerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty"]).toBe(
      "customerid_account",
    );
    expect(opp.json["_customerid_value@OData.Community.Display.V1.FormattedValue"]).toBeUndefined();
    expect(opp.json._rp_relationshipinsightid_value).toMatch(/^[0-9a-f-]{36}$/);
  });

  test.each([
    [
      "a navigation property in the wrong case",
      { "PrimaryContactId@odata.bind": "/contacts(00000000-0000-0000-0000-000000000001)" },
      400,
    ],
    [
      "a reference to another table",
      { "primarycontactid@odata.bind": "/accounts(00000000-0000-0000-0000-000000000001)" },
      400,
    ],
    [
      "a record that does not exist",
      { "primarycontactid@odata.bind": "/contacts(00000000-0000-0000-0000-0000000000ff)" },
      404,
    ],
    ["a lookup set as a value", { primarycontactid: "00000000-0000-0000-0000-000000000001" }, 400],
    [
      "a lookup set through _x_value",
      { _primarycontactid_value: "00000000-0000-0000-0000-000000000001" },
      400,
    ],
  ])("refuses %s", async (_label, extra, status) => {
    const r = await api.call("POST", "accounts", { body: { name: "Bad bind", ...extra } });
    expect(r.status).toBe(status);
    expect(r.json.error.code).toMatch(/^0x/);
  });

  test("creates an email with its activity parties in one request (deep insert) and expands them", async () => {
    const [userId] =
      api.server.seed({
        systemusers: [{ fullname: "Sam Seller", internalemailaddress: "sam@ourco.example" }],
      }).systemusers ?? [];
    const contactId = idFrom(
      (await api.call("POST", "contacts", { body: { fullname: "Bea Buyer" } })).headers.get("odata-entityid"),
    );
    const r = await api.call("POST", "emails", {
      body: {
        subject: "Proposal",
        directioncode: true,
        "regardingobjectid_contact@odata.bind": `/contacts(${contactId})`,
        email_activity_parties: [
          { "partyid_systemuser@odata.bind": `/systemusers(${userId})`, participationtypemask: 1 },
          {
            "partyid_contact@odata.bind": `/contacts(${contactId})`,
            participationtypemask: 2,
            addressused: "bea@buyer.example",
          },
        ],
      },
    });
    expect(r.status).toBe(204);
    const emailId = idFrom(r.headers.get("odata-entityid"));
    const e = await api.get(
      `emails(${emailId})?$select=subject&$expand=email_activity_parties($select=participationtypemask,addressused,_partyid_value;$orderby=participationtypemask)`,
      ANNOTATIONS,
    );
    expect(e.status).toBe(200);
    const parties = e.json.email_activity_parties as Record<string, unknown>[];
    expect(parties).toHaveLength(2);
    expect(parties[0]).toMatchObject({
      "participationtypemask@OData.Community.Display.V1.FormattedValue": "sender",
      participationtypemask: 1,
      "_partyid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "systemuser",
      _partyid_value: userId,
    });
    expect(parties[1]).toMatchObject({ addressused: "bea@buyer.example", _partyid_value: contactId });
    // A deleted email takes its parties with it.
    await api.call("DELETE", `emails(${emailId})`);
    const left = await api.get(`activityparties?$filter=_activityid_value eq ${emailId}`);
    expect(left.json.value).toHaveLength(0);
  });
});

describe("upsert and conditional writes", () => {
  test("PATCH to an alternate key creates, then updates, with 204 both times", async () => {
    const url = "rp_settingses(rp_key='default')";
    const first = await api.call("PATCH", url, { body: { rp_name: "Default", rp_goodthreshold: 70 } });
    expect(first.status).toBe(204);
    const id = idFrom(first.headers.get("odata-entityid"));
    const second = await api.call("PATCH", url, { body: { rp_goodthreshold: 75 } });
    expect(second.status).toBe(204);
    expect(idFrom(second.headers.get("odata-entityid"))).toBe(id);
    const r = await api.get(`${url}?$select=rp_key,rp_goodthreshold`);
    expect(r.json).toMatchObject({ rp_key: "default", rp_goodthreshold: 75, rp_settingsid: id });
  });

  test("If-Match: * never creates (404) and If-None-Match: * never updates (412)", async () => {
    const missing = await api.call("PATCH", "rp_settingses(rp_key='nobody')", {
      body: { rp_name: "Nobody" },
      headers: { "If-Match": "*" },
    });
    expect(missing.status).toBe(404);
    expect((await api.get("rp_settingses(rp_key='nobody')")).status).toBe(404);

    const created = await api.call("PATCH", "rp_settingses(rp_key='once')", {
      body: { rp_name: "Once" },
      headers: { "If-None-Match": "*" },
    });
    expect(created.status).toBe(204);
    const again = await api.call("PATCH", "rp_settingses(rp_key='once')", {
      body: { rp_name: "Twice" },
      headers: { "If-None-Match": "*" },
    });
    expect(again.status).toBe(412);
    expect(again.json.error).toEqual({
      code: "0x80040237",
      message: "A record with matching key values already exists.",
    });
    expect((await api.get("rp_settingses(rp_key='once')")).json.rp_name).toBe("Once");

    const updated = await api.call("PATCH", "rp_settingses(rp_key='once')", {
      body: { rp_name: "Updated" },
      headers: { "If-Match": "*" },
    });
    expect(updated.status).toBe(204);
  });

  test("If-Match with an old etag fails with 412 and leaves the record as it was", async () => {
    await api.call("PATCH", "rp_settingses(rp_key='occ')", { body: { rp_name: "v1" } });
    const etag = (await api.get("rp_settingses(rp_key='occ')")).json["@odata.etag"] as string;
    expect(
      (
        await api.call("PATCH", "rp_settingses(rp_key='occ')", {
          body: { rp_name: "v2" },
          headers: { "If-Match": etag },
        })
      ).status,
    ).toBe(204);
    const stale = await api.call("PATCH", "rp_settingses(rp_key='occ')", {
      body: { rp_name: "v3" },
      headers: { "If-Match": etag },
    });
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe("0x80060882");
    expect((await api.get("rp_settingses(rp_key='occ')")).json.rp_name).toBe("v2");
  });

  test("PATCH to a primary key that does not exist creates the record with that id", async () => {
    const id = "00000000-0000-0000-0000-00000000b001";
    expect((await api.call("PATCH", `contacts(${id})`, { body: { fullname: "Upserted" } })).status).toBe(204);
    expect((await api.get(`contacts(${id})?$select=fullname`)).json.fullname).toBe("Upserted");
  });

  test("alternate-key values with quotes, commas and parentheses round-trip (quotes doubled in the URL)", async () => {
    const key = "O'Brien, (the) 'quoted'";
    const url = `rp_connections(rp_key='${encodeURIComponent(key.replace(/'/g, "''"))}')`;
    expect((await api.call("PATCH", url, { body: { rp_name: "Quoted" } })).status).toBe(204);
    const r = await api.get(`${url}?$select=rp_key,rp_name`);
    expect(r.status).toBe(200);
    expect(r.json.rp_key).toBe(key);
    expect(r.json.rp_name).toBe("Quoted");
  });

  test("a duplicate alternate-key value on create fails with 412 DuplicateRecord", async () => {
    await api.call("POST", "rp_connections", { body: { rp_name: "A", rp_key: "dup-key" } });
    const r = await api.call("POST", "rp_connections", { body: { rp_name: "B", rp_key: "dup-key" } });
    expect(r.status).toBe(412);
    expect(r.json.error.code).toBe("0x80040237");
    expect(r.json.error.message).toContain("rp_connection_key");
  });

  test("an unknown key column or a non-key column in the key predicate is a 400", async () => {
    expect((await api.get("accounts(name='Contoso')")).status).toBe(400);
    expect((await api.get("accounts(nosuch='x')")).status).toBe(400);
  });

  test("required columns of Rapport's tables are enforced on create", async () => {
    const r = await api.call("POST", "rp_relationshipinsights", {
      body: { rp_key: "k-no-name", rp_recordtype: 100000000 },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain("rp_name");
  });
});
