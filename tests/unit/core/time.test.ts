import { DAY_MS, dayNumber, isoDate, WEEK_MS, weekNumber, weekStart } from "../../../server/src/core/time";

const weekday = (at: number): number => new Date(at).getUTCDay(); // 0 = Sunday, 1 = Monday

/** Local wall-clock parts of an instant in a time zone (to check the DST fixtures are what they claim). */
function localParts(at: number, timeZone: string): { weekday: string; time: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? "";
  return { weekday: get("weekday"), time: `${get("hour")}:${get("minute")}` };
}

describe("weekNumber / weekStart (ISO weeks, Monday 00:00 UTC)", () => {
  test.each([
    ["Monday 2024-01-01 00:00", Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1)],
    ["Sunday 2024-01-07 23:59:59.999", Date.UTC(2024, 0, 7, 23, 59, 59, 999), Date.UTC(2024, 0, 1)],
    ["Thursday 1970-01-01 (epoch)", 0, Date.UTC(1969, 11, 29)],
    ["Wednesday 1969-12-31 (before the epoch)", Date.UTC(1969, 11, 31, 12), Date.UTC(1969, 11, 29)],
    ["Thursday 2020-12-31 (week spans the year end)", Date.UTC(2020, 11, 31, 8), Date.UTC(2020, 11, 28)],
    ["Friday 2021-01-01", Date.UTC(2021, 0, 1), Date.UTC(2020, 11, 28)],
    ["Sunday 2021-01-03 23:59", Date.UTC(2021, 0, 3, 23, 59), Date.UTC(2020, 11, 28)],
    ["Monday 2021-01-04 00:00", Date.UTC(2021, 0, 4), Date.UTC(2021, 0, 4)],
    ["Tuesday 2024-12-31 (week spans the year end)", Date.UTC(2024, 11, 31, 23), Date.UTC(2024, 11, 30)],
    ["Wednesday 2025-01-01", Date.UTC(2025, 0, 1), Date.UTC(2024, 11, 30)],
    ["Leap day 2024-02-29", Date.UTC(2024, 1, 29, 15), Date.UTC(2024, 1, 26)],
  ])("%s belongs to the week starting %s", (_label, at, monday) => {
    expect(isoDate(weekStart(weekNumber(at)))).toBe(isoDate(monday));
    expect(weekStart(weekNumber(at))).toBe(monday);
  });

  test("every week starts on a Monday at 00:00 UTC and contains its instants", () => {
    const start = Date.UTC(1999, 11, 20);
    for (let at = start; at < start + 800 * DAY_MS; at += 7 * 3_600_000 + 13 * 60_000) {
      const ws = weekStart(weekNumber(at));
      expect(weekday(ws)).toBe(1);
      expect(ws % DAY_MS).toBe(0);
      expect(ws).toBeLessThanOrEqual(at);
      expect(at).toBeLessThan(ws + WEEK_MS);
    }
  });

  test("consecutive week numbers start exactly one week apart", () => {
    const w = weekNumber(Date.UTC(2024, 2, 10));
    expect(weekStart(w + 1) - weekStart(w)).toBe(WEEK_MS);
    expect(weekNumber(weekStart(w + 1))).toBe(w + 1);
    expect(weekNumber(weekStart(w + 1) - 1)).toBe(w);
  });

  test.each([
    // US DST starts Sunday 2024-03-10 (PST→PDT) and ends Sunday 2024-11-03 (PDT→PST).
    ["spring forward", Date.UTC(2024, 2, 11, 6, 30), Date.UTC(2024, 2, 4), Date.UTC(2024, 2, 11)],
    ["fall back", Date.UTC(2024, 10, 4, 7, 30), Date.UTC(2024, 9, 28), Date.UTC(2024, 10, 4)],
  ])(
    "a Sunday 23:30 in Los Angeles after the %s change is already Monday in UTC",
    (_label, at, losAngelesWeek, utcWeek) => {
      expect(localParts(at, "America/Los_Angeles")).toEqual({ weekday: "Sun", time: "23:30" });
      expect(weekStart(weekNumber(at))).toBe(utcWeek);
      expect(weekStart(weekNumber(at))).not.toBe(losAngelesWeek);
      // One minute before midnight UTC on the same Sunday stays in the local week.
      expect(weekStart(weekNumber(utcWeek - 60_000))).toBe(losAngelesWeek);
    },
  );
});

describe("dayNumber", () => {
  test.each([
    ["the epoch", 0, 0],
    ["one millisecond before the epoch", -1, -1],
    ["the last millisecond of the first day", DAY_MS - 1, 0],
    ["the start of the second day", DAY_MS, 1],
    ["2024-03-10 00:00 UTC", Date.UTC(2024, 2, 10), 19792],
    ["2024-03-10 23:59:59.999 UTC", Date.UTC(2024, 2, 10, 23, 59, 59, 999), 19792],
    ["2024-03-11 00:00 UTC", Date.UTC(2024, 2, 11), 19793],
  ])("%s is in the right day", (_label, at, day) => {
    expect(dayNumber(at)).toBe(day);
  });

  test("day N starts at N × DAY_MS (UTC midnight)", () => {
    const at = Date.UTC(2024, 2, 10, 17, 45);
    expect(dayNumber(at) * DAY_MS).toBe(Date.UTC(2024, 2, 10));
  });
});

describe("isoDate", () => {
  test.each([
    [Date.UTC(2024, 2, 10), "2024-03-10"],
    [Date.UTC(2024, 2, 10, 23, 59, 59, 999), "2024-03-10"],
    [Date.UTC(2024, 11, 31, 23, 30), "2024-12-31"],
    [Date.UTC(2025, 0, 1), "2025-01-01"],
  ])("isoDate(%p) is %p in UTC", (at, date) => {
    expect(isoDate(at)).toBe(date);
  });
});
