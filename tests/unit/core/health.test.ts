import { type Cadence, type InsightConfig, resolveConfig } from "../../../server/src/core/config";
import { type DirectoryData, EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { RelationshipState, type Resolved } from "../../../server/src/core/engine/state";
import { assessHealth, HEALTH, statusOf } from "../../../server/src/core/insights/health";
import type { Interaction, InteractionKind } from "../../../server/src/core/interaction";
import { DAY_MS, HOUR_MS, isoDate } from "../../../server/src/core/time";
import { ANN, BOB, CY, X, Y, Z } from "./people";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
/** Monday 2024-06-10 12:00 UTC. */
const NOW = Date.UTC(2024, 5, 10, 12);

const directory: DirectoryData = {
  ...EMPTY_DIRECTORY,
  users: [
    { id: "u-ann", name: "Ann", emails: [ANN] },
    { id: "u-bob", name: "Bob", emails: [BOB] },
    { id: "u-cy", name: "Cy", emails: [CY] },
  ],
};

let seq = 0;
function make(kind: InteractionKind, at: number, from: string, to: string[]): Interaction {
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
  };
}
const out = (at: number, to = X, from = ANN): Interaction => make("email", at, from, [to]);
const inn = (at: number, from = X, to = ANN): Interaction => make("email", at, from, [to]);
const ago = (days: number): number => NOW - days * DAY_MS;

/** Resolves hand-made interactions through RelationshipState, as computeInsights does. */
function resolve(items: Interaction[], externals: string[] = [X, Y, Z]): Resolved[] {
  const state = new RelationshipState(directory, config);
  state.addAll(items);
  return state.interactionsWith(externals);
}

/** Weekly two-way exchanges: our mail and their answer two hours later, `ages` days before NOW. */
const exchanges = (ages: number[]): Interaction[] =>
  ages.flatMap((a) => [out(ago(a)), inn(ago(a) + 2 * HOUR_MS)]);

const health = (
  items: Interaction[],
  now = NOW,
  cadence: Cadence = "weekly",
  c: InsightConfig = config,
  multiPerson = false,
) => assessHealth(resolve(items), now, cadence, c, { multiPerson });

describe("assessHealth: status", () => {
  const weekly = exchanges([1, 8, 15, 22]);

  test("a recent two-way relationship is good, and its score follows the documented formula", () => {
    const h = health(weekly);
    expect(h.status).toBe("good");
    // Last contact 1 day - 2 hours ago; depth = one decayed week per active week (first contact of each week).
    const silenceDays = 1 - 2 / 24;
    const depth = [1, 8, 15, 22].reduce((s, a) => s + 2 ** (-a / HEALTH.depthHalfLifeDays), 0);
    const R = (silenceDays + HEALTH.graceDays) / (HEALTH.priorDepth + depth);
    expect(h.silence).toBeCloseTo(R, 10);
    expect(h.score).toBeCloseTo(100 / (1 + R / 7), 10);
    expect(h.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(["recentContact", "thinHistory", "balanced"]),
    );
  });

  test("the same relationship silent for 60 days is poor, and the reason says so in days", () => {
    const later = NOW + 2 * HOUR_MS + 59 * DAY_MS; // 60 days after the last answer
    const h = health(weekly, later);
    expect(h.status).toBe("poor");
    const silent = h.reasons.find((r) => r.code === "silentVsUsual");
    expect(silent?.params).toMatchObject({ days: 60, usualGap: 7, cadenceDays: 7 });
    expect(silent?.text).toContain("60 days");
    expect(silent?.text).toContain("7 days");
    expect(h.score).toBeLessThan(health(weekly).score);
  });

  test.each([
    ["daily", "weekly"],
    ["weekly", "fewWeeks"],
    ["fewWeeks", "monthly"],
  ] as Array<[Cadence, Cadence]>)("a longer expected cadence forgives silence (%s < %s)", (short, long) => {
    const later = NOW + 40 * DAY_MS;
    expect(health(weekly, later, long).score).toBeGreaterThan(health(weekly, later, short).score);
  });

  test("60 days of silence is poor on a weekly cadence but still good on a monthly one", () => {
    const later = NOW + 2 * HOUR_MS + 59 * DAY_MS;
    expect(health(weekly, later, "weekly").status).toBe("poor");
    expect(health(weekly, later, "monthly").status).toBe("good");
  });

  test("thresholds from config decide good, fair and poor for the same score", () => {
    const score = health(weekly).score;
    const at = (good: number, fair: number) =>
      health(
        weekly,
        NOW,
        "weekly",
        resolveConfig({ orgDomains: ["contoso.com"], thresholds: { good, fair } }),
      ).status;
    expect(at(Math.floor(score), Math.floor(score) - 1)).toBe("good");
    expect(at(Math.floor(score) + 1, Math.floor(score))).toBe("fair");
    expect(at(100, Math.floor(score) + 1)).toBe("poor");
  });

  test.each([
    [60, "good"],
    [59.99, "fair"],
    [40, "fair"],
    [39.99, "poor"],
    [0, "poor"],
  ])("statusOf(%p) is %p with the default thresholds", (score, status) => {
    expect(statusOf(score, config)).toBe(status);
  });
});

describe("assessHealth: not enough information", () => {
  test("no interactions at all", () => {
    const h = health([]);
    expect(h).toMatchObject({ score: 0, status: "notEnoughInfo", trend: "notEnoughInfo" });
    expect(h.reasons[0]?.code).toBe("notEnoughInfo");
  });

  test.each([
    ["one outbound message", [out(ago(1))]],
    [
      "one outbound message and a meeting still to come",
      [out(ago(1)), make("meeting", NOW + DAY_MS, ANN, [X])],
    ],
  ])("fewer than 2 past interactions (%s)", (_label, items) => {
    const h = health(items);
    expect(h.status).toBe("notEnoughInfo");
    expect(h.reasons[0]).toMatchObject({ code: "notEnoughInfo", params: { interactions: 1 } });
  });

  test("inbound-only mail (only from them) is not a relationship yet", () => {
    const h = health([1, 3, 8, 15, 22].map((a) => inn(ago(a))));
    expect(h.status).toBe("notEnoughInfo");
    expect(h.reasons[0]).toMatchObject({ code: "inboundOnly", params: { received: 5 } });
    expect(h.reasons[0]?.text).toContain("5 messages");
  });

  test("a single answer from us is enough to leave inbound-only", () => {
    const h = health([...[3, 8, 15].map((a) => inn(ago(a))), out(ago(2))]);
    expect(h.status).not.toBe("notEnoughInfo");
    expect(h.reasons.map((r) => r.code)).not.toContain("inboundOnly");
  });
});

describe("assessHealth: adjustments", () => {
  const base = exchanges([61, 68, 75]);

  test("an upcoming meeting within 30 days halves the silence and gives an upcomingMeeting reason", () => {
    const meetingAt = NOW + 10 * DAY_MS;
    const without = health(base);
    const withMeeting = health([...base, make("meeting", meetingAt, ANN, [X])]);
    expect(withMeeting.score).toBeGreaterThan(without.score);
    expect(withMeeting.silence).toBeCloseTo(without.silence * HEALTH.upcomingFactor, 10);
    expect(withMeeting.reasons).toContainEqual(
      expect.objectContaining({ code: "upcomingMeeting", params: { date: isoDate(meetingAt) } }),
    );
    expect(without.reasons.map((r) => r.code)).not.toContain("upcomingMeeting");
  });

  test("a meeting more than 30 days away does not count as engagement now", () => {
    const h = health([...base, make("meeting", NOW + 31 * DAY_MS, ANN, [X])]);
    expect(h.reasons.map((r) => r.code)).not.toContain("upcomingMeeting");
    expect(h.score).toBeCloseTo(health(base).score, 10);
  });

  test("a one-way relationship (only our mail in 6 months) scores lower than the same two-way one", () => {
    const times = [1, 8, 15, 22].map(ago);
    const oneWay = health(times.map((t) => out(t)));
    const twoWay = health(times.map((t, k) => (k % 2 ? inn(t) : out(t))));
    expect(oneWay.silence).toBeCloseTo(twoWay.silence * HEALTH.oneWayFactor, 10);
    expect(oneWay.score).toBeLessThan(twoWay.score);
    expect(oneWay.reasons).toContainEqual(expect.objectContaining({ code: "oneWay", params: { sent: 4 } }));
    expect(twoWay.reasons).toContainEqual(
      expect.objectContaining({ code: "balanced", params: { sent: 2, received: 2 } }),
    );
  });

  test("breadth (3 people on each side in 90 days) lowers the silence and says so", () => {
    const narrow = [out(ago(5)), inn(ago(4)), out(ago(3)), inn(ago(2))];
    const broad = [out(ago(5), X, ANN), inn(ago(4), Y, BOB), out(ago(3), Z, CY), inn(ago(2), X, ANN)];
    const n = assessHealth(resolve(narrow), NOW, "weekly", config);
    const b = assessHealth(resolve(broad), NOW, "weekly", config);
    expect(b.silence).toBeCloseTo(n.silence * HEALTH.broadFactor, 10);
    expect(b.reasons).toContainEqual(
      expect.objectContaining({ code: "broad", params: { ours: 3, theirs: 3 } }),
    );
  });

  test("the windows and thresholds of the formula are the named constants docs/insights.md publishes", () => {
    expect(HEALTH).toMatchObject({
      depthHalfLifeDays: 180,
      deepHistoryWeeks: 4,
      usualGapWindowDays: 365,
      reciprocityWindowDays: 180,
      oneWayMinSent: 2,
      recentWindowDays: 90,
      trendWindowDays: 45,
      trendRatio: 2,
      improvingMinWeeks: 2,
    });
  });

  test("breadth counts only the people of the recent window (HEALTH.recentWindowDays)", () => {
    const inside = HEALTH.recentWindowDays - 1;
    const outside = HEALTH.recentWindowDays + 1;
    const people = (age: number): Interaction[] => [
      out(ago(age), Y, BOB),
      inn(ago(age - 0.5), Z, CY),
      out(ago(3), X, ANN),
      inn(ago(2), X, ANN),
    ];
    const recent = assessHealth(resolve(people(inside)), NOW, "weekly", config);
    const old = assessHealth(resolve(people(outside)), NOW, "weekly", config);
    expect(recent.reasons.map((r) => r.code)).toContain("broad");
    expect(old.reasons.map((r) => r.code)).not.toContain("broad");
  });

  test("depth from HEALTH.deepHistoryWeeks faded weeks up is deep history, below it thin", () => {
    const weeks = (n: number): Interaction[] => exchanges(Array.from({ length: n }, (_, k) => 1 + 7 * k));
    const codes = (n: number): string[] => health(weeks(n)).reasons.map((r) => r.code);
    // Recent weeks fade little: deepHistoryWeeks of them stay just below the threshold, one more passes it.
    expect(codes(HEALTH.deepHistoryWeeks)).toContain("thinHistory");
    expect(codes(HEALTH.deepHistoryWeeks + 1)).toContain("deepHistory");
  });

  test("reasons are ordered by the size of their effect", () => {
    for (const h of [
      health(base),
      health([...base, make("meeting", NOW + 5 * DAY_MS, ANN, [X])]),
      health(exchanges([1, 8, 15, 22, 29, 36, 43, 50])),
    ]) {
      const effects = h.reasons.map((r) => Math.abs(r.effect));
      expect(effects).toEqual([...effects].sort((a, b) => b - a));
    }
  });

  test("recent contact within the cadence names the days", () => {
    const h = health(exchanges([1, 8]));
    const recent = h.reasons.find((r) => r.code === "recentContact");
    expect(recent?.params).toMatchObject({ days: 1, cadenceDays: 7 });
    expect(recent?.text).toContain("1 day ago");
  });
});

describe("assessHealth: trend", () => {
  /** An anchor 100 days ago gives 90+ days of history without falling in either window. */
  const withHistory = (recent: number[], previous: number[]): Interaction[] =>
    exchanges([100, ...previous, ...recent]);

  test.each([
    ["1 recent week against 4 before", "declining", [3], [48, 55, 62, 69]],
    ["0 recent weeks against 2 before", "declining", [], [48, 55]],
    ["2 recent weeks against 4 before (exactly half)", "steady", [3, 10], [48, 55, 62, 69]],
    ["2 against 2", "steady", [3, 10], [48, 55]],
    ["3 recent weeks against 1 before", "improving", [3, 10, 17], [48]],
    ["2 recent weeks against none before", "improving", [3, 10], []],
    ["4 recent weeks against 2 before (exactly twice)", "steady", [3, 10, 17, 24], [48, 55]],
    ["1 recent week against none before (fewer than 2)", "steady", [3], []],
  ])("%s is %s", (_label, trend, recent, previous) => {
    expect(health(withHistory(recent, previous)).trend).toBe(trend);
  });

  test("several interactions in one week count as one active week", () => {
    const busyWeek = [3, 3.1, 3.2, 4].flatMap((a) => exchanges([a]));
    const h = health([...exchanges([100, 48, 55]), ...busyWeek]);
    expect(h.trend).toBe("steady");
  });

  test("declining and improving trends carry a reason with the week counts", () => {
    const down = health(withHistory([3], [48, 55, 62, 69]));
    expect(down.reasons).toContainEqual(
      expect.objectContaining({ code: "fallingActivity", params: { recent: 1, previous: 4 } }),
    );
    const up = health(withHistory([3, 10, 17], [48]));
    expect(up.reasons).toContainEqual(
      expect.objectContaining({ code: "risingActivity", params: { recent: 3, previous: 1 } }),
    );
  });

  test.each([
    ["history shorter than 90 days", exchanges([3, 48, 55, 62, 69, 83])],
    ["no activity in either window", exchanges([100, 95])],
  ])("%s gives notEnoughInfo", (_label, items) => {
    expect(health(items).trend).toBe("notEnoughInfo");
  });
});

describe("assessHealth: single-threaded", () => {
  const mails = (n: number, from: string, to: string, start: number): Interaction[] =>
    Array.from({ length: n }, (_, k) => out(ago(start + k), to, from));

  test.each([
    ["6 interactions, all one pair", true, 100, mails(6, ANN, X, 1)],
    ["8 of 10 on one pair (exactly 80%)", true, 80, [...mails(8, ANN, X, 1), ...mails(2, BOB, Y, 20)]],
    ["7 of 10 on one pair", false, 0, [...mails(7, ANN, X, 1), ...mails(3, BOB, Y, 20)]],
    ["5 interactions, all one pair (too few)", false, 0, mails(5, ANN, X, 1)],
    ["6 on one pair but older than 90 days", false, 0, [...mails(6, ANN, X, 91), ...mails(1, ANN, X, 1)]],
  ])("%s: single-threaded is %p", (_label, expected, share, items) => {
    const h = assessHealth(resolve(items), NOW, "weekly", config, { multiPerson: true });
    expect(h.singleThreaded).toBe(expected);
    const reason = h.reasons.find((r) => r.code === "singleThreaded");
    if (expected) expect(reason?.params).toEqual({ share });
    else expect(reason).toBeUndefined();
  });

  test("is never flagged for a single-person record", () => {
    const h = assessHealth(resolve(mails(10, ANN, X, 1)), NOW, "weekly", config, { multiPerson: false });
    expect(h.singleThreaded).toBe(false);
  });
});
