/**
 * Formatting for the controls: numbers, dates and durations in the user's language (context.userSettings),
 * dates shifted by the user's time-zone offset (userSettings.getTimeZoneOffsetMinutes) as Dataverse
 * shows them.
 */

/** The few LCIDs a Dataverse user interface language usually has; others fall back to the browser's. */
const LCID: Record<number, string> = {
  1031: "de-DE",
  1033: "en-US",
  1036: "fr-FR",
  1040: "it-IT",
  1041: "ja-JP",
  1043: "nl-NL",
  1044: "nb-NO",
  1046: "pt-BR",
  1053: "sv-SE",
  2052: "zh-CN",
  2057: "en-GB",
  3082: "es-ES",
};

export function localeOf(languageId: number | undefined): string | undefined {
  return languageId === undefined ? undefined : LCID[languageId];
}

export interface Formatter {
  locale: string | undefined;
  number(n: number | null | undefined, maxFractionDigits?: number): string;
  percent(rate: number | null | undefined): string;
  date(iso: string | null | undefined): string;
  dateTime(iso: string | null | undefined): string;
  /** A plain calendar date (YYYY-MM-DD, e.g. a week start): never shifted by a time zone. */
  day(isoDate: string | null | undefined): string;
  hours(h: number | null | undefined): string;
  minutes(min: number | null | undefined): string;
}

const parseDate = (iso: string | null | undefined): Date | undefined => {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/**
 * A formatter for one user. `offsetMinutes(d)` is the user's offset from UTC at `d` (Dataverse's
 * getTimeZoneOffsetMinutes); dates are shifted by it and then formatted as UTC so the browser's own
 * zone never matters. `dash` is shown for a missing value.
 */
export function formatter(
  locale: string | undefined,
  offsetMinutes: (d: Date) => number = () => 0,
  dash = "—",
): Formatter {
  const nf = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number) => {
    let f = nf.get(digits);
    if (!f) nf.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })));
    return f;
  };
  const df = new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
  const dtf = new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone: "UTC",
  });
  const pf = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const shift = (d: Date) => new Date(d.getTime() + offsetMinutes(d) * 60_000);
  const ok = (n: number | null | undefined): n is number => typeof n === "number" && Number.isFinite(n);
  return {
    locale,
    number: (n, digits = 0) => (ok(n) ? numberFormat(digits).format(n) : dash),
    percent: (r) => (ok(r) ? pf.format(r) : dash),
    date: (iso) => {
      const d = parseDate(iso);
      return d ? df.format(shift(d)) : dash;
    },
    dateTime: (iso) => {
      const d = parseDate(iso);
      return d ? dtf.format(shift(d)) : dash;
    },
    day: (s) => {
      const d = parseDate(s ? `${s.slice(0, 10)}T00:00:00Z` : s);
      return d ? df.format(d) : dash;
    },
    hours: (h) => (ok(h) ? `${numberFormat(1).format(h)} h` : dash),
    minutes: (m) => {
      if (!ok(m)) return dash;
      const h = Math.floor(m / 60);
      const rest = Math.round(m - h * 60);
      return h > 0 ? `${numberFormat(0).format(h)} h ${rest} min` : `${rest} min`;
    },
  };
}
