import type { ActivityType, Band, Direction } from "./choices";

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
