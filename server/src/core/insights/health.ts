import { CADENCE_DAYS, type Cadence, type InsightConfig } from "../config";
import type { Resolved } from "../engine/state";
import { days, plural, type Reason } from "./reasons";
import { DAY_MS, isoDate, weekNumber } from "../time";

export type HealthStatus = "good" | "fair" | "poor" | "notEnoughInfo" | "notScored";
export type HealthTrend = "improving" | "steady" | "declining" | "notEnoughInfo";

/** Named constants of the health formula (docs/insights.md explains each). */
export const HEALTH = Object.freeze({
  /** Half-life of "weeks in touch": a relationship's depth fades over about half a year. */
  depthHalfLifeDays: 180,
  /** Prior depth: a relationship with no history is one week deep. */
  priorDepth: 1,
  /** Half a day of grace on silence, so that "today" is not infinitely healthy. */
  graceDays: 0.5,
  /** Trend compares active weeks in the last 45 days with the 45 days before. */
  trendWindowDays: 45,
  /** Fewer past interactions than this: not enough information for a status. */
  minInteractions: 2,
  /** An upcoming meeting within this many days counts as engagement now. */
  upcomingDays: 30,
  /** Silence discount from an upcoming meeting, a one-way relationship and breadth (multipliers of R). */
  upcomingFactor: 0.5,
  oneWayFactor: 1.1,
  broadFactor: 0.95,
  /** Breadth: at least this many people on each side in the last 90 days. */
  broadPeople: 3,
  /** Single-threaded: one pair carries at least this share of the last 90 days' interactions. */
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
  const cadenceDays = CADENCE_DAYS[cadence];
  let depth = 0;
  let lastWeek = Number.NaN;
  let last: Resolved | undefined;
  let pastCount = 0;
  let recentWeeks = 0;
  let previousWeeks = 0;
  let inbound180 = 0;
  let outbound180 = 0;
  let outboundEver = 0;
  let nextMeeting: number | undefined;
  const activeDays: number[] = [];
  const ours90 = new Map<string, number>();
  const theirs90 = new Map<string, number>();
  const pairs90 = new Map<string, number>();
  let count90 = 0;

  for (const r of interactions) {
    const i = r.interaction;
    if (i.at > now) {
      if ((i.kind === "meeting" || i.kind === "call") && nextMeeting === undefined) nextMeeting = i.at;
      continue;
    }
    pastCount++;
    last = r;
    const ageDays = (now - i.at) / DAY_MS;
    const day = Math.floor(i.at / DAY_MS);
    if (activeDays[activeDays.length - 1] !== day) activeDays.push(day);
    const week = weekNumber(i.at);
    if (week !== lastWeek) {
      lastWeek = week;
      depth += config.weights[i.kind] * Math.pow(2, -ageDays / HEALTH.depthHalfLifeDays);
      if (ageDays < HEALTH.trendWindowDays) recentWeeks++;
      else if (ageDays < 2 * HEALTH.trendWindowDays) previousWeeks++;
    }
    if (r.sides.direction === "out") outboundEver++;
    if (ageDays < 180) {
      if (r.sides.direction === "in") inbound180++;
      else outbound180++;
    }
    if (ageDays < 90) {
      count90++;
      for (const u of r.sides.internals) ours90.set(u, (ours90.get(u) ?? 0) + 1);
      for (const e of r.sides.externals) theirs90.set(e, (theirs90.get(e) ?? 0) + 1);
      // Pairs only matter for single-threading, which only multi-person records judge.
      if (options.multiPerson)
        for (const [u, e] of r.sides.pairs) pairs90.set(`${u} ${e}`, (pairs90.get(`${u} ${e}`) ?? 0) + 1);
    }
  }

  const reasons: Reason[] = [];
  if (!last) {
    return {
      score: 0,
      status: "notEnoughInfo",
      trend: "notEnoughInfo",
      reasons: [{ code: "notEnoughInfo", params: {}, text: "No interactions yet.", effect: 0 }],
      silence: Number.POSITIVE_INFINITY,
      singleThreaded: false,
    };
  }
  const silenceDays = (now - last.interaction.at) / DAY_MS;
  let silence = (silenceDays + HEALTH.graceDays) / (HEALTH.priorDepth + depth);

  // The contact's own rhythm: the median gap between active days over the last year.
  const gaps: number[] = [];
  for (let k = 1; k < activeDays.length; k++) {
    const a = activeDays[k - 1];
    const b = activeDays[k];
    if (a !== undefined && b !== undefined && now / DAY_MS - b < 365) gaps.push(b - a);
  }
  gaps.sort((x, y) => x - y);
  const usualGap = gaps.length ? (gaps[Math.floor((gaps.length - 1) / 2)] ?? 0) : undefined;

  if (silenceDays <= cadenceDays) {
    reasons.push({
      code: "recentContact",
      params: { days: Math.round(silenceDays), cadenceDays },
      text: `Last contact ${days(silenceDays)} ago, within the expected cadence of ${days(cadenceDays)}.`,
      effect: 2,
    });
  } else {
    const who = last.sides.direction === "out" ? "from them" : "with them";
    reasons.push({
      code: usualGap !== undefined ? "silentVsUsual" : "silentLong",
      params: { days: Math.round(silenceDays), usualGap: usualGap ?? -1, cadenceDays },
      text:
        usualGap !== undefined
          ? `No contact ${who} in ${days(silenceDays)}; their usual gap is ${days(Math.max(1, usualGap))}.`
          : `No contact ${who} in ${days(silenceDays)}; the expected cadence is ${days(cadenceDays)}.`,
      effect: -Math.min(5, silenceDays / cadenceDays),
    });
  }
  const activeWeeks = Math.round(depth * 10) / 10;
  reasons.push(
    depth >= 4
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
        },
  );

  if (nextMeeting !== undefined && nextMeeting - now <= HEALTH.upcomingDays * DAY_MS) {
    silence *= HEALTH.upcomingFactor;
    reasons.push({
      code: "upcomingMeeting",
      params: { date: isoDate(nextMeeting) },
      text: `A meeting is scheduled on ${isoDate(nextMeeting)}.`,
      effect: 3,
    });
  }
  if (inbound180 === 0 && outbound180 >= 2) {
    silence *= HEALTH.oneWayFactor;
    reasons.push({
      code: "oneWay",
      params: { sent: outbound180 },
      text: `One-way: ${plural(outbound180, "message")} from us and none from them in 6 months.`,
      effect: -2,
    });
  } else if (inbound180 > 0 && outbound180 > 0) {
    reasons.push({
      code: "balanced",
      params: { sent: outbound180, received: inbound180 },
      text: `Two-way: ${outbound180} from us, ${inbound180} from them in 6 months.`,
      effect: 0.5,
    });
  }
  if (ours90.size >= HEALTH.broadPeople && theirs90.size >= HEALTH.broadPeople) {
    silence *= HEALTH.broadFactor;
    reasons.push({
      code: "broad",
      params: { ours: ours90.size, theirs: theirs90.size },
      text: `Broad: ${ours90.size} of our people and ${theirs90.size} of theirs engaged in 90 days.`,
      effect: 1,
    });
  }
  let singleThreaded = false;
  if (options.multiPerson && count90 >= HEALTH.singleThreadMinInteractions) {
    const top = Math.max(0, ...pairs90.values());
    if (top / count90 >= HEALTH.singleThreadShare) {
      singleThreaded = true;
      reasons.push({
        code: "singleThreaded",
        params: { share: Math.round((100 * top) / count90) },
        text: `Single-threaded: one person on each side carries ${Math.round((100 * top) / count90)}% of the last 90 days.`,
        effect: -1.5,
      });
    }
  }

  const score = 100 / (1 + silence / cadenceDays);
  let trend: HealthTrend;
  const first = interactions[0]?.interaction.at ?? now;
  if ((now - first) / DAY_MS < 2 * HEALTH.trendWindowDays || recentWeeks + previousWeeks === 0)
    trend = "notEnoughInfo";
  else if (recentWeeks < previousWeeks / 2) trend = "declining";
  else if (recentWeeks > 2 * previousWeeks && recentWeeks >= 2) trend = "improving";
  else trend = "steady";
  if (trend === "declining") {
    reasons.push({
      code: "fallingActivity",
      params: { recent: recentWeeks, previous: previousWeeks },
      text: `Activity falling: ${plural(recentWeeks, "active week")} in the last 45 days against ${previousWeeks} in the 45 before.`,
      effect: -1,
    });
  } else if (trend === "improving") {
    reasons.push({
      code: "risingActivity",
      params: { recent: recentWeeks, previous: previousWeeks },
      text: `Activity rising: ${plural(recentWeeks, "active week")} in the last 45 days against ${previousWeeks} in the 45 before.`,
      effect: 1,
    });
  }
  reasons.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  // Mail only ever from them (newsletters, notifications, cold outreach) is not yet a relationship.
  const inboundOnly = outboundEver === 0;
  const status: HealthStatus =
    pastCount < HEALTH.minInteractions || inboundOnly ? "notEnoughInfo" : statusOf(score, config);
  if (inboundOnly) {
    reasons.unshift({
      code: "inboundOnly",
      params: { received: pastCount },
      text: `Only mail from them (${plural(pastCount, "message")}), never from us: not a conversation yet.`,
      effect: 0,
    });
  } else if (status === "notEnoughInfo") {
    reasons.unshift({
      code: "notEnoughInfo",
      params: { interactions: pastCount },
      text: `Only ${plural(pastCount, "interaction")} so far: not enough to judge.`,
      effect: 0,
    });
  }
  return { score, status, trend, reasons, silence, singleThreaded };
}
