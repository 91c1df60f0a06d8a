import { isoTime } from "../../../server/src/core/insights/isoTime";
import { mulberry32 } from "../../../server/src/core/random";

const iso = (at: number): string => new Date(at).toISOString();

describe("isoTime: toISOString's string", () => {
  test("at random instants from 1970 to the year 9999", () => {
    const rnd = mulberry32(18);
    for (let k = 0; k < 20_000; k++) {
      const at = Math.floor(rnd() * 253_402_300_800_000);
      expect(isoTime(at)).toBe(iso(at));
    }
  });

  test.each([
    0,
    1,
    999,
    86_399_999,
    86_400_000,
    Date.UTC(2000, 1, 29, 23, 59, 59, 999),
    Date.UTC(2026, 0, 1),
    253_402_300_799_999,
    253_402_300_800_000,
    -1,
    -86_400_001,
    1.5,
    Date.UTC(2001, 4, 6, 7, 8, 9) + 0.25,
  ])("at %d, edges, six-digit years and fractions included", (at) => {
    expect(isoTime(at)).toBe(iso(at));
  });

  test("an invalid instant is a RangeError, as with toISOString", () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
