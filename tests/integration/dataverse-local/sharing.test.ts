import { DynamicsWebApi, type RequestError } from "dynamics-web-api";

import { choiceValue } from "../../../server/src/dataverse/model";
import { type Actor, actor, type RoleKey } from "../actors";
import { type Api, startApi } from "./harness";

/**
 * Sharing, as Dataverse does it, on the user-owned introductions of issue 19: the seller who asks owns the
 * request and shares it with the colleague asked (GrantAccess); Basic-depth privileges then reach the
 * records a user owns and those shared with them, with exactly the rights shared; the table privilege is
 * still needed. Through DynamicsWebApi (a client nobody here wrote), signed in as each user.
 */

let api: Api;
const people: Record<string, Actor> = {};
const SELLER: readonly RoleKey[] = ["salesperson", "reader"];

/** DynamicsWebApi signed in as `who`. */
const dwaAs = (who: string): DynamicsWebApi =>
  new DynamicsWebApi({
    serverUrl: api.server.url,
    onTokenRefresh: () => Promise.resolve(people[who]!.token),
    dataApi: { version: "9.2" },
    propagateErrors: true,
  });

/** The error a refused call rejects with: status, Dataverse code and message. */
async function refusal(p: Promise<unknown>): Promise<{ status?: number; code?: string; message?: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as RequestError;
    return { status: e.status, code: e.code, message: e.message };
  }
  throw new Error("the call was not refused");
}

const target = (id: string) => ({
  rp_introductionid: id,
  "@odata.type": "Microsoft.Dynamics.CRM.rp_introduction",
});
const user = (who: string) => ({
  systemuserid: people[who]!.userId,
  "@odata.type": "Microsoft.Dynamics.CRM.systemuser",
});
const grant = (as: string, id: string, to: string, mask: string) =>
  dwaAs(as).callAction({
    actionName: "GrantAccess",
    action: { Target: target(id), PrincipalAccess: { Principal: user(to), AccessMask: mask } },
  });
const revoke = (as: string, id: string, from: string) =>
  dwaAs(as).callAction({ actionName: "RevokeAccess", action: { Target: target(id), Revokee: user(from) } });

/** An introduction asked by `asker` of `introducer`; returns its id. */
async function ask(asker: string, introducer: string, name = "Intro to a person"): Promise<string> {
  const created = (await dwaAs(asker).create({
    collection: "rp_introductions",
    data: {
      rp_name: name,
      "rp_RequesterId@odata.bind": `/systemusers(${people[asker]!.userId})`,
      "rp_IntroducerId@odata.bind": `/systemusers(${people[introducer]!.userId})`,
      rp_targetemail: "person@example.com",
      rp_recordtype: choiceValue("recordType", "contact"),
      rp_status: choiceValue("introductionStatus", "requested"),
    },
    returnRepresentation: true,
    select: ["rp_introductionid"],
  })) as { rp_introductionid: string };
  return created.rp_introductionid;
}

const names = async (who: string): Promise<string[]> =>
  (
    await dwaAs(who).retrieveMultiple<{ rp_name: string }>({
      collection: "rp_introductions",
      select: ["rp_name"],
      orderBy: ["rp_name"],
    })
  ).value.map((r) => r.rp_name);

beforeAll(async () => {
  api = await startApi();
  for (const [name, roles] of [
    ["asker", SELLER],
    ["introducer", SELLER],
    ["third", SELLER],
    ["admin", ["salesperson", "administrator"]],
    ["service", ["service"]],
    ["plain", ["salesperson"]],
  ] as const)
    people[name] = actor(api.server, `sharing ${name}`, roles);
});
afterAll(() => api.server.close());

describe("a seller's introduction, shared with the colleague asked", () => {
  let id: string;
  beforeAll(async () => {
    id = await ask("asker", "introducer", "Asked of introducer");
  });

  test("the seller owns and reads it; the colleague asked and a third seller do not see it before it is shared", async () => {
    const own = await dwaAs("asker").retrieve<{ _ownerid_value: string }>({
      collection: "rp_introductions",
      key: id,
      select: ["ownerid"],
    });
    expect(own._ownerid_value).toBe(people.asker!.userId);
    expect(await names("introducer")).toEqual([]);
    const direct = await refusal(dwaAs("introducer").retrieve({ collection: "rp_introductions", key: id }));
    expect(direct).toMatchObject({ status: 403, code: "0x80040265" });
    expect(direct.message).toMatch(/^SecLib::AccessCheckEx failed\..*AccessRights: ReadAccess/);
  });

  test("after GrantAccess (Read, Write) the colleague reads and accepts it, and cannot delete it", async () => {
    await grant("asker", id, "introducer", "ReadAccess, WriteAccess");
    expect(await names("introducer")).toEqual(["Asked of introducer"]);
    await dwaAs("introducer").update({
      collection: "rp_introductions",
      key: id,
      data: { rp_status: choiceValue("introductionStatus", "accepted") },
    });
    const read = await dwaAs("introducer").retrieve<{ rp_status: number }>({
      collection: "rp_introductions",
      key: id,
      select: ["rp_status"],
    });
    expect(read.rp_status).toBe(choiceValue("introductionStatus", "accepted"));
    const del = await refusal(dwaAs("introducer").deleteRecord({ collection: "rp_introductions", key: id }));
    expect(del).toMatchObject({ status: 403, code: "0x80040265" });
    expect(del.message).toMatch(/AccessRights: DeleteAccess/);
  });

  test("a third seller still sees nothing, in lists, counts, FetchXML and by id", async () => {
    expect(await names("third")).toEqual([]);
    const fetched = await dwaAs("third").fetchAll({
      collection: "rp_introductions",
      fetchXml: `<fetch><entity name="rp_introduction"><attribute name="rp_name" /></entity></fetch>`,
    });
    expect(fetched.value).toEqual([]);
    expect(await dwaAs("third").count({ collection: "rp_introductions" })).toBe(0);
    expect(await refusal(dwaAs("third").retrieve({ collection: "rp_introductions", key: id }))).toMatchObject(
      {
        status: 403,
      },
    );
  });

  test("the colleague cannot pass it on: sharing needs ShareAccess on the record", async () => {
    const r = await refusal(grant("introducer", id, "third", "ReadAccess"));
    expect(r).toMatchObject({ status: 403, code: "0x80040265" });
    expect(r.message).toMatch(/AccessRights: ShareAccess/);
  });

  test("RevokeAccess takes it away again, and only a user who may share may revoke", async () => {
    const refused = await refusal(revoke("introducer", id, "introducer"));
    expect(refused).toMatchObject({ status: 403, code: "0x80040265" });
    expect(refused.message).toMatch(/AccessRights: ShareAccess/);
    await revoke("asker", id, "introducer");
    expect(await names("introducer")).toEqual([]);
    expect(
      await refusal(
        dwaAs("introducer").update({ collection: "rp_introductions", key: id, data: { rp_name: "x" } }),
      ),
    ).toMatchObject({ status: 403, code: "0x80040265" });
  });

  test("the administrator reads every introduction; the service reads and writes them all", async () => {
    expect(await names("admin")).toContain("Asked of introducer");
    expect(await names("service")).toContain("Asked of introducer");
    await dwaAs("service").update({
      collection: "rp_introductions",
      key: id,
      data: { rp_status: choiceValue("introductionStatus", "made") },
    });
  });
});

describe("what sharing cannot do", () => {
  test("GrantAccess of rights the caller lacks on the record is refused (Delete shared by the owner is fine)", async () => {
    const id = await ask("asker", "introducer", "Rights");
    await grant("asker", id, "introducer", "ReadAccess, ShareAccess");
    // The introducer may now share, but only what it holds: Read, not Write.
    await grant("introducer", id, "third", "ReadAccess");
    expect(await names("third")).toEqual(["Rights"]);
    const write = await refusal(grant("introducer", id, "third", "WriteAccess"));
    expect(write).toMatchObject({ status: 403, code: "0x80040265" });
    expect(write.message).toMatch(/AccessRights: WriteAccess/);
    await grant("asker", id, "introducer", "DeleteAccess");
    await dwaAs("introducer").deleteRecord({ collection: "rp_introductions", key: id });
    expect(await names("third")).toEqual([]);
  });

  test("deleting a record deletes its shares: a new record under the same id is not shared", async () => {
    const id = "0f0f0f0f-0000-4000-8000-000000000001";
    const body = (name: string) => ({
      rp_introductionid: id,
      rp_name: name,
      "rp_RequesterId@odata.bind": `/systemusers(${people.asker!.userId})`,
      "rp_IntroducerId@odata.bind": `/systemusers(${people.introducer!.userId})`,
      rp_targetemail: "person@example.com",
      rp_recordtype: choiceValue("recordType", "contact"),
      rp_status: choiceValue("introductionStatus", "requested"),
    });
    await dwaAs("asker").create({ collection: "rp_introductions", data: body("Before delete") });
    await grant("asker", id, "introducer", "ReadAccess");
    expect(await names("introducer")).toContain("Before delete");
    await dwaAs("asker").deleteRecord({ collection: "rp_introductions", key: id });
    await dwaAs("asker").create({ collection: "rp_introductions", data: body("After delete") });
    expect(await names("introducer")).not.toContain("After delete");
  });

  test("sharing extends depth, not privilege: a user without prvReadrp_Introduction reads nothing shared", async () => {
    const id = await ask("asker", "introducer", "No privilege");
    await grant("asker", id, "plain", "ReadAccess");
    const r = await refusal(dwaAs("plain").retrieve({ collection: "rp_introductions", key: id }));
    expect(r).toMatchObject({ status: 403, code: "0x80040220" });
    expect(r.message).toMatch(/is missing prvReadrp_Introduction privilege/);
  });

  test("a user without prvShare cannot share even what they own", async () => {
    // Profiles are the service's to create (owned by the colleague); a seller holds no Share on them.
    const profile = (await dwaAs("service").create({
      collection: "rp_introducerprofiles",
      data: {
        rp_name: "Asker",
        rp_key: "asker-key",
        "rp_UserId@odata.bind": `/systemusers(${people.asker!.userId})`,
        "ownerid@odata.bind": `/systemusers(${people.asker!.userId})`,
      },
      returnRepresentation: true,
      select: ["rp_introducerprofileid"],
    })) as { rp_introducerprofileid: string };
    const r = await refusal(
      dwaAs("asker").callAction({
        actionName: "GrantAccess",
        action: {
          Target: {
            rp_introducerprofileid: profile.rp_introducerprofileid,
            "@odata.type": "Microsoft.Dynamics.CRM.rp_introducerprofile",
          },
          PrincipalAccess: { Principal: user("third"), AccessMask: "WriteAccess" },
        },
      }),
    );
    expect(r).toMatchObject({ status: 403, code: "0x80040220" });
    expect(r.message).toMatch(/is missing prvSharerp_IntroducerProfile privilege/);
  });

  test("organization-owned records, teams, unknown rights and unknown users are refused with a reason", async () => {
    const call = (action: Record<string, unknown>) =>
      api.call("POST", "GrantAccess", {
        body: action,
        headers: { Authorization: `Bearer ${people.asker!.token}` },
      });
    const id = await ask("asker", "introducer", "Bad grants");
    const settings = await call({
      Target: {
        rp_settingsid: "00000000-0000-4000-8000-000000000001",
        "@odata.type": "Microsoft.Dynamics.CRM.rp_settings",
      },
      PrincipalAccess: { Principal: user("third"), AccessMask: "ReadAccess" },
    });
    expect(settings.status).toBe(400);
    expect(settings.json.error.message).toMatch(/cannot be shared: the table is not user-owned/);
    const team = await call({
      Target: target(id),
      PrincipalAccess: {
        Principal: {
          teamid: "00000000-0000-4000-8000-000000000002",
          "@odata.type": "Microsoft.Dynamics.CRM.team",
        },
        AccessMask: "ReadAccess",
      },
    });
    expect(team.status).toBe(400);
    expect(team.json.error.message).toMatch(/users only, not with teams/);
    const rights = await call({
      Target: target(id),
      PrincipalAccess: { Principal: user("third"), AccessMask: "ReadAcess" },
    });
    expect(rights.status).toBe(400);
    expect(rights.json.error.message).toMatch(
      /'ReadAcess' in the 'AccessMask' of 'GrantAccess' is not an AccessRights value/,
    );
    const nobody = await call({
      Target: target(id),
      PrincipalAccess: {
        Principal: {
          systemuserid: "00000000-0000-4000-8000-0000000000ff",
          "@odata.type": "Microsoft.Dynamics.CRM.systemuser",
        },
        AccessMask: "ReadAccess",
      },
    });
    expect(nobody.status).toBe(404);
    const extra = await call({ Target: target(id), Revokee: user("third") });
    expect(extra.status).toBe(400);
    expect(extra.json.error.message).toMatch(
      /'Revokee' .* not a valid parameter for the operation 'GrantAccess'/,
    );
    expect((await api.call("GET", "GrantAccess")).status).toBe(405);
  });

  test("ModifyAccess replaces the rights; GrantAccess adds to them", async () => {
    const id = await ask("asker", "introducer", "Modify");
    await grant("asker", id, "introducer", "ReadAccess");
    await grant("asker", id, "introducer", "WriteAccess");
    await dwaAs("introducer").update({
      collection: "rp_introductions",
      key: id,
      data: { rp_targetname: "A" },
    });
    await dwaAs("asker").callAction({
      actionName: "ModifyAccess",
      action: {
        Target: target(id),
        PrincipalAccess: { Principal: user("introducer"), AccessMask: "ReadAccess" },
      },
    });
    expect(await names("introducer")).toContain("Modify");
    expect(
      await refusal(
        dwaAs("introducer").update({ collection: "rp_introductions", key: id, data: { rp_targetname: "B" } }),
      ),
    ).toMatchObject({ status: 403, code: "0x80040265" });
  });

  test("$metadata declares the three actions with their parameters and the AccessRights flags", async () => {
    const doc = (await api.get("$metadata")).text;
    for (const name of ["GrantAccess", "ModifyAccess", "RevokeAccess"])
      expect(doc).toContain(`<ActionImport Name="${name}" Action="Microsoft.Dynamics.CRM.${name}" />`);
    expect(doc).toContain(
      '<Parameter Name="PrincipalAccess" Type="mscrm.PrincipalAccess" Nullable="false" />',
    );
    expect(doc).toContain('<Parameter Name="Revokee" Type="mscrm.principal" Nullable="false" />');
    expect(doc).toContain('<Member Name="ShareAccess" Value="262144" />');
  });
});

describe("ownership: assigning is its own privilege", () => {
  test("the service creates a colleague's profile owned by that colleague (prvAssign)", async () => {
    const created = (await dwaAs("service").create({
      collection: "rp_introducerprofiles",
      data: {
        rp_name: "Introducer",
        rp_key: "introducer-key",
        "rp_UserId@odata.bind": `/systemusers(${people.introducer!.userId})`,
        "ownerid@odata.bind": `/systemusers(${people.introducer!.userId})`,
      },
      returnRepresentation: true,
      select: ["ownerid"],
    })) as { _ownerid_value: string };
    expect(created._ownerid_value).toBe(people.introducer!.userId);
    // The colleague owns it: they change their own availability.
    const mine = await dwaAs("introducer").retrieveMultiple<{ rp_introducerprofileid: string }>({
      collection: "rp_introducerprofiles",
      filter: `_ownerid_value eq ${people.introducer!.userId}`,
    });
    await dwaAs("introducer").update({
      collection: "rp_introducerprofiles",
      key: mine.value[0]!.rp_introducerprofileid,
      data: { rp_acceptsrequests: false },
    });
  });

  test("a seller cannot create a row owned by someone else, nor hand over their own (no prvAssign)", async () => {
    const r = await refusal(
      dwaAs("asker").create({
        collection: "rp_introductions",
        data: {
          rp_name: "Forged",
          "rp_RequesterId@odata.bind": `/systemusers(${people.third!.userId})`,
          "rp_IntroducerId@odata.bind": `/systemusers(${people.introducer!.userId})`,
          "ownerid@odata.bind": `/systemusers(${people.third!.userId})`,
          rp_targetemail: "person@example.com",
          rp_recordtype: choiceValue("recordType", "contact"),
          rp_status: choiceValue("introductionStatus", "requested"),
        },
      }),
    );
    expect(r).toMatchObject({ status: 403, code: "0x80040220" });
    expect(r.message).toMatch(/is missing prvAssignrp_Introduction privilege/);
    expect(await names("third")).not.toContain("Forged");
    const id = await ask("asker", "introducer", "Handed over");
    const assign = await refusal(
      dwaAs("asker").update({
        collection: "rp_introductions",
        key: id,
        data: { "ownerid@odata.bind": `/systemusers(${people.third!.userId})` },
      }),
    );
    expect(assign).toMatchObject({ status: 403, code: "0x80040220" });
    expect(assign.message).toMatch(/is missing prvAssignrp_Introduction privilege/);
    expect(await names("asker")).toContain("Handed over");
  });
});
