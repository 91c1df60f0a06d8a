import { bandOf } from "@rapport/model";

import type { InsightConfig } from "../config";
import type { InteractionKind } from "../interaction";
import { DAY_MS } from "../time";

/** Connection bands, strongest first. */
export type StrengthBand = "strong" | "moderate" | "weak";

/**
 * Half-lives of the three memories a connection has: last week, last month, last year. A pair is strong
 * only when it is both active now and established (the geometric mean punishes either missing).
 */
export const STRENGTH_HALF_LIVES_DAYS = [7, 30, 365] as const;

/** Silence halves a connection every 90 days (the horizon over which a strong pair should talk again). */
export const STRENGTH_SILENCE_HALF_LIFE_DAYS = 90;

/**
 * One-way contact is weak. A colleague who only ever received someone's mail (newsletters, cold
 * outreach) does not know them: such a pair keeps a quarter of its strength. A colleague who wrote and
 * was never answered keeps most of it: on real mail such pairs still talk again (the evaluation loses
 * when they are cut harder).
 */
export const INBOUND_ONLY_FACTOR = 0.25;
export const OUTBOUND_ONLY_FACTOR = 0.8;

/** How much one day in touch weighs by the kind of contact: a meeting is worth more than mail. */
export const KIND_FACTOR: Readonly<Record<InteractionKind, number>> = {
  email: 1,
  meeting: 2,
  call: 1.5,
  task: 1,
};

/** A day on which the pair was in touch: its first and last contact, and the weight of its best contact. */
export interface DayMark {
  first: number;
  last: number;
  weight: number;
}

/**
 * Weight of one interaction in "days in touch": its kind (with the admin's ±50% influence) and how
 * personal it was: beyond `massMailRecipients` recipients the weight falls as sqrt(limit / recipients),
 * so a message to hundreds is barely a contact.
 * @example interactionWeight("email", 2, config) // 1
 */
export function interactionWeight(
  kind: InteractionKind,
  recipientCount: number,
  config: InsightConfig,
): number {
  return kindWeight(kind, config) * personalFactor(recipientCount, config.massMailRecipients);
}

/** A kind's part of {@link interactionWeight}: its factor times the admin's weight for it. */
export function kindWeight(kind: InteractionKind, config: InsightConfig): number {
  return KIND_FACTOR[kind] * config.weights[kind];
}

/** The personal part of {@link interactionWeight}: 1 up to `few` recipients, then sqrt(few / recipients). */
export function personalFactor(recipientCount: number, few: number): number {
  return recipientCount <= few ? 1 : Math.sqrt(few / recipientCount);
}

/** Folds one interaction into a pair's days: a day keeps its earliest time and its heaviest contact. */
export function markDay(days: Map<number, DayMark>, day: number, at: number, weight: number): void {
  const mark = days.get(day);
  if (!mark) days.set(day, { first: at, last: at, weight });
  else {
    if (at < mark.first) mark.first = at;
    if (at > mark.last) mark.last = at;
    if (weight > mark.weight) mark.weight = weight;
  }
}

/**
 * Raw connection strength at `now`: the geometric mean of weighted days in touch, decayed with half-lives
 * of 7, 30 and 365 days, halved for every 90 days of silence since the last contact. 0 for no contact;
 * unbounded above (use {@link strengthScore} for 0-100). Days after `now` do not count.
 * @example rawStrength([{ first: t, last: t, weight: 1 }], t) // 1
 */
export function rawStrength(days: Iterable<DayMark>, now: number): number {
  // Summed in time order, so the result is bit-identical whatever order the days were recorded in.
  const ordered = [...days].sort((x, y) => x.first - y.first);
  return rawStrengthOfColumns(
    ordered.map((d) => d.first),
    ordered.map((d) => d.last),
    ordered.map((d) => d.weight),
    ordered.length,
    now,
  );
}

/**
 * {@link rawStrength} of `n` days given as columns already in time order (bulk passes read the days
 * straight from the state's tables, with no objects per day).
 */
export function rawStrengthOfColumns(
  first: readonly number[],
  lastOf: readonly number[],
  weight: readonly number[],
  n: number,
  now: number,
): number {
  let a7 = 0;
  let a30 = 0;
  let a365 = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const dFirst = first[k] as number;
    const dLast = lastOf[k] as number;
    const dWeight = weight[k] as number;
    if (dFirst > now) continue;
    const lastInDay = dLast <= now ? dLast : dFirst;
    if (lastInDay > last) last = lastInDay;
    const ageDays = (now - dFirst) / DAY_MS;
    a7 += dWeight * Math.pow(2, -ageDays / STRENGTH_HALF_LIVES_DAYS[0]);
    a30 += dWeight * Math.pow(2, -ageDays / STRENGTH_HALF_LIVES_DAYS[1]);
    a365 += dWeight * Math.pow(2, -ageDays / STRENGTH_HALF_LIVES_DAYS[2]);
  }
  if (last === Number.NEGATIVE_INFINITY) return 0;
  const depth = Math.cbrt((1 + a7) * (1 + a30) * (1 + a365)) - 1;
  return depth * Math.pow(2, -(now - last) / DAY_MS / STRENGTH_SILENCE_HALF_LIFE_DAYS);
}

/** Counts of a pair's contacts by kind and direction ("out" = started by us). */
export type DirectionCounts = Record<InteractionKind, { out: number; in: number }>;

/** Which way a pair's contact went: both, only from us, only from them. Meetings and calls are both ways. */
export function flowOf(counts: DirectionCounts): "twoWay" | "outboundOnly" | "inboundOnly" {
  const c = counts;
  if (c.meeting.out + c.meeting.in + c.call.out + c.call.in > 0) return "twoWay";
  const out = c.email.out + c.task.out;
  const inbound = c.email.in + c.task.in;
  return out > 0 && inbound > 0 ? "twoWay" : out > 0 ? "outboundOnly" : "inboundOnly";
}

/**
 * Raw strength of a pair: {@link rawStrength}, reduced for one-way contact.
 * @example pairStrength(days, counts, now)
 */
export function pairStrength(days: Iterable<DayMark>, counts: DirectionCounts, now: number): number {
  return flowAdjusted(rawStrength(days, now), counts);
}

/** Raw strength reduced for one-way contact (see {@link pairStrength}). */
export function flowAdjusted(raw: number, counts: DirectionCounts): number {
  const flow = flowOf(counts);
  return flow === "twoWay"
    ? raw
    : raw * (flow === "outboundOnly" ? OUTBOUND_ONLY_FACTOR : INBOUND_ONLY_FACTOR);
}

/** Maps raw strength to 0-100 (half-way at one "recent, established" unit). */
export function strengthScore(raw: number): number {
  return (100 * raw) / (raw + 1);
}

/** The band of a 0-100 strength; the limits (60, 30) are defined once, in the model's introductionPaths.ts. */
export function strengthBand(score: number): StrengthBand {
  return bandOf(score);
}
