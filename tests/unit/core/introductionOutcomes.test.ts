import type { Interaction } from "../../../server/src/core/interaction";
import {
  type DealOutcome,
  decideOutcome,
  decideOutcomes,
  type IntroductionChange,
  type IntroductionState,
  openRequestCounts,
} from "../../../server/src/core/introductions/outcomes";
import { ANN, BOB, CY, interactionOf, X, Y } from "./people";

const DAY = 86_400_000;
const T0 = Date.UTC(2001, 4, 1); // the request
const NOW = T0 + 60 * DAY;

/** Ann asked Bob for an introduction to X. */
function intro(over: Partial<IntroductionState> = {}): IntroductionState {
  return {
    id: "i1",
    status: "accepted",
    requester: [ANN],
    introducers: [BOB],
    target: X,
    requestedOn: T0,
    ...over,
  };
}

let n = 0;
function mail(from: string, to: string[], at: number, over: Partial<Interaction> = {}): Interaction {
  n++;
  return interactionOf({ key: `k${n}`, kind: "email", at, from, to, ...over });
}
const meeting = (from: string, to: string[], at: number) => mail(from, to, at, { kind: "meeting" });

const decide = (i: IntroductionState, interactions: Interaction[], deals: DealOutcome[] = [], now = NOW) =>
  decideOutcome(i, { interactions, deals }, now);

/** The introduction as it is once the change is written. */
function applied(i: IntroductionState, c: IntroductionChange): IntroductionState {
  return {
    ...i,
    status: c.to,
    ...(c.madeOn !== undefined ? { madeOn: c.madeOn } : {}),
    ...(c.meetingOn !== undefined ? { meetingOn: c.meetingOn } : {}),
    ...(c.closedOn !== undefined ? { closedOn: c.closedOn } : {}),
  };
}

describe("made", () => {
  test("an accepted request is made by the introducer's message to the seller and the person", () => {
    const c = decide(intro(), [mail(BOB, [ANN, X], T0 + 2 * DAY)]);
    expect(c).toEqual({
      id: "i1",
      from: "accepted",
      to: "made",
      madeOn: T0 + 2 * DAY,
      reasons: ["introducerMail"],
    });
  });

  test("the connector of a two-step path making it counts as the introducer", () => {
    const c = decide(intro({ introducers: [BOB, CY] }), [mail(CY, [X], T0 + DAY, { cc: [ANN] })]);
    expect(c?.to).toBe("made");
    expect(c?.reasons).toEqual(["introducerMail"]);
  });

  test("a first exchange between the seller and the person after the request is made too", () => {
    const c = decide(intro(), [mail(X, [ANN], T0 + 3 * DAY)]);
    expect(c).toMatchObject({ to: "made", madeOn: T0 + 3 * DAY, reasons: ["firstExchange"] });
  });

  test("mail between a seller and a person already in touch before the request proves nothing", () => {
    const c = decide(intro(), [mail(ANN, [X], T0 - 30 * DAY), mail(ANN, [X], T0 + DAY)]);
    expect(c).toBeUndefined();
  });

  test("but the introducer's message still makes it when they were already in touch", () => {
    const c = decide(intro(), [mail(ANN, [X], T0 - 30 * DAY), mail(BOB, [ANN, X], T0 + DAY)]);
    expect(c?.to).toBe("made");
  });

  test("evidence from before the request, or mail without the seller, does not count", () => {
    expect(decide(intro(), [mail(BOB, [ANN, X], T0 - DAY)])).toBeUndefined();
    expect(decide(intro(), [mail(BOB, [X], T0 + DAY)])).toBeUndefined();
    expect(decide(intro(), [mail(BOB, [ANN, Y], T0 + DAY)])).toBeUndefined();
  });

  test("a request not yet accepted (requested or snoozed) is never made by mail", () => {
    const evidence = [mail(BOB, [ANN, X], T0 + DAY), meeting(ANN, [X], T0 + 2 * DAY)];
    expect(decide(intro({ status: "requested" }), evidence)).toBeUndefined();
    expect(decide(intro({ status: "snoozed", snoozedUntil: NOW + DAY }), evidence)).toBeUndefined();
  });
});

describe("meeting held", () => {
  test("a first meeting with the seller and the person after the request: held, and made on its date", () => {
    const c = decide(intro(), [meeting(ANN, [X], T0 + 5 * DAY)]);
    expect(c).toEqual({
      id: "i1",
      from: "accepted",
      to: "meetingHeld",
      madeOn: T0 + 5 * DAY,
      meetingOn: T0 + 5 * DAY,
      // Their first contact since the request: the introduction was made by the meeting itself.
      reasons: ["firstExchange", "meeting"],
    });
  });

  test("made by the introducer, then the meeting: both dates, both reasons, in order", () => {
    const c = decide(intro(), [meeting(X, [ANN], T0 + 9 * DAY), mail(BOB, [ANN, X], T0 + 2 * DAY)]);
    expect(c).toMatchObject({
      to: "meetingHeld",
      madeOn: T0 + 2 * DAY,
      meetingOn: T0 + 9 * DAY,
      reasons: ["introducerMail", "meeting"],
    });
  });

  test("a meeting before the introducer's message: made on the meeting's date (the later mail is no earlier evidence)", () => {
    const c = decide(intro(), [meeting(ANN, [X], T0 + 2 * DAY), mail(BOB, [ANN, X], T0 + 4 * DAY)]);
    expect(c).toMatchObject({ to: "meetingHeld", madeOn: T0 + 2 * DAY, meetingOn: T0 + 2 * DAY });
  });

  test("a made request keeps its made date when the meeting comes", () => {
    const made = intro({ status: "made", madeOn: T0 + DAY });
    const c = decide(made, [mail(BOB, [ANN, X], T0 + DAY), meeting(ANN, [X], T0 + 7 * DAY)]);
    expect(c).toEqual({
      id: "i1",
      from: "made",
      to: "meetingHeld",
      meetingOn: T0 + 7 * DAY,
      reasons: ["meeting"],
    });
  });

  test("a meeting in the minute of the request counts (meeting times are to the minute); one a minute before does not", () => {
    const asked = intro({ requestedOn: T0 + 90_000 }); // 00:01:30
    expect(decide(asked, [meeting(ANN, [X], T0 + 60_000)])?.to).toBe("meetingHeld");
    expect(decide(asked, [meeting(ANN, [X], T0 + 59_999)])).toBeUndefined();
  });

  test("a meeting still to come (after now), or without the person, is not held", () => {
    expect(decide(intro(), [meeting(ANN, [X], NOW + DAY)])).toBeUndefined();
    expect(decide(intro(), [meeting(ANN, [Y], T0 + DAY)])?.to).toBeUndefined();
  });
});

describe("won and lost", () => {
  const deal = (over: Partial<DealOutcome>): DealOutcome => ({
    id: "o1",
    linked: true,
    outcome: "won",
    createdOn: T0 - 10 * DAY,
    closedOn: T0 + 20 * DAY,
    ...over,
  });

  test("the linked opportunity closing won or lost ends the introduction, whatever its step", () => {
    for (const status of ["requested", "accepted", "made", "meetingHeld"] as const)
      expect(decide(intro({ status }), [], [deal({})])).toMatchObject({
        from: status,
        to: "won",
        closedOn: T0 + 20 * DAY,
      });
    expect(decide(intro(), [], [deal({ outcome: "lost" })])).toMatchObject({ to: "lost", reasons: ["lost"] });
  });

  test("with a linked opportunity, only it counts: it still open, nothing ends", () => {
    const c = decide(
      intro(),
      [],
      [
        deal({ outcome: "open", closedOn: undefined }),
        deal({ id: "o2", linked: false, createdOn: T0 + DAY }),
      ],
    );
    expect(c).toBeUndefined();
  });

  test("without one, the first opportunity of the record created since the request to close decides", () => {
    const deals = [
      deal({ id: "old", linked: false, createdOn: T0 - DAY, closedOn: T0 + 2 * DAY }),
      deal({ id: "late", linked: false, createdOn: T0 + DAY, outcome: "won", closedOn: T0 + 30 * DAY }),
      deal({ id: "first", linked: false, createdOn: T0 + DAY, outcome: "lost", closedOn: T0 + 10 * DAY }),
    ];
    expect(decide(intro(), [], deals)).toMatchObject({ to: "lost", closedOn: T0 + 10 * DAY });
  });

  test("a deal closed on the day of the request counts (close dates are days)", () => {
    const asked = intro({ requestedOn: T0 + 15 * 3_600_000 });
    expect(decide(asked, [], [deal({ closedOn: T0 })])?.to).toBe("won");
  });

  test("a deal closed before the request or after now does not count", () => {
    expect(decide(intro(), [], [deal({ closedOn: T0 - DAY })])).toBeUndefined();
    expect(decide(intro(), [], [deal({ closedOn: NOW + DAY })])).toBeUndefined();
  });

  test("meeting and deal in one run: won, with the meeting's and the close's dates", () => {
    const c = decide(intro(), [meeting(ANN, [X], T0 + 5 * DAY)], [deal({})]);
    expect(c).toMatchObject({
      to: "won",
      madeOn: T0 + 5 * DAY,
      meetingOn: T0 + 5 * DAY,
      closedOn: T0 + 20 * DAY,
      reasons: ["firstExchange", "meeting", "won"],
    });
  });
});

describe("snoozes, final statuses and re-runs", () => {
  test("a snooze that has ended goes back to requested; one still running does not", () => {
    expect(decide(intro({ status: "snoozed", snoozedUntil: NOW - DAY }), [])).toEqual({
      id: "i1",
      from: "snoozed",
      to: "requested",
      reasons: ["snoozeEnded"],
    });
    expect(decide(intro({ status: "snoozed", snoozedUntil: NOW + DAY }), [])).toBeUndefined();
  });

  test("declined, won and lost are final: no meeting, deal or mail moves them", () => {
    const evidence = [mail(BOB, [ANN, X], T0 + DAY), meeting(ANN, [X], T0 + 2 * DAY)];
    const lost: DealOutcome = { id: "o", linked: true, outcome: "lost", createdOn: T0, closedOn: T0 + DAY };
    for (const status of ["declined", "won", "lost"] as const)
      expect(decide(intro({ status }), evidence, [lost])).toBeUndefined();
  });

  test("never backwards: a meeting held request is not set back to made by later mail", () => {
    const held = intro({ status: "meetingHeld", madeOn: T0 + DAY, meetingOn: T0 + 2 * DAY });
    expect(decide(held, [mail(BOB, [ANN, X], T0 + DAY), meeting(ANN, [X], T0 + 2 * DAY)])).toBeUndefined();
  });

  test("deciding again after the change is written changes nothing (a re-run converges)", () => {
    const evidence = [mail(BOB, [ANN, X], T0 + DAY), meeting(ANN, [X], T0 + 3 * DAY)];
    const first = decide(intro(), evidence) as IntroductionChange;
    expect(first.to).toBe("meetingHeld");
    expect(decide(applied(intro(), first), evidence)).toBeUndefined();
  });

  test("decideOutcomes returns the changes of the open introductions only, in order", () => {
    const list = [
      intro({ id: "a" }),
      intro({ id: "b", status: "declined" }),
      intro({ id: "c", status: "snoozed", snoozedUntil: T0 }),
      intro({ id: "d", target: Y }),
    ];
    const asked: string[] = [];
    const changes = decideOutcomes(
      list,
      (i) => {
        asked.push(i.id);
        return { interactions: [meeting(ANN, [X], T0 + DAY)], deals: [] };
      },
      NOW,
    );
    expect(asked).toEqual(["a", "c", "d"]);
    expect(changes.map((c) => [c.id, c.to])).toEqual([
      ["a", "meetingHeld"],
      ["c", "requested"],
    ]);
  });
});

test("open requests are counted per introducer: requested and snoozed only", () => {
  const counts = openRequestCounts([
    { introducer: "u1", status: "requested" },
    { introducer: "u1", status: "snoozed" },
    { introducer: "u1", status: "accepted" },
    { introducer: "u2", status: "declined" },
    { introducer: "u3", status: "requested" },
  ]);
  expect([...counts]).toEqual([
    ["u1", 2],
    ["u3", 1],
  ]);
});
