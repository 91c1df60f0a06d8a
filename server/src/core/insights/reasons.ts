/**
 * A reason behind a score, as data (so the controls can translate it) and as an English sentence.
 * `weight` orders reasons by how much they moved the score (higher first).
 */
export interface Reason {
  code: ReasonCode;
  params: Record<string, string | number>;
  text: string;
  /** Positive when the reason raised the score, negative when it lowered it. */
  effect: number;
}

export type ReasonCode =
  | "recentContact"
  | "silentLong"
  | "silentVsUsual"
  | "deepHistory"
  | "thinHistory"
  | "upcomingMeeting"
  | "oneWay"
  | "balanced"
  | "slowReplies"
  | "fastReplies"
  | "broad"
  | "singleThreaded"
  | "risingActivity"
  | "fallingActivity"
  | "inboundOnly"
  | "notEnoughInfo";

export function days(n: number): string {
  const d = Math.round(n);
  return d === 1 ? "1 day" : `${d} days`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
