import {
  ConnectionColumns as K,
  ConnectionTable,
  lookupValueName,
  RelationshipInsightColumns as C,
  RelationshipInsightTable,
  SettingsColumns as S,
  SettingsTable,
} from "@rapport/model";

import {
  ACTIVITY_TYPE,
  type ActivityMark,
  BAND,
  type Band,
  bareId,
  choiceOf,
  choiceValue,
  DIRECTION,
  parseIntroducers,
  RECORD_TYPE,
  type RecordType,
  TARGET_TYPE,
} from "../../shared/insight";
import { COLLEAGUE_NAMES, directoryNames, PEOPLE_NAMES } from "../../shared/names";
import { fill } from "../../shared/strings";
import { ENTITY_SET, isPrivilegeError, type WebApi } from "../../shared/webapi";
import {
  type Introduction,
  loadForMe,
  loadMine,
  loadProfiles,
  loadSellerTies,
  loadTiesOf,
  type Person,
} from "./introductions";
import type { SellerData } from "./paths";

/** One ranked colleague who can introduce the user to the record's people. */
export interface Introducer {
  email: string;
  name: string;
  userId: string | null;
  strength: number;
  band: Band;
  /** The record's people (addresses) or company this colleague knows. */
  knows: string[];
  /** `knows` as shown: the directory's name of each address where the CRM knows the person. */
  knowsNames?: string[];
  sent: number;
  received: number;
  meetings: number;
  calls: number;
  daysInTouch: number;
  first: string | null;
  last: ActivityMark | null;
}

/** The record the form shows, as the introduction email needs it. */
export interface Target {
  type: RecordType;
  id: string;
  name: string;
  company: string;
}

type Row = Record<string, unknown>;
const FORMATTED = "@OData.Community.Display.V1.FormattedValue";
const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const s = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** The introducer lookup's id in a row (its formatted value carries the colleague's name). */
const INTRODUCER_ID = lookupValueName(K.introducerId);

export const CONNECTION_COLUMNS = [
  K.name,
  INTRODUCER_ID,
  K.introducerEmail,
  K.target,
  K.strength,
  K.band,
  K.emailsSent,
  K.emailsReceived,
  K.meetingsSent,
  K.meetingsReceived,
  K.phoneCallsMade,
  K.phoneCallsReceived,
  K.daysInTouch,
  K.firstInteractionOn,
  K.lastInteractionOn,
  K.lastInteractionType,
  K.lastInteractionDirection,
];

/** The last interaction of a connection row, or null when it has none. */
function lastMark(r: Row): ActivityMark | null {
  const at = s(r[K.lastInteractionOn]);
  if (!at) return null;
  return {
    at,
    kind: choiceOf(ACTIVITY_TYPE, r[K.lastInteractionType]) ?? "email",
    direction: choiceOf(DIRECTION, r[K.lastInteractionDirection]) ?? "out",
  };
}

/** One connection row as an introducer (the colleague's name from the lookup, else from the row's name). */
function introducerFromRow(r: Row, email: string): Introducer {
  const target = s(r[K.target]);
  const nameFromRow = s(r[K.name])?.split(" – ")[0] ?? null;
  return {
    email,
    name: s(r[`${INTRODUCER_ID}${FORMATTED}`]) ?? nameFromRow ?? email,
    userId: s(r[INTRODUCER_ID]) ? bareId(String(r[INTRODUCER_ID])) : null,
    strength: n(r[K.strength]),
    band: choiceOf(BAND, r[K.band]) ?? "weak",
    knows: target ? [target] : [],
    sent: n(r[K.emailsSent]),
    received: n(r[K.emailsReceived]),
    meetings: n(r[K.meetingsSent]) + n(r[K.meetingsReceived]),
    calls: n(r[K.phoneCallsMade]) + n(r[K.phoneCallsReceived]),
    daysInTouch: n(r[K.daysInTouch]),
    first: s(r[K.firstInteractionOn]),
    last: lastMark(r),
  };
}

/** Strongest first; between equals, the most recent interaction first. */
const byStrength = (a: Row, b: Row): number =>
  n(b[K.strength]) - n(a[K.strength]) ||
  String(b[K.lastInteractionOn] ?? "").localeCompare(String(a[K.lastInteractionOn] ?? ""));

/**
 * rp_connection rows (strongest first) to introducers: one per colleague (a colleague who knows several of
 * the record's addresses keeps the strongest connection and lists every address they know).
 */
export function introducersFromConnections(rows: Row[]): Introducer[] {
  const byColleague = new Map<string, Introducer>();
  for (const r of [...rows].sort(byStrength)) {
    const email = (s(r[K.introducerEmail]) ?? "").toLowerCase();
    const key = email || String(r[INTRODUCER_ID] ?? "");
    if (!key) continue;
    const known = byColleague.get(key);
    const target = s(r[K.target]);
    if (!known) byColleague.set(key, introducerFromRow(r, email));
    else if (target && !known.knows.includes(target)) known.knows.push(target);
  }
  return [...byColleague.values()];
}

/** The insight row's rp_introducers JSON (used for opportunities, which have no connection rows). */
export function introducersFromJson(text: string | null): Introducer[] {
  return parseIntroducers(text)
    .map((i) => ({
      email: i.colleague.toLowerCase(),
      name: i.name ?? i.colleague,
      userId: i.userId ? bareId(i.userId) : null,
      strength: Math.round(i.strength),
      band: i.band,
      knows: i.knows,
      sent: i.evidence.counts.email.out,
      received: i.evidence.counts.email.in,
      meetings: i.evidence.counts.meeting.out + i.evidence.counts.meeting.in,
      calls: i.evidence.counts.call.out + i.evidence.counts.call.in,
      daysInTouch: i.evidence.daysInTouch,
      first: i.evidence.first?.at ?? null,
      last: i.evidence.last,
    }))
    .sort((a, b) => b.strength - a.strength);
}

/** Case-insensitive match on name, address or the people they know. */
export function matches(i: Introducer, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [i.name, i.email, ...i.knows, ...(i.knowsNames ?? [])].some((v) => v.toLowerCase().includes(q));
}

const RECORD_SELECT: Record<RecordType, { select: string; name: string; company?: string }> = {
  contact: {
    select: "fullname,_parentcustomerid_value",
    name: "fullname",
    company: `_parentcustomerid_value${FORMATTED}`,
  },
  lead: { select: "fullname,companyname", name: "fullname", company: "companyname" },
  account: { select: "name", name: "name", company: "name" },
  opportunity: { select: "name,_customerid_value", name: "name", company: `_customerid_value${FORMATTED}` },
};

export interface Loaded {
  /** The administrator limits who knows whom to security roles the user does not have: no connection is read. */
  restricted: boolean;
  target: Target | null;
  introducers: Introducer[];
  template: string | null;
  /** The signed-in seller's ties, requests and the colleagues' profiles (null when restricted). */
  seller: SellerData | null;
  /** The requests addressed to the signed-in user, oldest first. */
  forMe: Introduction[];
}

/**
 * Everything the control shows, read as the user through webAPI. `userRoles` are the user's security role
 * ids (userSettings.securityRoles), checked against the roles the settings allow first.
 */
export async function loadWhoKnowsWhom(
  api: WebApi,
  insightId: string,
  userRoles: readonly string[],
  me: Person,
): Promise<Loaded> {
  const [settings, insight] = await Promise.all([
    loadSettings(api),
    api.retrieveRecord(
      RelationshipInsightTable.logicalName,
      bareId(insightId),
      `?$select=${[C.name, C.recordType, C.recordId, C.introducers].join(",")}`,
    ) as Promise<Row>,
  ]);
  if (!(await mayUse(api, settings.roles, userRoles)))
    return { restricted: true, target: null, introducers: [], template: null, seller: null, forMe: [] };
  const type = choiceOf(RECORD_TYPE, insight[C.recordType]);
  const recordId = s(insight[C.recordId]);
  const [introducers, target, sellerTies, profiles, mine, forMe] = await Promise.all([
    loadIntroducers(api, type, recordId, insight).then((list) => nameIntroducers(api, list)),
    loadTarget(api, type, recordId, s(insight[C.name]) ?? ""),
    loadSellerTies(api, me.userId),
    loadProfiles(api),
    loadMine(api, me.userId),
    loadForMe(api, me.userId),
  ]);
  // Two-step paths only matter when the seller knows none of the colleagues who know the person.
  const known = new Set(sellerTies.map((t) => t.other.userId));
  const ids = introducers.map((i) => i.userId).filter((u): u is string => !!u);
  const colleagueTies = ids.some((u) => known.has(u)) ? [] : await loadTiesOf(api, ids);
  const seller: SellerData = {
    me,
    sellerTies,
    colleagueTies,
    mine,
    profiles,
    cap: settings.cap,
    coolDownDays: settings.coolDownDays,
  };
  return { restricted: false, introducers, target, template: settings.template, seller, forMe };
}

/** The connection's lookup to the record, by the record's type. */
const RECORD_LOOKUP: Record<RecordType, string> = {
  contact: K.contactId,
  lead: K.leadId,
  opportunity: K.opportunityId,
  account: K.accountId,
};

async function loadIntroducers(api: WebApi, type: RecordType | undefined, id: string | null, insight: Row) {
  if (!type || !id || type === "opportunity") return introducersFromJson(s(insight[C.introducers]));
  const filter =
    type === "account"
      ? `${lookupValueName(K.accountId)} eq ${bareId(id)} and ${K.targetType} eq ${choiceValue(TARGET_TYPE, "company")}`
      : `${lookupValueName(RECORD_LOOKUP[type])} eq ${bareId(id)}`;
  const res = await api.retrieveMultipleRecords(
    ConnectionTable.logicalName,
    `?$select=${CONNECTION_COLUMNS.join(",")}&$filter=${filter}` +
      `&$orderby=${K.strength} desc,${K.lastInteractionOn} desc`,
  );
  return introducersFromConnections(res.entities as Row[]);
}

/**
 * Names from the directory instead of bare addresses: a colleague the connection names only by address
 * by their user's full name, and the people they know by their contact's or lead's name. One query per
 * table (per 50 addresses).
 */
export async function nameIntroducers(api: WebApi, list: Introducer[]): Promise<Introducer[]> {
  const unnamed = list.filter((i) => i.email && i.name.toLowerCase() === i.email).map((i) => i.email);
  const people = list.flatMap((i) => i.knows.filter((k) => k.includes("@")));
  const [colleagues, persons] = await Promise.all([
    unnamed.length ? directoryNames(api, unnamed, [COLLEAGUE_NAMES]) : new Map<string, string>(),
    people.length ? directoryNames(api, people, PEOPLE_NAMES) : new Map<string, string>(),
  ]);
  return list.map((i) => ({
    ...i,
    name: colleagues.get(i.email) ?? i.name,
    knowsNames: i.knows.map((k) => persons.get(k.toLowerCase()) ?? k),
  }));
}

async function loadTarget(
  api: WebApi,
  type: RecordType | undefined,
  id: string | null,
  fallbackName: string,
) {
  if (!type || !id) return null;
  const sel = RECORD_SELECT[type];
  try {
    const row = (await api.retrieveRecord(type, bareId(id), `?$select=${sel.select}`)) as Row;
    return {
      type,
      id: bareId(id),
      name: s(row[sel.name]) ?? fallbackName,
      company: (sel.company ? s(row[sel.company]) : null) ?? "",
    };
  } catch {
    // The record itself is on the form, so this only fails on a race with a delete: keep what the insight says.
    return { type, id: bareId(id), name: fallbackName, company: "" };
  }
}

/** What the control reads from the settings row (rp_settings 'default'). */
export interface WhoKnowsWhomSettings {
  /** The administrator's introduction template, or null for the built-in one. */
  template: string | null;
  /** The security roles (names or ids) allowed to see who knows whom; empty: every role. */
  roles: string[];
  /** Open requests a colleague is sent at once (empty: 3), days before asking again after a decline (30). */
  cap: number;
  coolDownDays: number;
}

export const DEFAULT_CAP = 3;
export const DEFAULT_COOLDOWN_DAYS = 30;
const whole = (v: unknown, fallback: number): number =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : fallback;

/**
 * The settings row, or the defaults when there is none or the user may not read it (such a user does not
 * hold the Rapport roles, which grant reading the connections too). Any other failure is thrown: an
 * unreadable role list must not show what it may hide.
 */
export async function loadSettings(api: WebApi): Promise<WhoKnowsWhomSettings> {
  try {
    const res = await api.retrieveMultipleRecords(
      SettingsTable.logicalName,
      `?$select=${[S.introductionTemplate, S.whoKnowsWhomRoles, S.introductionCap, S.introductionCooldownDays].join(",")}` +
        `&$filter=${S.key} eq 'default'&$top=1`,
    );
    const row = res.entities[0];
    return {
      template: s(row?.[S.introductionTemplate]),
      roles: rolesOf(s(row?.[S.whoKnowsWhomRoles])),
      cap: Math.max(1, whole(row?.[S.introductionCap], DEFAULT_CAP)),
      coolDownDays: whole(row?.[S.introductionCooldownDays], DEFAULT_COOLDOWN_DAYS),
    };
  } catch (e) {
    if (isPrivilegeError(e))
      return { template: null, roles: [], cap: DEFAULT_CAP, coolDownDays: DEFAULT_COOLDOWN_DAYS };
    throw e;
  }
}

/** The entries of the settings' role list: one per line (a role name may hold a comma). */
export function rolesOf(text: string | null): string[] {
  return (text ?? "")
    .split(/\r?\n/)
    .map((r) => r.trim())
    .filter(Boolean);
}

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/**
 * Whether a user with these security roles (ids) may see who knows whom: the list is empty, or it names
 * one of their roles by id or by name. Names are read from the role table for the user's own role ids and
 * compared without regard to case (a role has an id per business unit, and one name). A user who may not
 * read roles is refused: the list cannot be checked.
 */
export async function mayUse(
  api: WebApi,
  allowed: readonly string[],
  userRoles: readonly string[],
): Promise<boolean> {
  if (allowed.length === 0) return true;
  // Only well-formed ids go into the filter (they are its only literals).
  const mine = new Set(
    userRoles.map((id) => GUID.exec(id.trim())?.[1]?.toLowerCase()).filter((id): id is string => !!id),
  );
  if (allowed.some((a) => mine.has(GUID.exec(a)?.[1]?.toLowerCase() ?? ""))) return true;
  const names = new Set(allowed.filter((a) => !GUID.test(a)).map((a) => a.toLowerCase()));
  if (names.size === 0 || mine.size === 0) return false;
  let roles: Row[];
  try {
    const res = await api.retrieveMultipleRecords(
      "role",
      `?$select=roleid,name&$filter=${[...mine].map((id) => `roleid eq ${id}`).join(" or ")}`,
    );
    roles = res.entities as Row[];
  } catch (e) {
    if (isPrivilegeError(e)) return false;
    throw e;
  }
  return roles.some(
    (r) =>
      mine.has(bareId(String(r.roleid ?? ""))) &&
      names.has(
        String(r.name ?? "")
          .trim()
          .toLowerCase(),
      ),
  );
}

export interface IntroductionEmail {
  subject: string;
  /** HTML, as the email's description column holds it. */
  description: string;
}

const escapeHtml = (t: string) =>
  t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * Fill the template. A first line `Subject: …` sets the subject (else `defaultSubject`); the rest is the
 * body. Placeholders: {colleague}, {colleagueFirstName}, {person}, {company}, {me}.
 */
export function introductionEmail(
  template: string,
  defaultSubject: string,
  values: { colleague: string; person: string; company: string; me: string },
): IntroductionEmail {
  const params = { ...values, colleagueFirstName: values.colleague.split(/\s+/)[0] ?? values.colleague };
  const lines = template.replace(/\r\n/g, "\n").split("\n");
  let subject = defaultSubject;
  const m = /^subject:\s*(.*)$/i.exec(lines[0] ?? "");
  if (m) {
    subject = m[1] ?? defaultSubject;
    lines.shift();
    while (lines[0] !== undefined && lines[0].trim() === "") lines.shift();
  }
  const body = fill(lines.join("\n"), params);
  return {
    subject: fill(subject, params).slice(0, 400),
    description: body
      .split(/\n{2,}/)
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
      .join(""),
  };
}

/** The Web API payload of the introduction request: to the colleague, from me, regarding the record. */
export function emailPayload(
  email: IntroductionEmail,
  target: Target,
  me: string,
  colleague: Introducer,
): Record<string, unknown> {
  const to = colleague.userId
    ? { "partyid_systemuser@odata.bind": `/systemusers(${colleague.userId})`, participationtypemask: 2 }
    : { addressused: colleague.email, participationtypemask: 2 };
  return {
    subject: email.subject,
    description: email.description,
    [`regardingobjectid_${target.type}@odata.bind`]: `/${ENTITY_SET[target.type]}(${target.id})`,
    email_activity_parties: [
      { "partyid_systemuser@odata.bind": `/systemusers(${bareId(me)})`, participationtypemask: 1 },
      to,
    ],
  };
}
