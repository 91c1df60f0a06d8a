import { createHash, webcrypto } from "node:crypto";
import { TextEncoder } from "node:util";

import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import axe from "axe-core";
import * as React from "react";

import { formatter } from "../../../shared/format";
import { strings } from "../../../shared/strings";
import { grantAccess } from "../../../shared/webapi";
import { CONNECTION_ROWS, CONTACT_ROW, INSIGHT_ROW } from "../../../testing/fixtures";
import { FakeWebApi, resxStrings } from "../../../testing/pcf";
import { answerPayload } from "../asks";
import { askBlock, type Introduction, introductionFromRow, type Profile } from "../introductions";
import { WhoKnowsWhom, type WhoKnowsWhomProps } from "../WhoKnowsWhom";

// jsdom has neither crypto.subtle nor TextEncoder: Node's stand in (browsers have both).
if (!globalThis.crypto?.subtle) Object.defineProperty(globalThis, "crypto", { value: webcrypto });
globalThis.TextEncoder ??= TextEncoder as typeof globalThis.TextEncoder;

const ME = "11111111-1111-1111-1111-111111111111";
const JOHN = "9ec9287d-32e1-5db1-b37f-44beca05e9a7";
const SALLY = "5a11e000-0000-4000-8000-000000000001";
const NOW = Date.parse("2026-12-07T12:00:00Z");
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
const F = "@OData.Community.Display.V1.FormattedValue";
const ID = String(INSIGHT_ROW.rp_relationshipinsightid);
const RESX = resxStrings("WhoKnowsWhom");

type Row = Record<string, unknown>;

/** A colleague-tie row (target type Colleague): `from` knows `to` this well. */
const tie = (from: string, to: string, toName: string, strength: number, band: number): Row => ({
  _rp_introducerid_value: from,
  _rp_colleagueid_value: to,
  [`_rp_colleagueid_value${F}`]: toName,
  rp_target: `${toName.split(" ")[0]!.toLowerCase()}@enron.com`,
  rp_strength: strength,
  rp_band: band,
});

/** An introduction row as the Web API returns it. */
const intro = (over: Row): Row => ({
  rp_introductionid: "a0000000-0000-4000-8000-000000000001",
  _rp_requesterid_value: ME,
  [`_rp_requesterid_value${F}`]: "Test Seller",
  _rp_introducerid_value: JOHN,
  [`_rp_introducerid_value${F}`]: "John Griffith",
  rp_targetemail: "ampaez@earthlink.net",
  rp_targetname: "Ampaez",
  [`_rp_contactid_value${F}`]: "Ampaez",
  rp_status: 100000000,
  rp_requestedon: iso(3),
  ...over,
});

/**
 * The fake webAPI with the filters these queries depend on: colleague ties by their first colleague,
 * introductions by requester or introducer (the plain fake returns every row of a table).
 */
class Api extends FakeWebApi {
  updated: { entity: string; id: string; data: Row }[] = [];
  constructor(
    private ties: Row[] = [],
    private intros: Row[] = [],
    profiles: Row[] = [],
  ) {
    super({
      rp_relationshipinsight: [INSIGHT_ROW],
      rp_connection: CONNECTION_ROWS,
      contact: [CONTACT_ROW],
      rp_settings: [{ rp_introductioncap: 2, rp_introductioncooldowndays: 30 }],
      rp_introducerprofile: profiles,
    });
  }
  override async retrieveMultipleRecords(entity: string, options?: string) {
    const o = options ?? "";
    const res = await super.retrieveMultipleRecords(entity, o);
    if (entity === "rp_connection" && o.includes("rp_targettype eq 100000002")) {
      const from = [...o.matchAll(/_rp_introducerid_value eq ([0-9a-f-]+)/g)].map((m) => m[1]);
      return { ...res, entities: this.ties.filter((r) => from.includes(String(r._rp_introducerid_value))) };
    }
    if (entity === "rp_introduction") {
      const m = /(_rp_requesterid_value|_rp_introducerid_value) eq ([0-9a-f-]+)/.exec(o);
      return { ...res, entities: this.intros.filter((r) => m && r[m[1]!] === m[2]) };
    }
    return res;
  }
  override async updateRecord(entity: string, id: string, data?: Row) {
    this.updated.push({ entity, id, data: data ?? {} });
    return { id, entityType: entity };
  }
}

function mount(api: Api, me = ME) {
  const share = jest.fn(async () => undefined);
  const openForm = jest.fn(async () => undefined);
  const props: WhoKnowsWhomProps = {
    insightId: ID,
    api,
    openForm,
    me: { id: `{${me.toUpperCase()}}`, name: "Test Seller" },
    roles: [],
    t: strings((id) => RESX[id] ?? id),
    f: formatter("en-US", () => 0),
    theme: undefined,
    rtl: false,
    now: NOW,
    share,
  };
  return { ...render(<WhoKnowsWhom {...props} />), share, openForm };
}

const cardOf = async (name: string) =>
  (await screen.findAllByTestId("introducer-name")).find((e) => e.textContent === name)!.closest("li")!;

describe("paths ranked for the signed-in seller", () => {
  test("the seller's tie to a colleague raises that path; each step says its band", async () => {
    // Without ties John's path is √(10 × 84) ≈ 29; with the seller's strong tie (81) it is √(81 × 84) ≈ 82.5.
    mount(new Api([tie(ME, JOHN, "John Griffith", 81, 100000000)]));
    const card = await cardOf("John Griffith");
    expect(within(card).getByTestId("path")).toHaveTextContent(
      "You → John Griffith (Strong) → Ampaez (Strong)",
    );
    expect(within(card).getByTestId("introducer-band")).toHaveTextContent(
      "Strong connection, strength 83 of 100",
    );
  });

  test("a two-step path where the seller knows none of the introducers, marked and with every step", async () => {
    mount(
      new Api([tie(ME, SALLY, "Sally Beck", 70, 100000000), tie(JOHN, SALLY, "Sally Beck", 65, 100000000)]),
    );
    const card = await cardOf("Sally Beck");
    expect(within(card).getByTestId("two-step")).toHaveTextContent("Two-step path");
    expect(within(card).getByTestId("path")).toHaveTextContent(
      "You → Sally Beck (Strong) → John Griffith (Strong) → Ampaez (Strong)",
    );
  });

  test("a meeting from an earlier introduction through John raises his path and says why", async () => {
    const api = new Api(
      [],
      [intro({ rp_status: 100000005, rp_meetingon: iso(10), rp_requestedon: iso(40) })],
    );
    mount(api);
    const card = await cardOf("John Griffith");
    expect(within(card).getByTestId("adjustment")).toHaveTextContent(
      "A similar introduction led to a meeting 10 days ago",
    );
    // 29 before; +10 points at 10 days' age (half-life 90 days): about 38, moderate.
    expect(Number(within(card).getByTestId("introducer-band").dataset.strength)).toBeCloseTo(38.2, 0);
    expect(within(card).getByTestId("request-status")).toHaveTextContent("Meeting held");
  });

  test("a decline lowers the path, says so, and the cool-down disables asking until its end", async () => {
    mount(new Api([], [intro({ rp_status: 100000002, rp_respondedon: iso(12) })]));
    const card = await cardOf("John Griffith");
    expect(within(card).getByTestId("adjustment")).toHaveTextContent(
      "Declined a similar request 12 days ago",
    );
    expect(within(card).getByTestId("ask-blocked")).toHaveTextContent(
      "You can ask John again on Dec 25, 2026.",
    );
    expect(within(card).getByRole("button", { name: /Ask for an introduction/ })).toBeDisabled();
  });

  test("at the cap (counted open requests plus the seller's own since the count) asking is refused", async () => {
    const counted: Row = {
      rp_introducerprofileid: "b0000000-0000-4000-8000-000000000001",
      _rp_userid_value: JOHN,
      rp_acceptsrequests: true,
      rp_openrequests: 2,
      rp_countedon: iso(1),
    };
    mount(new Api([], [], [counted]));
    const card = await cardOf("John Griffith");
    expect(within(card).getByTestId("ask-blocked")).toHaveTextContent(
      "John Griffith has 2 open requests; the most at once is 2.",
    );
    expect(within(card).getByRole("button", { name: /Ask for an introduction/ })).toBeDisabled();
  });

  test("a colleague who opted out is not offered at all", async () => {
    mount(
      new Api([], [], [{ rp_introducerprofileid: "p1", _rp_userid_value: JOHN, rp_acceptsrequests: false }]),
    );
    await screen.findByTestId("introducers");
    fireEvent.click(screen.getByTestId("fold-weak"));
    expect(screen.getAllByTestId("introducer-name").map((e) => e.textContent)).not.toContain("John Griffith");
  });

  test("an open request for the same person shows its status instead of another ask", async () => {
    mount(new Api([], [intro({})]));
    const card = await cardOf("John Griffith");
    expect(within(card).getByTestId("request-status")).toHaveTextContent(
      "Requested from John Griffith 3 days ago",
    );
    expect(within(card).getByRole("button", { name: /Ask for an introduction/ })).toBeDisabled();
  });

  test("asking creates the e-mail, the request (path, strength, record, e-mail) and shares it with John", async () => {
    const api = new Api([tie(ME, JOHN, "John Griffith", 81, 100000000)]);
    const { share, openForm } = mount(api);
    const card = await cardOf("John Griffith");
    fireEvent.click(within(card).getByRole("button", { name: "Ask for an introduction: John Griffith" }));
    await waitFor(() => expect(openForm).toHaveBeenCalled());
    const row = api.created.find((c) => c.entity === "rp_introduction")!.data;
    expect(row).toMatchObject({
      "rp_RequesterId@odata.bind": `/systemusers(${ME})`,
      "rp_IntroducerId@odata.bind": `/systemusers(${JOHN})`,
      "rp_ContactId@odata.bind": `/contacts(${String(CONTACT_ROW.contactid)})`,
      "rp_EmailId@odata.bind": "/emails(22222222-2222-2222-2222-222222222222)",
      rp_status: 100000000,
      rp_requestedon: new Date(NOW).toISOString(),
      rp_pathstrength: 83,
      rp_targetemail: "ampaez@earthlink.net",
      rp_recordtype: 100000000,
    });
    expect(JSON.parse(String(row.rp_path)).steps.map((x: Row) => x.toName)).toEqual([
      "John Griffith",
      "Ampaez",
    ]);
    expect(share).toHaveBeenCalledWith("22222222-2222-2222-2222-222222222222", JOHN);
    expect(await within(card).findByTestId("request-status")).toHaveTextContent(
      "Requested from John Griffith today",
    );
  });
});

describe("the introducer's requests", () => {
  const forJohn = [
    intro({ rp_introductionid: "a1", rp_requestedon: iso(5) }),
    intro({
      rp_introductionid: "a2",
      rp_requestedon: iso(2),
      rp_targetname: "Bo",
      rp_targetemail: "bo@x.com",
    }),
    intro({
      rp_introductionid: "a3",
      rp_requestedon: iso(1),
      rp_targetname: "Cy",
      rp_targetemail: "cy@x.com",
    }),
  ];

  test("lists the requests addressed to me; the oldest `cap` are actionable, the rest wait", async () => {
    mount(new Api([], forJohn), JOHN);
    expect(await screen.findByRole("heading", { name: "Requests for you (3)" })).toBeInTheDocument();
    const cards = screen.getAllByTestId("request");
    expect(cards[0]).toHaveTextContent("Test Seller asks to meet Ampaez");
    expect(cards[0]).not.toHaveTextContent("(Ampaez)");
    expect(cards[0]).toHaveTextContent("asked 5 days ago");
    expect(within(cards[0]!).getByRole("button", { name: "Accept" })).toBeInTheDocument();
    expect(within(cards[1]!).getByRole("button", { name: "Accept" })).toBeInTheDocument();
    expect(within(cards[2]!).queryByRole("button", { name: "Accept" })).toBeNull();
    expect(cards[2]).toHaveTextContent("Waiting");
  });

  test("accept, decline with a reason and snooze each write the request in one click", async () => {
    const api = new Api([], forJohn);
    mount(api, JOHN);
    await screen.findByRole("heading", { name: "Requests for you (3)" });
    const [first, second] = screen.getAllByTestId("request");
    await act(async () => void fireEvent.click(within(first!).getByRole("button", { name: "Accept" })));
    fireEvent.change(within(second!).getByRole("textbox"), { target: { value: "Not my client" } });
    await act(async () => void fireEvent.click(within(second!).getByRole("button", { name: "Decline" })));
    expect(api.updated.map((u) => [u.id, u.data.rp_status, u.data.rp_declinereason])).toEqual([
      ["a1", 100000001, undefined],
      ["a2", 100000002, "Not my client"],
    ]);
    // The declined one leaves the list; the third becomes actionable.
    expect(screen.getAllByTestId("request")).toHaveLength(2);
    const third = screen.getAllByTestId("request")[1]!;
    await act(async () => void fireEvent.click(within(third).getByRole("button", { name: "Snooze 7 days" })));
    expect(api.updated[2]!.data).toEqual(answerPayload({ kind: "snooze" }, NOW));
    expect(api.updated[2]!.data.rp_snoozeduntil).toBe(new Date(NOW + 7 * DAY).toISOString());
  });

  test("'Don't send me introduction requests' creates my profile (keyed as the service keys it), then updates it", async () => {
    const api = new Api();
    mount(api, JOHN);
    const toggle = await screen.findByRole("switch", { name: "Don't send me introduction requests" });
    await act(async () => void fireEvent.click(toggle));
    // The key is a SHA-1 from crypto.subtle, which resolves on the thread pool: later than act's flush
    // when the machine is busy (CI), so wait for the write rather than expect it at once.
    await waitFor(() => expect(api.created).toHaveLength(1));
    expect(api.created).toEqual([
      {
        entity: "rp_introducerprofile",
        data: {
          rp_name: "Test Seller",
          // The service's key (server/src/dataverse/publish/desiredRow.ts rowKey): sha1 hex of the user id.
          rp_key: createHash("sha1").update(JOHN).digest("hex"),
          "rp_UserId@odata.bind": `/systemusers(${JOHN})`,
          rp_acceptsrequests: false,
        },
      },
    ]);
    await waitFor(() => expect(toggle).not.toBeDisabled());
    await act(async () => void fireEvent.click(toggle));
    await waitFor(() => expect(api.updated).toHaveLength(1));
    expect(api.created).toHaveLength(1);
    expect(api.updated).toEqual([
      {
        entity: "rp_introducerprofile",
        id: "22222222-2222-2222-2222-222222222222",
        data: { rp_acceptsrequests: true },
      },
    ]);
  });

  test("is axe clean with requests and paths (jsdom rules)", async () => {
    const { container } = mount(new Api([], forJohn), JOHN);
    await screen.findByRole("heading", { name: "Requests for you (3)" });
    await screen.findByTestId("introducers");
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  });
});

describe("rules and the share call", () => {
  const rules = { cap: 3, coolDownDays: 30, now: NOW };
  const mine = (over: Row) => introductionFromRow(intro(over)) as Introduction;
  const profile = (over: Partial<Profile>): Profile => ({
    id: "p",
    userId: JOHN,
    accepts: true,
    openRequests: 0,
    countedOn: null,
    ...over,
  });

  test("open requests since the count add to it; older ones are in the count already", () => {
    const since = mine({ rp_introductionid: "x", rp_targetemail: "other@x.com", rp_requestedon: iso(1) });
    const before = mine({ rp_introductionid: "y", rp_targetemail: "else@x.com", rp_requestedon: iso(5) });
    const p = profile({ openRequests: 2, countedOn: iso(2) });
    expect(askBlock(JOHN, ["ampaez@earthlink.net"], [since, before], p, rules)).toEqual({
      kind: "cap",
      open: 3,
      cap: 3,
    });
    expect(askBlock(JOHN, ["ampaez@earthlink.net"], [before], p, rules)).toBeNull();
  });

  test("the cool-down ends `coolDownDays` after the decline; a colleague outside the directory is not a user", () => {
    const declined = mine({ rp_status: 100000002, rp_respondedon: iso(31) });
    expect(askBlock(JOHN, ["ampaez@earthlink.net"], [declined], undefined, rules)).toBeNull();
    expect(
      askBlock(JOHN, ["ampaez@earthlink.net"], [declined], undefined, { ...rules, coolDownDays: 32 }),
    ).toEqual({ kind: "coolDown", until: new Date(NOW + DAY).toISOString() });
    expect(askBlock(null, [], [], undefined, rules)).toEqual({ kind: "notUser" });
  });

  test("GrantAccess posts Dataverse's body on the host's origin and names the failure", async () => {
    const post = jest.fn(async () => ({ ok: true, status: 204 }) as Response);
    await grantAccess({ table: "rp_introduction", id: "i1" }, "u1", "ReadAccess, WriteAccess", post);
    expect(post).toHaveBeenCalledWith(
      "/api/data/v9.2/GrantAccess",
      expect.objectContaining({ method: "POST" }),
    );
    expect(JSON.parse(String((post.mock.calls[0] as unknown as [string, RequestInit])[1].body))).toEqual({
      Target: { rp_introductionid: "i1", "@odata.type": "Microsoft.Dynamics.CRM.rp_introduction" },
      PrincipalAccess: {
        Principal: { systemuserid: "u1", "@odata.type": "Microsoft.Dynamics.CRM.systemuser" },
        AccessMask: "ReadAccess, WriteAccess",
      },
    });
    const refused = jest.fn(
      async () =>
        ({
          ok: false,
          status: 403,
          statusText: "Forbidden",
          json: async () => ({ error: { message: "No prvShare" } }),
        }) as Response,
    );
    await expect(
      grantAccess({ table: "rp_introduction", id: "i1" }, "u1", "ReadAccess", refused),
    ).rejects.toThrow("Sharing the rp_introduction failed: No prvShare");
  });
});
