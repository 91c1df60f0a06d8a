/**
 * The rp_relationshipinsight row as the controls read it, and total parsers for its JSON columns
 * (server/src/dataverse/publish/insightRows.ts writes them). A malformed or missing column gives an empty
 * value, never an exception: a form must still render what it can.
 */

import {
  type ActivityMark,
  type ActivityType,
  type Band,
  CHOICE_BASE,
  CHOICE_NAMES,
  type DayPoint,
  type Direction,
  type EvidenceJson,
  type HealthStatus,
  type HealthTrend,
  type HistoryItem,
  type IntroducerJson,
  type MostContactedJson,
  type PersonCount,
  type ReasonJson,
  type RecordType,
  RelationshipInsightColumns as C,
  SIMILAR_DEALS_VERSION,
  SIMILAR_METRICS,
  type SimilarDealsJson,
  type SimilarKeyJson,
  type SimilarMetric,
  type SimilarMetricJson,
  type WeekPoint,
} from "@rapport/model";

export type {
  ActivityMark,
  ActivityType,
  Band,
  DayPoint,
  Direction,
  HealthStatus,
  HealthTrend,
  HistoryItem,
  IntroducerJson,
  PersonCount,
  RecordType,
  SimilarDealsJson,
  SimilarMetric,
  SimilarMetricJson,
  WeekPoint,
};
export type Reason = ReasonJson;
export type MostContacted = MostContactedJson;
export type Evidence = EvidenceJson;

/** Choice names in option order (the model's; option values count from CHOICE_BASE). */
export const HEALTH_STATUS = CHOICE_NAMES.healthStatus;
export const HEALTH_TREND = CHOICE_NAMES.healthTrend;
export const ACTIVITY_TYPE = CHOICE_NAMES.activityType;
export const DIRECTION = CHOICE_NAMES.direction;
export const BAND = CHOICE_NAMES.band;
export const RECORD_TYPE = CHOICE_NAMES.recordType;
export const TARGET_TYPE = CHOICE_NAMES.targetType;
export const SIMILAR_BASIS = CHOICE_NAMES.similarBasis;
export { SIMILAR_METRICS };

/** The core name of a choice value, or undefined for null, a foreign value or a non-number. */
export function choiceOf<T extends string>(names: readonly T[], value: unknown): T | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) return undefined;
  return names[n - CHOICE_BASE];
}
export const choiceValue = <T extends string>(names: readonly T[], name: T): number =>
  CHOICE_BASE + names.indexOf(name);

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: Json): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: Json): string => (typeof v === "string" ? v : "");
const strs = (v: Json): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
const arr = (v: Json): Json[] => (Array.isArray(v) ? v : []);
const oneOf = <T extends string>(names: readonly T[], v: Json, fallback: T): T =>
  (names as readonly string[]).includes(v as string) ? (v as T) : fallback;

function parse(text: string | null | undefined): Json {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    // A malformed column is shown as empty: the insight is still useful without it.
    return undefined;
  }
}

export function parseReasons(text: string | null | undefined): Reason[] {
  return arr(parse(text))
    .filter(isObj)
    .map((r) => ({
      code: str(r.code),
      params: isObj(r.params)
        ? (Object.fromEntries(
            Object.entries(r.params).filter(([, v]) => typeof v === "string" || typeof v === "number"),
          ) as Record<string, string | number>)
        : {},
      text: str(r.text),
      effect: num(r.effect),
    }))
    .filter((r) => r.text !== "" || r.code !== "");
}

const people = (v: Json): PersonCount[] =>
  arr(v)
    .filter(isObj)
    .map((p) => ({ address: str(p.address), count: num(p.count) }))
    .filter((p) => p.address !== "");
const sides = (v: Json) => ({
  ours: people(isObj(v) ? v.ours : []),
  theirs: people(isObj(v) ? v.theirs : []),
});

export function parseMostContacted(text: string | null | undefined): MostContacted {
  const j = parse(text);
  const o = isObj(j) ? j : {};
  return { mostContacted: sides(o.mostContacted), mostContactedBy: sides(o.mostContactedBy) };
}

export function parseTimeline(text: string | null | undefined): { weeks: WeekPoint[]; days: DayPoint[] } {
  const j = parse(text);
  const o = isObj(j) ? j : {};
  return {
    weeks: arr(o.weeks)
      .filter(isObj)
      .map((w) => ({
        weekStart: str(w.weekStart),
        sent: num(w.sent),
        received: num(w.received),
        meetings: num(w.meetings),
        calls: num(w.calls),
      })),
    days: arr(o.days)
      .filter(isObj)
      .map((d) => ({
        date: str(d.date),
        emailsSent: num(d.emailsSent),
        emailsReceived: num(d.emailsReceived),
        meetingsSent: num(d.meetingsSent),
        meetingsReceived: num(d.meetingsReceived),
        callsMade: num(d.callsMade),
        callsReceived: num(d.callsReceived),
      })),
  };
}

const mark = (v: Json): ActivityMark | null =>
  isObj(v) && typeof v.at === "string"
    ? {
        at: v.at,
        kind: oneOf(ACTIVITY_TYPE, v.kind, "email"),
        direction: oneOf(DIRECTION, v.direction, "out"),
      }
    : null;

export function parseHistory(text: string | null | undefined): HistoryItem[] {
  return arr(parse(text))
    .filter(isObj)
    .filter((h) => typeof h.at === "string")
    .map((h) => {
      const item: HistoryItem = {
        at: str(h.at),
        kind: oneOf(ACTIVITY_TYPE, h.kind, "email"),
        direction: oneOf(DIRECTION, h.direction, "out"),
        ours: strs(h.ours),
        theirs: strs(h.theirs),
      };
      if (typeof h.subject === "string") item.subject = h.subject;
      if (typeof h.activityId === "string") item.activityId = h.activityId;
      return item;
    });
}

function counts(v: Json): Evidence["counts"] {
  const o = isObj(v) ? v : {};
  const pair = (k: ActivityType) => {
    const p = o[k];
    return isObj(p) ? { out: num(p.out), in: num(p.in) } : { out: 0, in: 0 };
  };
  return { email: pair("email"), meeting: pair("meeting"), call: pair("call"), task: pair("task") };
}

export function parseIntroducers(text: string | null | undefined): IntroducerJson[] {
  return arr(parse(text))
    .filter(isObj)
    .filter((i) => typeof i.colleague === "string")
    .map((i) => {
      const e = isObj(i.evidence) ? i.evidence : {};
      return {
        colleague: str(i.colleague),
        name: typeof i.name === "string" ? i.name : null,
        userId: typeof i.userId === "string" ? i.userId : null,
        strength: num(i.strength),
        band: oneOf(BAND, i.band, "weak"),
        knows: strs(i.knows),
        evidence: {
          counts: counts(e.counts),
          first: mark(e.first),
          last: mark(e.last),
          daysInTouch: num(e.daysInTouch),
        },
      };
    });
}

const numOrNull = (v: Json): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function similarKey(v: Json): SimilarKeyJson | null {
  if (!isObj(v) || !(SIMILAR_METRICS as readonly string[]).includes(str(v.metric))) return null;
  return {
    metric: v.metric as SimilarMetric,
    this: num(v.this),
    won: num(v.won),
    lost: num(v.lost),
    day: num(v.day),
  };
}

/**
 * rp_similardeals, or null when it is missing, malformed or of a version this control does not know.
 * Measures are kept in the model's order, unknown ones dropped.
 */
export function parseSimilarDeals(text: string | null | undefined): SimilarDealsJson | null {
  const j = parse(text);
  if (!isObj(j) || j.version !== SIMILAR_DEALS_VERSION) return null;
  const byMetric = new Map(
    arr(j.metrics)
      .filter(isObj)
      .map((m) => [str(m.metric), m] as const),
  );
  const metrics = SIMILAR_METRICS.filter((m) => byMetric.has(m)).map((metric): SimilarMetricJson => {
    const m = byMetric.get(metric) as Record<string, Json>;
    return { metric, this: numOrNull(m.this), won: numOrNull(m.won), lost: numOrNull(m.lost) };
  });
  return {
    version: SIMILAR_DEALS_VERSION,
    basis: oneOf(SIMILAR_BASIS, j.basis, "tooFew"),
    ageDays: num(j.ageDays),
    wonCount: num(j.wonCount),
    lostCount: num(j.lostCount),
    closedWon: num(j.closedWon),
    closedLost: num(j.closedLost),
    minimum: num(j.minimum),
    metrics,
    key: similarKey(j.key),
    score: numOrNull(j.score),
  };
}

/** Dataverse ids arrive with or without braces and in either case; compare and send them bare, lower case. */
export const bareId = (id: string): string => id.replace(/[{}]/g, "").toLowerCase();

/** Columns the analytics panel reads from rp_relationshipinsight. */
export const INSIGHT_COLUMNS = [
  C.relationshipInsightId,
  C.name,
  C.recordType,
  C.recordId,
  C.healthScore,
  C.healthStatus,
  C.healthTrend,
  C.reasons,
  C.summary,
  C.singleThreaded,
  C.emailsSent,
  C.emailsReceived,
  C.meetingsSent,
  C.meetingsReceived,
  C.phoneCallsMade,
  C.phoneCallsReceived,
  C.timeSpentByTeam,
  C.timeSpentByCustomer,
  C.repliesByUs,
  C.repliesByThem,
  C.averageFirstResponseTimeByUsInHrs,
  C.averageFirstResponseTimeByThemInHrs,
  C.responseRateByUs,
  C.responseRateByThem,
  C.lastActivityOn,
  C.lastActivityType,
  C.lastActivityDirection,
  C.nextActivityOn,
  C.nextActivityType,
  C.nextActivityDirection,
  C.interactionCount,
  C.mostContacted,
  C.timeline,
  C.activityHistory,
  C.introducers,
  C.similarDeals,
  C.lastComputedOn,
] as const;
