/**
 * Introductions followed to their outcome through the local Dataverse endpoint, as the product runs it:
 * sellers (Rapport Reader) ask, the Rapport Service runs computeAndPublish, which reads every introduction,
 * moves those the mail and the CRM show progress on (made, meeting held, won, snooze ended) and writes each
 * asked colleague's open-request count into their introducer profile. A re-run writes nothing to the
 * introductions; a run cut off between two writes, run again, ends where an uninterrupted run does.
 * The seller creates the request and shares it (GrantAccess, Read and Write) with the colleague asked, who
 * answers it (accept, decline, snooze) through the share.
 */
import { computeAndPublish, type DataverseRun } from "../../server/src/app/dataversePipeline";
import { forgetPerson } from "../../server/src/app/forgetPerson";
import { resolveConfig } from "../../server/src/core/config";
import type { Interaction } from "../../server/src/core/interaction";
import { DataverseClient, staticTokenProvider, unboundActionOp } from "../../server/src/dataverse/client";
import { type LocalDataverse, startLocalDataverse } from "../../server/src/dataverse/local";
import { choiceValue, type IntroductionStatus } from "../../server/src/dataverse/model";
import { profileKey } from "../../server/src/dataverse/publish/introducerProfiles";
import { type Actor, actor } from "./actors";

type Row = Record<string, unknown>;

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const DAY = 86_400_000;
const T0 = Date.UTC(2001, 4, 1); // the requests
const NOW = Date.UTC(2002, 0, 1);
const TOKEN = "introductions-test-token-0123456789";
const iso = (t: number) => new Date(t).toISOString();
const at = (days: number) => T0 + days * DAY;

let seq = 0;
const message = (
  from: string,
  to: string[],
  when: number,
  kind: Interaction["kind"] = "email",
): Interaction => ({
  key: `m${++seq}`,
  kind,
  at: when,
  from,
  to,
  cc: [],
  bcc: [],
  recipientCount: to.length,
  source: "mbox",
  ...(kind === "meeting" ? { durationMin: 30 } : {}),
});

const ANN = "ann@contoso.com";
const BOB = "bob@contoso.com";
const CY = "cy@contoso.com";
const X = "x@fabrikam.com";
const Y = "y@fabrikam.com";
const Z = "z@fabrikam.com";
const W = "w@fabrikam.com";

/** The mail of the org: the sellers knew the people before; then the evidence after the requests. */
const MAIL: Interaction[] = [
  message(BOB, [X], at(-100)),
  message(X, [BOB], at(-90)),
  message(CY, [Y], at(-80)),
  message(BOB, [Z], at(-70)),
  message(BOB, [W], at(-60)),
  // Bob introduces Ann to X, then Ann meets X.
  message(BOB, [ANN, X], at(2)),
  message(ANN, [X], at(10), "meeting"),
  // Y writes to Ann for the first time.
  message(Y, [ANN], at(5)),
];

interface World {
  server: LocalDataverse;
  service: DataverseClient;
  ann: Actor;
  bob: Actor;
  cy: Actor;
  opportunityId: string;
}

async function world(): Promise<World> {
  const server = await startLocalDataverse({ db: ":memory:", token: TOKEN });
  const serviceActor = actor(server, "Rapport Service", ["service"]);
  const ann = actor(server, "Ann", ["salesperson", "reader"], ANN);
  const bob = actor(server, "Bob", ["salesperson", "reader"], BOB);
  const cy = actor(server, "Cy", ["salesperson", "reader"], CY);
  const seeded = server.seed({ accounts: [{ name: "Fabrikam", websiteurl: "https://fabrikam.com" }] });
  const accountId = seeded["accounts"]?.[0] as string;
  const contacts = server.seed({
    contacts: [X, Y, Z, W].map((e) => ({
      lastname: e.slice(0, 1).toUpperCase(),
      emailaddress1: e,
      "parentcustomerid_account@odata.bind": `/accounts(${accountId})`,
    })),
  });
  const z = contacts["contacts"]?.[2] as string;
  // The deal Ann asked Bob about, won 30 days after the request (closed as Dataverse closes one).
  const opp = server.seed({
    opportunities: [{ name: "Fabrikam renewal", "customerid_contact@odata.bind": `/contacts(${z})` }],
  });
  const opportunityId = opp["opportunities"]?.[0] as string;
  const admin = new DataverseClient({ url: server.url, token: staticTokenProvider(TOKEN) });
  await admin.execute(
    unboundActionOp(
      "WinOpportunity",
      {
        Status: 3,
        OpportunityClose: {
          subject: "Won",
          "opportunityid@odata.bind": `/opportunities(${opportunityId})`,
          actualrevenue: 1000,
          actualend: iso(at(30)).slice(0, 10),
        },
      },
      { idempotent: false },
    ),
  );
  return {
    server,
    service: serviceActor.client,
    ann,
    bob,
    cy,
    opportunityId,
  };
}

/** A seller asks a colleague (their own client: the row is theirs). Returns the new id. */
async function ask(
  w: World,
  requester: Actor,
  introducer: Actor,
  target: string,
  extra: Row = {},
): Promise<string> {
  const { id } = await requester.client.create("rp_introductions", {
    rp_name: `Introduction to ${target}`,
    "rp_RequesterId@odata.bind": `/systemusers(${requester.userId})`,
    "rp_IntroducerId@odata.bind": `/systemusers(${introducer.userId})`,
    rp_targetemail: target,
    rp_recordtype: choiceValue("recordType", "contact"),
    rp_status: choiceValue("introductionStatus", "requested"),
    rp_requestedon: iso(T0),
    ...extra,
  });
  // Shared with the colleague asked, so they can read and answer it.
  await requester.client.execute(
    unboundActionOp(
      "GrantAccess",
      {
        Target: { rp_introductionid: id, "@odata.type": "Microsoft.Dynamics.CRM.rp_introduction" },
        PrincipalAccess: {
          Principal: { systemuserid: introducer.userId, "@odata.type": "Microsoft.Dynamics.CRM.systemuser" },
          AccessMask: "ReadAccess, WriteAccess",
        },
      },
      { idempotent: true },
    ),
  );
  return id as string;
}

/** The introducer's answer, through the share. */
const answer = (introducer: Actor, id: string, status: IntroductionStatus, extra: Row = {}) =>
  introducer.client.update("rp_introductions", id, {
    rp_status: choiceValue("introductionStatus", status),
    rp_respondedon: iso(at(1)),
    ...extra,
  });

/** The six requests of the scenario, by name. */
async function scenario(w: World): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  ids["meeting"] = await ask(w, w.ann, w.bob, X);
  ids["firstMail"] = await ask(w, w.ann, w.cy, Y);
  ids["deal"] = await ask(w, w.ann, w.bob, Z, {
    rp_recordtype: choiceValue("recordType", "opportunity"),
    "rp_OpportunityId@odata.bind": `/opportunities(${w.opportunityId})`,
  });
  ids["snoozed"] = await ask(w, w.cy, w.bob, W);
  ids["declined"] = await ask(w, w.ann, w.cy, W);
  ids["waiting"] = await ask(w, w.cy, w.bob, X);
  await answer(w.bob, ids["meeting"] as string, "accepted");
  await answer(w.cy, ids["firstMail"] as string, "accepted");
  await answer(w.bob, ids["snoozed"] as string, "snoozed", { rp_snoozeduntil: iso(at(7)) });
  await answer(w.cy, ids["declined"] as string, "declined", { rp_declinereason: "Not now" });
  return ids;
}

const run = (client: DataverseClient): Promise<DataverseRun> =>
  computeAndPublish(client, {
    config,
    now: NOW,
    mail: { interactions: MAIL, participantsByFile: new Map() },
  });

async function rows(client: DataverseClient, set: string): Promise<Row[]> {
  return client.retrieveAll(set, {});
}

const STATUS = (v: unknown) =>
  (["requested", "accepted", "declined", "snoozed", "made", "meetingHeld", "won", "lost"] as const)[
    (v as number) - 100_000_000
  ];

let a: World;
let ids: Record<string, string>;
let first: DataverseRun;

beforeAll(async () => {
  a = await world();
  ids = await scenario(a);
  // Bob chose not to take requests, on his own profile (its key as the service writes it). Written
  // by the System Administrator as Bob's: the Reader role lacks Append on rp_introducerprofile, which setting
  // rp_userid needs (reported to the lead).
  await new DataverseClient({ url: a.server.url, token: staticTokenProvider(TOKEN) }).create(
    "rp_introducerprofiles",
    {
      rp_name: "Bob",
      rp_key: profileKey(a.bob.userId),
      "ownerid@odata.bind": `/systemusers(${a.bob.userId})`,
      "rp_UserId@odata.bind": `/systemusers(${a.bob.userId})`,
      rp_acceptsrequests: false,
    },
  );
  first = await run(a.service);
});

afterAll(async () => {
  await a?.server.close();
});

describe("following introductions", () => {
  test("each request moves as its evidence says, with its dates", async () => {
    const byId = new Map((await rows(a.service, "rp_introductions")).map((r) => [r["rp_introductionid"], r]));
    const view = (name: string) => {
      const r = byId.get(ids[name]) as Row;
      return {
        status: STATUS(r["rp_status"]),
        made: r["rp_madeon"] ?? null,
        meeting: r["rp_meetingon"] ?? null,
        closed: r["rp_closedon"] ?? null,
      };
    };
    const d = (days: number) => iso(at(days)).replace(".000Z", "Z");
    expect(view("meeting")).toEqual({ status: "meetingHeld", made: d(2), meeting: d(10), closed: null });
    expect(view("firstMail")).toEqual({ status: "made", made: d(5), meeting: null, closed: null });
    expect(view("deal")).toMatchObject({ status: "won", closed: d(30) });
    expect(view("snoozed")).toMatchObject({ status: "requested" });
    expect((byId.get(ids["snoozed"]) as Row)["rp_snoozeduntil"] ?? null).toBeNull();
    expect(view("declined")).toEqual({ status: "declined", made: null, meeting: null, closed: null });
    expect(view("waiting")).toEqual({ status: "requested", made: null, meeting: null, closed: null });
    expect(first.introductions).toEqual({
      read: 6,
      unreadable: 0,
      changed: { meetingHeld: 1, made: 1, won: 1, requested: 1 },
      profilesWritten: 2,
    });
  });

  test("asked colleagues get their open requests counted; their own choice is kept; others get no profile", async () => {
    const profiles = await rows(a.service, "rp_introducerprofiles");
    const view = profiles
      .map((p) => ({
        user: p["_rp_userid_value"],
        owner: p["_ownerid_value"],
        open: p["rp_openrequests"],
        accepts: p["rp_acceptsrequests"] ?? null,
        key: p["rp_key"] ?? null,
      }))
      .sort((x, y) => String(x.user).localeCompare(String(y.user)));
    const expected = [
      // Bob: the snoozed request that came back and the one waiting; his "no" stays, his row is reused.
      { user: a.bob.userId, owner: a.bob.userId, open: 2, accepts: false, key: profileKey(a.bob.userId) },
      // Cy: asked twice (made, declined), nothing open; created by the Service, owned by Cy.
      { user: a.cy.userId, owner: a.cy.userId, open: 0, accepts: null, key: profileKey(a.cy.userId) },
    ].sort((x, y) => x.user.localeCompare(y.user));
    expect(view).toEqual(expected);
    // Counted as of the run (here its as-of instant: no followedAt given).
    for (const p of profiles) expect(Date.parse(String(p["rp_countedon"]))).toBe(NOW);
  });

  test("a re-run changes no introduction", async () => {
    const before = await rows(a.service, "rp_introductions");
    const again = await run(a.service);
    expect(again.introductions.changed).toEqual({});
    expect(await rows(a.service, "rp_introductions")).toEqual(before);
    // Only the profile holding open requests is written again (its rp_countedon).
    expect(again.introductions.profilesWritten).toBe(1);
  });

  test("a seller reads their own requests and those asked of them, no others", async () => {
    const own = await rows(a.cy.client, "rp_introductions");
    expect(own.map((r) => r["rp_introductionid"]).sort()).toEqual(
      [ids["snoozed"], ids["waiting"], ids["firstMail"], ids["declined"]].sort(),
    );
  });
});

describe("a run cut off between two writes", () => {
  test("run again, it ends where an uninterrupted run ends", async () => {
    const b = await world();
    try {
      const bIds = await scenario(b);
      // The first PATCH of the run went through (the meeting), then the process died before the others
      // and before the profiles were written.
      await b.service.update("rp_introductions", bIds["meeting"] as string, {
        rp_status: choiceValue("introductionStatus", "meetingHeld"),
        rp_madeon: iso(at(2)),
        rp_meetingon: iso(at(10)),
      });
      let batches = 0;
      const crashing = new DataverseClient({
        url: b.server.url,
        token: staticTokenProvider(b.server.tokenFor(await serviceId(b))),
        sleep: async () => {},
        fetch: (input, init) => {
          // The connection drops on the profiles' $batch, after the introductions' one.
          if (
            String(input).endsWith("$batch") &&
            /rp_introducerprofiles/.test(String(init?.body)) &&
            ++batches
          )
            return Promise.reject(new TypeError("fetch failed"));
          return fetch(input, init);
        },
      });
      await expect(run(crashing)).rejects.toThrow();
      expect(batches).toBeGreaterThan(0);
      await run(b.service);
      const shape = async (w: World, names: Record<string, string>) => {
        const byId = new Map(
          (await rows(w.service, "rp_introductions")).map((r) => [r["rp_introductionid"], r]),
        );
        const out: Record<string, unknown> = {};
        for (const [name, id] of Object.entries(names)) {
          const r = byId.get(id) as Row;
          out[name] = [
            r["rp_status"],
            r["rp_madeon"],
            r["rp_meetingon"],
            r["rp_closedon"],
            r["rp_snoozeduntil"],
          ];
        }
        const profiles = (await rows(w.service, "rp_introducerprofiles")).map((p) => [
          p["rp_name"],
          p["rp_openrequests"],
        ]);
        return { intros: out, profiles: profiles.sort() };
      };
      expect(await shape(b, bIds)).toEqual(await shape(a, ids));
    } finally {
      await b.server.close();
    }
  });
});

// Last: it deletes the first world's rows.
describe("forgetting", () => {
  test("a person: the introductions to them go; a colleague: their profile and what they asked or were asked", async () => {
    const sysadmin = new DataverseClient({ url: a.server.url, token: staticTokenProvider(TOKEN) });
    const left = async () =>
      (await rows(sysadmin, "rp_introductions")).map((r) => r["rp_introductionid"]).sort();
    expect(await forgetPerson(sysadmin, X)).toMatchObject({ introductionsDeleted: 2, profilesDeleted: 0 });
    expect(await left()).toEqual([ids["firstMail"], ids["deal"], ids["snoozed"], ids["declined"]].sort());
    // Bob was asked for Z and W: both go, with his profile; Cy's profile stays.
    expect(await forgetPerson(sysadmin, BOB.toUpperCase())).toMatchObject({
      introductionsDeleted: 2,
      profilesDeleted: 1,
    });
    expect(await left()).toEqual([ids["firstMail"], ids["declined"]].sort());
    const profiles = await rows(sysadmin, "rp_introducerprofiles");
    expect(profiles.map((p) => p["_rp_userid_value"])).toEqual([a.cy.userId]);
    // Cy asked for nothing still standing except as the introducer: forgetting Cy leaves none.
    expect(await forgetPerson(sysadmin, CY)).toMatchObject({ introductionsDeleted: 2, profilesDeleted: 1 });
    expect(await left()).toEqual([]);
  });
});

/** The Service's user id in a world (actor() derives it from the name). */
async function serviceId(w: World): Promise<string> {
  const users = await rows(w.service, "systemusers");
  return String(users.find((u) => u["fullname"] === "Rapport Service")?.["systemuserid"]);
}
