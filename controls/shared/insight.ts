/**
 * The rp_relationshipinsight row as the controls read it, and total parsers for its JSON columns
 * (server/src/dataverse/publish/insightRows.ts writes them). A malformed or missing column gives an empty
 * value, never an exception: a form must still render what it can.
 */

/** Choice values (server/src/dataverse/model/rapportTables.ts: options numbered from 100000000). */
const BASE = 100_000_000;
export const HEALTH_STATUS = ["good", "fair", "poor", "notEnoughInfo", "notScored"] as const;
export const HEALTH_TREND = ["improving", "steady", "declining", "notEnoughInfo"] as const;
export const ACTIVITY_TYPE = ["email", "meeting", "call", "task"] as const;
export const DIRECTION = ["out", "in"] as const;
export const BAND = ["strong", "moderate", "weak"] as const;
export const RECORD_TYPE = ["contact", "lead", "opportunity", "account"] as const;

export type HealthStatus = (typeof HEALTH_STATUS)[number];
export type HealthTrend = (typeof HEALTH_TREND)[number];
export type ActivityType = (typeof ACTIVITY_TYPE)[number];
export type Direction = (typeof DIRECTION)[number];
export type Band = (typeof BAND)[number];
export type RecordType = (typeof RECORD_TYPE)[number];

/** The core name of a choice value, or undefined for null, a foreign value or a non-number. */
export function choiceOf<T extends string>(names: readonly T[], value: unknown): T | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) return undefined;
  return names[n - BASE];
}
export const choiceValue = <T extends string>(names: readonly T[], name: T): number =>
  BASE + names.indexOf(name);

export interface Reason {
  code: string;
  params: Record<string, string | number>;
  text: string;
  effect: number;
}
export interface PersonCount {
  address: string;
  count: number;
}
export interface MostContacted {
  mostContacted: { ours: PersonCount[]; theirs: PersonCount[] };
  mostContactedBy: { ours: PersonCount[]; theirs: PersonCount[] };
}
export interface WeekPoint {
  weekStart: string;
  sent: number;
  received: number;
  meetings: number;
  calls: number;
}
export interface DayPoint {
  date: string;
  emailsSent: number;
  emailsReceived: number;
  meetingsSent: number;
  meetingsReceived: number;
  callsMade: number;
  callsReceived: number;
}
export interface HistoryItem {
  at: string;
  kind: ActivityType;
  direction: Direction;
  ours: string[];
  theirs: string[];
  /** Present only for activities tracked in Dataverse; shown only when the user can read the activity. */
  subject?: string;
  activityId?: string;
}
export interface ActivityMark {
  at: string;
  kind: ActivityType;
  direction: Direction;
}
export interface Evidence {
  counts: Record<ActivityType, { out: number; in: number }>;
  first: ActivityMark | null;
  last: ActivityMark | null;
  daysInTouch: number;
}
export interface IntroducerJson {
  colleague: string;
  name: string | null;
  userId: string | null;
  strength: number;
  band: Band;
  knows: string[];
  evidence: Evidence;
}

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

/** Dataverse ids arrive with or without braces and in either case; compare and send them bare, lower case. */
export const bareId = (id: string): string => id.replace(/[{}]/g, "").toLowerCase();

/** Columns the analytics panel reads from rp_relationshipinsight. */
export const INSIGHT_COLUMNS = [
  "rp_relationshipinsightid",
  "rp_name",
  "rp_recordtype",
  "rp_recordid",
  "rp_healthscore",
  "rp_healthstatus",
  "rp_healthtrend",
  "rp_reasons",
  "rp_summary",
  "rp_singlethreaded",
  "rp_emailssent",
  "rp_emailsreceived",
  "rp_meetingssent",
  "rp_meetingsreceived",
  "rp_phonecallsmade",
  "rp_phonecallsreceived",
  "rp_timespentbyteam",
  "rp_timespentbycustomer",
  "rp_repliesbyus",
  "rp_repliesbythem",
  "rp_averagefirstresponsetimebyusinhrs",
  "rp_averagefirstresponsetimebytheminhrs",
  "rp_responseratebyus",
  "rp_responseratebythem",
  "rp_lastactivityon",
  "rp_lastactivitytype",
  "rp_lastactivitydirection",
  "rp_nextactivityon",
  "rp_nextactivitytype",
  "rp_nextactivitydirection",
  "rp_interactioncount",
  "rp_mostcontacted",
  "rp_timeline",
  "rp_activityhistory",
  "rp_introducers",
  "rp_lastcomputedon",
] as const;
