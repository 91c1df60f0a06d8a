import { SIMILAR_METRICS } from "@rapport/model";

import type { DealHistory, DealMetrics } from "../../../server/src/core/insights/similarDeals";
import {
  auc,
  bootstrapInterval,
  evaluateSimilar,
  permutationP,
} from "../../../server/src/core/insights/similarEvaluation";
import { DAY_MS } from "../../../server/src/core/time";

const zero = (): DealMetrics =>
  Object.fromEntries(SIMILAR_METRICS.map((m) => [m, 0])) as unknown as DealMetrics;

/** A closed deal of 100 days with `meetings` meetings a day by us (its only activity). */
const deal = (id: string, won: boolean, perDay: number): DealHistory => ({
  id,
  outcome: won ? "won" : "lost",
  createdOn: 0,
  closedOn: 100 * DAY_MS + id.length,
  metricsAt: (age) => ({ ...zero(), meetingsByUs: perDay * age }),
});

describe("AUC, its interval and its p-value", () => {
  test("AUC counts won-above-lost pairs, ties half", () => {
    const items = [
      { won: true, score: 3 },
      { won: true, score: 1 },
      { won: false, score: 1 },
      { won: false, score: 0 },
    ];
    // Pairs: 3>1, 3>0, 1=1 (half), 1>0 → 3.5 of 4.
    expect(auc(items)).toBe(0.875);
    expect(auc([{ won: true, score: 1 }])).toBeNaN();
  });

  test("a perfect separation has a tight interval and a small p; no separation does not", () => {
    const perfect = Array.from({ length: 40 }, (_, i) => ({ won: i < 20, score: i < 20 ? 100 + i : i }));
    expect(auc(perfect)).toBe(1);
    expect(bootstrapInterval(perfect, 200)).toEqual([1, 1]);
    expect(permutationP(perfect, 200)).toBeLessThan(0.01);
    const none = Array.from({ length: 40 }, (_, i) => ({ won: i % 2 === 0, score: 1 }));
    expect(auc(none)).toBe(0.5);
    expect(permutationP(none, 200)).toBe(1);
  });
});

describe("evaluateSimilar on hand-made histories", () => {
  test("won deals with meetings, lost deals without: the score separates them at every point", () => {
    const deals = [
      ...Array.from({ length: 12 }, (_, i) => deal(`w${i}`, true, 0.05 + i / 1000)),
      ...Array.from({ length: 12 }, (_, i) => deal(`l${i}`, false, 0)),
    ];
    const points = evaluateSimilar(deals, { rounds: 100, hideAmount: true, minClosed: 5 });
    expect(points.map((p) => p.point)).toEqual(["half-way", "three quarters", "30 days before close"]);
    for (const p of points) {
      expect(p).toMatchObject({ won: 12, lost: 12 });
      expect(p.similar.auc).toBe(1);
      expect(p.similar.p).toBeLessThan(0.05);
    }
  });

  test("a deal is never compared with itself (leave-one-out): identical deals give chance", () => {
    const deals = [
      ...Array.from({ length: 11 }, (_, i) => deal(`w${i}`, true, 0.1)),
      ...Array.from({ length: 11 }, (_, i) => deal(`l${i}`, false, 0.1)),
    ];
    const [half] = evaluateSimilar(deals, { rounds: 50, hideAmount: false, minClosed: 5 });
    expect(half?.similar.auc).toBe(0.5);
    expect(half?.bases).toEqual({ alike: 22 });
  });
});
