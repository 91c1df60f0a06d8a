export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

// 1970-01-01 was a Thursday; shifting by 3 days makes weeks start on Monday (ISO weeks), in UTC.
const MONDAY_SHIFT = 3 * DAY_MS;

/** Whole UTC days since the epoch. */
export function dayNumber(at: number): number {
  return Math.floor(at / DAY_MS);
}

/**
 * The end of `at`'s UTC day: the next midnight, or `at` itself when it is a midnight. Every scale-out run
 * of a day scores as of it, so that a record no new mail touched keeps its scores between the day's runs.
 * @example endOfDay(Date.UTC(2026, 0, 1, 10, 15)) === Date.UTC(2026, 0, 2)
 */
export function endOfDay(at: number): number {
  return Math.ceil(at / DAY_MS) * DAY_MS;
}

/** Whole ISO weeks (Monday to Sunday, UTC) since the epoch. */
export function weekNumber(at: number): number {
  return Math.floor((at + MONDAY_SHIFT) / WEEK_MS);
}

/** The Monday 00:00 UTC that starts a week number. */
export function weekStart(week: number): number {
  return week * WEEK_MS - MONDAY_SHIFT;
}

/** ISO date (YYYY-MM-DD) of an instant, in UTC. */
export function isoDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
