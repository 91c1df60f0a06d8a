import type { RecordType } from "../../core/interaction";
import type { DataverseClient, Row } from "../client";
import {
  choiceName,
  type IntroducerProfileRow,
  IntroducerProfileTable,
  type IntroductionRow,
  type IntroductionStatus,
  IntroductionTable,
} from "../model";

/** An introduction as the service follows it: user and record ids lower case, dates in epoch ms. */
export interface IntroductionRecord {
  id: string;
  status: IntroductionStatus;
  requesterId: string;
  introducerId: string;
  connectorId?: string;
  targetEmail: string;
  /** The record it is about, by the lookup set (an opportunity first). */
  record?: { type: RecordType; id: string };
  requestedOn: number;
  snoozedUntil?: number;
  madeOn?: number;
  meetingOn?: number;
  closedOn?: number;
}

/** A colleague's introducer profile as the service reads it back. */
export interface IntroducerProfileRecord {
  id: string;
  userId: string;
  key?: string;
  openRequests?: number;
}

const INTRODUCTION_SELECT = [
  "rp_introductionid",
  "rp_status",
  "_rp_requesterid_value",
  "_rp_introducerid_value",
  "_rp_connectorid_value",
  "rp_targetemail",
  "_rp_opportunityid_value",
  "_rp_contactid_value",
  "_rp_leadid_value",
  "_rp_accountid_value",
  "rp_requestedon",
  "rp_snoozeduntil",
  "rp_madeon",
  "rp_meetingon",
  "rp_closedon",
  "createdon",
] as const satisfies readonly (keyof IntroductionRow | "createdon")[];

const lower = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim().toLowerCase() : undefined;
const ms = (v: unknown): number | undefined => {
  const t = typeof v === "string" ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

/** The record lookup set on the row: the opportunity when there is one, else the contact, lead or account. */
function recordOf(row: IntroductionRow): IntroductionRecord["record"] {
  for (const [type, value] of [
    ["opportunity", row._rp_opportunityid_value],
    ["contact", row._rp_contactid_value],
    ["lead", row._rp_leadid_value],
    ["account", row._rp_accountid_value],
  ] as const) {
    const id = lower(value);
    if (id) return { type, id };
  }
  return undefined;
}

/** Optional dates, only those set. */
function datesOf(row: IntroductionRow): Partial<IntroductionRecord> {
  const out: Partial<IntroductionRecord> = {};
  for (const [k, v] of [
    ["snoozedUntil", row.rp_snoozeduntil],
    ["madeOn", row.rp_madeon],
    ["meetingOn", row.rp_meetingon],
    ["closedOn", row.rp_closedon],
  ] as const) {
    const t = ms(v);
    if (t !== undefined) out[k] = t;
  }
  return out;
}

/**
 * One row as an IntroductionRecord, or undefined for a row the service cannot follow (no status, requester,
 * introducer or person; such a row is counted, never guessed at). Without rp_requestedon the row's
 * creation date stands in.
 */
export function introductionFromRow(
  row: IntroductionRow & { createdon?: string | null },
): IntroductionRecord | undefined {
  const status = choiceName("introductionStatus", row.rp_status) as IntroductionStatus | undefined;
  const id = lower(row.rp_introductionid);
  const requesterId = lower(row._rp_requesterid_value);
  const introducerId = lower(row._rp_introducerid_value);
  const targetEmail = lower(row.rp_targetemail);
  const requestedOn = ms(row.rp_requestedon) ?? ms(row.createdon);
  if (!status || !id || !requesterId || !introducerId || !targetEmail || requestedOn === undefined)
    return undefined;
  const connectorId = lower(row._rp_connectorid_value);
  const record = recordOf(row);
  return {
    id,
    status,
    requesterId,
    introducerId,
    ...(connectorId ? { connectorId } : {}),
    targetEmail,
    ...(record ? { record } : {}),
    requestedOn,
    ...datesOf(row),
  };
}

/**
 * Every introduction the caller can read (the Rapport Service reads all), and how many rows could not be
 * followed.
 */
export async function readIntroductions(
  client: DataverseClient,
): Promise<{ introductions: IntroductionRecord[]; unreadable: number }> {
  const rows = await client.retrieveAll<IntroductionRow & { createdon?: string | null } & Row>(
    IntroductionTable.entitySetName,
    { select: [...INTRODUCTION_SELECT] },
  );
  const introductions: IntroductionRecord[] = [];
  for (const row of rows) {
    const r = introductionFromRow(row);
    if (r) introductions.push(r);
  }
  return { introductions, unreadable: rows.length - introductions.length };
}

/** Every introducer profile: who it is for, its key and the count it holds. */
export async function readIntroducerProfiles(client: DataverseClient): Promise<IntroducerProfileRecord[]> {
  const rows = await client.retrieveAll<IntroducerProfileRow & Row>(IntroducerProfileTable.entitySetName, {
    select: ["rp_introducerprofileid", "_rp_userid_value", "rp_key", "rp_openrequests"],
  });
  const out: IntroducerProfileRecord[] = [];
  for (const r of rows) {
    const id = lower(r.rp_introducerprofileid);
    const userId = lower(r._rp_userid_value);
    if (!id || !userId) continue;
    out.push({
      id,
      userId,
      ...(r.rp_key ? { key: r.rp_key } : {}),
      ...(typeof r.rp_openrequests === "number" ? { openRequests: r.rp_openrequests } : {}),
    });
  }
  return out;
}
