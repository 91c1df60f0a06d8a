import { mulberry32 } from "../random";
import { compareAtAge, type DealHistory, MIN_CLOSED } from "./similarDeals";

/**
 * Does "activity like won deals" separate won from lost deals better than chance, measured before they
 * closed? For each closed deal, at a point of its life (half-way, three quarters, 30 days before its
 * close), its similarity-to-won score (similarDeals' `score`) is computed against every other closed deal
 * (leave-one-out: never itself) as an open deal of that age would be; the AUC of the scores of won against
 * lost deals is then compared with 0.5 (chance), with a stratified bootstrap interval and a permutation
 * p-value, beside a baseline: the deal's raw activity count (emails, meetings and calls) at the same age.
 * Pure: the deals in, the figures out; the random draws are seeded.
 */

export interface ScoredDeal {
  won: boolean;
  score: number;
}

/** The probability that a random won deal scores above a random lost one (ties count half). */
export function auc(items: readonly ScoredDeal[]): number {
  const won = items.filter((i) => i.won).map((i) => i.score);
  const lost = items.filter((i) => !i.won).map((i) => i.score);
  if (!won.length || !lost.length) return NaN;
  let sum = 0;
  for (const w of won) for (const l of lost) sum += w > l ? 1 : w === l ? 0.5 : 0;
  return sum / (won.length * lost.length);
}

/** A 95% interval of the AUC by resampling won and lost deals separately (with replacement). */
export function bootstrapInterval(items: readonly ScoredDeal[], rounds: number, seed = 17): [number, number] {
  const rnd = mulberry32(seed);
  const won = items.filter((i) => i.won);
  const lost = items.filter((i) => !i.won);
  const draw = (xs: readonly ScoredDeal[]) => xs.map(() => xs[Math.floor(rnd() * xs.length)] as ScoredDeal);
  const aucs: number[] = [];
  for (let r = 0; r < rounds; r++) aucs.push(auc([...draw(won), ...draw(lost)]));
  aucs.sort((a, b) => a - b);
  const at = (q: number) => aucs[Math.min(aucs.length - 1, Math.floor(q * aucs.length))] as number;
  return [at(0.025), at(0.975)];
}

/** Two-sided permutation p-value of |AUC - 0.5|: how often shuffled outcomes separate as well or better. */
export function permutationP(items: readonly ScoredDeal[], rounds: number, seed = 29): number {
  const rnd = mulberry32(seed);
  const observed = Math.abs(auc(items) - 0.5);
  const labels = items.map((i) => i.won);
  let hits = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = labels.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [labels[i], labels[j]] = [labels[j] as boolean, labels[i] as boolean];
    }
    const shuffled = items.map((x, i) => ({ won: labels[i] as boolean, score: x.score }));
    if (Math.abs(auc(shuffled) - 0.5) >= observed - 1e-12) hits++;
  }
  return (hits + 1) / (rounds + 1);
}

/** A point in a closed deal's life, as its age in days; undefined when the deal was not that old. */
export type LifePoint = { name: string; ageOf: (lifeDays: number) => number | undefined };

export const LIFE_POINTS: readonly LifePoint[] = [
  { name: "half-way", ageOf: (life) => Math.floor(life * 0.5) },
  { name: "three quarters", ageOf: (life) => Math.floor(life * 0.75) },
  { name: "30 days before close", ageOf: (life) => (life >= 30 ? life - 30 : undefined) },
];

export interface AucFigure {
  auc: number;
  interval: [number, number];
  p: number;
}

export interface PointResult {
  point: string;
  won: number;
  lost: number;
  /** How many of the deals were compared with deals alike, with the most recent, or not at all. */
  bases: Record<string, number>;
  similar: AucFigure;
  baseline: AucFigure;
}

const figure = (items: ScoredDeal[], rounds: number): AucFigure => ({
  auc: round3(auc(items)),
  interval: bootstrapInterval(items, rounds).map(round3) as [number, number],
  p: round3(permutationP(items, rounds)),
});

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Raw activity at an age: emails, meetings and calls both ways (the baseline score). */
function activityCount(d: DealHistory, age: number): number {
  const m = d.metricsAt(age);
  return (
    (m.emailsSent ?? 0) +
    (m.emailsReceived ?? 0) +
    (m.meetingsByUs ?? 0) +
    (m.meetingsByThem ?? 0) +
    (m.callsByUs ?? 0) +
    (m.callsByThem ?? 0)
  );
}

/**
 * The evaluation at each life point. The scored deal is seen as an open deal of that age: its outcome and
 * close hidden, and its amount too (`hide`), where the amount was set from the whole deal's activity.
 */
export function evaluateSimilar(
  deals: readonly DealHistory[],
  options: { rounds: number; hideAmount: boolean; points?: readonly LifePoint[]; minClosed?: number },
): PointResult[] {
  const closed = deals.filter((d) => d.outcome !== "open" && d.closedOn !== undefined);
  return (options.points ?? LIFE_POINTS).map((point) => {
    const similar: ScoredDeal[] = [];
    const baseline: ScoredDeal[] = [];
    const bases: Record<string, number> = {};
    for (const d of closed) {
      const age = point.ageOf(Math.floor(((d.closedOn as number) - d.createdOn) / 86_400_000));
      if (age === undefined) continue;
      const others = closed.filter((x) => x.id !== d.id);
      const asOpen: DealHistory = { ...d, outcome: "open" };
      delete asOpen.closedOn;
      if (options.hideAmount) delete asOpen.amount;
      const s = compareAtAge(
        asOpen,
        age,
        others.filter((x) => x.outcome === "won"),
        others.filter((x) => x.outcome === "lost"),
        options.minClosed ?? MIN_CLOSED,
      );
      bases[s.basis] = (bases[s.basis] ?? 0) + 1;
      similar.push({ won: d.outcome === "won", score: s.score ?? 0 });
      baseline.push({ won: d.outcome === "won", score: activityCount(d, age) });
    }
    return {
      point: point.name,
      won: similar.filter((x) => x.won).length,
      lost: similar.filter((x) => !x.won).length,
      bases,
      similar: figure(similar, options.rounds),
      baseline: figure(baseline, options.rounds),
    };
  });
}
