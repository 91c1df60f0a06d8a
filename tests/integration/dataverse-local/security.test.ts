import { main } from "../../../server/src/cli/main";
import { createOp, DataverseClient, staticTokenProvider } from "../../../server/src/dataverse/client";
import { BUILTIN_ROLES, choiceValue, roleId, ROLES } from "../../../server/src/dataverse/model";
import { type Api, captureOutput, startApi } from "./harness";

/**
 * The endpoint's security model: tokens sign in users, users hold roles directly or through teams, and
 * every request is checked against the privileges of those roles (table × verb × depth), failing with
 * Dataverse's own 403 errors.
 */

const ROLE = Object.fromEntries([...BUILTIN_ROLES, ...ROLES].map((r) => [r.key, roleId(r).slice(1, -1)]));
const USER = {
  seller: "11111111-1111-4111-8111-111111111111",
  other: "22222222-2222-4222-8222-222222222222",
  nobody: "33333333-3333-4333-8333-333333333333",
  admin: "44444444-4444-4444-8444-444444444444",
  teamed: "55555555-5555-4555-8555-555555555555",
};
const TEAM = "66666666-6666-4666-8666-666666666666";

let api: Api;
const tokens: Record<string, string> = {};
const as = (who: keyof typeof USER) => ({ headers: { Authorization: `Bearer ${tokens[who]}` } });

async function associate(set: string, id: string, rel: string, ref: string): Promise<void> {
  const r = await api.call("POST", `${set}(${id})/${rel}/$ref`, { body: { "@odata.id": ref } });
  expect(r.status).toBe(204);
}

beforeAll(async () => {
  api = await startApi();
  api.server.seed({
    systemusers: Object.entries(USER).map(([name, id]) => ({ systemuserid: id, fullname: name })),
    teams: [{ teamid: TEAM, name: "Sales team" }],
    contacts: [
      {
        contactid: "aaaaaaaa-0000-4000-8000-000000000001",
        lastname: "Mine",
        "ownerid@odata.bind": `/systemusers(${USER.seller})`,
      },
      {
        contactid: "aaaaaaaa-0000-4000-8000-000000000002",
        lastname: "Theirs",
        "ownerid@odata.bind": `/systemusers(${USER.other})`,
      },
    ],
    rp_relationshipinsights: [
      { rp_key: "contact:1", rp_name: "Insight", rp_recordtype: choiceValue("recordType", "contact") },
    ],
  });
  for (const who of Object.keys(USER) as (keyof typeof USER)[]) tokens[who] = api.server.tokenFor(USER[who]);
  for (const [who, roles] of [
    ["seller", ["salesperson", "reader"]],
    ["other", ["salesperson"]],
    ["admin", ["salesperson", "administrator"]],
  ] as const)
    for (const r of roles)
      await associate("systemusers", USER[who], "systemuserroles_association", `roles(${ROLE[r]})`);
  await associate("teams", TEAM, "teamroles_association", `roles(${ROLE.reader})`);
  await associate("systemusers", USER.teamed, "teammembership_association", `teams(${TEAM})`);
});
afterAll(() => api.server.close());

/** Dataverse's "missing privilege" 403: code, principal, privilege, table. */
function expectMissing(
  r: { status: number; json: { error: { code: string; message: string } } },
  user: string,
  privilege: string,
  table: string,
) {
  expect(r.status).toBe(403);
  expect(r.json.error.code).toBe("0x80040220");
  expect(r.json.error.message).toMatch(
    new RegExp(
      `^Principal user \\(Id=${user}, type=8, roleCount=\\d+, privilegeCount=\\d+, .*\\), is missing ${privilege} privilege \\(Id=[0-9a-f-]{36}\\) on OTC=\\d+ for entity '${table}'`,
    ),
  );
}

describe("roles and their associations", () => {
  test("the role table holds the model's roles under the solution's ids", async () => {
    const r = await api.get("roles?$select=name&$orderby=name");
    expect(r.json.value.map((x: { name: string }) => x.name)).toEqual(
      expect.arrayContaining([
        "Rapport Administrator",
        "Rapport Reader",
        "Rapport Service",
        "Salesperson",
        "System Administrator",
      ]),
    );
    const reader = await api.get(`roles(${ROLE.reader})?$select=name`);
    expect(reader.json.name).toBe("Rapport Reader");
  });

  test("systemuserroles lists the pairs; the user's navigation lists its roles", async () => {
    const pairs = await api.get(`systemuserrolescollection?$filter=systemuserid eq ${USER.seller}`);
    expect(pairs.json.value.map((p: { roleid: string }) => p.roleid).sort()).toEqual(
      [ROLE.reader, ROLE.salesperson].sort(),
    );
    const roles = await api.get(`systemusers(${USER.seller})/systemuserroles_association?$select=name`);
    expect(roles.json.value.map((x: { name: string }) => x.name).sort()).toEqual([
      "Rapport Reader",
      "Salesperson",
    ]);
  });

  test("associating twice fails; disassociating with $id removes the pair and the privileges with it", async () => {
    await associate("systemusers", USER.nobody, "systemuserroles_association", `roles(${ROLE.reader})`);
    const again = await api.call("POST", `systemusers(${USER.nobody})/systemuserroles_association/$ref`, {
      body: { "@odata.id": `roles(${ROLE.reader})` },
    });
    expect(again.status).toBe(400);
    expect((await api.call("GET", "rp_relationshipinsights", as("nobody"))).status).toBe(200);
    const gone = await api.call(
      "DELETE",
      `systemusers(${USER.nobody})/systemuserroles_association/$ref?$id=${api.server.serviceRoot}roles(${ROLE.reader})`,
    );
    expect(gone.status).toBe(204);
    expectMissing(
      await api.call("GET", "rp_relationshipinsights", as("nobody")),
      USER.nobody,
      "prvReadrp_RelationshipInsight",
      "rp_relationshipinsight",
    );
  });

  test("intersect rows cannot be written directly", async () => {
    const r = await api.call("POST", "systemuserrolescollection", {
      body: { systemuserid: USER.nobody, roleid: ROLE["system-administrator"] },
    });
    expect(r.status).toBe(405);
  });

  test("a user without roles cannot give itself one (Append on users needs a role)", async () => {
    const r = await api.call("POST", `systemusers(${USER.nobody})/systemuserroles_association/$ref`, {
      body: { "@odata.id": `roles(${ROLE["system-administrator"]})` },
      ...as("nobody"),
    });
    expectMissing(r, USER.nobody, "prvAppendUser", "systemuser");
  });
});

describe("each privilege kind is enforced", () => {
  test("read: a seller with Rapport Reader reads insights; without it, Dataverse's 403", async () => {
    expect((await api.call("GET", "rp_relationshipinsights", as("seller"))).json.value).toHaveLength(1);
    expectMissing(
      await api.call("GET", "rp_relationshipinsights", as("other")),
      USER.other,
      "prvReadrp_RelationshipInsight",
      "rp_relationshipinsight",
    );
    expectMissing(
      await api.call("GET", "rp_relationshipinsights/$count", as("other")),
      USER.other,
      "prvReadrp_RelationshipInsight",
      "rp_relationshipinsight",
    );
    const fetchXml = encodeURIComponent(
      '<fetch><entity name="rp_relationshipinsight"><attribute name="rp_name"/></entity></fetch>',
    );
    expectMissing(
      await api.call("GET", `rp_relationshipinsights?fetchXml=${fetchXml}`, as("other")),
      USER.other,
      "prvReadrp_RelationshipInsight",
      "rp_relationshipinsight",
    );
  });

  test("read through a team's role", async () => {
    expect((await api.call("GET", "rp_relationshipinsights", as("teamed"))).status).toBe(200);
  });

  test("$expand demands Read on the expanded table", async () => {
    const r = await api.call(
      "GET",
      "contacts?$expand=rp_RelationshipInsightId($select=rp_name)",
      as("other"),
    );
    expectMissing(r, USER.other, "prvReadrp_RelationshipInsight", "rp_relationshipinsight");
    expect(
      (await api.call("GET", "contacts?$expand=rp_RelationshipInsightId($select=rp_name)", as("seller")))
        .status,
    ).toBe(200);
  });

  test("create, write and delete each need their privilege", async () => {
    const body = { rp_key: "default", rp_name: "Default" };
    expectMissing(
      await api.call("POST", "rp_settingses", { body, ...as("seller") }),
      USER.seller,
      "prvCreaterp_Settings",
      "rp_settings",
    );
    expect((await api.call("POST", "rp_settingses", { body, ...as("admin") })).status).toBe(204);
    const patch = { body: { rp_name: "Changed" }, ...as("seller") };
    expectMissing(
      await api.call("PATCH", "rp_settingses(rp_key='default')", patch),
      USER.seller,
      "prvWriterp_Settings",
      "rp_settings",
    );
    expectMissing(
      await api.call("DELETE", "rp_settingses(rp_key='default')", as("admin")),
      USER.admin,
      "prvDeleterp_Settings",
      "rp_settings",
    );
  });

  test("append to: binding a lookup needs AppendTo on the record it points at", async () => {
    const r = await api.call("PATCH", "contacts(aaaaaaaa-0000-4000-8000-000000000001)", {
      body: { "rp_RelationshipInsightId@odata.bind": "/rp_relationshipinsights(rp_key='contact:1')" },
      ...as("seller"),
    });
    expectMissing(r, USER.seller, "prvAppendTorp_RelationshipInsight", "rp_relationshipinsight");
  });

  test("user depth: a Salesperson writes its own contacts, not another's, and owns what it creates", async () => {
    const mine = await api.call("PATCH", "contacts(aaaaaaaa-0000-4000-8000-000000000001)", {
      body: { firstname: "A" },
      ...as("seller"),
    });
    expect(mine.status).toBe(204);
    const theirs = await api.call("PATCH", "contacts(aaaaaaaa-0000-4000-8000-000000000002)", {
      body: { firstname: "A" },
      ...as("seller"),
    });
    expect(theirs.status).toBe(403);
    expect(theirs.json.error.code).toBe("0x80040265");
    expect(theirs.json.error.message).toMatch(
      /^SecLib::AccessCheckEx failed\..*CallingUser: 11111111-.*AccessRights: WriteAccess/,
    );
    const created = await api.call("POST", "contacts", {
      body: { lastname: "New" },
      headers: { ...as("seller").headers, Prefer: "return=representation" },
    });
    expect(created.json._ownerid_value).toBe(USER.seller);
  });

  test("$batch: a change set with one refused request is rolled back whole", async () => {
    const client = new DataverseClient({ url: api.server.url, token: staticTokenProvider(tokens.seller!) });
    const results = await client.executeBatch([
      {
        changeSet: [
          createOp("contacts", { lastname: "Rolled back" }),
          createOp("rp_settingses", { rp_key: "other", rp_name: "Other" }),
        ],
      },
    ]);
    expect(results.some((r) => r.status === 403)).toBe(true);
    const left = await api.get("contacts?$filter=lastname eq 'Rolled back'");
    expect(left.json.value).toHaveLength(0);
  });
});

describe("rapport dataverse serve --user", () => {
  /** Runs the command until `ready` holds for its output (or it ends); returns the output and the run. */
  async function serve(args: string[], ready: (out: string) => boolean) {
    const output = captureOutput();
    const done = main(["node", "rapport", "dataverse", "serve", "--db", ":memory:", "--port", "0", ...args]);
    let ended = false;
    void done.then(() => (ended = true));
    for (let i = 0; i < 3000 && !ready(output.out()) && !ended; i++)
      await new Promise((r) => setTimeout(r, 10));
    return { done, ...output };
  }
  afterEach(() => jest.restoreAllMocks());

  test("prints a token per user, which signs in that user with its roles only", async () => {
    const run = await serve(["--user", USER.nobody], (out) => out.includes("Ctrl-C"));
    const url = /at (http:\/\/\S+\/api\/data\/v9\.2\/)/.exec(run.out())?.[1];
    const token = new RegExp(`Token for user ${USER.nobody}: (\\S+)`).exec(run.out())?.[1];
    expect(url && token).toBeTruthy();
    const res = await fetch(`${url}rp_relationshipinsights`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
    process.emit("SIGINT");
    expect(await run.done).toBe(0);
  });

  test("a user that is not a GUID is a usage error naming the option", async () => {
    const run = await serve(["--user", "seller@contoso.com"], () => false);
    expect(await run.done).toBe(2);
    expect(run.err()).toMatch(
      /--user: a user token needs a systemuserid \(a GUID\), not 'seller@contoso.com'/,
    );
  });
});
