import type { DirectoryData, DirectoryOpportunity } from "../../core/directory";
import type { Interaction } from "../../core/interaction";
import {
  type DealOutcome,
  decideOutcomes,
  FINAL_STATUSES,
  type IntroductionChange,
  type IntroductionState,
  openRequestCounts,
} from "../../core/introductions/outcomes";
import { type BatchItemResult, type DataverseClient, updateOp } from "../../dataverse/client";
import { choiceValue, type IntroductionStatus, IntroductionTable } from "../../dataverse/model";
import { type ProfileCount, profileWrites } from "../../dataverse/publish/introducerProfiles";
import {
  type IntroductionRecord,
  readIntroducerProfiles,
  readIntroductions,
} from "../../dataverse/read/readIntroductions";

export interface FollowOptions {
  /** The directory read this run: users' addresses (and who opted out), opportunities with their deals. */
  directory: DirectoryData;
  /** Every interaction involving a person (an external address), from the mail and the CRM. */
  interactionsOf: (address: string) => readonly Interaction[];
  /** The instant the introductions are followed at (a meeting later than it is not held yet). */
  now: number;
}

export interface IntroductionsReport {
  /** Introductions read, and rows that could not be followed (no status, requester, introducer or person). */
  read: number;
  unreadable: number;
  /** Introductions whose status changed, by their new status. */
  changed: Partial<Record<IntroductionStatus, number>>;
  /** Introducer profiles created or updated. */
  profilesWritten: number;
}

/** Writes failed: counts only (a re-run converges: every write is by id or key). */
export class IntroductionWriteError extends Error {
  override name = "IntroductionWriteError";
}

const iso = (t: number): string => new Date(t).toISOString();
const ms = (s: string | undefined): number | undefined => (s === undefined ? undefined : Date.parse(s));

/** The opportunities an introduction may have led to: the one it names, else its account's or contact's. */
function dealsOf(intro: IntroductionRecord, opportunities: readonly DirectoryOpportunity[]): DealOutcome[] {
  const r = intro.record;
  if (!r || r.type === "lead") return [];
  const linked = r.type === "opportunity";
  const out: DealOutcome[] = [];
  for (const o of opportunities) {
    const matches =
      r.type === "opportunity"
        ? o.id === r.id
        : r.type === "account"
          ? o.accountId === r.id
          : o.contactIds.includes(r.id);
    const createdOn = ms(o.deal?.createdOn);
    if (!matches || !o.deal || createdOn === undefined) continue;
    const closedOn = ms(o.deal.closedOn);
    out.push({
      id: o.id,
      linked,
      outcome: o.deal.outcome,
      createdOn,
      ...(closedOn !== undefined ? { closedOn } : {}),
    });
  }
  return out;
}

/** The rules' view of an introduction: the people by their addresses. */
function stateOf(
  r: IntroductionRecord,
  addresses: ReadonlyMap<string, readonly string[]>,
): IntroductionState {
  const of = (id: string | undefined) => (id ? (addresses.get(id) ?? []) : []);
  return {
    id: r.id,
    status: r.status,
    requester: of(r.requesterId),
    introducers: [...of(r.introducerId), ...of(r.connectorId)],
    target: r.targetEmail,
    requestedOn: r.requestedOn,
    ...(r.snoozedUntil !== undefined ? { snoozedUntil: r.snoozedUntil } : {}),
    ...(r.madeOn !== undefined ? { madeOn: r.madeOn } : {}),
    ...(r.meetingOn !== undefined ? { meetingOn: r.meetingOn } : {}),
    ...(r.closedOn !== undefined ? { closedOn: r.closedOn } : {}),
  };
}

/** The PATCH of one change: the status, the dates it sets, and the snooze cleared when it ended. */
function changeBody(c: IntroductionChange): Record<string, unknown> {
  return {
    rp_status: choiceValue("introductionStatus", c.to),
    ...(c.madeOn !== undefined ? { rp_madeon: iso(c.madeOn) } : {}),
    ...(c.meetingOn !== undefined ? { rp_meetingon: iso(c.meetingOn) } : {}),
    ...(c.closedOn !== undefined ? { rp_closedon: iso(c.closedOn) } : {}),
    ...(c.reasons.includes("snoozeEnded") ? { rp_snoozeduntil: null } : {}),
  };
}

function failures(results: readonly BatchItemResult[], what: string): void {
  const failed = results.filter((r) => !r.ok);
  if (failed.length)
    throw new IntroductionWriteError(
      `${what}: ${failed.length} of ${results.length} writes failed (first: ${failed[0]?.status ?? "?"}); run again`,
    );
}

/**
 * Follows every introduction to its outcome and counts each colleague's open requests: reads the
 * introductions (the Service reads all), decides the changes from the mail and the CRM
 * (core/introductions/outcomes), PATCHes only the rows that change, then writes the introducer profiles
 * of the colleagues ever asked (and of those who made one). A colleague never asked and without a profile
 * gets none: no profile means no open requests and taking requests.
 */
export async function followIntroductions(
  client: DataverseClient,
  options: FollowOptions,
): Promise<IntroductionsReport> {
  const [{ introductions, unreadable }, profiles] = await Promise.all([
    readIntroductions(client),
    readIntroducerProfiles(client),
  ]);
  const { directory, now } = options;
  const addresses = new Map(directory.users.map((u) => [u.id, u.emails.map((e) => e.toLowerCase())]));
  const open = introductions.filter((r) => !FINAL_STATUSES.has(r.status));
  const byId = new Map(open.map((r) => [r.id, r]));
  const changes = decideOutcomes(
    open.map((r) => stateOf(r, addresses)),
    (s) => ({
      interactions: options.interactionsOf(s.target),
      deals: dealsOf(byId.get(s.id) as IntroductionRecord, directory.opportunities),
    }),
    now,
  );
  const set = IntroductionTable.entitySetName;
  if (changes.length)
    failures(
      await client.executeBatch(
        changes.map((c) => updateOp(set, c.id, changeBody(c))),
        { continueOnError: true },
      ),
      "introductions",
    );
  const status = new Map(changes.map((c) => [c.id, c.to]));
  const counts = openRequestCounts(
    introductions.map((r) => ({ introducer: r.introducerId, status: status.get(r.id) ?? r.status })),
  );
  const asked = new Set([...introductions.map((r) => r.introducerId), ...profiles.map((p) => p.userId)]);
  const wanted: ProfileCount[] = directory.users
    .filter((u) => !u.optedOut && asked.has(u.id))
    .map((u) => ({ userId: u.id, name: u.name, openRequests: counts.get(u.id) ?? 0 }));
  const writes = profileWrites(wanted, profiles, iso(now));
  if (writes.length)
    failures(await client.executeBatch(writes, { continueOnError: true }), "introducer profiles");
  const changed: IntroductionsReport["changed"] = {};
  for (const c of changes) changed[c.to] = (changed[c.to] ?? 0) + 1;
  return { read: introductions.length, unreadable, changed, profilesWritten: writes.length };
}
