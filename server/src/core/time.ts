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
