import { isAutomatedHeaderValue } from "../../core/automated";
import type { MailboxRef, MessageEnvelope, Origin } from "../../core/interaction";
import type { SourceIssue, SourceIssueCode } from "../sourceItem";

/**
 * What one Graph item became: an envelope, a named problem, or a delta removal (`@removed`), which is
 * not an interaction but is counted by the caller.
 */
export type GraphItemResult<E> = { envelope: E } | { issue: SourceIssue } | { removed: string };

export type JsonObject = Record<string, unknown>;

/**
 * A problem with one field of one item. Thrown inside the mappers so that the field readers stay
 * small; caught at the item boundary and returned as an issue, never escaping to the caller.
 * Its message names the field, never the value (values can hold addresses or subjects).
 */
export class ItemProblem extends Error {
  constructor(
    readonly code: SourceIssueCode,
    message: string,
  ) {
    super(message);
  }
}

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** A non-blank string, or undefined for anything else (Graph sends null for unset strings). */
export function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function issueResult(code: SourceIssueCode, message: string, origin: Origin): { issue: SourceIssue } {
  return { issue: { code, message, origin } };
}

/** Runs a mapper body, turning an ItemProblem into the item's issue. */
export function guarded<E>(origin: Origin, body: () => E): { envelope: E } | { issue: SourceIssue } {
  try {
    return { envelope: body() };
  } catch (e) {
    if (e instanceof ItemProblem) return issueResult(e.code, e.message, origin);
    throw e;
  }
}

/** A delta removal (`{"id": ..., "@removed": {"reason": "deleted"}}`), or undefined for a live item. */
export function removedResult(item: JsonObject, origin: Origin): GraphItemResult<never> | undefined {
  if (item["@removed"] === undefined || item["@removed"] === null) return undefined;
  const id = text(item.id);
  return id ? { removed: id } : issueResult("badItem", "@removed item has no id", origin);
}

/**
 * A Graph `recipient` ({ emailAddress: { name, address } }) as a mailbox. A recipient whose parts are
 * null becomes an empty address rather than disappearing, so normalise counts it as unresolvable.
 */
export function mailboxOf(value: unknown): MailboxRef {
  const email = asObject(asObject(value)?.emailAddress);
  const address = text(email?.address) ?? "";
  const name = text(email?.name);
  return name ? { name, address } : { address };
}

/**
 * An optional single recipient (from, sender, organizer); a non-object is a broken item. One with
 * neither name nor address is left out, so that normalise can fall back from `from` to `sender`.
 */
export function optionalMailbox(value: unknown, field: string): MailboxRef | undefined {
  if (value === null || value === undefined) return undefined;
  if (!asObject(value)) throw new ItemProblem("badItem", `${field} is not a recipient object`);
  const mailbox = mailboxOf(value);
  return mailbox.address || mailbox.name ? mailbox : undefined;
}

/** A recipient collection; null or missing means none. */
export function recipientList(value: unknown, field: string): MailboxRef[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ItemProblem("badItem", `${field} is not an array`);
  return value.map(mailboxOf);
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;
const DAY_MS = 86_400_000;
// Date.UTC maps years 0-99 to 1900-1999; 400 Gregorian years are exactly 146,097 days.
const FOUR_CENTURIES_MS = 146_097 * DAY_MS;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** A calendar date-time's fields as written (month 1-12). */
export interface DateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** Epoch ms of a calendar date-time read as UTC, valid for every 4-digit year. */
export function utcMs(p: DateTimeParts): number {
  const { year, month, day, hour, minute, second, ms } = p;
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - FOUR_CENTURIES_MS;
}

/**
 * Reads an ISO 8601 date-time strictly: Date.parse accepts other formats depending on the engine and
 * reads a zone-less string as local time, both wrong for Graph. Returns the wall time as if it were UTC,
 * and the offset when the string carries one; undefined when the string is not a real date-time.
 * @example parseIsoDateTime("2024-05-01T09:00:00.0000000") // { wall: Date.UTC(2024, 4, 1, 9) }
 */
export function parseIsoDateTime(value: string): { wall: number; offsetMs?: number } | undefined {
  const m = ISO_DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const parts = partsOf(m);
  if (!isRealDateTime(parts)) return undefined;
  const wall = utcMs(parts);
  if (m[9] === undefined) return m[8] ? { wall, offsetMs: 0 } : { wall };
  const offsetMs = offsetOf(m[9], Number(m[10]), Number(m[11]));
  return offsetMs === undefined ? undefined : { wall, offsetMs };
}

/** The date-time fields of an ISO_DATE_TIME match; fractions of a second past milliseconds are cut. */
function partsOf(m: RegExpExecArray): DateTimeParts {
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  return { year, month, day, hour, minute, second, ms };
}

/** Whether the fields name a real calendar day and time of day (no leap seconds). */
function isRealDateTime(p: DateTimeParts): boolean {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(p.year, p.month)) return false;
  return p.hour <= 23 && p.minute <= 59 && p.second <= 59;
}

/** A written offset (`+hh:mm`, east positive) in ms, or undefined when its hours or minutes are out of range. */
function offsetOf(sign: string, offHours: number, offMinutes: number): number | undefined {
  if (offHours > 23 || offMinutes > 59) return undefined;
  return (sign === "-" ? -1 : 1) * (offHours * 60 + offMinutes) * 60_000;
}

/** A Graph DateTimeOffset (UTC per the API; an explicit offset is honoured), NaN when null or missing. */
function instantOf(value: unknown, field: string): number {
  if (value === null || value === undefined) return NaN;
  const parsed = typeof value === "string" ? parseIsoDateTime(value) : undefined;
  if (!parsed) throw new ItemProblem("invalidDate", `${field} is not a valid ISO 8601 date-time`);
  return parsed.wall - (parsed.offsetMs ?? 0);
}

/** Sent time; Graph omits sentDateTime on some received copies, and receivedDateTime is the next best. */
function sentAtOf(message: JsonObject): number {
  const sent = instantOf(message.sentDateTime, "sentDateTime");
  return Number.isNaN(sent) ? instantOf(message.receivedDateTime, "receivedDateTime") : sent;
}

interface HeaderSignals {
  automated?: string;
  autoReply?: string;
}

const AUTO_REPLY_HEADERS = new Set(["x-autoreply", "x-autorespond"]);
const AUTOMATED_HEADERS = new Set(["list-id", "x-auto-response-suppress"]);

/**
 * Machine-mail signals from `internetMessageHeaders` (only present when the export selected them, and
 * never on Sent Items copies). Values are kept as sent; normalise judges them.
 */
function headerSignals(headers: unknown): HeaderSignals {
  const signals: HeaderSignals = {};
  if (!Array.isArray(headers)) return signals;
  for (const h of headers) {
    const name = text(asObject(h)?.name)?.toLowerCase();
    const value = text(asObject(h)?.value);
    if (!name || !value || !isAutomatedHeaderValue(value)) continue;
    const signal = signalOf(name, value);
    if (signal) signals[signal] ??= value;
  }
  return signals;
}

/** Which signal a header (lower-case name, with a machine-like value) gives, if any. */
function signalOf(name: string, value: string): keyof HeaderSignals | undefined {
  if (name === "auto-submitted") return /^auto-replied\b/i.test(value) ? "autoReply" : "automated";
  // Precedence: first-class or special-delivery are sent by people.
  if (name === "precedence") return /^(bulk|list|junk)$/i.test(value) ? "automated" : undefined;
  if (AUTOMATED_HEADERS.has(name)) return "automated";
  if (AUTO_REPLY_HEADERS.has(name)) return "autoReply";
  return undefined;
}

/**
 * Maps a Graph `message` as Graph returns it. Nulls are tolerated everywhere and unknown fields ignored;
 * a field of the wrong kind or an unreadable date makes the item an issue naming that field.
 * @example messageToEnvelope({ id: "AAMk=", from: {...}, toRecipients: [...], sentDateTime: "2024-05-01T09:00:00Z" }, { file: "p.json", index: 0 })
 */
export function messageToEnvelope(item: unknown, origin: Origin): GraphItemResult<MessageEnvelope> {
  const message = asObject(item);
  if (!message) return issueResult("badItem", "item is not a JSON object", origin);
  const removed = removedResult(message, origin);
  if (removed) return removed;
  if (message.isDraft === true)
    return issueResult("badItem", "isDraft: a draft is not an interaction", origin);
  return guarded(origin, () => {
    const envelope: MessageEnvelope = {
      kind: "email",
      // internetMessageId is the RFC Message-ID, shared by every mailbox's copy of the message.
      messageIdIsPerCopy: false,
      sentAt: sentAtOf(message),
      to: recipientList(message.toRecipients, "toRecipients"),
      cc: recipientList(message.ccRecipients, "ccRecipients"),
      bcc: recipientList(message.bccRecipients, "bccRecipients"),
      source: "graph",
      origin,
    };
    const messageId = text(message.internetMessageId)
      ?.replace(/^<+|>+$/g, "")
      .trim();
    if (messageId) envelope.messageId = messageId;
    const from = optionalMailbox(message.from, "from");
    if (from) envelope.from = from;
    const sender = optionalMailbox(message.sender, "sender");
    if (sender) envelope.sender = sender;
    const subject = text(message.subject);
    if (subject) envelope.subject = subject;
    const conversationId = text(message.conversationId);
    if (conversationId) envelope.conversationId = conversationId;
    const signals = headerSignals(message.internetMessageHeaders);
    if (signals.automated) envelope.automatedHeader = signals.automated;
    if (signals.autoReply) envelope.autoReplyHeader = signals.autoReply;
    return envelope;
  });
}
