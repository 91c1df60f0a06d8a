import { type InsightConfig, resolveConfig } from "../../../server/src/core/config";
import { type DirectoryData, EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { RelationshipState } from "../../../server/src/core/engine/state";
import { computeKpis } from "../../../server/src/core/insights/kpis";
import type { Interaction, InteractionKind } from "../../../server/src/core/interaction";
import { DAY_MS, HOUR_MS, isoDate } from "../../../server/src/core/time";
import { ANN, BOB, CY, W, X, Y, Z } from "./people";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
/** Wednesday 2024-06-12 12:00 UTC. */
const NOW = Date.UTC(2024, 5, 12, 12);

const directory: DirectoryData = {
  ...EMPTY_DIRECTORY,
  users: [
    { id: "u-ann", name: "Ann", emails: [ANN, "ann.smith@contoso.com"] },
    { id: "u-bob", name: "Bob", emails: [BOB] },
    { id: "u-cy", name: "Cy", emails: [CY] },
  ],
};

let seq = 0;
function make(
  kind: InteractionKind,
  at: number,
  from: string,
  to: string[],
  over: Partial<Interaction> = {},
): Interaction {
  seq++;
  return {
    key: `k${String(seq).padStart(5, "0")}`,
    kind,
    at,
    from,
    to,
    cc: [],
    bcc: [],
    recipientCount: to.length,
    source: "graph",
    ...over,
  };
}
const ago = (days: number): number => NOW - days * DAY_MS;

function kpis(items: Interaction[], now = NOW, c: InsightConfig = config) {
  const state = new RelationshipState(directory, c);
  state.addAll(items);
  return computeKpis(state.interactionsWith([X, Y, Z, W]), now, c);
}

describe("computeKpis: counts by direction", () => {
  const items = [
    make("email", ago(10), ANN, [X]),
    make("email", ago(9), ANN, [X, Y]),
    make("email", ago(8), X, [ANN]),
    make("meeting", ago(7), ANN, [X], { durationMin: 30 }),
    make("meeting", ago(6), X, [ANN, BOB], { durationMin: 60 }),
    make("meeting", ago(5), Y, [ANN], { durationMin: 60 }),
    make("call", ago(4), BOB, [X], { durationMin: 10 }),
    make("email", ago(400), ANN, [X]), // older than the one-year window
  ];
  const k = kpis(items);

  test("emails, meetings and calls are counted by who started them, within the last year", () => {
    expect(k).toMatchObject({
      windowDays: 365,
      emailsSent: 2,
      emailsReceived: 1,
      meetingsSent: 1,
      meetingsReceived: 2,
      callsMade: 1,
      callsReceived: 0,
      interactionCount: 7,
    });
  });

  test("last activity overall and by each side", () => {
    expect(k.lastActivity).toEqual({ at: new Date(ago(4)).toISOString(), kind: "call", direction: "out" });
    expect(k.lastActivityByUs).toEqual(k.lastActivity);
    expect(k.lastActivityByThem).toEqual({
      at: new Date(ago(5)).toISOString(),
      kind: "meeting",
      direction: "in",
    });
    expect(k.nextActivity).toBeNull();
  });
});

describe("computeKpis: time spent", () => {
  test.each([
    [
      "our email to two customers: written once by us, read by each of them",
      make("email", ago(1), ANN, [X, Y]),
      5,
      5,
    ],
    [
      "their email to two of us: written once by them, read by each of us",
      make("email", ago(1), X, [ANN, BOB]),
      5,
      5,
    ],
    ["their email to one of us", make("email", ago(1), X, [ANN]), 2.5, 5],
    [
      "a 60-minute meeting with 3 of us and 2 of them: × our attendees, not × theirs",
      make("meeting", ago(1), ANN, [BOB, CY, X, Y], { durationMin: 60 }),
      180,
      60,
    ],
    ["a 20-minute call", make("call", ago(1), X, [ANN], { durationMin: 20 }), 20, 20],
    ["a meeting without a duration", make("meeting", ago(1), ANN, [X]), 0, 0],
  ])("%s → team %p min, customer %p min", (_label, i, team, customer) => {
    const k = kpis([i]);
    expect(k.timeSpentByTeamMin).toBe(team);
    expect(k.timeSpentByCustomerMin).toBe(customer);
  });

  test("the read and write minutes come from config", () => {
    const c = resolveConfig({ orgDomains: ["contoso.com"], emailReadMinutes: 1, emailWriteMinutes: 7 });
    const k = kpis([make("email", ago(1), ANN, [X, Y, Z])], NOW, c);
    expect(k.timeSpentByTeamMin).toBe(7);
    expect(k.timeSpentByCustomerMin).toBe(3);
  });
});

describe("computeKpis: replies", () => {
  const T = ago(20);

  test("a reply in the same thread to the sender of our message counts, with its delay in hours", () => {
    const k = kpis([
      make("email", T, ANN, [X], { thread: "s:1" }),
      make("email", T + 3 * HOUR_MS, X, [ANN], { thread: "s:1", isReply: true }),
    ]);
    expect(k.repliesByThem).toBe(1);
    expect(k.avgFirstResponseHoursByThem).toBe(3);
    expect(k.responseRateByThem).toBe(1);
    expect(k.repliesByUs).toBe(0);
    expect(k.responseRateByUs).toBeNull();
  });

  test("first-response hours are averaged over answered messages", () => {
    const k = kpis([
      make("email", ago(50), X, [ANN], { thread: "s:a" }),
      make("email", ago(50) + 2 * HOUR_MS, ANN, [X], { thread: "s:a", isReply: true }),
      make("email", ago(40), Y, [BOB], { thread: "s:b" }),
      make("email", ago(40) + 5 * HOUR_MS, BOB, [Y], { thread: "s:b", isReply: true }),
    ]);
    expect(k.repliesByUs).toBe(2);
    expect(k.avgFirstResponseHoursByUs).toBe(3.5);
    expect(k.responseRateByUs).toBe(1);
  });

  test.each([
    ["a different thread", { thread: "s:2", isReply: true }, X, [ANN]],
    ["not a reply (no RE:) in a subject thread", { thread: "s:1" }, X, [ANN]],
    ["from someone who did not receive our message", { thread: "s:1", isReply: true }, Y, [ANN]],
    ["not addressed to our sender", { thread: "s:1", isReply: true }, X, [BOB]],
    ["more than 30 days later", { thread: "s:1", isReply: true, at: T + 31 * DAY_MS }, X, [ANN]],
  ])("an answer %s does not count", (_label, over, from, to) => {
    const k = kpis([
      make("email", T, ANN, [X], { thread: "s:1" }),
      make("email", T + HOUR_MS, from, to, over as Partial<Interaction>),
    ]);
    expect(k.repliesByThem).toBe(0);
    expect(k.avgFirstResponseHoursByThem).toBeNull();
  });

  test.each([
    ["a recipient", X, 1],
    ["someone who did not receive it", Y, 0],
  ])("on a message to many people, an answer from %s counts as one received would", (_label, from, n) => {
    // Past a handful of people, who received a message is looked up in a set rather than in its lists.
    const many = Array.from({ length: 24 }, (_, k) => `p${k}@fabrikam.com`);
    const k = kpis([
      make("email", T, ANN, [X, ...many], { thread: "s:1" }),
      make("email", T + 2 * HOUR_MS, from, [ANN, ...many], { thread: "s:1", isReply: true }),
    ]);
    expect(k.repliesByThem).toBe(n);
    expect(k.avgFirstResponseHoursByThem).toBe(n ? 2 : null);
  });

  test("a conversation thread (c:) needs no RE: to count as an answer", () => {
    const k = kpis([
      make("email", T, ANN, [X], { thread: "c:conv" }),
      make("email", T + HOUR_MS, X, [ANN], { thread: "c:conv" }),
    ]);
    expect(k.repliesByThem).toBe(1);
  });

  test("a message is answered once, by its first response", () => {
    const k = kpis([
      make("email", T, ANN, [X], { thread: "s:1" }),
      make("email", T + HOUR_MS, X, [ANN], { thread: "s:1", isReply: true }),
      make("email", T + 9 * HOUR_MS, X, [ANN], { thread: "s:1", isReply: true }),
    ]);
    expect(k.repliesByThem).toBe(1);
    expect(k.avgFirstResponseHoursByThem).toBe(1);
  });

  test.each([
    ["10 days ago (window still open)", 10, null],
    ["30 days ago (window just open)", 30, null],
    ["31 days ago (window passed)", 31, 0],
  ])("an unanswered message sent %s counts against the rate only after the window", (_label, age, rate) => {
    const k = kpis([make("email", ago(age), ANN, [X], { thread: "s:1" })]);
    expect(k.responseRateByThem).toBe(rate);
  });

  test("answered and unanswered messages give the response rate", () => {
    const k = kpis([
      make("email", ago(100), ANN, [X], { thread: "s:1" }),
      make("email", ago(99), X, [ANN], { thread: "s:1", isReply: true }),
      make("email", ago(90), ANN, [Y], { thread: "s:2" }),
      make("email", ago(80), ANN, [Z], { thread: "s:3" }),
    ]);
    expect(k.repliesByThem).toBe(1);
    expect(k.responseRateByThem).toBe(0.333);
    expect(k.avgFirstResponseHoursByThem).toBe(24);
  });

  // Reply matching uses canonical addresses: an alias and the primary address are the same person.
  test("a reply from the user's primary address answers mail sent to their alias", () => {
    const k = kpis([
      make("email", T, X, ["ann.smith@contoso.com"], { thread: "s:1" }),
      make("email", T + 2 * HOUR_MS, ANN, [X], { thread: "s:1", isReply: true }),
    ]);
    expect(k.repliesByUs).toBe(1);
    expect(k.avgFirstResponseHoursByUs).toBe(2);
  });
});

describe("computeKpis: next activity", () => {
  test("the next activity is the first future meeting or call, never future mail", () => {
    const k = kpis([
      make("email", ago(2), ANN, [X]),
      make("email", NOW + DAY_MS, ANN, [X]),
      make("call", NOW + 3 * DAY_MS, X, [ANN]),
      make("meeting", NOW + 5 * DAY_MS, ANN, [X]),
    ]);
    expect(k.nextActivity).toEqual({
      at: new Date(NOW + 3 * DAY_MS).toISOString(),
      kind: "call",
      direction: "in",
    });
    expect(k.emailsSent).toBe(1);
    expect(k.interactionCount).toBe(1);
  });
});

describe("computeKpis: most contacted", () => {
  test("top 3 each side, by messages sent and received, ties by address", () => {
    const items = [
      ...Array.from({ length: 4 }, (_, n) => make("email", ago(30 + n), ANN, [X])),
      ...Array.from({ length: 2 }, (_, n) => make("email", ago(20 + n), BOB, [Y, Z])),
      make("email", ago(10), CY, [W]),
      make("email", ago(9), "dee@contoso.com", [W]),
      ...Array.from({ length: 3 }, (_, n) => make("email", ago(5 + n), Y, [BOB])),
      make("email", ago(2), Z, [ANN, CY]),
    ];
    const k = kpis(items);
    expect(k.mostContactedBy.ours).toEqual([
      { address: ANN, count: 4 },
      { address: BOB, count: 2 },
      { address: CY, count: 1 },
    ]);
    expect(k.mostContactedBy.theirs).toEqual([
      { address: Y, count: 3 },
      { address: Z, count: 1 },
    ]);
    expect(k.mostContacted.theirs).toEqual([
      { address: X, count: 4 },
      { address: W, count: 2 },
      { address: Y, count: 2 },
    ]);
    expect(k.mostContacted.ours).toEqual([
      { address: BOB, count: 3 },
      { address: ANN, count: 1 },
      { address: CY, count: 1 },
    ]);
  });
});

describe("computeKpis: series", () => {
  const items = [
    make("email", NOW - HOUR_MS, ANN, [X]),
    make("email", ago(1), X, [ANN]),
    make("meeting", ago(8), ANN, [X]),
    make("call", ago(59), X, [ANN]),
    make("call", ago(60), X, [ANN]),
  ];

  test("the timeline has config.timelineWeeks Monday-starting weeks, oldest first, ending with this week", () => {
    const k = kpis(items);
    expect(k.timeline).toHaveLength(config.timelineWeeks);
    expect(k.timeline.at(-1)?.weekStart).toBe("2024-06-10");
    expect(k.timeline[0]?.weekStart).toBe(isoDate(Date.UTC(2024, 5, 10) - 25 * 7 * DAY_MS));
    for (const w of k.timeline) expect(new Date(`${w.weekStart}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(k.timeline.at(-1)).toEqual({
      weekStart: "2024-06-10",
      sent: 1,
      received: 1,
      meetings: 0,
      calls: 0,
    });
    expect(k.timeline.at(-2)).toMatchObject({ weekStart: "2024-06-03", meetings: 1 });
  });

  test("the timeline length follows config", () => {
    const c = resolveConfig({ orgDomains: ["contoso.com"], timelineWeeks: 4 });
    expect(kpis(items, NOW, c).timeline.map((w) => w.weekStart)).toEqual([
      "2024-05-20",
      "2024-05-27",
      "2024-06-03",
      "2024-06-10",
    ]);
  });

  test("activity60 has 60 days, oldest first, ending today; older days are left out", () => {
    const k = kpis(items);
    expect(k.activity60).toHaveLength(60);
    expect(k.activity60[0]?.date).toBe(isoDate(ago(59)));
    expect(k.activity60.at(-1)?.date).toBe("2024-06-12");
    expect(k.activity60.at(-1)).toMatchObject({ emailsSent: 1 });
    expect(k.activity60.at(-2)).toMatchObject({ emailsReceived: 1 });
    expect(k.activity60[0]).toMatchObject({ callsReceived: 1 });
    const calls = k.activity60.reduce((s, d) => s + d.callsReceived, 0);
    expect(calls).toBe(1);
  });

  test("history is newest first, with subjects only for Dataverse activities", () => {
    const k = kpis([
      make("email", ago(3), ANN, [X], { source: "dataverse", subject: "Pricing", activityId: "act-1" }),
      make("email", ago(2), X, [ANN], { source: "graph", subject: "Leaked subject" }),
      make("meeting", ago(1), ANN, [X, BOB], { source: "mbox", subject: "Also not shown" }),
    ]);
    expect(k.history.map((h) => h.at)).toEqual(
      [ago(1), ago(2), ago(3)].map((t) => new Date(t).toISOString()),
    );
    expect(k.history[2]).toMatchObject({ subject: "Pricing", activityId: "act-1", ours: [ANN], theirs: [X] });
    expect(k.history[1]).not.toHaveProperty("subject");
    expect(k.history[0]).not.toHaveProperty("subject");
    expect(k.history[0]).toMatchObject({ kind: "meeting", direction: "out", ours: [ANN, BOB], theirs: [X] });
  });
});

describe("computeKpis: quiet records", () => {
  test("series are empty when nothing happened in their windows, so forms show their empty state", () => {
    const config = resolveConfig({ orgDomains: ["contoso.com"] });
    const now = Date.UTC(2024, 5, 12);
    expect(computeKpis([], now, config)).toMatchObject({
      timeline: [],
      activity60: [],
      interactionCount: 0,
      lastActivity: null,
    });
  });
});
