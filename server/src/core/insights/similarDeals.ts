import {
  SIMILAR_DEALS_VERSION,
  SIMILAR_METRICS,
  type SimilarBasis,
  type SimilarDealsJson,
  type SimilarKeyJson,
  type SimilarMetric,
  type SimilarMetricJson,
} from "@rapport/model";

import type { InsightConfig } from "../config";
import type { DirectoryAccount, DirectoryOpportunity } from "../directory";
import type { Resolved } from "../engine/state";
import { DAY_MS } from "../time";
import { computeKpis } from "./kpis";

export type { SimilarDealsJson, SimilarMetric } from "@rapport/model";

/**
 * "Similar won deals" (issue 17 §4): an open opportunity's relationship activity against won and lost
 * opportunities like it, each measured at the same age (days since it was created). Pure: the deals, their
 * activity and `now` come in; nothing is read.
 *
 * The rules, in order:
 * - Closed deals count when they closed on or before `now` (never the deal itself). Below MIN_CLOSED won or
 *   MIN_CLOSED lost deals, nothing is compared (basis "tooFew"), as Dynamics 365 does.
 * - Alike: the same amount band (order of magnitude), the same industry when both accounts have one, else
 *   the same size band when both have a head count, a stage at close at least this deal's stage, and
 *   open at least as long as this deal is old. With MIN_ALIKE won and MIN_ALIKE lost deals alike, those
 *   are compared (basis "alike", the MAX_COMPARED most recent of each); otherwise the MAX_COMPARED most
 *   recent won and lost deals are (basis "recent"), as Dynamics 365 falls back to the top 100.
 * - Each deal is measured at this deal's age, or at its close when it closed younger; the typical deal is
 *   the median of each measure (deals without a value, e.g. no reply to time, left out).
 * - The key difference (keyDifference) and the score (wonLikeness) are documented where they are computed.
 */

/** Won and lost deals needed before anything is compared (Dynamics 365 needs 30 of each). */
export const MIN_CLOSED = 30;
/** Won and lost deals alike needed to compare with them rather than with the most recent. */
export const MIN_ALIKE = 10;
/** At most this many won (and lost) deals are compared. */
export const MAX_COMPARED = 100;

export type DealOutcome = "open" | "won" | "lost";
export type DealMetrics = Record<SimilarMetric, number | null>;

/** What is known of a deal, as read from the CRM (times in ms since the epoch). */
export interface DealFacts {
  id: string;
  outcome: DealOutcome;
  createdOn: number;
  /** Closed deals: when they were won or lost. */
  closedOn?: number;
  /** The actual value of a won deal, else the estimated value. */
  amount?: number;
  /** The account's industry (industrycode) and head count, where known. */
  industry?: number;
  employees?: number;
  /** Sales stage (0 Qualify … 3 Close): the current one, or the one at close. */
  stage?: number;
}

/** A deal and its relationship activity as of an age in days (counting from its creation). */
export interface DealHistory extends DealFacts {
  metricsAt: (ageDays: number) => DealMetrics;
}

/** The comparison: rp_similardeals' document. */
export type SimilarDeals = SimilarDealsJson;

/** Whole days since `createdOn` at `at` (0 on the day it was created, never negative). */
export const ageInDays = (createdOn: number, at: number): number =>
  Math.max(0, Math.floor((at - createdOn) / DAY_MS));

/** How many days a closed deal was open; Infinity for one still open. */
const lifeDays = (d: DealFacts): number =>
  d.closedOn === undefined ? Infinity : ageInDays(d.createdOn, d.closedOn);

const amountBand = (x: number | undefined): number | undefined =>
  x === undefined || !(x > 0) ? undefined : Math.floor(Math.log10(x));

const SIZE_BANDS = [50, 250, 1000, 5000];
const sizeBand = (x: number | undefined): number | undefined =>
  x === undefined || x < 0 ? undefined : SIZE_BANDS.filter((b) => x >= b).length;

/** Whether `d` is like `open` at `age` (see the rules above); a fact unknown on either side is no criterion. */
export function isAlike(open: DealFacts, d: DealFacts, age: number): boolean {
  const band = amountBand(open.amount);
  if (band !== undefined && amountBand(d.amount) !== undefined && amountBand(d.amount) !== band) return false;
  if (open.industry !== undefined && d.industry !== undefined) {
    if (open.industry !== d.industry) return false;
  } else if (sizeBand(open.employees) !== undefined && sizeBand(d.employees) !== undefined) {
    if (sizeBand(open.employees) !== sizeBand(d.employees)) return false;
  }
  if (open.stage !== undefined && d.stage !== undefined && d.stage < open.stage) return false;
  return lifeDays(d) >= age;
}

const mostRecentFirst = (a: DealFacts, b: DealFacts): number =>
  (b.closedOn ?? 0) - (a.closedOn ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The deals compared and on what basis, given the closed deals that may be (already filtered). */
export function comparisonSet(
  open: DealFacts,
  age: number,
  won: readonly DealHistory[],
  lost: readonly DealHistory[],
): { basis: Exclude<SimilarBasis, "tooFew">; won: DealHistory[]; lost: DealHistory[] } {
  const alikeWon = won.filter((d) => isAlike(open, d, age));
  const alikeLost = lost.filter((d) => isAlike(open, d, age));
  const alike = alikeWon.length >= MIN_ALIKE && alikeLost.length >= MIN_ALIKE;
  const pick = (list: DealHistory[]): DealHistory[] => list.sort(mostRecentFirst).slice(0, MAX_COMPARED);
  return alike
    ? { basis: "alike", won: pick(alikeWon), lost: pick(alikeLost) }
    : { basis: "recent", won: pick([...won]), lost: pick([...lost]) };
}

export interface SimilarOptions {
  /** Won and lost deals needed (MIN_CLOSED unless an evaluation says otherwise). */
  minClosed?: number;
}

/**
 * An open deal against the closed deals (any order; open ones and the deal itself are passed over) at
 * `now`: its age, the basis, the typical won and lost deal at that age, the key difference and the score.
 * @example similarDeals(deal, closed, Date.UTC(2001, 4, 1)).basis // "alike" | "recent" | "tooFew"
 */
export function similarDeals(
  open: DealHistory,
  closed: readonly DealHistory[],
  now: number,
  options: SimilarOptions = {},
): SimilarDeals {
  const age = ageInDays(open.createdOn, now);
  const usable = closed.filter((d) => d.id !== open.id && d.closedOn !== undefined && d.closedOn <= now);
  const won = usable.filter((d) => d.outcome === "won");
  const lost = usable.filter((d) => d.outcome === "lost");
  const minimum = options.minClosed ?? MIN_CLOSED;
  return compareAtAge(open, age, won, lost, minimum);
}

/** The comparison at a given age, with the won and lost deals that may be compared (see similarDeals). */
export function compareAtAge(
  open: DealHistory,
  age: number,
  won: readonly DealHistory[],
  lost: readonly DealHistory[],
  minimum: number,
): SimilarDeals {
  const mine = open.metricsAt(age);
  const base = {
    version: SIMILAR_DEALS_VERSION,
    ageDays: age,
    closedWon: won.length,
    closedLost: lost.length,
  };
  if (won.length < minimum || lost.length < minimum) {
    const metrics = SIMILAR_METRICS.map((metric) => ({ metric, this: mine[metric], won: null, lost: null }));
    const counts = { wonCount: 0, lostCount: 0, minimum };
    return { ...base, basis: "tooFew", ...counts, metrics, key: null, score: null };
  }
  const set = comparisonSet(open, age, won, lost);
  const atAge = (d: DealHistory): DealMetrics => d.metricsAt(Math.min(age, lifeDays(d)));
  const wonMetrics = set.won.map(atAge);
  const lostMetrics = set.lost.map(atAge);
  const metrics = SIMILAR_METRICS.map((metric): SimilarMetricJson => ({
    metric,
    this: mine[metric],
    won: median(wonMetrics.map((m) => m[metric])),
    lost: median(lostMetrics.map((m) => m[metric])),
  }));
  const scales = new Map(
    SIMILAR_METRICS.map((m) => [
      m,
      spread(
        m,
        [...wonMetrics, ...lostMetrics].map((x) => x[m]),
      ),
    ]),
  );
  return {
    ...base,
    basis: set.basis,
    wonCount: set.won.length,
    lostCount: set.lost.length,
    minimum,
    metrics,
    key: keyDifference(metrics, scales, age),
    score: wonLikeness(metrics, scales),
  };
}

/** The median of the values present; null when there are none. */
export function median(values: readonly (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? (xs[mid] as number) : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
}

const quantile = (xs: readonly number[], q: number): number => {
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (xs[lo] as number) + ((xs[hi] as number) - (xs[lo] as number)) * (pos - lo);
};

/** The least spread a measure is judged by (so that 0 against 1 meeting is one unit, not infinitely many). */
const MIN_SPREAD: Record<SimilarMetric, number> = {
  emailsSent: 1,
  emailsReceived: 1,
  meetingsByUs: 1,
  meetingsByThem: 1,
  callsByUs: 1,
  callsByThem: 1,
  timeByTeamMin: 15,
  timeByCustomerMin: 15,
  responseHoursByUs: 4,
  responseHoursByThem: 4,
  responseRateByUs: 0.1,
  responseRateByThem: 0.1,
  peopleOurs: 1,
  peopleTheirs: 1,
};

/** A measure's spread over the compared deals: their interquartile range, at least MIN_SPREAD. */
function spread(metric: SimilarMetric, values: readonly (number | null)[]): number {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  const iqr = xs.length ? quantile(xs, 0.75) - quantile(xs, 0.25) : 0;
  return Math.max(iqr, MIN_SPREAD[metric]);
}

/** Measures where less is better (faster answers); for every other one, more is. */
const LOWER_IS_BETTER = new Set<SimilarMetric>(["responseHoursByUs", "responseHoursByThem"]);
const natural = (metric: SimilarMetric): number => (LOWER_IS_BETTER.has(metric) ? -1 : 1);

/** The direction won deals lie in from lost ones (+1 more, -1 less); the measure's natural one on a tie. */
const wonDirection = (m: SimilarMetricJson & { won: number; lost: number }): number =>
  m.won > m.lost ? 1 : m.won < m.lost ? -1 : natural(m.metric);

/** A measure separates won from lost deals when won deals are half a spread or more ahead of lost ones. */
export const SEPARATES = 0.5;
/** A deal is behind won deals on a measure when it is half a spread or more short of them. */
export const BEHIND = 0.5;

type Comparable = SimilarMetricJson & { this: number; won: number; lost: number };
const comparable = (m: SimilarMetricJson): m is Comparable =>
  m.this !== null && m.won !== null && m.lost !== null;

/**
 * The difference that matters most: of the measures where this deal falls short of the typical won deal
 * by BEHIND spreads or more (fewer emails, meetings, calls, hours, people, a lower response rate, slower
 * responses), one where won deals are ahead of lost ones in that same direction (SEPARATES) is
 * preferred; among those, the one furthest behind (ties: the first in SIMILAR_METRICS' order). Null when
 * this deal falls short on nothing: being ahead of won deals is never "the difference".
 */
export function keyDifference(
  metrics: readonly SimilarMetricJson[],
  scales: ReadonlyMap<SimilarMetric, number>,
  day: number,
): SimilarKeyJson | null {
  let best: { m: Comparable; rank: number } | undefined;
  for (const m of metrics) {
    if (!comparable(m)) continue;
    const scale = scales.get(m.metric) ?? 1;
    const gap = (natural(m.metric) * (m.won - m.this)) / scale;
    if (gap < BEHIND) continue;
    const separates = (natural(m.metric) * (m.won - m.lost)) / scale >= SEPARATES;
    const rank = (separates ? 1000 : 0) + gap;
    if (!best || rank > best.rank) best = { m, rank };
  }
  if (!best) return null;
  const { metric, this: mine, won, lost } = best.m;
  return { metric, this: mine, won, lost, day };
}

/**
 * How much this deal looks like won rather than lost deals: over the measures where won and lost deals
 * differ, the mean of this deal's position from the midpoint between them towards the won side, in spreads,
 * each clamped to [-1, 1]. 1: ahead of won deals on everything; -1: behind lost deals; null when no
 * measure differs.
 */
export function wonLikeness(
  metrics: readonly SimilarMetricJson[],
  scales: ReadonlyMap<SimilarMetric, number>,
): number | null {
  let sum = 0;
  let n = 0;
  for (const m of metrics) {
    if (!comparable(m) || m.won === m.lost) continue;
    const scale = scales.get(m.metric) ?? 1;
    const position = (wonDirection(m) * (m.this - (m.won + m.lost) / 2)) / scale;
    sum += Math.max(-1, Math.min(1, position));
    n++;
  }
  return n ? Math.round((sum / n) * 1000) / 1000 : null;
}

/**
 * A deal's measures as of `ageDays` from its interactions (canonical order): what happened from its
 * creation to the end of that day, counted as the KPIs count (computeKpis), and the people engaged on each
 * side (every colleague and customer taking part in an interaction).
 */
export function dealMetricsAt(
  interactions: readonly Resolved[],
  createdOn: number,
  ageDays: number,
  config: InsightConfig,
): DealMetrics {
  const until = createdOn + (ageDays + 1) * DAY_MS - 1;
  const window = interactions.filter((r) => r.interaction.at >= createdOn && r.interaction.at <= until);
  const k = computeKpis(window, until, config);
  const ours = new Set<string>();
  const theirs = new Set<string>();
  for (const r of window) {
    for (const p of r.sides.internals) ours.add(p);
    for (const p of r.sides.externals) theirs.add(p);
  }
  return {
    emailsSent: k.emailsSent,
    emailsReceived: k.emailsReceived,
    meetingsByUs: k.meetingsSent,
    meetingsByThem: k.meetingsReceived,
    callsByUs: k.callsMade,
    callsByThem: k.callsReceived,
    timeByTeamMin: k.timeSpentByTeamMin,
    timeByCustomerMin: k.timeSpentByCustomerMin,
    responseHoursByUs: k.avgFirstResponseHoursByUs,
    responseHoursByThem: k.avgFirstResponseHoursByThem,
    responseRateByUs: k.responseRateByUs,
    responseRateByThem: k.responseRateByThem,
    peopleOurs: ours.size,
    peopleTheirs: theirs.size,
  };
}

const time = (iso: string | undefined): number | undefined => {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
};

/** A directory opportunity's facts (with its account's), or undefined when its creation date is unknown. */
export function dealFactsOf(o: DirectoryOpportunity, account?: DirectoryAccount): DealFacts | undefined {
  const createdOn = time(o.deal?.createdOn);
  if (!o.deal || createdOn === undefined) return undefined;
  const { outcome, amount, stage } = o.deal;
  const closedOn = time(o.deal.closedOn);
  const facts: DealFacts = { id: o.id, outcome, createdOn };
  if (outcome !== "open" && closedOn !== undefined) facts.closedOn = Math.max(closedOn, createdOn);
  if (amount !== undefined) facts.amount = amount;
  if (stage !== undefined) facts.stage = stage;
  if (account?.industry !== undefined) facts.industry = account.industry;
  if (account?.employees !== undefined) facts.employees = account.employees;
  return facts;
}

/**
 * Every open deal's comparison at `now`, by opportunity id, from each deal's facts and interactions. A
 * closed deal's measures at an age are computed once whatever the number of open deals of that age.
 */
export function similarDealsOfAll(
  deals: readonly { facts: DealFacts; interactions: readonly Resolved[] }[],
  now: number,
  config: InsightConfig,
): Map<string, SimilarDeals> {
  const histories = deals.map((d) => dealHistory(d.facts, d.interactions, config));
  // Most recent first once: each open deal's comparison set then keeps that order (sorting it is linear).
  const closed = histories.filter((d) => d.outcome !== "open").sort(mostRecentFirst);
  const out = new Map<string, SimilarDeals>();
  for (const d of histories) if (d.outcome === "open") out.set(d.id, similarDeals(d, closed, now));
  return out;
}

/** A deal's history from its interactions, each age computed once (memoised). */
export function dealHistory(
  facts: DealFacts,
  interactions: readonly Resolved[],
  config: InsightConfig,
): DealHistory {
  const cache = new Map<number, DealMetrics>();
  return {
    ...facts,
    metricsAt: (ageDays) => {
      let m = cache.get(ageDays);
      if (!m) cache.set(ageDays, (m = dealMetricsAt(interactions, facts.createdOn, ageDays, config)));
      return m;
    },
  };
}

/** Each measure in plain words, given its value already rounded for reading. */
const PHRASE: Record<SimilarMetric, (v: number) => string> = {
  emailsSent: (v) => `${v} email${v === 1 ? "" : "s"} from us`,
  emailsReceived: (v) => `${v} email${v === 1 ? "" : "s"} from the customer`,
  meetingsByUs: (v) => `${v} meeting${v === 1 ? "" : "s"} set up by us`,
  meetingsByThem: (v) => `${v} meeting${v === 1 ? "" : "s"} set up by the customer`,
  callsByUs: (v) => `${v} call${v === 1 ? "" : "s"} by us`,
  callsByThem: (v) => `${v} call${v === 1 ? "" : "s"} from the customer`,
  timeByTeamMin: (v) => `${v} hour${v === 1 ? "" : "s"} of our team's time`,
  timeByCustomerMin: (v) => `${v} hour${v === 1 ? "" : "s"} of the customer's time`,
  responseHoursByUs: (v) => `our replies within ${v} hour${v === 1 ? "" : "s"} on average`,
  responseHoursByThem: (v) => `the customer's replies within ${v} hour${v === 1 ? "" : "s"} on average`,
  responseRateByUs: (v) => `${v}% of the customer's emails answered by us`,
  responseRateByThem: (v) => `${v}% of our emails answered by the customer`,
  peopleOurs: (v) => `${v} of our people engaged`,
  peopleTheirs: (v) => `${v} of the customer's people engaged`,
};

/** Hours from minutes, rates as percentages, counts whole: a measure's value as the sentence reads it. */
export function readableValue(metric: SimilarMetric, v: number): number {
  if (metric === "timeByTeamMin" || metric === "timeByCustomerMin") return Math.round(v / 6) / 10;
  if (metric === "responseHoursByUs" || metric === "responseHoursByThem") return Math.round(v * 10) / 10;
  if (metric === "responseRateByUs" || metric === "responseRateByThem") return Math.round(v * 100);
  return Math.round(v);
}

/**
 * rp_similarsummary: the comparison in one English sentence (the panel renders its own, localized, from
 * the document, with the same English words), e.g. "Won deals like this one had 3 meetings set up by us by day 40; this one has none."
 */
export function similarSummary(s: SimilarDeals): string {
  if (s.basis === "tooFew")
    return (
      `Too few closed deals: ${s.closedWon} won and ${s.closedLost} lost; ` +
      `Dynamics 365 and Rapport need ${s.minimum} of each.`
    );
  const who = s.basis === "alike" ? "Won deals like this one" : "The most recent won deals";
  const peers = s.basis === "alike" ? "won deals like it" : "the most recent won deals";
  if (!s.key) return `This deal keeps up with ${peers} on every measure at day ${s.ageDays}.`;
  const { metric, day } = s.key;
  const won = readableValue(metric, s.key.won);
  const mine = readableValue(metric, s.key.this);
  const theirs = mine === 0 && PHRASE[metric](0).startsWith("0 ") ? "none" : PHRASE[metric](mine);
  return `${who} had ${PHRASE[metric](won)} by day ${day}; this one has ${theirs}.`;
}
