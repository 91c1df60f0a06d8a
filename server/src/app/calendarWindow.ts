/** The calendar window around `now`, in whole calendar months (UTC). */
export function calendarWindow(
  now: number,
  monthsBack: number,
  monthsAhead: number,
): { start: number; end: number } {
  const d = new Date(now);
  const at = (months: number) =>
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + months,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
    );
  return { start: at(-monthsBack), end: at(monthsAhead) };
}
