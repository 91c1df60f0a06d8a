import type { ActivityType, Band, Direction, SimilarBasis } from "./choices";

/**
 * The JSON stored in the memo columns of rp_relationshipinsight, as the server writes it
 * (server/src/dataverse/publish/insightRows.ts) and the controls and the preview read it. Readers must
 * still parse defensively: a row may have been written by an older version or edited by hand.
 */

/** An activity as the forms show it: when (ISO 8601), what, which way. */
export interface ActivityMark {
  at: string;
  kind: ActivityType;
  direction: Direction;
}

export interface PersonCount {
  address: string;
  count: number;
}

/** One week of rp_timeline's `weeks`. */
export interface WeekPoint {
  weekStart: string;
  sent: number;
  received: number;
  meetings: number;
  calls: number;
}

/** One day of rp_timeline's `days` (the last 60 days). */
export interface DayPoint {
  date: string;
  emailsSent: number;
  emailsReceived: number;
  meetingsSent: number;
  meetingsReceived: number;
  callsMade: number;
  callsReceived: number;
}

/** One item of rp_activityhistory. */
export interface HistoryItem {
  at: string;
  kind: ActivityType;
  direction: Direction;
  /** Our people and theirs (addresses): who took part. */
  ours: string[];
  theirs: string[];
  /** Only for activities tracked in Dataverse (controls show it to users who can read the activity). */
  subject?: string;
  activityId?: string;
  /** When `ours` (or `theirs`) was cut to the first few people (the insights command bounds them): how many took part. */
  oursTotal?: number;
  theirsTotal?: number;
}

/** One item of rp_reasons: a reason behind the score, as data (to translate) and as English text. */
export interface ReasonJson {
  code: string;
  params: Record<string, string | number>;
  text: string;
  /** Positive when the reason raised the score, negative when it lowered it. */
  effect: number;
}

/** rp_mostcontacted: top three each side. */
export interface MostContactedJson {
  mostContacted: { ours: PersonCount[]; theirs: PersonCount[] };
  mostContactedBy: { ours: PersonCount[]; theirs: PersonCount[] };
}

/** rp_timeline: weekly points and the 60-day series. */
export interface TimelineJson {
  weeks: WeekPoint[];
  days: DayPoint[];
}

/** Evidence behind a connection: counts by kind and direction, first and last contact. */
export interface EvidenceJson {
  counts: Record<ActivityType, { out: number; in: number }>;
  first: ActivityMark | null;
  last: ActivityMark | null;
  daysInTouch: number;
}

/** One item of rp_introducers: a colleague who knows the record's people. */
export interface IntroducerJson {
  colleague: string;
  name: string | null;
  userId: string | null;
  strength: number;
  band: Band;
  /** The record's people this colleague knows. */
  knows: string[];
  evidence: EvidenceJson;
}

/** The measures "similar won deals" compares, each as of the same age (days since the deal was created). */
export const SIMILAR_METRICS = [
  "emailsSent",
  "emailsReceived",
  "meetingsByUs",
  "meetingsByThem",
  "callsByUs",
  "callsByThem",
  "timeByTeamMin",
  "timeByCustomerMin",
  "responseHoursByUs",
  "responseHoursByThem",
  "responseRateByUs",
  "responseRateByThem",
  "peopleOurs",
  "peopleTheirs",
] as const;
export type SimilarMetric = (typeof SIMILAR_METRICS)[number];

/** One measure of rp_similardeals: this deal, the typical (median) won and lost deal; null when none has it. */
export interface SimilarMetricJson {
  metric: SimilarMetric;
  this: number | null;
  won: number | null;
  lost: number | null;
}

/** The difference that matters most: where this deal is furthest behind won deals like it, at `day`. */
export interface SimilarKeyJson {
  metric: SimilarMetric;
  this: number;
  won: number;
  lost: number;
  day: number;
}

/** The version of rp_similardeals' shape; readers ignore a document of a version they do not know. */
export const SIMILAR_DEALS_VERSION = 1 as const;

/**
 * rp_similardeals: an open opportunity against the won and lost deals it was compared with, at its age.
 * `basis` says which deals: "alike" (like this one), "recent" (the most recent won and lost deals) or
 * "tooFew" (fewer than `minimum` won or lost deals closed: no comparison; `metrics` has this deal's only).
 */
export interface SimilarDealsJson {
  version: typeof SIMILAR_DEALS_VERSION;
  basis: SimilarBasis;
  /** This deal's age in days: every deal is measured at this age (or at its close, if it closed younger). */
  ageDays: number;
  /** The won and lost deals compared. */
  wonCount: number;
  lostCount: number;
  /** Every won and lost deal closed so far, and how many of each a comparison needs. */
  closedWon: number;
  closedLost: number;
  minimum: number;
  metrics: SimilarMetricJson[];
  key: SimilarKeyJson | null;
  /** How much this deal looks like the won deals rather than the lost ones, -1 to 1; null when not compared. */
  score: number | null;
}
