import {
  IntroducerProfileColumns as P,
  IntroducerProfileTable,
  IntroductionColumns as I,
  type IntroductionStatus,
  IntroductionTable,
  type RankedPath,
} from "@rapport/model";

import { bareId, choiceValue, RECORD_TYPE } from "../../shared/insight";
import { ENTITY_SET, type WebApi } from "../../shared/webapi";
import type { Target } from "./data";
import { type Person, type Profile, STATUS } from "./introductions";

/** The days a snoozed request sleeps. */
export const SNOOZE_DAYS = 7;
const DAY_MS = 86_400_000;

const user = (userId: string) => `/systemusers(${bareId(userId)})`;
const status = (name: IntroductionStatus) => choiceValue(STATUS, name);

/** A path as rp_path stores it: each step with its strength, band, names and (when known) evidence. */
export function pathJson(path: RankedPath, names: (key: string) => string): string {
  const steps = path.steps.map((x) => ({
    from: x.from,
    to: x.to,
    fromName: names(x.from),
    toName: names(x.to),
    strength: Math.round(x.strength),
    band: x.band,
    ...(x.assumed ? { assumed: true } : {}),
    ...(x.evidence ? { evidence: x.evidence } : {}),
  }));
  const json = JSON.stringify({ strength: path.strength, band: path.band, steps });
  // The column holds 10,000 characters: evidence is the first to go.
  return json.length <= 10_000
    ? json
    : JSON.stringify({ strength: path.strength, steps: steps.map(({ evidence: _e, ...rest }) => rest) });
}

/** The rp_introduction row a request creates (status requested), bound to its email and record. */
export function introductionPayload(a: {
  me: string;
  introducer: Person;
  connector: Person | null;
  target: Target;
  targetEmail: string;
  targetName: string;
  path: RankedPath;
  pathText: string;
  emailId: string;
  now: number;
}): Record<string, unknown> {
  const lookup = `rp_${a.target.type.charAt(0).toUpperCase()}${a.target.type.slice(1)}Id@odata.bind`;
  return {
    [I.name]: `${a.targetName} via ${a.introducer.name}`.slice(0, 400),
    "rp_RequesterId@odata.bind": user(a.me),
    "rp_IntroducerId@odata.bind": user(a.introducer.userId),
    ...(a.connector ? { "rp_ConnectorId@odata.bind": user(a.connector.userId) } : {}),
    [I.targetEmail]: a.targetEmail.slice(0, 320),
    [I.targetName]: a.targetName.slice(0, 200),
    [I.recordType]: choiceValue(RECORD_TYPE, a.target.type),
    [lookup]: `/${ENTITY_SET[a.target.type]}(${bareId(a.target.id)})`,
    [I.path]: a.pathText,
    [I.pathStrength]: Math.round(a.path.strength),
    [I.status]: status("requested"),
    [I.requestedOn]: new Date(a.now).toISOString(),
    "rp_EmailId@odata.bind": `/emails(${bareId(a.emailId)})`,
  };
}

/** What the introducer answers. */
export type Answer = { kind: "accept" } | { kind: "decline"; reason: string } | { kind: "snooze" };

/** The PATCH of an answer: the status, when it was answered, the snooze's end or the decline's reason. */
export function answerPayload(answer: Answer, now: number): Record<string, unknown> {
  const at = new Date(now).toISOString();
  switch (answer.kind) {
    case "accept":
      return { [I.status]: status("accepted"), [I.respondedOn]: at };
    case "decline":
      return {
        [I.status]: status("declined"),
        [I.respondedOn]: at,
        [I.declineReason]: answer.reason.trim().slice(0, 400) || null,
      };
    case "snooze":
      return {
        [I.status]: status("snoozed"),
        [I.respondedOn]: at,
        [I.snoozedUntil]: new Date(now + SNOOZE_DAYS * DAY_MS).toISOString(),
      };
  }
}

export async function answer(api: WebApi, introductionId: string, a: Answer, now: number): Promise<void> {
  await api.updateRecord(IntroductionTable.logicalName, bareId(introductionId), answerPayload(a, now));
}

/** sha1 hex of a text (the profile's key: sha1 of the lower-case user id, as the service writes it). */
export async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The signed-in colleague's choice to take introduction requests or not, on their own profile: updated
 * when it exists, else created (owned by them, keyed as the service keys it). Returns the profile's id.
 */
export async function setAcceptsRequests(
  api: WebApi,
  me: Person,
  profile: Profile | undefined,
  accepts: boolean,
): Promise<string> {
  if (profile) {
    await api.updateRecord(IntroducerProfileTable.logicalName, profile.id, { [P.acceptsRequests]: accepts });
    return profile.id;
  }
  const created = await api.createRecord(IntroducerProfileTable.logicalName, {
    [P.name]: (me.name || "Colleague").slice(0, 200),
    [P.key]: await sha1Hex(bareId(me.userId)),
    "rp_UserId@odata.bind": user(me.userId),
    [P.acceptsRequests]: accepts,
  });
  return bareId(created.id);
}
