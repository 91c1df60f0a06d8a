import { SIMILAR_METRICS } from "@rapport/model";

import { resolveConfig } from "../../../server/src/core/config";
import { type DirectoryData, EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { RelationshipState } from "../../../server/src/core/engine/state";
import {
  type DealHistory,
  type DealMetrics,
  dealMetricsAt,
  isAlike,
  MAX_COMPARED,
  median,
  similarDeals,
  similarSummary,
} from "../../../server/src/core/insights/similarDeals";
import type { Interaction } from "../../../server/src/core/interaction";
import { DAY_MS } from "../../../server/src/core/time";
import { ANN, BOB, interactionOf, X, Y } from "./people";

const T0 = Date.UTC(2001, 0, 1);
const NOW = Date.UTC(2001, 11, 1);
const day = (n: number): number => T0 + n * DAY_MS;

const zero = (): DealMetrics =>
  Object.fromEntries(SIMILAR_METRICS.map((m) => [m, 0])) as unknown as DealMetrics;

/** A deal whose measures grow linearly with age: `perDay` of each given measure a day. */
function deal(
  id: string,
  outcome: DealHistory["outcome"],
  over: Partial<DealHistory> = {},
  perDay: Partial<DealMetrics> = {},
): DealHistory {
  return {
    id,
    outcome,
    createdOn: day(0),
    ...(outcome === "open" ? {} : { closedOn: day(200) }),
    amount: 50_000,
    industry: 7,
    stage: 3,
    metricsAt: (age) => {
      const m = zero();
      for (const [k, v] of Object.entries(perDay)) m[k as keyof DealMetrics] = v === null ? null : v * age;
      return m;
    },
    ...over,
  };
}

const many = (
  n: number,
  prefix: string,
  outcome: "won" | "lost",
  over: (i: number) => Partial<DealHistory> = () => ({}),
  perDay: Partial<DealMetrics> = {},
): DealHistory[] => Array.from({ length: n }, (_, i) => deal(`${prefix}${i}`, outcome, over(i), perDay));

const open = deal("open", "open", { createdOn: NOW - 40 * DAY_MS, stage: 1 });

describe("similarDeals: too few closed deals", () => {
  it("says so below 30 won or 30 lost, with the counts, and compares nothing", () => {
    const s = similarDeals(open, [...many(29, "w", "won"), ...many(45, "l", "lost")], NOW);
    expect(s).toMatchObject({ basis: "tooFew", closedWon: 29, closedLost: 45, minimum: 30, key: null });
    expect(s.metrics.every((m) => m.won === null && m.lost === null)).toBe(true);
    expect(similarSummary(s)).toBe(
      "Too few closed deals: 29 won and 45 lost; Dynamics 365 and Rapport need 30 of each.",
    );
  });

  it("counts only deals closed by now, never the deal itself nor open ones", () => {
    const later = many(30, "x", "won", () => ({ closedOn: NOW + DAY_MS }));
    const closed = [...many(29, "w", "won"), ...later, ...many(30, "l", "lost"), open, deal("o2", "open")];
    expect(similarDeals(open, closed, NOW)).toMatchObject({ basis: "tooFew", closedWon: 29, closedLost: 30 });
    expect(similarDeals(open, [...closed, deal("w-last", "won")], NOW).basis).not.toBe("tooFew");
  });
});

describe("similarDeals: the comparison set", () => {
  // 12 won and 12 lost alike (industry 7); the rest another industry, with other measures.
  const alikeWon = many(12, "aw", "won", () => ({}), { meetingsByUs: 0.1 });
  const alikeLost = many(12, "al", "lost", () => ({}), { meetingsByUs: 0 });
  const otherWon = many(30, "ow", "won", () => ({ industry: 9 }), { meetingsByUs: 1 });
  const otherLost = many(30, "ol", "lost", () => ({ industry: 9 }), { meetingsByUs: 1 });

  it("compares with deals alike when there are at least 10 won and 10 lost", () => {
    const s = similarDeals(open, [...alikeWon, ...alikeLost, ...otherWon, ...otherLost], NOW);
    expect(s).toMatchObject({ basis: "alike", wonCount: 12, lostCount: 12, closedWon: 42, ageDays: 40 });
    expect(s.metrics.find((m) => m.metric === "meetingsByUs")).toEqual({
      metric: "meetingsByUs",
      this: 0,
      won: 4,
      lost: 0,
    });
  });

  it("falls back to the most recent won and lost deals (at most 100) when too few are alike", () => {
    const recentWon = many(120, "rw", "won", (i) => ({ industry: 9, closedOn: day(100 + i) }));
    const s = similarDeals(open, [...alikeWon.slice(0, 9), ...recentWon, ...alikeLost, ...otherLost], NOW);
    expect(s).toMatchObject({ basis: "recent", wonCount: MAX_COMPARED, lostCount: 42, closedWon: 129 });
    expect(similarSummary(s)).toMatch(/^The most recent won deals|^This deal keeps up with the most recent/);
  });

  it("treats as alike: same amount band, same industry (else size), a stage as far, open as long", () => {
    const o = { id: "o", outcome: "open" as const, createdOn: 0, amount: 20_000, industry: 7, stage: 2 };
    const d = { id: "d", outcome: "won" as const, createdOn: 0, closedOn: 50 * DAY_MS, amount: 90_000 };
    expect(isAlike(o, { ...d, industry: 7, stage: 3 }, 40)).toBe(true);
    expect(isAlike(o, { ...d, amount: 100_000 }, 40)).toBe(false);
    expect(isAlike(o, { ...d, industry: 8 }, 40)).toBe(false);
    expect(isAlike(o, { ...d, stage: 1 }, 40)).toBe(false);
    expect(isAlike(o, d, 60)).toBe(false);
    const sized = { ...o, industry: undefined, employees: 120 };
    expect(isAlike(sized, { ...d, employees: 200 }, 40)).toBe(true);
    expect(isAlike(sized, { ...d, employees: 2000 }, 40)).toBe(false);
  });

  it("measures a deal that closed younger at its close", () => {
    const seen: number[] = [];
    const young = many(30, "y", "won", () => ({
      closedOn: day(10),
      metricsAt: (age: number) => (seen.push(age), zero()),
    }));
    similarDeals(open, [...young, ...many(30, "l", "lost")], NOW);
    expect(new Set(seen)).toEqual(new Set([10]));
  });
});

describe("similarDeals: the key difference", () => {
  it("names the measure this deal is furthest behind won deals on, in plain words", () => {
    const won = many(30, "w", "won", () => ({}), { meetingsByUs: 0.075, emailsSent: 0.5 });
    const lost = many(30, "l", "lost", () => ({}), { emailsSent: 0.5 });
    const mine = deal("open", "open", { createdOn: NOW - 40 * DAY_MS }, { emailsSent: 0.5 });
    const s = similarDeals(mine, [...won, ...lost], NOW);
    expect(s.key).toEqual({ metric: "meetingsByUs", this: 0, won: 3, lost: 0, day: 40 });
    expect(s.score).toBeLessThan(0);
    expect(similarSummary(s)).toBe(
      "Won deals like this one had 3 meetings set up by us by day 40; this one has none.",
    );
  });

  it("prefers a measure that separates won from lost deals over a larger gap that does not", () => {
    // Emails: this deal is far behind, but won and lost deals have the same. Calls: won 2, lost 0, this 0.
    const won = many(30, "w", "won", () => ({}), { emailsSent: 1, callsByThem: 0.05 });
    const lost = many(30, "l", "lost", () => ({}), { emailsSent: 1 });
    const s = similarDeals(open, [...won, ...lost], NOW);
    expect(s.key?.metric).toBe("callsByThem");
  });

  it("reads response times the other way: slower than won deals is behind", () => {
    const won = many(30, "w", "won", () => ({ metricsAt: () => ({ ...zero(), responseHoursByThem: 4 }) }));
    const lost = many(30, "l", "lost", () => ({ metricsAt: () => ({ ...zero(), responseHoursByThem: 40 }) }));
    const mine = { ...open, metricsAt: () => ({ ...zero(), responseHoursByThem: 30 }) };
    const s = similarDeals(mine, [...won, ...lost], NOW);
    expect(s.key).toMatchObject({ metric: "responseHoursByThem", this: 30, won: 4 });
    expect(similarSummary(s)).toBe(
      "Won deals like this one had the customer's replies within 4 hours on average by day 40; " +
        "this one has the customer's replies within 30 hours on average.",
    );
  });

  it("never names a measure this deal is ahead on, even where won deals have less than lost ones", () => {
    const won = many(30, "w", "won", () => ({ metricsAt: () => ({ ...zero(), emailsReceived: 1 }) }));
    const lost = many(30, "l", "lost", () => ({ metricsAt: () => ({ ...zero(), emailsReceived: 5 }) }));
    const mine = { ...open, metricsAt: () => ({ ...zero(), emailsReceived: 22 }) };
    const s = similarDeals(mine, [...won, ...lost], NOW);
    expect(s.key).toBeNull();
    // Looking like lost deals (more customer email, as lost deals had) lowers the score all the same.
    expect(s.score).toBe(-1);
  });

  it("has none when this deal keeps up with won deals on every measure", () => {
    const won = many(30, "w", "won", () => ({}), { meetingsByUs: 0.1 });
    const lost = many(30, "l", "lost");
    const mine = deal("open", "open", { createdOn: NOW - 40 * DAY_MS }, { meetingsByUs: 0.2 });
    const s = similarDeals(mine, [...won, ...lost], NOW);
    expect(s.key).toBeNull();
    expect(s.score).toBe(1);
    expect(similarSummary(s)).toBe("This deal keeps up with won deals like it on every measure at day 40.");
  });
});

describe("median and the measures of a deal", () => {
  it("takes the median of the values present", () => {
    expect(median([3, null, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([null])).toBeNull();
  });

  it("counts a deal's interactions from its creation to the end of day N", () => {
    const directory: DirectoryData = {
      ...EMPTY_DIRECTORY,
      users: [
        { id: "a", name: "Ann", emails: [ANN] },
        { id: "b", name: "Bob", emails: [BOB] },
      ],
    };
    const config = resolveConfig({ orgDomains: ["contoso.com"] });
    const mk = (key: string, kind: Interaction["kind"], at: number, from: string, to: string[]) =>
      interactionOf({ key, kind, at, from, to, ...(kind === "meeting" ? { durationMin: 60 } : {}) });
    const state = new RelationshipState(directory, config);
    state.addAll([
      mk("k1", "email", day(-5), ANN, [X]), // before the deal
      mk("k2", "email", day(1), ANN, [X]),
      mk("k3", "meeting", day(3), BOB, [X, Y]),
      mk("k4", "email", day(10) + 3_600_000, X, [ANN]),
      mk("k5", "meeting", day(11), X, [ANN]),
    ]);
    const rs = state.interactionsWith([X, Y]);
    const at10 = dealMetricsAt(rs, day(0), 10, config);
    expect(at10).toMatchObject({ emailsSent: 1, emailsReceived: 1, meetingsByUs: 1, meetingsByThem: 0 });
    expect(at10).toMatchObject({ peopleOurs: 2, peopleTheirs: 2 });
    expect(dealMetricsAt(rs, day(0), 9, config)).toMatchObject({ emailsReceived: 0, peopleOurs: 2 });
    expect(dealMetricsAt(rs, day(0), 11, config).meetingsByThem).toBe(1);
  });
});
