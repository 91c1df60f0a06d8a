const MONTHS: Readonly<Record<string, number>> = {
  january: 0,
  february: 1,
  march: 2,
  april: 3,
  may: 4,
  june: 5,
  july: 6,
  august: 7,
  september: 8,
  october: 9,
  november: 10,
  december: 11,
};

// Outlook's meeting line: "Monday, August 06, 2001 10:00 AM-10:30 AM (GMT-06:00) Central Time (US & Canada)."
const WHEN =
  /^\w+, (\w+) (\d{1,2}), (\d{4}) (\d{1,2}):(\d\d) ([AP]M)-(\d{1,2}):(\d\d) ([AP]M) \(GMT(?:([+-])(\d\d):(\d\d))?\)/i;

/**
 * Reads the start and end of an Outlook meeting request from its "When:" line (X-Meeting-When in the
 * sample). The GMT offset printed in the line is the one in force on that date, so no zone table is needed.
 * Returns undefined for any other form (recurring descriptions, free text).
 */
export function parseMeetingWhen(when: string | undefined): { start: number; end: number } | undefined {
  const m = WHEN.exec((when ?? "").trim());
  if (!m) return undefined;
  const month = MONTHS[(m[1] ?? "").toLowerCase()];
  if (month === undefined) return undefined;
  const h24 = (h: string | undefined, ampm: string | undefined): number =>
    (Number(h) % 12) + ((ampm ?? "").toUpperCase() === "PM" ? 12 : 0);
  const offsetMin = m[10] ? (m[10] === "-" ? -1 : 1) * (Number(m[11]) * 60 + Number(m[12])) : 0;
  const day = Date.UTC(Number(m[3]), month, Number(m[2]));
  const start = day + (h24(m[4], m[6]) * 60 + Number(m[5]) - offsetMin) * 60_000;
  let end = day + (h24(m[7], m[9]) * 60 + Number(m[8]) - offsetMin) * 60_000;
  if (end < start) end += 86_400_000; // a meeting that runs past midnight
  return Number.isFinite(start) ? { start, end } : undefined;
}
