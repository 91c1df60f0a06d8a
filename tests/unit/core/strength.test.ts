import { resolveConfig } from "../../../server/src/core/config";
import {
  type DayMark,
  interactionWeight,
  KIND_FACTOR,
  kindWeight,
  markDay,
  personalFactor,
  rawStrength,
  strengthBand,
  strengthScore,
} from "../../../server/src/core/insights/strength";
import type { InteractionKind } from "../../../server/src/core/interaction";
import { DAY_MS, dayNumber } from "../../../server/src/core/time";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const NOW = Date.UTC(2024, 2, 10, 12);
const day = (at: number, weight = 1): DayMark => ({ first: at, last: at, weight });
const daysAgo = (n: number): number => NOW - n * DAY_MS;

/** The documented formula, written out independently: G = cbrt((1+a7)(1+a30)(1+a365)) - 1, × 2^(-gap/90). */
function documented(marks: Array<{ weight: number; ageDays: number }>, gapDays: number): number {
  const decayed = (h: number): number => marks.reduce((s, m) => s + m.weight * 2 ** (-m.ageDays / h), 0);
  const g = Math.cbrt((1 + decayed(7)) * (1 + decayed(30)) * (1 + decayed(365))) - 1;
  return g * 2 ** (-gapDays / 90);
}

describe("rawStrength", () => {
  test("is 0 with no days in touch", () => {
    expect(rawStrength([], NOW)).toBe(0);
  });

  test.each([
    ["one day of weight 1, today", [day(NOW)], 1],
    ["one day of weight 2, today", [day(NOW, 2)], 2],
    ["one day 90 days ago, silent since", [day(daysAgo(90))], 0.1375886010961741],
    ["one day 180 days ago, silent since", [day(daysAgo(180))], 0.05053134797111891],
    ["today and a week ago", [day(NOW), day(daysAgo(7))], 1.7713877905594018],
  ])("%s gives the hand-computed value", (_label, days, expected) => {
    expect(rawStrength(days, NOW)).toBeCloseTo(expected, 12);
  });

  test("halves per 90 days of silence on top of the fading memories", () => {
    const t = Date.UTC(2024, 0, 2, 9);
    const days = [day(t)];
    const atContact = rawStrength(days, t);
    const after90 = rawStrength(days, t + 90 * DAY_MS);
    const after180 = rawStrength(days, t + 180 * DAY_MS);
    expect(atContact).toBeCloseTo(1, 12);
    expect(after90).toBeCloseTo(documented([{ weight: 1, ageDays: 90 }], 90), 12);
    expect(after180).toBeCloseTo(documented([{ weight: 1, ageDays: 180 }], 180), 12);
    // Without the silence factor the 90-day value would be twice as large.
    expect(after90 * 2).toBeCloseTo(documented([{ weight: 1, ageDays: 90 }], 0), 12);
    expect(after180 * 4).toBeCloseTo(documented([{ weight: 1, ageDays: 180 }], 0), 12);
  });

  test("matches the documented formula for an irregular history", () => {
    const ages = [0.25, 3, 10, 40, 200, 400];
    const weights = [1, 2, 1.5, 1, 0.5, 1];
    const days = ages.map((a, k) => day(daysAgo(a), weights[k]));
    const expected = documented(
      ages.map((a, k) => ({ weight: weights[k] ?? 0, ageDays: a })),
      0.25,
    );
    expect(rawStrength(days, NOW)).toBeCloseTo(expected, 12);
  });

  test("grows with every additional day in touch", () => {
    let previous = 0;
    const days: DayMark[] = [];
    for (let n = 0; n < 20; n++) {
      days.push(day(daysAgo(n * 3)));
      const s = rawStrength(days, NOW);
      expect(s).toBeGreaterThan(previous);
      previous = s;
    }
  });

  test.each([1, 5, 20, 60, 200])("a day %p days ago weighs more than the same day a month earlier", (age) => {
    const anchor = day(NOW); // keeps the silence gap the same
    const recent = rawStrength([anchor, day(daysAgo(age))], NOW);
    const older = rawStrength([anchor, day(daysAgo(age + 30))], NOW);
    expect(recent).toBeGreaterThan(older);
  });

  test("uses the last contact of a day for the silence gap, the first for its age", () => {
    const first = daysAgo(10);
    const last = first + 8 * 3_600_000;
    const s = rawStrength([{ first, last, weight: 1 }], NOW);
    expect(s).toBeCloseTo(documented([{ weight: 1, ageDays: 10 }], (NOW - last) / DAY_MS), 12);
  });

  test.each([
    ["a day entirely after now", [day(NOW), day(NOW + 3 * DAY_MS)], [day(NOW)]],
    ["a day starting after now with heavy weight", [day(daysAgo(5)), day(NOW + 1, 5)], [day(daysAgo(5))]],
  ])("ignores %s", (_label, withFuture, without) => {
    expect(rawStrength(withFuture, NOW)).toBe(rawStrength(without, NOW));
  });

  test("a day that started before now but ends after it counts, with its first contact as the last seen", () => {
    const started = NOW - 2 * 3_600_000;
    const s = rawStrength([{ first: started, last: NOW + 3_600_000, weight: 1 }], NOW);
    expect(s).toBeCloseTo(documented([{ weight: 1, ageDays: 2 / 24 }], 2 / 24), 12);
  });

  test("is 0 when every day is after now", () => {
    expect(rawStrength([day(NOW + 1), day(NOW + DAY_MS)], NOW)).toBe(0);
  });
});

describe("markDay: a day counts once, whatever its number of messages", () => {
  test("keeps the earliest first, the latest last and the heaviest weight, in any order", () => {
    const base = Date.UTC(2024, 2, 8);
    const contacts: Array<[number, number]> = [
      [base + 10 * 3_600_000, 1],
      [base + 8 * 3_600_000, 0.5],
      [base + 17 * 3_600_000, 2],
      [base + 12 * 3_600_000, 1.5],
    ];
    const orders = [contacts, [...contacts].reverse(), [contacts[2], contacts[0], contacts[3], contacts[1]]];
    for (const order of orders) {
      const days = new Map<number, DayMark>();
      for (const c of order) if (c) markDay(days, dayNumber(c[0]), c[0], c[1]);
      expect([...days.entries()]).toEqual([
        [dayNumber(base), { first: base + 8 * 3_600_000, last: base + 17 * 3_600_000, weight: 2 }],
      ]);
    }
  });

  test("ten messages on one day are as strong as the day's heaviest single message", () => {
    const many = new Map<number, DayMark>();
    const one = new Map<number, DayMark>();
    const d = dayNumber(daysAgo(3));
    for (let k = 0; k < 10; k++) markDay(many, d, daysAgo(3), 1);
    markDay(one, d, daysAgo(3), 1);
    expect(rawStrength(many.values(), NOW)).toBe(rawStrength(one.values(), NOW));
  });
});

describe("strengthScore and strengthBand", () => {
  test.each([
    [0, 0],
    [1, 50],
    [3, 75],
    [9, 90],
  ])("raw %p maps to %p", (raw, score) => {
    expect(strengthScore(raw)).toBeCloseTo(score, 12);
  });

  test("maps raw strength monotonically into 0..100", () => {
    let previous = -1;
    for (let raw = 0; raw < 1000; raw = raw * 1.7 + 0.01) {
      const s = strengthScore(raw);
      expect(s).toBeGreaterThan(previous);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(100);
      previous = s;
    }
  });

  test.each([
    [100, "strong"],
    [60, "strong"],
    [59.99, "moderate"],
    [30, "moderate"],
    [29.99, "weak"],
    [0, "weak"],
  ])("score %p is %p", (score, band) => {
    expect(strengthBand(score)).toBe(band);
  });
});

describe("interactionWeight", () => {
  test("a meeting weighs more than a call, which weighs more than an email", () => {
    const w = (k: InteractionKind): number => interactionWeight(k, 2, config);
    expect(w("meeting")).toBeGreaterThan(w("call"));
    expect(w("call")).toBeGreaterThan(w("email"));
    expect([w("email"), w("call"), w("meeting"), w("task")]).toEqual([1, 1.5, 2, 1]);
  });

  test.each([
    [1, 1],
    [20, 1],
    [21, Math.sqrt(20 / 21)],
    [80, 0.5],
    [2000, 0.1],
  ])("an email to %p recipients weighs %p (sqrt(limit/n) beyond the mass-mail limit)", (n, expected) => {
    expect(interactionWeight("email", n, config)).toBeCloseTo(expected, 12);
  });

  test("the mass-mail limit comes from config", () => {
    const strict = resolveConfig({ orgDomains: ["contoso.com"], massMailRecipients: 5 });
    expect(interactionWeight("meeting", 5, strict)).toBe(2);
    expect(interactionWeight("meeting", 20, strict)).toBeCloseTo(2 * Math.sqrt(5 / 20), 12);
  });

  test.each([
    ["email", 1.5, 1.5],
    ["email", 0.5, 0.5],
    ["meeting", 0.5, 1],
    ["call", 1.5, 2.25],
  ] as Array<[InteractionKind, number, number]>)(
    "an admin weight on %p of %p scales the kind factor to %p",
    (kind, adminWeight, expected) => {
      const c = resolveConfig({
        orgDomains: ["contoso.com"],
        weights: { ...config.weights, [kind]: adminWeight },
      });
      expect(interactionWeight(kind, 1, c)).toBeCloseTo(expected, 12);
      expect(interactionWeight(kind, 80, c)).toBeCloseTo(KIND_FACTOR[kind] * adminWeight * 0.5, 12);
    },
  );

  test.each([0.49, 1.51, Number.NaN])("resolveConfig refuses an admin weight of %p (beyond ±50%)", (w) => {
    expect(() => resolveConfig({ weights: { ...config.weights, email: w } })).toThrow(/weights\.email/);
  });
});

describe("kindWeight and personalFactor: the two parts of interactionWeight the state reads", () => {
  test.each([
    ["email", 1],
    ["meeting", 7],
    ["call", 21],
    ["task", 300],
  ] as Array<[InteractionKind, number]>)("%p to %p recipients: their product, bit for bit", (kind, n) => {
    const c = resolveConfig({ orgDomains: ["contoso.com"], weights: { ...config.weights, [kind]: 1.3 } });
    expect(kindWeight(kind, c) * personalFactor(n, c.massMailRecipients)).toBe(interactionWeight(kind, n, c));
    expect(kindWeight(kind, c)).toBe(KIND_FACTOR[kind] * 1.3);
  });
});
