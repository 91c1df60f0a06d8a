import { DynamicsWebApi, type RequestError } from "dynamics-web-api";

import { type Api, startApi, TOKEN } from "./harness";

/**
 * The local endpoint's opportunity and connection rules, as Dataverse applies them: an opportunity is
 * closed only by WinOpportunity / LoseOpportunity (which create the opportunity close), status reasons
 * belong to their status, and every connection is stored with its reciprocal.
 */

let api: Api;
let dwa: DynamicsWebApi;
beforeAll(async () => {
  api = await startApi({ now: () => Date.UTC(2025, 0, 15, 9, 30, 0) });
  dwa = new DynamicsWebApi({
    serverUrl: api.server.url,
    onTokenRefresh: () => Promise.resolve(TOKEN),
    dataApi: { version: "9.2" },
    propagateErrors: true,
  });
});
afterAll(() => api.server.close());

const idFrom = (entityId: string | null) => /\(([0-9a-f-]{36})\)$/.exec(entityId ?? "")?.[1] ?? "";

async function opportunity(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await api.call("POST", "opportunities", { body: { name, estimatedvalue: 5000, ...extra } });
  expect(r.status).toBe(204);
  return idFrom(r.headers.get("odata-entityid"));
}

const close = (id: string, extra: Record<string, unknown> = {}) => ({
  subject: "Closed",
  "opportunityid@odata.bind": `/opportunities(${id})`,
  ...extra,
});

describe("WinOpportunity and LoseOpportunity", () => {
  test("win: 204, the opportunity is Won with the close's date and revenue, and the close is a completed activity", async () => {
    const id = await opportunity("Win me");
    const r = await api.call("POST", "WinOpportunity", {
      body: {
        Status: 3,
        OpportunityClose: close(id, { actualrevenue: 4200, actualend: "2001-05-04T12:00:00Z" }),
      },
    });
    expect(r.status).toBe(204);
    const o = await api.get(
      `opportunities(${id})?$select=statecode,statuscode,actualclosedate,actualvalue,estimatedvalue`,
    );
    expect(o.json).toMatchObject({
      statecode: 1,
      statuscode: 3,
      actualclosedate: "2001-05-04",
      actualvalue: 4200,
      estimatedvalue: 5000,
    });
    const closes = await api.get(`opportunitycloses?$filter=_opportunityid_value eq ${id}`);
    expect(closes.json.value).toHaveLength(1);
    expect(closes.json.value[0]).toMatchObject({ statecode: 1, actualrevenue: 4200, subject: "Closed" });
  });

  test("lose through DynamicsWebApi's callAction (a client nobody here wrote), Out-Sold, dated today without actualend", async () => {
    const id = await opportunity("Lose me");
    await dwa.callAction({
      actionName: "LoseOpportunity",
      action: { Status: 5, OpportunityClose: close(id) },
    });
    const o = await api.get(`opportunities(${id})?$select=statecode,statuscode,actualclosedate`);
    expect(o.json).toMatchObject({ statecode: 2, statuscode: 5, actualclosedate: "2025-01-15" });
  });

  test.each([
    ["a Won reason to LoseOpportunity", "LoseOpportunity", { Status: 3 }, 400, /not a valid status code/],
    ["a Lost reason to WinOpportunity", "WinOpportunity", { Status: 4 }, 400, /not a valid status code/],
    ["no Status", "WinOpportunity", {}, 400, /needs 'Status'/],
    [
      "an unknown parameter",
      "WinOpportunity",
      { Status: 3, Reason: "x" },
      400,
      /'Reason'.*not a valid parameter/,
    ],
  ])("refuses %s", async (_label, action, body, status, message) => {
    const id = await opportunity(`Refused ${action}`);
    const r = await api.call("POST", action, { body: { OpportunityClose: close(id), ...body } });
    expect(r.status).toBe(status);
    expect(r.json.error.message).toMatch(message);
    expect((await api.get(`opportunities(${id})?$select=statecode`)).json.statecode).toBe(0);
    expect(
      (await api.get(`opportunitycloses?$filter=_opportunityid_value eq ${id}`)).json.value,
    ).toHaveLength(0);
  });

  test("refuses a close without its opportunity, an unknown opportunity, and closing twice", async () => {
    const noBind = await api.call("POST", "WinOpportunity", {
      body: { Status: 3, OpportunityClose: { subject: "x" } },
    });
    expect(noBind.status).toBe(400);
    expect(noBind.json.error.message).toMatch(/opportunityid@odata.bind/);
    const missing = await api.call("POST", "WinOpportunity", {
      body: { Status: 3, OpportunityClose: close("00000000-0000-0000-0000-0000000000ff") },
    });
    expect(missing.status).toBe(404);
    const id = await opportunity("Twice");
    expect(
      (await api.call("POST", "WinOpportunity", { body: { Status: 3, OpportunityClose: close(id) } })).status,
    ).toBe(204);
    const again = await api.call("POST", "LoseOpportunity", {
      body: { Status: 4, OpportunityClose: close(id) },
    });
    expect(again.status).toBe(400);
    expect(again.json.error.message).toMatch(/already closed/);
    expect(
      (await api.get(`opportunitycloses?$filter=_opportunityid_value eq ${id}`)).json.value,
    ).toHaveLength(1);
    expect((await api.call("GET", "WinOpportunity")).status).toBe(405);
  });
});

test("$metadata declares both actions with their parameters", async () => {
  const r = await api.get("$metadata");
  expect(r.text).toContain(
    '<Action Name="WinOpportunity"><Parameter Name="OpportunityClose" Type="mscrm.opportunityclose" Nullable="false" />',
  );
  expect(r.text).toContain(
    '<ActionImport Name="LoseOpportunity" Action="Microsoft.Dynamics.CRM.LoseOpportunity" />',
  );
});

describe("status and status reason", () => {
  test("a new opportunity is Open, In Progress; On Hold keeps it Open", async () => {
    const id = await opportunity("Default reason");
    expect((await api.get(`opportunities(${id})?$select=statecode,statuscode`)).json).toMatchObject({
      statecode: 0,
      statuscode: 1,
    });
    expect((await api.call("PATCH", `opportunities(${id})`, { body: { statuscode: 2 } })).status).toBe(204);
    expect((await api.get(`opportunities(${id})?$select=statecode,statuscode`)).json).toMatchObject({
      statecode: 0,
      statuscode: 2,
    });
  });

  test.each([
    ["create as Won", "POST", { name: "Sneaky", statecode: 1 }],
    ["create with a Lost reason", "POST", { name: "Sneaky", statuscode: 5 }],
    ["update to Won", "PATCH", { statecode: 1, statuscode: 3 }],
    ["update to a Lost reason", "PATCH", { statuscode: 4 }],
  ])("refuses to %s: only the close messages close an opportunity", async (_label, method, body) => {
    const id = await opportunity("Open one");
    const r = await api.call(method, method === "POST" ? "opportunities" : `opportunities(${id})`, { body });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/WinOpportunity or LoseOpportunity/);
  });

  test("refuses a reason that does not belong to the status sent with it, and reopens a closed one by update", async () => {
    const id = await opportunity("Mismatch");
    const bad = await api.call("PATCH", `opportunities(${id})`, { body: { statecode: 0, statuscode: 3 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/3 is not a valid status code for state code 0/);
    await api.call("POST", "LoseOpportunity", { body: { Status: 4, OpportunityClose: close(id) } });
    expect((await api.call("PATCH", `opportunities(${id})`, { body: { statecode: 0 } })).status).toBe(204);
    expect((await api.get(`opportunities(${id})?$select=statecode,statuscode`)).json).toMatchObject({
      statecode: 0,
      statuscode: 1,
    });
  });
});

describe("connections and their reciprocals", () => {
  let oppId: string;
  let contactId: string;
  let roleA: string;
  let roleB: string;
  beforeAll(async () => {
    oppId = await opportunity("Connected");
    const c = await api.call("POST", "contacts", { body: { firstname: "Stake", lastname: "Holder" } });
    contactId = idFrom(c.headers.get("odata-entityid"));
    const r1 = await api.call("POST", "connectionroles", {
      body: { name: "Decision Maker", category: 1000 },
    });
    const r2 = await api.call("POST", "connectionroles", { body: { name: "Influencer", category: 1000 } });
    roleA = idFrom(r1.headers.get("odata-entityid"));
    roleB = idFrom(r2.headers.get("odata-entityid"));
  });

  const rowsOf = async () =>
    (
      await api.get(
        `connections?$select=_record1id_value,_record2id_value,_record2roleid_value,ismaster,_relatedconnectionid_value&$filter=_record1id_value eq ${oppId} or _record2id_value eq ${oppId}&$orderby=ismaster desc`,
      )
    ).json.value as Record<string, unknown>[];

  test("one create stores two rows, sides and roles swapped, linked both ways; ismaster sent is ignored", async () => {
    const r = await api.call("POST", "connections", {
      body: {
        "record1id_opportunity@odata.bind": `/opportunities(${oppId})`,
        "record2id_contact@odata.bind": `/contacts(${contactId})`,
        "record2roleid@odata.bind": `/connectionroles(${roleA})`,
        ismaster: false,
      },
    });
    expect(r.status).toBe(204);
    const masterId = idFrom(r.headers.get("odata-entityid"));
    const [master, reciprocal] = await rowsOf();
    expect(master).toMatchObject({
      connectionid: masterId,
      ismaster: true,
      _record1id_value: oppId,
      _record2id_value: contactId,
      _record2roleid_value: roleA,
    });
    expect(reciprocal).toMatchObject({
      ismaster: false,
      _record1id_value: contactId,
      _record2id_value: oppId,
      _record2roleid_value: null,
      _relatedconnectionid_value: masterId,
    });
    expect(master!["_relatedconnectionid_value"]).toBe(reciprocal!["connectionid"]);
    const fromContact = await api.get(
      `connections?$select=_record1roleid_value&$filter=_record1id_value eq ${contactId}`,
    );
    expect(fromContact.json.value).toEqual([expect.objectContaining({ _record1roleid_value: roleA })]);
  });

  test("an update of one side follows on the other, and a delete removes both", async () => {
    const [master] = await rowsOf();
    const id = String(master!["connectionid"]);
    const patch = await api.call("PATCH", `connections(${id})`, {
      body: { "record2roleid@odata.bind": `/connectionroles(${roleB})` },
    });
    expect(patch.status).toBe(204);
    const [, reciprocal] = await rowsOf();
    const mirrored = await api.get(
      `connections(${String(reciprocal!["connectionid"])})?$select=_record1roleid_value`,
    );
    expect(mirrored.json._record1roleid_value).toBe(roleB);
    expect((await api.call("DELETE", `connections(${id})`)).status).toBe(204);
    expect(await rowsOf()).toEqual([]);
  });

  test("refuses a connection without its second side", async () => {
    const r = await api.call("POST", "connections", {
      body: { "record1id_opportunity@odata.bind": `/opportunities(${oppId})` },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/record2id/);
  });

  test("the error is a RequestError with its status for DynamicsWebApi too", async () => {
    const err = await dwa
      .callAction({ actionName: "WinOpportunity", action: { Status: 3, OpportunityClose: { subject: "x" } } })
      .catch((e: RequestError) => e);
    expect((err as RequestError).status).toBe(400);
  });
});
