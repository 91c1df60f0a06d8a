import type { Attendee, AttendeeType, EventEnvelope, Origin, ResponseStatus } from "../../core/interaction";
import {
  asObject,
  type GraphItemResult,
  guarded,
  issueResult,
  ItemProblem,
  type JsonObject,
  mailboxOf,
  optionalMailbox,
  parseIsoDateTime,
  removedResult,
  text,
  utcMs,
} from "./graphMessage";

/**
 * Windows time-zone ids (what Outlook and Graph return unless asked for IANA) to IANA ids, after the
 * CLDR windowsZones mapping for the zone's main territory. Keys are lower-case: Graph's casing varies.
 */
export const WINDOWS_TIME_ZONES: Readonly<Record<string, string>> = {
  utc: "UTC",
  "tzone://microsoft/utc": "UTC",
  "gmt standard time": "Europe/London",
  "greenwich standard time": "Atlantic/Reykjavik",
  "w. europe standard time": "Europe/Berlin",
  "romance standard time": "Europe/Paris",
  "central europe standard time": "Europe/Budapest",
  "central european standard time": "Europe/Warsaw",
  "e. europe standard time": "Europe/Chisinau",
  "fle standard time": "Europe/Kiev",
  "gtb standard time": "Europe/Bucharest",
  "russian standard time": "Europe/Moscow",
  "turkey standard time": "Europe/Istanbul",
  "israel standard time": "Asia/Jerusalem",
  "egypt standard time": "Africa/Cairo",
  "south africa standard time": "Africa/Johannesburg",
  "w. central africa standard time": "Africa/Lagos",
  "e. africa standard time": "Africa/Nairobi",
  "morocco standard time": "Africa/Casablanca",
  "arabian standard time": "Asia/Dubai",
  "arab standard time": "Asia/Riyadh",
  "iran standard time": "Asia/Tehran",
  "pakistan standard time": "Asia/Karachi",
  "india standard time": "Asia/Kolkata",
  "sri lanka standard time": "Asia/Colombo",
  "nepal standard time": "Asia/Kathmandu",
  "bangladesh standard time": "Asia/Dhaka",
  "se asia standard time": "Asia/Bangkok",
  "singapore standard time": "Asia/Singapore",
  "china standard time": "Asia/Shanghai",
  "taipei standard time": "Asia/Taipei",
  "korea standard time": "Asia/Seoul",
  "tokyo standard time": "Asia/Tokyo",
  "w. australia standard time": "Australia/Perth",
  "cen. australia standard time": "Australia/Adelaide",
  "e. australia standard time": "Australia/Brisbane",
  "aus eastern standard time": "Australia/Sydney",
  "new zealand standard time": "Pacific/Auckland",
  "hawaiian standard time": "Pacific/Honolulu",
  "alaskan standard time": "America/Anchorage",
  "pacific standard time": "America/Los_Angeles",
  "us mountain standard time": "America/Phoenix",
  "mountain standard time": "America/Denver",
  "central standard time": "America/Chicago",
  "central standard time (mexico)": "America/Mexico_City",
  "canada central standard time": "America/Regina",
  "eastern standard time": "America/New_York",
  "sa pacific standard time": "America/Bogota",
  "atlantic standard time": "America/Halifax",
  "newfoundland standard time": "America/St_Johns",
  "pacific sa standard time": "America/Santiago",
  "e. south america standard time": "America/Sao_Paulo",
  "argentina standard time": "America/Argentina/Buenos_Aires",
};

const DAY_MS = 86_400_000;

// Building an Intl.DateTimeFormat is costly and a calendar holds few zones: one formatter per zone.
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(ianaZone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(ianaZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: ianaZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      f = null; // RangeError: not a zone this runtime knows
    }
    // Bad input could name a new zone per item; the cache must not grow with it.
    if (formatters.size > 1000) formatters.clear();
    formatters.set(ianaZone, f);
  }
  return f ?? undefined;
}

/** The IANA zone for a Graph `timeZone` (Windows or IANA id), or undefined when unknown. */
export function ianaZoneOf(timeZone: string): string | undefined {
  const mapped = WINDOWS_TIME_ZONES[timeZone.trim().toLowerCase()];
  if (mapped) return mapped;
  return formatterFor(timeZone.trim()) ? timeZone.trim() : undefined;
}

/** The zone's offset from UTC (ms, east positive) at instant `t`. */
function offsetAt(f: Intl.DateTimeFormat, t: number): number {
  const parts = f.formatToParts(t);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = utcMs({
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
    ms: 0,
  });
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * The instant at which a zone's clocks show `wall` (a wall time written as if it were UTC). The offset
 * is looked up a day before and after, which covers one DST change; a wall time the change repeats
 * takes the earlier instant, and one it skips moves forward by the gap (Temporal's "compatible" rule).
 * @example zonedWallToUtc(Date.UTC(2024, 2, 8, 9), "America/Los_Angeles") // Date.UTC(2024, 2, 8, 17)
 */
export function zonedWallToUtc(wall: number, ianaZone: string): number {
  if (ianaZone === "UTC") return wall;
  const f = formatterFor(ianaZone);
  if (!f) return NaN;
  const before = offsetAt(f, wall - DAY_MS);
  const after = offsetAt(f, wall + DAY_MS);
  const valid = [before, after].map((o) => wall - o).filter((t) => offsetAt(f, t) === wall - t);
  return valid.length ? Math.min(...valid) : wall - before;
}

/** A Graph dateTimeTimeZone ({ dateTime: "2024-05-01T09:00:00.0000000", timeZone }) as epoch ms. */
export function dateTimeTimeZone(value: unknown, field: string): number {
  if (value === null || value === undefined) return NaN;
  const dt = asObject(value);
  if (!dt) throw new ItemProblem("badItem", `${field} is not a dateTimeTimeZone object`);
  if (dt.dateTime === null || dt.dateTime === undefined) return NaN;
  const parsed = typeof dt.dateTime === "string" ? parseIsoDateTime(dt.dateTime) : undefined;
  if (!parsed) throw new ItemProblem("invalidDate", `${field}.dateTime is not a valid date-time`);
  if (parsed.offsetMs !== undefined) return parsed.wall - parsed.offsetMs;
  // Graph returns UTC when the request did not prefer a zone, so a missing zone is read as UTC.
  const zone = text(dt.timeZone) ?? "UTC";
  const iana = ianaZoneOf(zone);
  if (!iana) throw new ItemProblem("badItem", `${field}.timeZone: unknown time zone "${zone.slice(0, 64)}"`);
  return zonedWallToUtc(parsed.wall, iana);
}

const ATTENDEE_TYPES: readonly AttendeeType[] = ["required", "optional", "resource"];
const RESPONSES: readonly ResponseStatus[] = [
  "none",
  "organizer",
  "tentativelyAccepted",
  "accepted",
  "declined",
  "notResponded",
];
const EVENT_TYPES: readonly NonNullable<EventEnvelope["type"]>[] = [
  "singleInstance",
  "occurrence",
  "exception",
  "seriesMaster",
];

/** Case-insensitive pick from a closed set: Graph JSON says "tentativelyAccepted", its docs "TentativelyAccepted". */
function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  const v = text(value)?.toLowerCase();
  return allowed.find((a) => a.toLowerCase() === v);
}

function attendeeOf(value: unknown): Attendee {
  const a = asObject(value);
  return {
    mailbox: mailboxOf(a),
    // A missing type is what Outlook defaults to for invitees.
    type: oneOf(a?.type, ATTENDEE_TYPES) ?? "required",
    response: oneOf(asObject(a?.status)?.response, RESPONSES) ?? "none",
  };
}

function attendeesOf(value: unknown): Attendee[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ItemProblem("badItem", "attendees is not an array");
  return value.map(attendeeOf);
}

function buildEvent(event: JsonObject, origin: Origin): EventEnvelope {
  const envelope: EventEnvelope = {
    kind: "meeting",
    attendees: attendeesOf(event.attendees),
    start: dateTimeTimeZone(event.start, "start"),
    end: dateTimeTimeZone(event.end, "end"),
    isCancelled: event.isCancelled === true,
    isAllDay: event.isAllDay === true,
    source: "graph",
    origin,
  };
  const id = text(event.id);
  if (id) envelope.id = id;
  const iCalUId = text(event.iCalUId);
  if (iCalUId) envelope.iCalUId = iCalUId;
  const organizer = optionalMailbox(event.organizer, "organizer");
  if (organizer) envelope.organizer = organizer;
  const type = oneOf(event.type, EVENT_TYPES);
  if (type) envelope.type = type;
  const seriesMasterId = text(event.seriesMasterId);
  if (seriesMasterId) envelope.seriesMasterId = seriesMasterId;
  const subject = text(event.subject);
  if (subject) envelope.subject = subject;
  return envelope;
}

/**
 * Maps a Graph `event` as Graph returns it (calendarView or its delta). Start and end are converted from
 * the event's wall time and zone to UTC instants, daylight saving included.
 * @example eventToEnvelope({ id: "AAMk=", start: { dateTime: "2024-03-08T09:00:00.0000000", timeZone: "Pacific Standard Time" }, ... }, origin)
 */
export function eventToEnvelope(item: unknown, origin: Origin): GraphItemResult<EventEnvelope> {
  const event = asObject(item);
  if (!event) return issueResult("badItem", "item is not a JSON object", origin);
  const removed = removedResult(event, origin);
  if (removed) return removed;
  return guarded(origin, () => buildEvent(event, origin));
}
