import type {
  Attendee,
  EventEnvelope,
  MailboxRef,
  MessageEnvelope,
  RecordRef,
  RecordType,
} from "../../core/interaction";
import { PARTICIPATION } from "../model";
import type { Row } from "./directoryFromRows";

/** What the activities reader asks for: each activity with its parties. */
export const ACTIVITY_QUERIES = {
  emails: {
    select: [
      "activityid",
      "subject",
      "senton",
      "actualend",
      "createdon",
      "messageid",
      "directioncode",
      "statecode",
      "_regardingobjectid_value",
    ],
    parties: "email_activity_parties",
  },
  appointments: {
    select: [
      "activityid",
      "subject",
      "scheduledstart",
      "scheduledend",
      "scheduleddurationminutes",
      "isalldayevent",
      "globalobjectid",
      "statecode",
      "_regardingobjectid_value",
    ],
    parties: "appointment_activity_parties",
  },
  phonecalls: {
    select: [
      "activityid",
      "subject",
      "actualstart",
      "actualend",
      "scheduledstart",
      "actualdurationminutes",
      "directioncode",
      "statecode",
      "_regardingobjectid_value",
    ],
    parties: "phonecall_activity_parties",
  },
} as const;

export const PARTY_SELECT = ["participationtypemask", "addressused", "_partyid_value"] as const;

/** Resolves a party to an address: the address used, else the party record's own address. */
export type AddressOf = (partyId: string | undefined) => string | undefined;

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
const time = (v: unknown): number => (typeof v === "string" ? Date.parse(v) : NaN);
const REGARDING: readonly RecordType[] = ["contact", "lead", "account", "opportunity"];

function regardingOf(row: Row): RecordRef | undefined {
  const id = str(row["_regardingobjectid_value"])?.toLowerCase();
  const type = row["_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname"];
  return id && typeof type === "string" && (REGARDING as readonly string[]).includes(type)
    ? { type: type as RecordType, id }
    : undefined;
}

function partiesOf(row: Row, nav: string, addressOf: AddressOf): { mask: number; box: MailboxRef }[] {
  const list = Array.isArray(row[nav]) ? (row[nav] as Row[]) : [];
  const out: { mask: number; box: MailboxRef }[] = [];
  for (const p of list) {
    const address = str(p["addressused"]) ?? addressOf(str(p["_partyid_value"])?.toLowerCase());
    const mask = typeof p["participationtypemask"] === "number" ? p["participationtypemask"] : 0;
    if (address) out.push({ mask, box: { address } });
  }
  // Dataverse returns an activity's parties in no set order: sorted, the interaction (and the people
  // listed in its history) is the same whichever order a read gives.
  return out.sort((a, b) => (a.box.address < b.box.address ? -1 : a.box.address > b.box.address ? 1 : 0));
}

const boxes = (parties: { mask: number; box: MailboxRef }[], mask: number): MailboxRef[] =>
  parties.filter((p) => p.mask === mask).map((p) => p.box);

/** What a tracked activity adds to the interaction the normaliser makes of it. */
export interface Tracked {
  activityId: string;
  subject?: string;
  regarding?: RecordRef;
}

/** A tracked email as a message envelope: de-duplicated against the same mail from Graph or mbox by its Message-ID. */
export function emailEnvelope(
  row: Row,
  addressOf: AddressOf,
  index: number,
): { envelope: MessageEnvelope; tracked: Tracked; unsent: boolean } {
  const parties = partiesOf(row, ACTIVITY_QUERIES.emails.parties, addressOf);
  const messageId = str(row["messageid"])?.replace(/^<|>$/g, "");
  const subject = str(row["subject"]);
  const regarding = regardingOf(row);
  const sentAt = time(row["senton"] ?? row["actualend"] ?? row["createdon"]);
  const from = boxes(parties, PARTICIPATION.sender)[0];
  return {
    envelope: {
      kind: "email",
      ...(messageId ? { messageId } : {}),
      sentAt,
      ...(from ? { from } : {}),
      to: boxes(parties, PARTICIPATION.to),
      cc: boxes(parties, PARTICIPATION.cc),
      bcc: boxes(parties, PARTICIPATION.bcc),
      ...(subject ? { subject } : {}),
      source: "dataverse",
      origin: { file: "dataverse:emails", index },
    },
    tracked: {
      activityId: String(row["activityid"]),
      ...(subject ? { subject } : {}),
      ...(regarding ? { regarding } : {}),
    },
    // Open (0) is a draft or an email waiting to be sent, Canceled (2) never went: neither was exchanged.
    unsent: row["statecode"] === 0 || row["statecode"] === 2,
  };
}

/** A tracked appointment as an event envelope; the Outlook global object id de-duplicates it against calendars. */
export function appointmentEnvelope(
  row: Row,
  addressOf: AddressOf,
  index: number,
): { envelope: EventEnvelope; tracked: Tracked } {
  const parties = partiesOf(row, ACTIVITY_QUERIES.appointments.parties, addressOf);
  const organizer = boxes(parties, PARTICIPATION.organizer)[0];
  const attendees: Attendee[] = [
    ...boxes(parties, PARTICIPATION.requiredAttendee).map((mailbox) => ({
      mailbox,
      type: "required" as const,
      response: "none" as const,
    })),
    ...boxes(parties, PARTICIPATION.optionalAttendee).map((mailbox) => ({
      mailbox,
      type: "optional" as const,
      response: "none" as const,
    })),
  ];
  const subject = str(row["subject"]);
  const regarding = regardingOf(row);
  const iCalUId = str(row["globalobjectid"]);
  return {
    envelope: {
      kind: "meeting",
      id: String(row["activityid"]),
      ...(iCalUId ? { iCalUId } : {}),
      ...(organizer ? { organizer } : {}),
      attendees,
      start: time(row["scheduledstart"]),
      end: time(row["scheduledend"]),
      // Canceled (statecode 2) appointments did not take place.
      isCancelled: row["statecode"] === 2,
      isAllDay: row["isalldayevent"] === true,
      ...(subject ? { subject } : {}),
      source: "dataverse",
      origin: { file: "dataverse:appointments", index },
    },
    tracked: {
      activityId: String(row["activityid"]),
      ...(subject ? { subject } : {}),
      ...(regarding ? { regarding } : {}),
    },
  };
}

/**
 * A tracked phone call, read like a message from the caller to the called party so that it passes the
 * same checks (date window, exclusions, unresolvable parties); the reader then makes it a call.
 */
export function phoneCallEnvelope(
  row: Row,
  addressOf: AddressOf,
  index: number,
): { envelope: MessageEnvelope; tracked: Tracked; durationMin?: number; cancelled: boolean } {
  const parties = partiesOf(row, ACTIVITY_QUERIES.phonecalls.parties, addressOf);
  const from = boxes(parties, PARTICIPATION.sender)[0];
  const subject = str(row["subject"]);
  const regarding = regardingOf(row);
  const minutes = row["actualdurationminutes"];
  return {
    envelope: {
      kind: "email",
      sentAt: time(row["actualstart"] ?? row["scheduledstart"] ?? row["actualend"]),
      ...(from ? { from } : {}),
      to: boxes(parties, PARTICIPATION.to),
      cc: [],
      bcc: [],
      ...(subject ? { subject } : {}),
      source: "dataverse",
      origin: { file: "dataverse:phonecalls", index },
    },
    tracked: {
      activityId: String(row["activityid"]),
      ...(subject ? { subject } : {}),
      ...(regarding ? { regarding } : {}),
    },
    ...(typeof minutes === "number" && minutes > 0 ? { durationMin: minutes } : {}),
    cancelled: row["statecode"] === 2,
  };
}
