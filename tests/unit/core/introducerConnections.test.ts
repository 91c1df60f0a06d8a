import { resolveConfig } from "../../../server/src/core/config";
import { Directory, type DirectoryData, EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { type DayColumns, RelationshipState } from "../../../server/src/core/engine/state";
import { computeInsights } from "../../../server/src/core/insights";
import { type ConnectionInsight, connectionOf } from "../../../server/src/core/insights/connections";
import { introducersFor, type IntroducerSource } from "../../../server/src/core/insights/introducers";
import type { InteractionKind } from "../../../server/src/core/interaction";
import { mulberry32 } from "../../../server/src/core/random";
import { DAY_MS } from "../../../server/src/core/time";
import { ANN, BOB, CY, interactionOf, W, X, Y, Z } from "./people";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const NOW = Date.UTC(2024, 5, 12, 12);
const THEIRS = [W, X, Y, Z];
const KINDS: InteractionKind[] = ["email", "email", "meeting", "call"];
const directory: DirectoryData = {
  ...EMPTY_DIRECTORY,
  users: [
    { id: "u-ann", name: "Ann", emails: [ANN] },
    { id: "u-bob", name: "Bob", emails: [BOB] },
  ],
  contacts: THEIRS.map((e, k) => ({ id: `c${k}`, name: e, emails: [e], accountId: "a" })),
  accounts: [{ id: "a", name: "Fabrikam", domains: ["fabrikam.com"] }],
};

/** Random mail and meetings between Ann, Bob, Cy (not a user) and four people, some after NOW. */
function state(seed: number): RelationshipState {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const items = Array.from({ length: 120 }, (_, k) => {
    const ours = pick([ANN, BOB, CY]);
    const theirs = pick(THEIRS);
    const at = NOW - Math.floor(rnd() * 300 * DAY_MS) + (k % 20 === 0 ? 5 * DAY_MS : 0);
    const [from, to] = rnd() < 0.5 ? [ours, theirs] : [theirs, ours];
    return interactionOf({ key: `k${k}`, kind: pick(KINDS), at, from, to: [to] });
  });
  const s = new RelationshipState(directory, config);
  s.addAll(items);
  return s;
}

/** The introducers' source, with or without each pair's connection at hand. */
function source(s: RelationshipState, withConnections: boolean, limit?: number): IntroducerSource {
  const reader = s.pairReader();
  const pairsByExternal = new Map<string, number[]>();
  const connectionOfPair: (ConnectionInsight | undefined)[] = [];
  const days: DayColumns = { first: [], last: [], weight: [] };
  for (let p = 0; p < reader.size; p++) {
    if (reader.firstAt(p) > NOW) continue;
    const e = reader.external(p);
    pairsByExternal.set(e, [...(pairsByExternal.get(e) ?? []), p]);
    connectionOfPair[p] = connectionOf(reader, p, e, NOW, days);
  }
  const users = new Directory(directory, config);
  return {
    pairsByExternal,
    reader,
    now: NOW,
    eligible: (c) => users.userOf(c) !== undefined,
    directory: s.directory,
    limit,
    ...(withConnections ? { connectionOfPair } : {}),
  };
}

describe("introducers from the connections already computed", () => {
  test.each([
    [1, undefined],
    [2, undefined],
    [3, 3],
    [4, 1],
    [5, 0],
  ])("seed %i (people per list %s): the same introducers with and without them", (seed, limit) => {
    const s = state(seed);
    const scopes = new Directory(directory, config).scopes(s.externalsByDomain());
    expect(scopes.some((x) => x.type === "account")).toBe(true);
    for (const scope of scopes) {
      const want = introducersFor(scope, source(s, false, limit));
      expect(JSON.stringify(introducersFor(scope, source(s, true, limit)))).toBe(JSON.stringify(want));
    }
  });
});

describe("introducers turned off (the backtest writes none)", () => {
  test("every record's scores and every connection stay; only the introducers are left out", () => {
    const s = state(6);
    const scopes = new Directory(directory, config).scopes(s.externalsByDomain());
    const on = computeInsights(s, scopes, NOW, { detail: "scores" });
    const off = computeInsights(s, scopes, NOW, { detail: "scores", introducers: false });
    expect(on.records.some((r) => r.introducers.length > 0)).toBe(true);
    expect(off.records.every((r) => r.introducers.length === 0)).toBe(true);
    const without = (r: (typeof on.records)[number]): string => JSON.stringify({ ...r, introducers: [] });
    expect(off.records.map(without)).toEqual(on.records.map(without));
    expect(JSON.stringify(off.connections)).toBe(JSON.stringify(on.connections));
  });
});
