import { resolveConfig } from "../../../server/src/core/config";
import { EMPTY_DIRECTORY, type RecordScope } from "../../../server/src/core/directory";
import { RelationshipState } from "../../../server/src/core/engine/state";
import { mergeAll, PersonInteractions } from "../../../server/src/core/insights/personInteractions";
import type { InteractionKind } from "../../../server/src/core/interaction";
import { mulberry32 } from "../../../server/src/core/random";
import { DAY_MS } from "../../../server/src/core/time";
import { ANN, BOB, CY, interactionOf } from "./people";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const NOW = Date.UTC(2024, 5, 12, 12);
const OURS = [ANN, BOB, CY];
const THEIRS = Array.from({ length: 12 }, (_, k) => `p${k}@fabrikam.com`);
const KINDS: InteractionKind[] = ["email", "meeting", "call"];

/** A state of random interactions between our three and twelve of theirs, some at the same instant. */
function randomState(seed: number): RelationshipState {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const items = Array.from({ length: 400 }, (_, k) => {
    const theirs = [...new Set([pick(THEIRS), pick(THEIRS), pick(THEIRS)])];
    const ours = pick(OURS);
    const out = rnd() < 0.5;
    const at = NOW - Math.floor(rnd() * 40) * DAY_MS;
    const [from = ours, ...to] = out ? [ours, ...theirs] : [...theirs, ours];
    return interactionOf({ key: `k${String(k).padStart(3, "0")}`, kind: pick(KINDS), at, from, to });
  });
  const state = new RelationshipState(EMPTY_DIRECTORY, config);
  state.addAll(items);
  return state;
}

/** Records of one, several or none of the people, each person in several records, and a stranger. */
function randomScopes(seed: number): RecordScope[] {
  const rnd = mulberry32(seed + 1000);
  return Array.from({ length: 30 }, (_, k) => {
    const size = k % 5 === 0 ? 1 : Math.floor(rnd() * 6);
    const externals = new Set<string>();
    for (let n = 0; n < size; n++) externals.add(THEIRS[Math.floor(rnd() * THEIRS.length)] as string);
    if (k % 7 === 0) externals.add("stranger@elsewhere.com");
    return { type: "account", id: `a${k}`, name: `A${k}`, externals, scored: true };
  });
}

describe("PersonInteractions: each record's interactions as the state lists them", () => {
  test.each([1, 2, 3])("seed %i: the same interactions, the same objects, in the same order", (seed) => {
    const state = randomState(seed);
    const scopes = randomScopes(seed);
    const people = new PersonInteractions(state, scopes);
    for (const scope of scopes) {
      const got = people.of(scope.externals);
      const want = state.interactionsWith(scope.externals);
      expect(got.length).toBe(want.length);
      expect(got.every((r, k) => r === want[k])).toBe(true);
    }
  });

  test("a record's list is its own: changing it changes no other record's", () => {
    const state = randomState(4);
    const scope = (id: string): RecordScope => ({
      type: "contact",
      id,
      name: id,
      externals: new Set([THEIRS[0] as string]),
      scored: true,
    });
    const people = new PersonInteractions(state, [scope("c1"), scope("c2")]);
    const first = people.of(new Set([THEIRS[0] as string]));
    const length = first.length;
    first.length = 0;
    expect(people.of(new Set([THEIRS[0] as string]))).toHaveLength(length);
  });

  test("merging keeps canonical order and lists a shared interaction once", () => {
    const state = randomState(5);
    const lists = THEIRS.slice(0, 5).map((e) => state.interactionsWith([e]));
    const merged = mergeAll(lists);
    expect(merged).toHaveLength(state.interactionsWith(THEIRS.slice(0, 5)).length);
    expect(new Set(merged).size).toBe(merged.length);
    for (let k = 1; k < merged.length; k++) {
      const a = merged[k - 1]?.interaction;
      const b = merged[k]?.interaction;
      expect(a && b && (a.at < b.at || (a.at === b.at && a.key < b.key))).toBe(true);
    }
  });
});
