import { type Cadence, CADENCE_DAYS, type InsightConfig } from "../config";
import type { Resolved } from "../engine/state";
import { DAY_MS, weekNumber } from "../time";
import { HEALTH, type HealthStatus, statusOf } from "./health";

/** A record's health score and status at one instant, as assessHealth gives them. */
export interface HealthScore {
  score: number;
  status: HealthStatus;
}

/**
 * A record's interactions read once for its health at many instants (the weekly health history): each
 * {@link HealthTimeline.scoreAt} equals assessHealth's score and status at that instant, bit for bit, without
 * reading the whole history again. Only what the score and status depend on is worked out (no reasons,
 * trend or single-threading): the past is a prefix of the interactions (they are in canonical order, by
 * time), each window a run of it found by binary search, and counts come from running sums.
 * @example HealthTimeline.of(resolved, config)?.scoreAt(Date.UTC(2001, 1, 1), "weekly").score
 */
export class HealthTimeline {
  /** Each interaction's time, in order. */
  private readonly at: number[] = [];
  /** outs[k]: how many of the first k interactions we started. */
  private readonly outs: number[] = [0];
  /** Each week's first interaction (its position) and its kind's weight: what depth sums. */
  private readonly weekFirst: number[] = [];
  private readonly weekWeight: number[] = [];
  /** nextMeeting[k]: the time of the first meeting or call at position k or later (NaN when none). */
  private readonly nextMeeting: number[];

  private constructor(
    private readonly interactions: readonly Resolved[],
    config: InsightConfig,
  ) {
    let lastWeek = Number.NaN;
    for (let k = 0; k < interactions.length; k++) {
      const i = (interactions[k] as Resolved).interaction;
      this.at.push(i.at);
      this.outs.push(
        (this.outs[k] as number) + ((interactions[k] as Resolved).sides.direction === "out" ? 1 : 0),
      );
      const week = weekNumber(i.at);
      if (week !== lastWeek) {
        lastWeek = week;
        this.weekFirst.push(k);
        this.weekWeight.push(config.weights[i.kind]);
      }
    }
    const n = interactions.length;
    this.nextMeeting = new Array<number>(n + 1);
    this.nextMeeting[n] = Number.NaN;
    for (let k = n - 1; k >= 0; k--) {
      const kind = (interactions[k] as Resolved).interaction.kind;
      this.nextMeeting[k] =
        kind === "meeting" || kind === "call" ? (this.at[k] as number) : (this.nextMeeting[k + 1] as number);
    }
  }

  /** The timeline of interactions in canonical order (by time); undefined when they are not in order. */
  static of(interactions: readonly Resolved[], config: InsightConfig): HealthTimeline | undefined {
    for (let k = 1; k < interactions.length; k++)
      if ((interactions[k] as Resolved).interaction.at < (interactions[k - 1] as Resolved).interaction.at)
        return undefined;
    return new HealthTimeline(interactions, config);
  }

  /** Health score and status at `now` (assessHealth's). */
  scoreAt(now: number, cadence: Cadence, config: InsightConfig): HealthScore {
    const past = this.firstAfter(now);
    if (past === 0) return { score: 0, status: "notEnoughInfo" };
    const cadenceDays = CADENCE_DAYS[cadence];
    const silenceDays = (now - (this.at[past - 1] as number)) / DAY_MS;
    let silence = (silenceDays + HEALTH.graceDays) / (HEALTH.priorDepth + this.depth(now, past));
    const next = this.nextMeeting[past] as number;
    if (!Number.isNaN(next) && !(next - now > HEALTH.upcomingDays * DAY_MS)) silence *= HEALTH.upcomingFactor;
    const reciprocal = this.windowStart(now, past, HEALTH.reciprocityWindowDays);
    const sent = (this.outs[past] as number) - (this.outs[reciprocal] as number);
    const received = past - reciprocal - sent;
    if (received === 0 && sent >= HEALTH.oneWayMinSent) silence *= HEALTH.oneWayFactor;
    if (this.broad(now, past)) silence *= HEALTH.broadFactor;
    const score = 100 / (1 + silence / cadenceDays);
    const caveat = this.outs[past] === 0 || past < HEALTH.minInteractions;
    return { score, status: caveat ? "notEnoughInfo" : statusOf(score, config) };
  }

  /** The first position whose interaction is after `now` (the number of past interactions). */
  private firstAfter(now: number): number {
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.at[mid] as number) > now) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The first of the past interactions (`past` of them) less than `days` old at `now`, as assessHealth ages them. */
  private windowStart(now: number, past: number, days: number): number {
    let lo = 0;
    let hi = past;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((now - (this.at[mid] as number)) / DAY_MS < days) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Weeks in touch, faded with their age at `now`: summed in the order assessHealth sums them. */
  private depth(now: number, past: number): number {
    let depth = 0;
    for (let w = 0; w < this.weekFirst.length; w++) {
      const k = this.weekFirst[w] as number;
      if (k >= past) break;
      const ageDays = (now - (this.at[k] as number)) / DAY_MS;
      depth += (this.weekWeight[w] as number) * Math.pow(2, -ageDays / HEALTH.depthHalfLifeDays);
    }
    return depth;
  }

  /** Whether enough people on each side took part in the recent window (breadthRule), newest first. */
  private broad(now: number, past: number): boolean {
    const from = this.windowStart(now, past, HEALTH.recentWindowDays);
    const ours: string[] = [];
    const theirs: string[] = [];
    const enough = HEALTH.broadPeople;
    for (let k = past - 1; k >= from; k--) {
      const sides = (this.interactions[k] as Resolved).sides;
      if (ours.length < enough) addDistinct(ours, sides.internals, enough);
      if (theirs.length < enough) addDistinct(theirs, sides.externals, enough);
      if (ours.length >= enough && theirs.length >= enough) return true;
    }
    return false;
  }
}

/** Adds the people not yet in `into`, up to `enough` of them. */
function addDistinct(into: string[], people: readonly string[], enough: number): void {
  for (let k = 0; k < people.length && into.length < enough; k++) {
    const p = people[k] as string;
    if (!into.includes(p)) into.push(p);
  }
}
