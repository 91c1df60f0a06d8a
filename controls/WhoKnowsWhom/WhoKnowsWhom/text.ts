import type { PathAdjustment } from "@rapport/model";

import type { Formatter } from "../../shared/format";
import type { Strings } from "../../shared/strings";
import type { AskBlock, Introduction } from "./introductions";

const DAY_MS = 86_400_000;

/** Whole days from `iso` to `now` (0 for the future or an unreadable date). */
export function daysSince(iso: string, now: number): number {
  const at = Date.parse(iso);
  return Number.isFinite(at) ? Math.max(0, Math.floor((now - at) / DAY_MS)) : 0;
}

/** "today", "yesterday", "12 days ago", in the control's strings. */
export function ago(t: Strings, f: Formatter, days: number): string {
  if (days <= 0) return t("agoToday");
  if (days === 1) return t("agoYesterday");
  return t("agoDays", { days: f.number(days) });
}

/** Why feedback moved a path: "Declined a similar request 12 days ago". */
export function adjustmentText(t: Strings, f: Formatter, a: PathAdjustment): string {
  return t(`adj_${a.reason}_${a.similar ? "similar" : "other"}`, { ago: ago(t, f, a.daysAgo) });
}

const firstName = (name: string): string => name.trim().split(/\s+/)[0] ?? name;

/** Where the seller's own request stands: "Requested from Sally 3 days ago", "Meeting held 2 May". */
export function statusText(t: Strings, f: Formatter, x: Introduction, now: number): string {
  const name = x.introducer.name;
  switch (x.status) {
    case "requested":
      return t("intro_requested", { name, ago: ago(t, f, daysSince(x.requestedOn, now)) });
    case "snoozed":
      return t("intro_snoozed", { name, date: f.date(x.snoozedUntil ?? x.respondedOn) });
    case "accepted":
    case "declined":
      return t(`intro_${x.status}`, { name, date: f.date(x.respondedOn ?? x.requestedOn) });
    case "made":
      return t("intro_made", { name, date: f.date(x.madeOn ?? x.respondedOn) });
    case "meetingHeld":
      return t("intro_meetingHeld", { date: f.date(x.meetingOn) });
    case "won":
    case "lost":
      return t(`intro_${x.status}`, { date: f.date(x.closedOn) });
  }
}

/** Why the seller cannot ask now (the button is disabled and says so), or null. */
export function blockText(t: Strings, f: Formatter, block: AskBlock | null, name: string): string | null {
  switch (block?.kind) {
    case "optedOut":
      return t("block_optedOut", { name });
    case "cap":
      return t("block_cap", { name, open: f.number(block.open), cap: f.number(block.cap) });
    case "coolDown":
      return t("block_coolDown", { name: firstName(name), date: f.date(block.until) });
    default:
      return null;
  }
}
