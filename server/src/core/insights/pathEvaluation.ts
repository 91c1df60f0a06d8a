import { type Combination, rankPaths, SELLER_TIE_FLOOR, type Tie } from "@rapport/model";

import type { InsightConfig } from "../config";
import { Directory, EMPTY_DIRECTORY } from "../directory";
import { type DayColumns, RelationshipState } from "../engine/state";
import type { Interaction } from "../interaction";
import { sidesOf } from "../participants";
import { mulberry32 } from "../random";
import { DAY_MS } from "../time";
import { colleagueTiesOf } from "./colleagueTies";
import { connectionOf } from "./connections";

/**
 * Does the path (the asking seller's tie to a colleague AND the colleague's tie to the person) predict
 * which colleague a seller turns to better than the colleague's tie to the person alone (today's
 * ranking)? Measured on mail as of a cutoff T, with ties computed from the mail strictly before T.
 *
 * An event: a seller S (a mailbox owner) is first in touch with an external person X after T (within
 * `horizonDays`), S had no contact with X before T, and X was known before T to at least two colleagues
 * other than S (else there is nothing to rank). The candidates are X's colleagues before T.
 * Two truths: (a) "the colleague S wrote to about it": a candidate present on S's first message with X,
 * else the candidate S was last in touch with (after T) in the `leadDays` before it; (b) "who later
 * corresponded with X": the candidates in touch with X in the `followDays` after the event. Each ranking
 * scores the candidates; the truth's rank counts every candidate scored as high as it (ties pessimistic).
 * Pure: interactions in, figures out; the bootstrap is seeded.
 */

/**
 * The rankings compared: target-side strength alone (today's), the seller's tie alone (a check: does the
 * path add anything to it?), and the path by each combination.
 */
export const RANKINGS = ["target", "seller", "min", "product", "geometric"] as const;
export type Ranking = (typeof RANKINGS)[number];

export interface PathEvaluationOptions {
  config: InsightConfig;
  /** The sellers: mailbox owners' addresses. */
  sellers: readonly string[];
  cutoff: number;
  horizonDays?: number;
  leadDays?: number;
  followDays?: number;
  rounds?: number;
  seed?: number;
}

export interface Metric {
  value: number;
  low: number;
  high: number;
}

export interface RankingResult {
  hit1: Metric;
  hit3: Metric;
  mrr: Metric;
}

export interface TruthResult {
  events: number;
  /** Mean number of candidates per event. */
  candidates: number;
  byRanking: Record<Ranking, RankingResult>;
  /** MRR of the path (geometric) minus target-side alone, with its paired bootstrap interval. */
  geometricMinusTarget: Metric;
  /** MRR of the path (geometric) minus the seller's tie alone. */
  geometricMinusSeller: Metric;
}

export interface PathEvaluation {
  cutoff: string;
  /** Events (before truths): S's first contact with X known to two or more colleagues. */
  events: number;
  /** Events where S had a tie to none of X's colleagues. */
  noDirect: number;
  /** Of those, events where a two-step path (S → c1 → c2 → X) exists. */
  twoStep: number;
  wroteTo: TruthResult;
  laterCorresponded: TruthResult;
}

/** One ranking question with its truths. */
interface PathEvent {
  seller: string;
  target: string;
  at: number;
  candidates: string[];
  /** Each ranking's rank of each candidate (1 = best; ties pessimistic), by candidate. */
  ranks: Record<Ranking, Map<string, number>>;
  wroteTo: string | undefined;
  later: Set<string>;
  hasDirect: boolean;
  hasTwoStep: boolean;
}

/** A pair contact: who (internal), with whom (internal or external), when. */
interface Contact {
  a: string;
  b: string;
  at: number;
}

/** Every pair an interaction links, colleagues with people outside and colleagues with each other. */
function contactsOf(i: Interaction, directory: Directory): { external: Contact[]; internal: Contact[] } {
  const external: Contact[] = [];
  const internal: Contact[] = [];
  const sides = sidesOf(i, directory, new Set());
  if (sides) for (const [u, e] of sides.pairs) external.push({ a: u, b: e, at: i.at });
  const from = directory.canonical(i.from);
  if (!directory.isInternal(from)) return { external, internal };
  for (const r of [...i.to, ...i.cc]) {
    const b = directory.canonical(r);
    if (b !== from && directory.isInternal(b)) internal.push({ a: from, b, at: i.at });
  }
  return { external, internal };
}

/**
 * Evaluates the rankings at one cutoff (see the file's comment). `interactions` is all the mail, before
 * and after the cutoff.
 */
export function evaluatePaths(
  interactions: readonly Interaction[],
  options: PathEvaluationOptions,
): PathEvaluation {
  const { config, cutoff } = options;
  const directory = new Directory({ ...EMPTY_DIRECTORY, orgDomains: config.orgDomains }, config);
  const state = new RelationshipState(
    { ...EMPTY_DIRECTORY, orgDomains: config.orgDomains },
    config,
    undefined,
    {
      colleagueTies: true,
    },
  );
  state.addAll(interactions.filter((i) => i.at < cutoff));
  const ties = tiesAt(state, cutoff);
  const events = findEvents(interactions, directory, options, ties);
  const rounds = options.rounds ?? 1000;
  const seed = options.seed ?? 7;
  const noDirect = events.filter((e) => !e.hasDirect);
  return {
    cutoff: new Date(cutoff).toISOString().slice(0, 10),
    events: events.length,
    noDirect: noDirect.length,
    twoStep: noDirect.filter((e) => e.hasTwoStep).length,
    wroteTo: score(
      events.filter((e) => e.wroteTo !== undefined),
      (e) => new Set([e.wroteTo as string]),
      rounds,
      seed,
    ),
    laterCorresponded: score(
      events.filter((e) => e.later.size > 0),
      (e) => e.later,
      rounds,
      seed,
    ),
  };
}

/** The ties at the cutoff: colleagues' to external people (by person), and colleagues' to each other. */
interface TiesAt {
  byExternal: Map<string, Tie[]>;
  /** Colleague ties with any strength, as "a\nb" (both ways). */
  colleagues: Set<string>;
  bySeller: Map<string, Tie[]>;
}

function tiesAt(state: RelationshipState, cutoff: number): TiesAt {
  const byExternal = new Map<string, Tie[]>();
  const reader = state.pairReader();
  const days: DayColumns = { first: [], last: [], weight: [] };
  for (let p = 0; p < reader.size; p++) {
    if (reader.firstAt(p) >= cutoff) continue;
    const c = connectionOf(reader, p, reader.external(p), cutoff, days);
    const list = byExternal.get(c.external) ?? [];
    list.push({ a: c.colleague, b: c.external, strength: c.strength });
    byExternal.set(c.external, list);
  }
  const colleagues = new Set<string>();
  const bySeller = new Map<string, Tie[]>();
  for (const t of colleagueTiesOf(state, cutoff, { eligible: () => true, perColleague: Infinity })) {
    const tie = { a: t.colleague, b: t.other, strength: t.strength };
    colleagues.add(`${t.colleague}\n${t.other}`);
    const list = bySeller.get(t.colleague) ?? [];
    list.push(tie);
    bySeller.set(t.colleague, list);
  }
  return { byExternal, colleagues, bySeller };
}

/** Contacts after the cutoff, in time order, of the sellers with people outside and with colleagues. */
interface After {
  /** External contacts in time order, and the same by external person. */
  external: Contact[];
  byTarget: Map<string, Contact[]>;
  /** Contacts between colleagues by each of the two, in time order. */
  byColleague: Map<string, Contact[]>;
  present: Map<string, string[]>;
}

function push<T>(into: Map<string, T[]>, k: string, x: T): void {
  const list = into.get(k);
  if (list) list.push(x);
  else into.set(k, [x]);
}

function contactsAfter(interactions: readonly Interaction[], directory: Directory, from: number): After {
  const external: Contact[] = [];
  const byTarget = new Map<string, Contact[]>();
  const byColleague = new Map<string, Contact[]>();
  // Who of ours was on each first message (by seller and external person: "s\nx").
  const present = new Map<string, string[]>();
  const after = interactions
    .filter((i) => i.at >= from)
    .sort((x, y) => x.at - y.at || (x.key < y.key ? -1 : 1));
  for (const i of after) {
    const c = contactsOf(i, directory);
    const ours = sidesOf(i, directory, new Set())?.internals ?? [];
    for (const x of c.external) {
      external.push(x);
      push(byTarget, x.b, x);
      const k = `${x.a}\n${x.b}`;
      if (!present.has(k)) present.set(k, ours);
    }
    for (const x of c.internal) {
      push(byColleague, x.a, x);
      push(byColleague, x.b, x);
    }
  }
  return { external, byTarget, byColleague, present };
}

function findEvents(
  interactions: readonly Interaction[],
  directory: Directory,
  options: PathEvaluationOptions,
  ties: TiesAt,
): PathEvent[] {
  const { cutoff } = options;
  const horizon = cutoff + (options.horizonDays ?? 180) * DAY_MS;
  const sellers = new Set(options.sellers.map((s) => s.toLowerCase()));
  const before = new Set<string>();
  for (const list of ties.byExternal.values()) for (const t of list) before.add(`${t.a}\n${t.b}`);
  const after = contactsAfter(interactions, directory, cutoff);
  const events: PathEvent[] = [];
  const seen = new Set<string>();
  for (const c of after.external) {
    const k = `${c.a}\n${c.b}`;
    if (c.at >= horizon || !sellers.has(c.a) || seen.has(k) || before.has(k)) continue;
    seen.add(k);
    const known = (ties.byExternal.get(c.b) ?? []).filter((t) => t.a !== c.a);
    if (known.length < 2) continue;
    events.push(eventOf(c, known, ties, after, options));
  }
  return events;
}

function eventOf(
  c: Contact,
  known: Tie[],
  ties: TiesAt,
  after: After,
  options: PathEvaluationOptions,
): PathEvent {
  const candidates = known.map((t) => t.a);
  const inK = new Set(candidates);
  const sellerTies = ties.bySeller.get(c.a) ?? [];
  const ranks = {} as PathEvent["ranks"];
  for (const r of RANKINGS) ranks[r] = rankOf(c, known, sellerTies, r);
  const mine = sellerTies.map((t) => t.b);
  const hasDirect = candidates.some((k) => ties.colleagues.has(`${c.a}\n${k}`));
  // A two-step path: a colleague the seller knows who knows one of the candidates.
  const hasTwoStep = mine.some((c1) =>
    candidates.some((k) => k !== c1 && ties.colleagues.has(`${c1}\n${k}`)),
  );
  return {
    seller: c.a,
    target: c.b,
    at: c.at,
    candidates,
    ranks,
    wroteTo: wroteTo(c, inK, after, (options.leadDays ?? 30) * DAY_MS),
    later: laterCorresponded(c, inK, after.byTarget.get(c.b) ?? [], (options.followDays ?? 90) * DAY_MS),
    hasDirect,
    hasTwoStep,
  };
}

/** Each candidate's rank by a ranking (1 = best), counting every other candidate scored as high (pessimistic). */
function rankOf(c: Contact, known: Tie[], sellerTies: Tie[], ranking: Ranking): Map<string, number> {
  const scores = new Map<string, number>();
  if (ranking === "target") for (const t of known) scores.set(t.a, t.strength);
  else if (ranking === "seller") {
    const mine = new Map(sellerTies.map((t) => [t.b, t.strength]));
    for (const t of known) scores.set(t.a, mine.get(t.a) ?? SELLER_TIE_FLOOR);
  } else {
    const how: Combination = ranking;
    const paths = rankPaths({
      seller: c.a,
      target: c.b,
      sellerTies,
      targetTies: known,
      now: 0,
      combination: how,
    });
    for (const p of paths) if (p.connector === undefined) scores.set(p.introducer, p.baseStrength);
  }
  const values = [...scores.values()];
  const out = new Map<string, number>();
  for (const [k, s] of scores) out.set(k, values.filter((v) => v >= s).length);
  return out;
}

/** Truth (a): a candidate on S's first message with X, else the one S was last in touch with before it. */
function wroteTo(c: Contact, inK: Set<string>, after: After, lead: number): string | undefined {
  const onIt = (after.present.get(`${c.a}\n${c.b}`) ?? []).filter((p) => p !== c.a && inK.has(p)).sort();
  if (onIt.length) return onIt[0];
  let best: Contact | undefined;
  for (const x of after.byColleague.get(c.a) ?? []) {
    if (x.at > c.at) break;
    if (x.at < c.at - lead) continue;
    const other = x.a === c.a ? x.b : x.b === c.a ? x.a : undefined;
    if (other !== undefined && inK.has(other) && (!best || x.at >= best.at))
      best = { a: c.a, b: other, at: x.at };
  }
  return best?.b;
}

/** Truth (b): the candidates in touch with X within `follow` after the event. */
function laterCorresponded(c: Contact, inK: Set<string>, external: Contact[], follow: number): Set<string> {
  const out = new Set<string>();
  for (const x of external) {
    if (x.at <= c.at || x.at > c.at + follow) continue;
    if (inK.has(x.a) && x.a !== c.a) out.add(x.a);
  }
  return out;
}

/** hit@1, hit@3 and MRR of each ranking over the events, with 95% bootstrap intervals (events resampled). */
function score(
  events: readonly PathEvent[],
  truth: (e: PathEvent) => Set<string>,
  rounds: number,
  seed: number,
): TruthResult {
  // Each event's best rank of a true candidate, by ranking.
  const best = (r: Ranking): number[] =>
    events.map((e) => Math.min(...[...truth(e)].map((t) => e.ranks[r].get(t) ?? Infinity)));
  const rankLists = Object.fromEntries(RANKINGS.map((r) => [r, best(r)])) as Record<Ranking, number[]>;
  const draws = bootstrapDraws(events.length, rounds, seed);
  const metric = (xs: number[], f: (rank: number) => number): Metric => interval(xs.map(f), draws);
  const byRanking = {} as TruthResult["byRanking"];
  for (const r of RANKINGS) {
    const ranks = rankLists[r];
    byRanking[r] = {
      hit1: metric(ranks, (k) => (k <= 1 ? 1 : 0)),
      hit3: metric(ranks, (k) => (k <= 3 ? 1 : 0)),
      mrr: metric(ranks, (k) => (Number.isFinite(k) ? 1 / k : 0)),
    };
  }
  const diff = (other: Ranking): Metric =>
    interval(
      rankLists.geometric.map((k, i) => 1 / k - 1 / (rankLists[other][i] as number)),
      draws,
    );
  return {
    events: events.length,
    candidates: events.length ? events.reduce((s, e) => s + e.candidates.length, 0) / events.length : 0,
    byRanking,
    geometricMinusTarget: diff("target"),
    geometricMinusSeller: diff("seller"),
  };
}

/** `rounds` resamples (with replacement) of n events, as index lists. */
function bootstrapDraws(n: number, rounds: number, seed: number): number[][] {
  const rnd = mulberry32(seed);
  return Array.from({ length: rounds }, () => Array.from({ length: n }, () => Math.floor(rnd() * n)));
}

/** The mean of xs and its 2.5% and 97.5% bootstrap quantiles over the draws. */
function interval(xs: readonly number[], draws: readonly number[][]): Metric {
  const mean = (idx: readonly number[]): number =>
    idx.length ? idx.reduce((s, i) => s + (xs[i] as number), 0) / idx.length : Number.NaN;
  const means = draws.map(mean).sort((a, b) => a - b);
  const at = (q: number): number =>
    means[Math.min(means.length - 1, Math.floor(q * means.length))] ?? Number.NaN;
  const all = xs.map((_, i) => i);
  return { value: round3(mean(all)), low: round3(at(0.025)), high: round3(at(0.975)) };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
