import { type Cadence, CADENCE_DAYS, type InsightConfig } from "../config";
import type { Resolved } from "../engine/state";
import { DAY_MS, isoDate, weekNumber } from "../time";
import { days, plural, type Reason } from "./reasons";

export type HealthStatus = "good" | "fair" | "poor" | "notEnoughInfo" | "notScored";
export type HealthTrend = "improving" | "steady" | "declining" | "notEnoughInfo";

/** Named constants of the health formula (docs/insights.md explains each). */
export const HEALTH = Object.freeze({
  /** Half-life of "weeks in touch": a relationship's depth fades over about half a year. */
  depthHalfLifeDays: 180,
  /** Prior depth: a relationship with no history is one week deep. */
  priorDepth: 1,
  /** Depth (faded weeks in touch) from which the history counts as deep rather than thin. */
  deepHistoryWeeks: 4,
  /** Half a day of grace on silence, so that "today" is not infinitely healthy. */
  graceDays: 0.5,
  /** The contact's usual gap between active days is read over the last year. */
  usualGapWindowDays: 365,
  /** Trend compares active weeks in the last 45 days with the 45 days before. */
  trendWindowDays: 45,
  /** Declining below half the earlier window's active weeks, improving above twice them. */
  trendRatio: 2,
  /** Improving also needs at least this many active weeks in the last window. */
  improvingMinWeeks: 2,
  /** Fewer past interactions than this: not enough information for a status. */
  minInteractions: 2,
  /** An upcoming meeting within this many days counts as engagement now. */
  upcomingDays: 30,
  /** Silence discount from an upcoming meeting, a one-way relationship and breadth (multipliers of R). */
  upcomingFactor: 0.5,
  oneWayFactor: 1.1,
  broadFactor: 0.95,
  /** Reciprocity is judged over the last 180 days (6 months): one-way when we wrote at least twice, they never. */
  reciprocityWindowDays: 180,
  oneWayMinSent: 2,
  /** Breadth and single-threading are judged over the last 90 days. */
  recentWindowDays: 90,
  /** Breadth: at least this many people on each side in the recent window. */
  broadPeople: 3,
  /** Single-threaded: one pair carries at least this share of the recent window's interactions. */
  singleThreadShare: 0.8,
  singleThreadMinInteractions: 6,
});

export interface HealthResult {
  score: number;
  status: HealthStatus;
  trend: HealthTrend;
  /** Most important first. */
  reasons: Reason[];
  /** Raw silence ratio (days of silence discounted by depth): lower is healthier. */
  silence: number;
  singleThreaded: boolean;
}

/** Status from a 0-100 score and the admin's thresholds. */
export function statusOf(score: number, config: InsightConfig): "good" | "fair" | "poor" {
  return score >= config.thresholds.good ? "good" : score >= config.thresholds.fair ? "fair" : "poor";
}

/**
 * What a record's interactions say, gathered in one pass (collectSignals) and judged by the rules below.
 * Windows count back from `now` (see HEALTH).
 */
interface HealthSignals {
  /** Interactions up to `now`, and the last of them. */
  pastCount: number;
  last: Resolved | undefined;
  /** The first meeting or call after `now`. */
  nextMeeting: number | undefined;
  /** Weeks in touch, each weighted by its first interaction's kind and faded with its age. */
  depth: number;
  lastWeek: number;
  /** Active weeks in the last trend window and in the one before. */
  recentWeeks: number;
  previousWeeks: number;
  /** Days with at least one interaction, in order, each once. */
  activeDays: number[];
  /** Interactions started by us, ever. */
  outboundEver: number;
  /** Interactions each way in the reciprocity window. */
  inboundRecent: number;
  outboundRecent: number;
  /** Interactions in the recent window, the people on each side, and (multi-person records) each pair's count. */
  countRecent: number;
  oursRecent: Set<string>;
  theirsRecent: Set<string>;
  pairsRecent: Map<string, number>;
}

/** Reads a record's interactions (canonical order) once into the signals the health rules judge. */
function collectSignals(
  interactions: readonly Resolved[],
  now: number,
  config: InsightConfig,
  multiPerson: boolean,
): HealthSignals {
  const s: HealthSignals = {
    pastCount: 0,
    last: undefined,
    nextMeeting: undefined,
    depth: 0,
    lastWeek: Number.NaN,
    recentWeeks: 0,
    previousWeeks: 0,
    activeDays: [],
    outboundEver: 0,
    inboundRecent: 0,
    outboundRecent: 0,
    countRecent: 0,
    oursRecent: new Set(),
    theirsRecent: new Set(),
    pairsRecent: new Map(),
  };
  for (const r of interactions) {
    const i = r.interaction;
    if (i.at > now) {
      if ((i.kind === "meeting" || i.kind === "call") && s.nextMeeting === undefined) s.nextMeeting = i.at;
      continue;
    }
    s.pastCount++;
    s.last = r;
    const ageDays = (now - i.at) / DAY_MS;
    noteTime(s, i.at, config.weights[i.kind], ageDays);
    noteDirection(s, r.sides.direction, ageDays);
    if (ageDays < HEALTH.recentWindowDays) notePeople(s, r.sides, multiPerson);
  }
  return s;
}

/** Active days, and each week's first interaction: depth and the trend's active weeks. */
function noteTime(s: HealthSignals, at: number, weight: number, ageDays: number): void {
  const day = Math.floor(at / DAY_MS);
  if (s.activeDays[s.activeDays.length - 1] !== day) s.activeDays.push(day);
  const week = weekNumber(at);
  if (week === s.lastWeek) return;
  s.lastWeek = week;
  s.depth += weight * Math.pow(2, -ageDays / HEALTH.depthHalfLifeDays);
  if (ageDays < HEALTH.trendWindowDays) s.recentWeeks++;
  else if (ageDays < 2 * HEALTH.trendWindowDays) s.previousWeeks++;
}

function noteDirection(s: HealthSignals, direction: Resolved["sides"]["direction"], ageDays: number): void {
  if (direction === "out") s.outboundEver++;
  if (ageDays < HEALTH.reciprocityWindowDays) {
    if (direction === "in") s.inboundRecent++;
    else s.outboundRecent++;
  }
}

function notePeople(s: HealthSignals, sides: Resolved["sides"], multiPerson: boolean): void {
  s.countRecent++;
  for (const u of sides.internals) s.oursRecent.add(u);
  for (const e of sides.externals) s.theirsRecent.add(e);
  // Pairs only matter for single-threading, which only multi-person records judge.
  if (!multiPerson) return;
  for (const [u, e] of sides.pairs) {
    const key = `${u} ${e}`;
    s.pairsRecent.set(key, (s.pairsRecent.get(key) ?? 0) + 1);
  }
}

/** The contact's own rhythm: the median gap between active days over the last year; undefined with none. */
function usualGapDays(activeDays: readonly number[], now: number): number | undefined {
  const gaps: number[] = [];
  for (let k = 1; k < activeDays.length; k++) {
    const a = activeDays[k - 1];
    const b = activeDays[k];
    if (a !== undefined && b !== undefined && now / DAY_MS - b < HEALTH.usualGapWindowDays) gaps.push(b - a);
  }
  gaps.sort((x, y) => x - y);
  return gaps.length ? (gaps[Math.floor((gaps.length - 1) / 2)] ?? 0) : undefined;
}

/** Silence against the expected cadence (and the contact's usual gap). */
function recencyReason(
  silenceDays: number,
  cadenceDays: number,
  usualGap: number | undefined,
  last: Resolved,
): Reason {
  if (silenceDays <= cadenceDays) {
    return {
      code: "recentContact",
      params: { days: Math.round(silenceDays), cadenceDays },
      text: `Last contact ${days(silenceDays)} ago, within the expected cadence of ${days(cadenceDays)}.`,
      effect: 2,
    };
  }
  const who = last.sides.direction === "out" ? "from them" : "with them";
  return {
    code: usualGap !== undefined ? "silentVsUsual" : "silentLong",
    params: { days: Math.round(silenceDays), usualGap: usualGap ?? -1, cadenceDays },
    text:
      usualGap !== undefined
        ? `No contact ${who} in ${days(silenceDays)}; their usual gap is ${days(Math.max(1, usualGap))}.`
        : `No contact ${who} in ${days(silenceDays)}; the expected cadence is ${days(cadenceDays)}.`,
    effect: -Math.min(5, silenceDays / cadenceDays),
  };
}

function depthReason(depth: number): Reason {
  const activeWeeks = Math.round(depth * 10) / 10;
  return depth >= HEALTH.deepHistoryWeeks
    ? {
        code: "deepHistory",
        params: { weeks: activeWeeks },
        text: `In touch in many recent weeks (depth ${activeWeeks} weeks).`,
        effect: 1,
      }
    : {
        code: "thinHistory",
        params: { weeks: activeWeeks },
        text: `Little history: about ${plural(Math.max(1, Math.round(depth)), "week")} in touch recently.`,
        effect: -1,
      };
}

/** A rule's reason and, when it moves the silence, its factor. */
interface Adjustment {
  factor?: number;
  reason: Reason;
}

function upcomingRule(s: HealthSignals, now: number): Adjustment | undefined {
  const next = s.nextMeeting;
  if (next === undefined || next - now > HEALTH.upcomingDays * DAY_MS) return undefined;
  return {
    factor: HEALTH.upcomingFactor,
    reason: {
      code: "upcomingMeeting",
      params: { date: isoDate(next) },
      text: `A meeting is scheduled on ${isoDate(next)}.`,
      effect: 3,
    },
  };
}

function reciprocityRule(s: HealthSignals): Adjustment | undefined {
  const sent = s.outboundRecent;
  const received = s.inboundRecent;
  if (received === 0 && sent >= HEALTH.oneWayMinSent) {
    return {
      factor: HEALTH.oneWayFactor,
      reason: {
        code: "oneWay",
        params: { sent },
        text: `One-way: ${plural(sent, "message")} from us and none from them in 6 months.`,
        effect: -2,
      },
    };
  }
  if (received === 0 || sent === 0) return undefined;
  return {
    reason: {
      code: "balanced",
      params: { sent, received },
      text: `Two-way: ${sent} from us, ${received} from them in 6 months.`,
      effect: 0.5,
    },
  };
}

function breadthRule(s: HealthSignals): Adjustment | undefined {
  const ours = s.oursRecent.size;
  const theirs = s.theirsRecent.size;
  if (ours < HEALTH.broadPeople || theirs < HEALTH.broadPeople) return undefined;
  return {
    factor: HEALTH.broadFactor,
    reason: {
      code: "broad",
      params: { ours, theirs },
      text: `Broad: ${ours} of our people and ${theirs} of theirs engaged in ${HEALTH.recentWindowDays} days.`,
      effect: 1,
    },
  };
}

/** The rules that adjust the silence, in the order their factors apply. */
const SILENCE_RULES: ReadonlyArray<(s: HealthSignals, now: number) => Adjustment | undefined> = [
  upcomingRule,
  reciprocityRule,
  breadthRule,
];

/** One (colleague, customer person) pair carrying most of a multi-person record's recent interactions. */
function singleThreadRule(s: HealthSignals, multiPerson: boolean): Reason | undefined {
  if (!multiPerson || s.countRecent < HEALTH.singleThreadMinInteractions) return undefined;
  const top = Math.max(0, ...s.pairsRecent.values());
  if (top / s.countRecent < HEALTH.singleThreadShare) return undefined;
  const share = Math.round((100 * top) / s.countRecent);
  return {
    code: "singleThreaded",
    params: { share },
    text: `Single-threaded: one person on each side carries ${share}% of the last ${HEALTH.recentWindowDays} days.`,
    effect: -1.5,
  };
}

/** Active weeks in the last trend window against the one before; `first` is the record's first interaction. */
function trendOf(s: HealthSignals, first: number, now: number): HealthTrend {
  const recent = s.recentWeeks;
  const previous = s.previousWeeks;
  if ((now - first) / DAY_MS < 2 * HEALTH.trendWindowDays || recent + previous === 0) return "notEnoughInfo";
  if (recent < previous / HEALTH.trendRatio) return "declining";
  if (recent > HEALTH.trendRatio * previous && recent >= HEALTH.improvingMinWeeks) return "improving";
  return "steady";
}

function trendReason(trend: HealthTrend, s: HealthSignals): Reason | undefined {
  if (trend !== "declining" && trend !== "improving") return undefined;
  const recent = s.recentWeeks;
  const previous = s.previousWeeks;
  const against = `${plural(recent, "active week")} in the last ${HEALTH.trendWindowDays} days against ${previous} in the ${HEALTH.trendWindowDays} before.`;
  return trend === "declining"
    ? {
        code: "fallingActivity",
        params: { recent, previous },
        text: `Activity falling: ${against}`,
        effect: -1,
      }
    : {
        code: "risingActivity",
        params: { recent, previous },
        text: `Activity rising: ${against}`,
        effect: 1,
      };
}

/**
 * Mail only ever from them (newsletters, notifications, cold outreach) is not yet a relationship; too few
 * interactions are not enough to judge. Either way the status is "not enough information", said first.
 */
function caveatReason(s: HealthSignals): Reason | undefined {
  if (s.outboundEver === 0) {
    return {
      code: "inboundOnly",
      params: { received: s.pastCount },
      text: `Only mail from them (${plural(s.pastCount, "message")}), never from us: not a conversation yet.`,
      effect: 0,
    };
  }
  if (s.pastCount >= HEALTH.minInteractions) return undefined;
  return {
    code: "notEnoughInfo",
    params: { interactions: s.pastCount },
    text: `Only ${plural(s.pastCount, "interaction")} so far: not enough to judge.`,
    effect: 0,
  };
}

function noInteractions(): HealthResult {
  return {
    score: 0,
    status: "notEnoughInfo",
    trend: "notEnoughInfo",
    reasons: [{ code: "notEnoughInfo", params: {}, text: "No interactions yet.", effect: 0 }],
    silence: Number.POSITIVE_INFINITY,
    singleThreaded: false,
  };
}

/**
 * Relationship health at `now` from a record's interactions (canonical order).
 *
 * silence R = (days since last contact + 0.5) / (1 + weeks in touch, decayed with a 180-day half-life),
 * adjusted for an upcoming meeting (×0.5), a one-way relationship (×1.1) and breadth (×0.95);
 * health = 100 / (1 + R / expected cadence in days). A long expected cadence forgives longer silences.
 * @example assessHealth(resolved, Date.UTC(2001, 1, 1), "weekly", config).status // "good"
 */
export function assessHealth(
  interactions: readonly Resolved[],
  now: number,
  cadence: Cadence,
  config: InsightConfig,
  options: { multiPerson?: boolean } = {},
): HealthResult {
  const multiPerson = options.multiPerson === true;
  const s = collectSignals(interactions, now, config, multiPerson);
  const last = s.last;
  if (!last) return noInteractions();
  const cadenceDays = CADENCE_DAYS[cadence];
  const silenceDays = (now - last.interaction.at) / DAY_MS;
  let silence = (silenceDays + HEALTH.graceDays) / (HEALTH.priorDepth + s.depth);
  const reasons: Reason[] = [
    recencyReason(silenceDays, cadenceDays, usualGapDays(s.activeDays, now), last),
    depthReason(s.depth),
  ];
  for (const rule of SILENCE_RULES) {
    const adjustment = rule(s, now);
    if (!adjustment) continue;
    if (adjustment.factor !== undefined) silence *= adjustment.factor;
    reasons.push(adjustment.reason);
  }
  const single = singleThreadRule(s, multiPerson);
  if (single) reasons.push(single);
  const score = 100 / (1 + silence / cadenceDays);
  const trend = trendOf(s, interactions[0]?.interaction.at ?? now, now);
  const moving = trendReason(trend, s);
  if (moving) reasons.push(moving);
  reasons.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  const caveat = caveatReason(s);
  if (caveat) reasons.unshift(caveat);
  const status: HealthStatus = caveat ? "notEnoughInfo" : statusOf(score, config);
  return { score, status, trend, reasons, silence, singleThreaded: single !== undefined };
}
