import {
  adjustmentText,
  bandOf,
  combine,
  coolDownUntil,
  FEEDBACK_BOUND,
  feedbackFor,
  type PastIntroduction,
  rankPaths,
  SELLER_TIE_FLOOR,
  type Tie,
} from "@rapport/model";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);
const ago = (days: number): string => new Date(NOW - days * DAY).toISOString();

const tie = (a: string, b: string, strength: number): Tie => ({ a, b, strength });

describe("combine", () => {
  it("combines steps by min, product and geometric mean on the 0-100 scale", () => {
    expect(combine([80, 20], "min")).toBe(20);
    expect(combine([80, 20], "product")).toBeCloseTo(16);
    expect(combine([80, 20], "geometric")).toBeCloseTo(40);
    expect(combine([64, 64, 64], "geometric")).toBeCloseTo(64);
    expect(combine([], "geometric")).toBe(0);
    expect(combine([150, -3], "min")).toBe(0);
  });
});

describe("bandOf", () => {
  it("uses the bands of the connection strength (60 strong, 30 moderate)", () => {
    expect([bandOf(60), bandOf(59.9), bandOf(30), bandOf(29.9)]).toEqual([
      "strong",
      "moderate",
      "moderate",
      "weak",
    ]);
  });
});

describe("rankPaths", () => {
  const targetTies = [
    tie("ann@us", "pat@them", 80),
    tie("bob@us", "pat@them", 50),
    tie("cat@us", "pat@them", 90),
  ];

  it("ranks by the seller's tie AND the colleague's tie, not the colleague's tie alone", () => {
    const paths = rankPaths({
      seller: "Me@us",
      target: "pat@them",
      sellerTies: [tie("me@us", "ann@us", 20), tie("bob@us", "me@us", 90)],
      targetTies,
      now: NOW,
    });
    expect(paths.map((p) => p.introducer)).toEqual(["bob@us", "ann@us", "cat@us"]);
    expect(paths[0]!.strength).toBeCloseTo(Math.sqrt(90 * 50), 1);
    expect(paths[0]!.steps).toEqual([
      { from: "me@us", to: "bob@us", strength: 90, band: "strong" },
      { from: "bob@us", to: "pat@them", strength: 50, band: "moderate" },
    ]);
    // cat is unknown to the seller: still a path, at the floor.
    expect(paths[2]!.steps[0]).toMatchObject({ strength: SELLER_TIE_FLOOR, assumed: true });
    expect(paths[2]!.strength).toBeCloseTo(Math.sqrt(SELLER_TIE_FLOOR * 90), 1);
  });

  it("never offers the seller, a target or an ineligible colleague as introducer", () => {
    const paths = rankPaths({
      seller: "ann@us",
      target: ["pat@them", "bob@us"],
      sellerTies: [tie("ann@us", "cat@us", 50)],
      targetTies: [...targetTies, tie("dan@us", "pat@them", 99)],
      now: NOW,
      eligible: (c) => c !== "dan@us",
    });
    expect(paths.map((p) => p.introducer)).toEqual(["cat@us"]);
  });

  it("reaches any of a record's people through each colleague's strongest tie", () => {
    const paths = rankPaths({
      seller: "me@us",
      target: ["pat@them", "kim@them"],
      sellerTies: [tie("me@us", "ann@us", 50)],
      targetTies: [tie("ann@us", "pat@them", 30), tie("ann@us", "kim@them", 70)],
      now: NOW,
    });
    expect(paths).toHaveLength(1);
    expect(paths[0]!.target).toBe("kim@them");
  });

  it("adds two-step paths only when no colleague who knows the target is known to the seller", () => {
    const base = {
      seller: "me@us",
      target: "pat@them",
      targetTies: [tie("cat@us", "pat@them", 90)],
      colleagueTies: [tie("bob@us", "cat@us", 70), tie("cat@us", "ann@us", 30)],
      now: NOW,
    };
    const two = rankPaths({ ...base, sellerTies: [tie("me@us", "ann@us", 80), tie("me@us", "bob@us", 60)] });
    expect(two[0]).toMatchObject({ introducer: "bob@us", connector: "cat@us", target: "pat@them" });
    expect(two[0]!.steps.map((s) => [s.from, s.to, s.strength])).toEqual([
      ["me@us", "bob@us", 60],
      ["bob@us", "cat@us", 70],
      ["cat@us", "pat@them", 90],
    ]);
    expect(two[0]!.strength).toBeCloseTo(Math.cbrt(60 * 70 * 90), 1);
    // The direct path through cat (unknown to the seller) stays listed, below.
    expect(two.map((p) => `${p.introducer}/${p.connector ?? ""}`)).toEqual(["bob@us/cat@us", "cat@us/"]);
    const direct = rankPaths({
      ...base,
      sellerTies: [tie("me@us", "cat@us", 10), tie("me@us", "bob@us", 60)],
    });
    expect(direct.every((p) => p.connector === undefined)).toBe(true);
  });

  it("is the same whatever order the ties come in", () => {
    const input = {
      seller: "me@us",
      target: "pat@them",
      sellerTies: [tie("me@us", "ann@us", 40), tie("me@us", "bob@us", 40)],
      targetTies,
      now: NOW,
    };
    const again = {
      ...input,
      sellerTies: [...input.sellerTies].reverse(),
      targetTies: [...targetTies].reverse(),
    };
    expect(rankPaths(again)).toEqual(rankPaths(input));
  });
});

describe("feedback from the seller's past introductions", () => {
  const past = (status: PastIntroduction["status"], days: number, target = "lee@them"): PastIntroduction => ({
    introducer: "ann@us",
    target,
    status,
    requestedOn: ago(days + 2),
    respondedOn: ago(days),
    madeOn: ago(days),
    meetingOn: ago(days),
  });
  const input = {
    seller: "me@us",
    target: "pat@them",
    sellerTies: [tie("me@us", "ann@us", 50), tie("me@us", "bob@us", 50)],
    targetTies: [tie("ann@us", "pat@them", 50), tie("bob@us", "pat@them", 49)],
    now: NOW,
  };

  it("lowers a path after a decline, with the reason, and raises it after a meeting", () => {
    const declined = rankPaths({ ...input, history: [past("declined", 12)] });
    expect(declined.map((p) => p.introducer)).toEqual(["bob@us", "ann@us"]);
    const ann = declined[1]!;
    expect(ann.strength).toBeLessThan(ann.baseStrength);
    expect(ann.adjustment).toMatchObject({ reason: "declined", daysAgo: 12, similar: true });
    expect(ann.adjustment!.text).toBe("Declined a similar request 12 days ago");
    const met = rankPaths({ ...input, target: "pat@them", history: [past("meetingHeld", 3)] });
    expect(met[0]!.introducer).toBe("ann@us");
    expect(met[0]!.strength).toBeGreaterThan(met[0]!.baseStrength);
    expect(met[0]!.adjustment!.text).toBe("A similar introduction led to a meeting 3 days ago");
  });

  it("weighs less with age and for targets at another organisation, and ignores open requests", () => {
    const at = (h: PastIntroduction[]) => feedbackFor({ introducer: "ann@us", target: "pat@them" }, h, NOW);
    expect(at([past("declined", 0)])!.delta).toBe(-10);
    expect(at([past("declined", 90)])!.delta).toBe(-5);
    expect(at([past("declined", 0, "x@elsewhere")])!.delta).toBe(-5);
    expect(at([past("made", 0)])!.delta).toBe(5);
    expect(at([past("won", 0)])!.delta).toBe(10);
    expect(at([past("requested", 0), past("accepted", 0), past("snoozed", 0)])).toBeUndefined();
    expect(at([{ ...past("declined", 0), introducer: "bob@us" }])).toBeUndefined();
    expect(at([past("declined", -5)])).toBeUndefined();
  });

  it("is bounded: at most ±15 points, within 0-100, at most one band away", () => {
    const many = (status: PastIntroduction["status"]) => Array.from({ length: 10 }, () => past(status, 1));
    const down = feedbackFor({ introducer: "ann@us", target: "pat@them" }, many("declined"), NOW)!;
    const up = feedbackFor({ introducer: "ann@us", target: "pat@them" }, many("meetingHeld"), NOW)!;
    expect([down.delta, up.delta]).toEqual([-FEEDBACK_BOUND, FEEDBACK_BOUND]);
    const single = (s: number, history: PastIntroduction[]) =>
      rankPaths({
        ...input,
        sellerTies: [tie("me@us", "ann@us", s)],
        targetTies: [tie("ann@us", "pat@them", s)],
        history,
      })[0]!;
    expect(single(95, many("meetingHeld")).strength).toBe(100);
    expect(single(5, many("declined")).strength).toBe(0);
    const bands = ["weak", "moderate", "strong"];
    for (let s = 0; s <= 100; s += 0.5)
      for (const delta of [-FEEDBACK_BOUND, FEEDBACK_BOUND]) {
        const moved = Math.max(0, Math.min(100, s + delta));
        expect(Math.abs(bands.indexOf(bandOf(moved)) - bands.indexOf(bandOf(s)))).toBeLessThanOrEqual(1);
      }
  });

  it("says when in words", () => {
    expect(adjustmentText("made", false, 1)).toBe("Made an earlier introduction yesterday");
    expect(adjustmentText("declined", true, 95)).toBe("Declined a similar request 3 months ago");
  });
});

describe("coolDownUntil", () => {
  it("runs from the latest decline by that introducer for the given days", () => {
    const d = (introducer: string, days: number): PastIntroduction => ({
      introducer,
      target: "p@x",
      status: "declined",
      requestedOn: ago(days + 1),
      respondedOn: ago(days),
    });
    expect(coolDownUntil("ann@us", [d("ann@us", 10), d("ann@us", 40)], NOW, 30)).toBe(NOW + 20 * DAY);
    expect(coolDownUntil("ann@us", [d("ann@us", 40), d("bob@us", 1)], NOW, 30)).toBeUndefined();
  });
});
