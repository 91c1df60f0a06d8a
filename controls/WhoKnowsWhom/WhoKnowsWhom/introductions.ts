import {
  CHOICE_NAMES,
  ConnectionColumns as K,
  ConnectionTable,
  coolDownUntil,
  IntroducerProfileColumns as P,
  IntroducerProfileTable,
  IntroductionColumns as I,
  type IntroductionStatus,
  IntroductionTable,
  lookupValueName,
  type PastIntroduction,
  type Tie,
} from "@rapport/model";

import { BAND, bareId, choiceOf, choiceValue, TARGET_TYPE } from "../../shared/insight";
import { isPrivilegeError, type WebApi } from "../../shared/webapi";

/**
 * The signed-in seller's side of introductions, read and written through webAPI as that user: their ties
 * to colleagues (rp_connection rows of target type Colleague), the colleagues' profiles (opted out, open
 * requests), their own introductions (statuses, feedback, cool-down, cap) and the requests addressed to
 * them. Colleagues are keyed by their bare, lower-case user id.
 */
export const STATUS = CHOICE_NAMES.introductionStatus;
const COLLEAGUE = choiceValue(TARGET_TYPE, "colleague");
const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

type Row = Record<string, unknown>;
const s = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const id = (v: unknown): string | null => (s(v) ? bareId(String(v)) : null);

/** The statuses of a request still waiting for (or snoozed by) its introducer. */
export const OPEN: readonly IntroductionStatus[] = ["requested", "snoozed"];
/** The statuses of a request still in progress (another cannot be asked for the same person). */
export const ACTIVE: readonly IntroductionStatus[] = ["requested", "snoozed", "accepted", "made"];

/** A colleague as the control names them. */
export interface Person {
  userId: string;
  name: string;
  email: string;
}

/** A tie between two colleagues, as the ranking takes it, with the other colleague's name and address. */
export interface ColleagueTie extends Tie {
  other: Person;
}

const TIE_COLUMNS = [
  lookupValueName(K.introducerId),
  K.introducerEmail,
  lookupValueName(K.colleagueId),
  K.target,
  K.strength,
  K.band,
];

/** rp_connection colleague-tie rows to ties from the introducer (a) to the colleague (b). */
export function colleagueTies(rows: Row[]): ColleagueTie[] {
  const out: ColleagueTie[] = [];
  for (const r of rows) {
    const a = id(r[lookupValueName(K.introducerId)]);
    const b = id(r[lookupValueName(K.colleagueId)]);
    if (!a || !b) continue;
    const email = (s(r[K.target]) ?? "").toLowerCase();
    out.push({
      a,
      b,
      strength: n(r[K.strength]),
      band: choiceOf(BAND, r[K.band]) ?? "weak",
      other: { userId: b, email, name: s(r[`${lookupValueName(K.colleagueId)}${FORMATTED}`]) ?? email },
    });
  }
  return out;
}

/** The signed-in seller's ties to colleagues (_rp_introducerid_value eq me, target type Colleague). */
export async function loadSellerTies(api: WebApi, me: string): Promise<ColleagueTie[]> {
  return colleagueTies(
    await rows(
      api,
      ConnectionTable.logicalName,
      `?$select=${TIE_COLUMNS.join(",")}&$filter=${lookupValueName(K.introducerId)} eq ${bareId(me)} and ` +
        `${K.targetType} eq ${COLLEAGUE}`,
    ),
  );
}

/** The ties of these colleagues to other colleagues (two-step paths), 50 colleagues a query. */
export async function loadTiesOf(api: WebApi, colleagues: readonly string[]): Promise<ColleagueTie[]> {
  const out: ColleagueTie[] = [];
  for (let k = 0; k < colleagues.length; k += 50) {
    const ids = colleagues.slice(k, k + 50).map((c) => `${lookupValueName(K.introducerId)} eq ${bareId(c)}`);
    const found = await rows(
      api,
      ConnectionTable.logicalName,
      `?$select=${TIE_COLUMNS.join(",")}&$filter=${K.targetType} eq ${COLLEAGUE} and (${ids.join(" or ")})`,
    );
    out.push(...colleagueTies(found));
  }
  return out;
}

/** A colleague's introducer profile: whether they take requests and their open requests as counted. */
export interface Profile {
  id: string;
  userId: string;
  accepts: boolean;
  openRequests: number;
  countedOn: string | null;
}

/** Every introducer profile (one per colleague ever asked or who opted out; readable by every Reader). */
export async function loadProfiles(api: WebApi): Promise<Map<string, Profile>> {
  const found = await rows(
    api,
    IntroducerProfileTable.logicalName,
    `?$select=${[P.introducerProfileId, lookupValueName(P.userId), P.acceptsRequests, P.openRequests, P.countedOn].join(",")}`,
  );
  const out = new Map<string, Profile>();
  for (const r of found) {
    const userId = id(r[lookupValueName(P.userId)]);
    if (!userId) continue;
    out.set(userId, {
      id: bareId(String(r[P.introducerProfileId] ?? "")),
      userId,
      accepts: r[P.acceptsRequests] !== false,
      openRequests: n(r[P.openRequests]),
      countedOn: s(r[P.countedOn]),
    });
  }
  return out;
}

/** One rp_introduction row as the control shows and weighs it. */
export interface Introduction {
  id: string;
  requester: Person;
  introducer: Person;
  connector: string | null;
  targetEmail: string;
  targetName: string;
  record: string;
  status: IntroductionStatus;
  /** The path's steps, as ranked when asked: names from the row's rp_path JSON. */
  pathNames: string[];
  requestedOn: string;
  respondedOn: string | null;
  snoozedUntil: string | null;
  madeOn: string | null;
  meetingOn: string | null;
  closedOn: string | null;
  declineReason: string | null;
}

const RECORD_LOOKUPS = [I.contactId, I.leadId, I.opportunityId, I.accountId].map(lookupValueName);

export const INTRODUCTION_COLUMNS = [
  I.introductionId,
  lookupValueName(I.requesterId),
  lookupValueName(I.introducerId),
  lookupValueName(I.connectorId),
  I.targetEmail,
  I.targetName,
  ...RECORD_LOOKUPS,
  I.path,
  I.status,
  I.declineReason,
  I.requestedOn,
  I.respondedOn,
  I.snoozedUntil,
  I.madeOn,
  I.meetingOn,
  I.closedOn,
];

/** The names along a stored path (rp_path: {"steps":[{"fromName","toName"}…]}); none when unreadable. */
export function pathNamesOf(text: string | null): string[] {
  try {
    const steps = (JSON.parse(text ?? "") as { steps?: { fromName?: unknown; toName?: unknown }[] }).steps;
    if (!Array.isArray(steps) || steps.length === 0) return [];
    return [String(steps[0]?.fromName ?? ""), ...steps.map((x) => String(x.toName ?? ""))];
  } catch {
    return [];
  }
}

const person = (r: Row, column: string): Person => {
  const lookup = lookupValueName(column);
  const userId = id(r[lookup]) ?? "";
  return { userId, name: s(r[`${lookup}${FORMATTED}`]) ?? userId, email: "" };
};

export function introductionFromRow(r: Row): Introduction | null {
  const status = choiceOf(STATUS, r[I.status]);
  const requestedOn = s(r[I.requestedOn]);
  if (!status || !requestedOn) return null;
  const record = RECORD_LOOKUPS.map((l) => s(r[`${l}${FORMATTED}`])).find((v) => v !== null) ?? "";
  return {
    id: bareId(String(r[I.introductionId] ?? "")),
    requester: person(r, I.requesterId),
    introducer: person(r, I.introducerId),
    connector: id(r[lookupValueName(I.connectorId)]),
    targetEmail: (s(r[I.targetEmail]) ?? "").toLowerCase(),
    targetName: s(r[I.targetName]) ?? s(r[I.targetEmail]) ?? "",
    record,
    status,
    pathNames: pathNamesOf(s(r[I.path])),
    requestedOn,
    respondedOn: s(r[I.respondedOn]),
    snoozedUntil: s(r[I.snoozedUntil]),
    madeOn: s(r[I.madeOn]),
    meetingOn: s(r[I.meetingOn]),
    closedOn: s(r[I.closedOn]),
    declineReason: s(r[I.declineReason]),
  };
}

/** Introductions by a filter, oldest request first. */
async function loadIntroductions(api: WebApi, filter: string): Promise<Introduction[]> {
  const found = await rows(
    api,
    IntroductionTable.logicalName,
    `?$select=${INTRODUCTION_COLUMNS.join(",")}&$filter=${filter}&$orderby=${I.requestedOn} asc`,
  );
  return found.map(introductionFromRow).filter((x): x is Introduction => x !== null);
}

/** The seller's own requests (they own them: Basic depth reads exactly these). */
export const loadMine = (api: WebApi, me: string) =>
  loadIntroductions(api, `${lookupValueName(I.requesterId)} eq ${bareId(me)}`);

/** The requests addressed to me (shared with me by their requesters). */
export const loadForMe = (api: WebApi, me: string) =>
  loadIntroductions(api, `${lookupValueName(I.introducerId)} eq ${bareId(me)}`);

/** Rows of a query; none when the user may not read the table (e.g. before the solution update). */
async function rows(api: WebApi, table: string, options: string): Promise<Row[]> {
  try {
    return (await api.retrieveMultipleRecords(table, options)).entities as Row[];
  } catch (e) {
    if (isPrivilegeError(e)) return [];
    throw e;
  }
}

/** The seller's past introductions as the ranking's feedback takes them. */
export function pastIntroductions(mine: readonly Introduction[]): PastIntroduction[] {
  return mine.map((x) => {
    const p: PastIntroduction = {
      introducer: x.introducer.userId,
      target: x.targetEmail,
      status: x.status,
      requestedOn: x.requestedOn,
    };
    if (x.connector) p.connector = x.connector;
    for (const [k, v] of [
      ["respondedOn", x.respondedOn],
      ["madeOn", x.madeOn],
      ["meetingOn", x.meetingOn],
      ["closedOn", x.closedOn],
    ] as const)
      if (v) p[k] = v;
    return p;
  });
}

/** Why the seller cannot ask this colleague now, or null when they can. */
export type AskBlock =
  | { kind: "optedOut" }
  | { kind: "existing"; request: Introduction }
  | { kind: "cap"; open: number; cap: number }
  | { kind: "coolDown"; until: string }
  | { kind: "notUser" };

export interface AskRules {
  cap: number;
  coolDownDays: number;
  now: number;
}

/**
 * Whether the seller may ask `colleague` to introduce them to one of `targets`: not a directory user (no
 * request can name them), opted out, a request for the same person still in progress (its status is shown
 * instead), at the cap (the profile's counted open requests plus the seller's own open requests to them
 * since the count), or in the cool-down after this colleague declined this seller.
 */
export function askBlock(
  colleague: string | null,
  targets: readonly string[],
  mine: readonly Introduction[],
  profile: Profile | undefined,
  rules: AskRules,
): AskBlock | null {
  if (!colleague) return { kind: "notUser" };
  if (profile && !profile.accepts) return { kind: "optedOut" };
  const theirs = mine.filter((x) => x.introducer.userId === colleague);
  const wanted = new Set(targets.map((t) => t.toLowerCase()));
  const existing = theirs.find((x) => ACTIVE.includes(x.status) && wanted.has(x.targetEmail));
  if (existing) return { kind: "existing", request: existing };
  const counted = profile?.countedOn ? Date.parse(profile.countedOn) : Number.NEGATIVE_INFINITY;
  const since = theirs.filter((x) => OPEN.includes(x.status) && Date.parse(x.requestedOn) > counted);
  const open = (profile?.openRequests ?? 0) + since.length;
  if (open >= rules.cap) return { kind: "cap", open, cap: rules.cap };
  const until = coolDownUntil(colleague, pastIntroductions(theirs), rules.now, rules.coolDownDays);
  return until === undefined ? null : { kind: "coolDown", until: new Date(until).toISOString() };
}
