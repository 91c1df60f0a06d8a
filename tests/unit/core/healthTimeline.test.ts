import { type Cadence, resolveConfig } from "../../../server/src/core/config";
import { type DirectoryData, EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { RelationshipState, type Resolved } from "../../../server/src/core/engine/state";
import { assessHealth } from "../../../server/src/core/insights/health";
import { HealthTimeline } from "../../../server/src/core/insights/healthTimeline";
import type { InteractionKind } from "../../../server/src/core/interaction";
import { mulberry32 } from "../../../server/src/core/random";
import { DAY_MS, HOUR_MS } from "../../../server/src/core/time";
import { ANN, BOB, CY, interactionOf, W, X, Y, Z } from "./people";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const NOW = Date.UTC(2024, 5, 12, 12);
const OURS = [ANN, BOB, CY];
const THEIRS = [W, X, Y, Z];
const KINDS: InteractionKind[] = ["email", "email", "email", "meeting", "call", "task"];
const directory: DirectoryData = {
  ...EMPTY_DIRECTORY,
  users: OURS.map((e) => ({ id: `u-${e}`, name: e, emails: [e] })),
};

/**
 * A random record history around NOW: `n` interactions over `spanDays` days (some after NOW), either way,
 * with one or two people of ours and one to three of theirs.
 */
function history(seed: number, n: number, spanDays: number): Resolved[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const items = [];
  for (let k = 0; k < n; k++) {
    const at = NOW - Math.floor(rnd() * spanDays * DAY_MS) + (rnd() < 0.1 ? 40 * DAY_MS * rnd() : 0);
    const ours = [...new Set([pick(OURS), pick(OURS)])].slice(0, 1 + Math.floor(rnd() * 2));
    const theirs = [...new Set([pick(THEIRS), pick(THEIRS), pick(THEIRS)])];
    const out = rnd() < 0.5;
    const [from = ANN, ...to] = out ? [...ours, ...theirs] : [...theirs, ...ours];
    items.push(interactionOf({ key: `k${seed}-${k}`, kind: pick(KINDS), at: Math.round(at), from, to }));
  }
  const state = new RelationshipState(directory, config);
  state.addAll(items);
  return state.interactionsWith(THEIRS);
}

/** Instants to compare at: each week's end over a year and a half, each interaction's time and just around it. */
function instants(resolved: readonly Resolved[]): number[] {
  const out: number[] = [];
  for (let d = -500; d <= 60; d += 7) out.push(NOW + d * DAY_MS - 1);
  for (const r of resolved.slice(0, 40))
    out.push(r.interaction.at - 1, r.interaction.at, r.interaction.at + 1);
  return out;
}

describe("HealthTimeline: the same score and status as assessHealth at every instant", () => {
  const cadences: Cadence[] = ["daily", "weekly", "monthly"];
  test.each([
    [1, 0, 300],
    [2, 1, 300],
    [3, 2, 10],
    [4, 12, 400],
    [5, 60, 200],
    [6, 300, 500],
    [7, 40, 30],
  ])("seed %i: %i interactions over %i days", (seed, n, span) => {
    const resolved = history(seed, n, span);
    const timeline = HealthTimeline.of(resolved, config);
    expect(timeline).toBeDefined();
    for (const cadence of cadences)
      for (const at of instants(resolved)) {
        const want = assessHealth(resolved, at, cadence, config, { multiPerson: seed % 2 === 0 });
        const got = timeline?.scoreAt(at, cadence, config);
        // Bit for bit: the weekly points round the score, and a rounding edge must fall alike.
        expect(got).toEqual({ score: want.score, status: want.status });
      }
  });

  test("breadth needs three people on each side within the recent window, counted at each instant", () => {
    const items = [ANN, BOB, CY].map((u, k) =>
      interactionOf({ key: `b${k}`, kind: "meeting", at: NOW - (100 - k) * DAY_MS, from: u, to: [W, X, Y] }),
    );
    items.push(interactionOf({ key: "late", kind: "email", at: NOW - HOUR_MS, from: X, to: [ANN] }));
    const state = new RelationshipState(directory, config);
    state.addAll(items);
    const resolved = state.interactionsWith(THEIRS);
    const timeline = HealthTimeline.of(resolved, config);
    for (const days of [95, 60, 0]) {
      const at = NOW - days * DAY_MS;
      expect(timeline?.scoreAt(at, "weekly", config).score).toBe(
        assessHealth(resolved, at, "weekly", config).score,
      );
    }
  });

  test("is not made for interactions out of time order", () => {
    const resolved = history(8, 20, 100);
    expect(HealthTimeline.of([...resolved].reverse(), config)).toBeUndefined();
  });
});
