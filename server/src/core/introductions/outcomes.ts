import type { IntroductionStatus } from "@rapport/model";

import type { Interaction } from "../interaction";
import { DAY_MS } from "../time";

/**
 * Following an introduction to its outcome (issue 19): from the mail and the CRM, which introductions were
 * made, led to a meeting, or ended in a won or lost deal, and which snoozes have ended. Pure: the
 * introductions, the interactions and the deals come in, with `now`; the changes to write come out.
 *
 * The rules (docs/introductions.md):
 * - **made**: an accepted request, once a message from the introducer (or the connector of a two-step path)
 *   includes both the seller and the person, or the seller and the person exchange mail for the first
 *   time (they had no interaction before the request). rp_madeon = that message's date.
 * - **meeting held**: an accepted or made request, once a meeting with both the seller and the person has
 *   taken place (started at or before `now`). rp_meetingon = its start. A meeting implies the
 *   introduction was made: rp_madeon is the earlier evidence of the introduction, else the meeting's date.
 * - **won / lost**: any request not declined, once its deal closes: the linked opportunity, or (no
 *   opportunity linked) the first opportunity of the linked account or contact created on or after the
 *   request to close. rp_closedon = the deal's close date.
 * - **snoozed → requested** once rp_snoozeduntil has passed.
 * Evidence counts only after the request (rp_requestedon; to the minute for mail and meetings, to the day
 * for deals), not after the answer: an introducer may write the introduction before clicking Accept, and a
 * snoozed-then-accepted request's answer date is the later click. A requested or snoozed request does not become made or meeting held: a meeting the introducer
 * never agreed to is not theirs. Statuses never move backwards; declined, won and lost are final.
 */

/** An introduction as the rules read it: addresses, not user ids; dates in epoch ms. */
export interface IntroductionState {
  id: string;
  status: IntroductionStatus;
  /** The seller who asked: every address of theirs. */
  requester: readonly string[];
  /** The colleague asked, and for a two-step path the colleague who knows the person: every address. */
  introducers: readonly string[];
  /** The person to be introduced (lower case). */
  target: string;
  requestedOn: number;
  snoozedUntil?: number;
  madeOn?: number;
  meetingOn?: number;
  closedOn?: number;
}

/** A deal an introduction may have led to. */
export interface DealOutcome {
  id: string;
  /** The opportunity the introduction names itself (rp_opportunityid), rather than one of its record's. */
  linked: boolean;
  outcome: "open" | "won" | "lost";
  createdOn: number;
  closedOn?: number;
}

/** What a run found about one introduction. */
export interface IntroductionEvidence {
  /** The interactions involving the person (any order). */
  interactions: readonly Interaction[];
  /** Candidate deals (see DealOutcome); empty when the introduction names no opportunity, account or contact. */
  deals: readonly DealOutcome[];
}

export type OutcomeReason = "introducerMail" | "firstExchange" | "meeting" | "won" | "lost" | "snoozeEnded";

/** A change to write: the new status and the dates it sets (only those not set before). */
export interface IntroductionChange {
  id: string;
  from: IntroductionStatus;
  to: IntroductionStatus;
  madeOn?: number;
  meetingOn?: number;
  closedOn?: number;
  /** Why, in the order found. */
  reasons: OutcomeReason[];
}

/** Statuses a request never leaves. */
export const FINAL_STATUSES: ReadonlySet<IntroductionStatus> = new Set(["declined", "won", "lost"]);
/** Statuses counted as open requests for the introducer (waiting for their answer). */
export const OPEN_STATUSES: ReadonlySet<IntroductionStatus> = new Set(["requested", "snoozed"]);

/** How far along the way each status is: a change only ever moves to a higher rank. */
const RANK: Record<IntroductionStatus, number> = {
  requested: 0,
  snoozed: 0,
  declined: 1,
  accepted: 1,
  made: 2,
  meetingHeld: 3,
  won: 4,
  lost: 4,
};

const MINUTE_MS = 60_000;
/**
 * Evidence is compared with the request at the precision it has: meeting times are known to the minute
 * (Outlook's When line, calendar events) and close dates to the day (actualclosedate), so a meeting in
 * the minute of the request, or a deal closed on its day, counts as after it.
 */
const floorTo = (t: number, unit: number): number => t - (((t % unit) + unit) % unit);

const has = (list: readonly string[], address: string): boolean => list.includes(address);

/** Whether an interaction's participants (sender and every recipient) include someone of `people`. */
function involves(i: Interaction, people: readonly string[]): boolean {
  if (has(people, i.from)) return true;
  for (const list of [i.to, i.cc, i.bcc]) for (const a of list) if (has(people, a)) return true;
  return false;
}

interface Found {
  made?: { at: number; reason: "introducerMail" | "firstExchange" };
  meeting?: number;
}

/** The earliest evidence of the introduction being made and of a meeting held, between request and now. */
function findMailEvidence(
  intro: IntroductionState,
  interactions: readonly Interaction[],
  now: number,
): Found {
  const both = interactions
    .filter((i) => involves(i, [intro.target]) && involves(i, intro.requester))
    .sort((a, b) => a.at - b.at);
  const since = floorTo(intro.requestedOn, MINUTE_MS);
  // Seller and person already in touch before the request: their mail says nothing about the introduction.
  const metBefore = both.some((i) => i.at < since);
  const found: Found = {};
  for (const i of both) {
    if (i.at < since || i.at > now) continue;
    if (!found.made && has(intro.introducers, i.from)) found.made = { at: i.at, reason: "introducerMail" };
    else if (!found.made && !metBefore) found.made = { at: i.at, reason: "firstExchange" };
    if (found.meeting === undefined && i.kind === "meeting") found.meeting = i.at;
  }
  return found;
}

/** The deal that decides the introduction's outcome, if one has closed. */
function closedDeal(intro: IntroductionState, deals: readonly DealOutcome[]): DealOutcome | undefined {
  const linked = deals.filter((d) => d.linked);
  const candidates = linked.length
    ? linked
    : deals.filter((d) => d.createdOn >= intro.requestedOn && d.outcome !== "open");
  return candidates
    .filter(
      (d) =>
        d.outcome !== "open" && d.closedOn !== undefined && d.closedOn >= floorTo(intro.requestedOn, DAY_MS),
    )
    .sort((a, b) => (a.closedOn as number) - (b.closedOn as number) || (a.outcome === "won" ? -1 : 1))[0];
}

/** Advances the mail-evidenced steps (made, meeting held) of an accepted or made request. */
function mailSteps(intro: IntroductionState, found: Found, change: IntroductionChange): void {
  if (RANK[change.to] < RANK.accepted || change.to === "declined") return;
  if (found.meeting !== undefined && RANK[change.to] < RANK.meetingHeld) {
    change.to = "meetingHeld";
    if (intro.meetingOn === undefined) change.meetingOn = found.meeting;
    const madeFirst = found.made && found.made.at <= found.meeting ? found.made : undefined;
    if (intro.madeOn === undefined) {
      change.madeOn = madeFirst?.at ?? found.meeting;
      if (madeFirst) change.reasons.push(madeFirst.reason);
    }
    change.reasons.push("meeting");
  } else if (found.made && RANK[change.to] < RANK.made) {
    change.to = "made";
    if (intro.madeOn === undefined) change.madeOn = found.made.at;
    change.reasons.push(found.made.reason);
  }
}

/**
 * The change one introduction takes, or undefined when nothing changes.
 *
 * @example
 * // An accepted request, then a meeting with the seller and the person: meeting held, made on its date.
 * decideOutcome(accepted, { interactions: [meeting], deals: [] }, now)
 * // → { to: "meetingHeld", meetingOn: meeting.at, madeOn: meeting.at, reasons: ["meeting"] }
 */
export function decideOutcome(
  intro: IntroductionState,
  evidence: IntroductionEvidence,
  now: number,
): IntroductionChange | undefined {
  if (FINAL_STATUSES.has(intro.status)) return undefined;
  const change: IntroductionChange = { id: intro.id, from: intro.status, to: intro.status, reasons: [] };
  if (intro.status === "snoozed" && intro.snoozedUntil !== undefined && intro.snoozedUntil <= now) {
    change.to = "requested";
    change.reasons.push("snoozeEnded");
  }
  if (change.to !== "requested" && change.to !== "snoozed")
    mailSteps(intro, findMailEvidence(intro, evidence.interactions, now), change);
  const deal = closedDeal(intro, evidence.deals);
  if (deal && (deal.closedOn as number) <= now) {
    change.to = deal.outcome as "won" | "lost";
    change.closedOn = deal.closedOn as number;
    change.reasons.push(deal.outcome as "won" | "lost");
  }
  return change.reasons.length ? change : undefined;
}

/**
 * Every change a run makes, in the introductions' order.
 *
 * @example
 * decideOutcomes(introductions, (intro) => ({ interactions: mailWith(intro.target), deals: [] }), now)
 */
export function decideOutcomes(
  introductions: readonly IntroductionState[],
  evidenceOf: (intro: IntroductionState) => IntroductionEvidence,
  now: number,
): IntroductionChange[] {
  const out: IntroductionChange[] = [];
  for (const intro of introductions) {
    if (FINAL_STATUSES.has(intro.status)) continue;
    const change = decideOutcome(intro, evidenceOf(intro), now);
    if (change) out.push(change);
  }
  return out;
}

/**
 * Open requests (requested or snoozed) addressed to each introducer, after the changes: the number a
 * colleague's profile holds so that a seller's control can respect the cap.
 *
 * @example
 * openRequestCounts([{ introducer: "u1", status: "requested" }, { introducer: "u1", status: "won" }])
 * // → Map { "u1" => 1 }
 */
export function openRequestCounts(
  introductions: Iterable<{ introducer: string; status: IntroductionStatus }>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of introductions)
    if (OPEN_STATUSES.has(i.status)) out.set(i.introducer, (out.get(i.introducer) ?? 0) + 1);
  return out;
}
