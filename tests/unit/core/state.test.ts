import { resolveConfig } from "../../../server/src/core/config";
import { type DirectoryData, EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { RelationshipState } from "../../../server/src/core/engine/state";
import { InteractionStore } from "../../../server/src/core/engine/store";
import type { Interaction, InteractionKind } from "../../../server/src/core/interaction";
import { DAY_MS, HOUR_MS } from "../../../server/src/core/time";
import { view } from "./stateView";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const T0 = Date.UTC(2024, 0, 8, 9);

const baseDirectory: DirectoryData = {
  ...EMPTY_DIRECTORY,
  users: [
    { id: "u-ann", name: "Ann", emails: ["ann@contoso.com"] },
    { id: "u-bob", name: "Bob", emails: ["bob@contoso.com"] },
  ],
};

function make(
  key: string,
  kind: InteractionKind,
  at: number,
  from: string,
  to: string[],
  cc: string[] = [],
): Interaction {
  return { key, kind, at, from, to, cc, bcc: [], recipientCount: to.length + cc.length, source: "graph" };
}

/** A mixed history: several pairs, several messages on the same day, equal times, copies. */
function history(): Interaction[] {
  const out: Interaction[] = [];
  const customers = ["x@fabrikam.com", "y@fabrikam.com", "z@northwind.com"];
  let n = 0;
  for (let d = 0; d < 40; d += 3) {
    for (const [k, c] of customers.entries()) {
      const at = T0 + d * DAY_MS + k * HOUR_MS;
      out.push(make(`e${n++}`, "email", at, "ann@contoso.com", [c], d % 2 ? ["bob@contoso.com"] : []));
      out.push(make(`r${n++}`, "email", at + 2 * HOUR_MS, c, ["ann@contoso.com"]));
      if (d % 9 === 0) out.push(make(`m${n++}`, "meeting", at, "bob@contoso.com", [c, "ann@contoso.com"]));
    }
  }
  // Two interactions at the same instant (ties broken by key) and a copy of an earlier message.
  out.push(make("tie-b", "call", T0 + 5 * DAY_MS, "x@fabrikam.com", ["bob@contoso.com"]));
  out.push(make("tie-a", "email", T0 + 5 * DAY_MS, "bob@contoso.com", ["x@fabrikam.com"]));
  out.push(make("e0", "email", T0, "ann@contoso.com", ["x@fabrikam.com"]));
  return out;
}

/** A deterministic shuffle (mulberry32). */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let k = out.length - 1; k > 0; k--) {
    const j = Math.floor(rnd() * (k + 1));
    const a = out[k];
    const b = out[j];
    if (a !== undefined && b !== undefined) {
      out[k] = b;
      out[j] = a;
    }
  }
  return out;
}

describe("RelationshipState: order and batching do not matter", () => {
  const all = history();
  const reference = new RelationshipState(baseDirectory, config);
  reference.addAll(all);

  test("the reference aggregates are what the history says", () => {
    const p = reference.pair("ann@contoso.com", "x@fabrikam.com");
    expect(p?.counts.email).toEqual({ out: 14, in: 14 });
    expect(p?.counts.meeting).toEqual({ out: 5, in: 0 });
    expect(p?.first).toEqual({ at: T0, key: "e0", kind: "email", direction: "out" });
    expect(p?.days.size).toBe(14);
    const tie = reference.pair("bob@contoso.com", "x@fabrikam.com");
    expect(tie?.counts.call).toEqual({ out: 0, in: 1 });
    expect(reference.store.duplicates).toBe(1);
  });

  test.each([
    [1, [all.length]],
    [2, [10, 30, 50]],
    [3, [1, 2, 3]],
    [4, [60]],
    [5, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]],
  ])("shuffle seed %p added in batches of sizes %j gives identical aggregates", (seed, sizes) => {
    const items = shuffled(all, seed);
    const state = new RelationshipState(baseDirectory, config);
    let at = 0;
    for (const size of sizes) {
      state.addAll(items.slice(at, at + size));
      at += size;
    }
    state.addAll(items.slice(at));
    expect(view(state)).toEqual(view(reference));
  });

  test("re-adding every interaction changes nothing", () => {
    const state = new RelationshipState(baseDirectory, config);
    state.addAll(all);
    expect(state.addAll(shuffled(all, 9))).toBe(0);
    expect(view(state)).toEqual(view(reference));
  });

  test("a state built from a store snapshot equals the incrementally built one", () => {
    const store = InteractionStore.fromSnapshot(reference.snapshot());
    expect(view(new RelationshipState(baseDirectory, config, store))).toEqual(view(reference));
  });

  test("the same instant is ordered by key for first/last contact, whatever the arrival order", () => {
    for (const order of [
      [
        make("b", "email", T0, "ann@contoso.com", ["q@fabrikam.com"]),
        make("a", "call", T0, "q@fabrikam.com", ["ann@contoso.com"]),
      ],
      [
        make("a", "call", T0, "q@fabrikam.com", ["ann@contoso.com"]),
        make("b", "email", T0, "ann@contoso.com", ["q@fabrikam.com"]),
      ],
    ]) {
      const state = new RelationshipState(baseDirectory, config);
      state.addAll(order);
      const p = state.pair("ann@contoso.com", "q@fabrikam.com");
      expect(p?.first.key).toBe("a");
      expect(p?.last.key).toBe("b");
      expect(p?.days.size).toBe(1);
    }
  });

  test("interactions with no one on a side are counted, not paired", () => {
    const state = new RelationshipState(baseDirectory, config);
    state.add(make("i1", "email", T0, "ann@contoso.com", ["bob@contoso.com"]));
    state.add(make("i2", "email", T0, "x@fabrikam.com", ["y@fabrikam.com"]));
    expect(state.notRelationship).toBe(2);
    expect([...state.pairAggregates()]).toHaveLength(0);
    expect(state.store.size).toBe(2);
  });

  test("a day's weight is its heaviest contact (a meeting beats mail the same day)", () => {
    const state = new RelationshipState(baseDirectory, config);
    state.add(make("a", "email", T0, "ann@contoso.com", ["q@fabrikam.com"]));
    state.add(make("b", "meeting", T0 + HOUR_MS, "ann@contoso.com", ["q@fabrikam.com"]));
    state.add(make("c", "email", T0 + 2 * HOUR_MS, "q@fabrikam.com", ["ann@contoso.com"]));
    const days = [...(state.pair("ann@contoso.com", "q@fabrikam.com")?.days.values() ?? [])];
    expect(days).toEqual([{ first: T0, last: T0 + 2 * HOUR_MS, weight: 2 }]);
  });
});

describe("RelationshipState.setDirectory", () => {
  const items = [
    make("a1", "email", T0, "x@fabrikam.com", ["ann@contoso-legacy.net"]),
    make("a2", "email", T0 + DAY_MS, "ann@contoso-legacy.net", ["x@fabrikam.com"]),
    make("a3", "email", T0 + 2 * DAY_MS, "ann@contoso.com", ["x@fabrikam.com"]),
    make("b1", "meeting", T0 + 3 * DAY_MS, "bob@contoso.com", ["x@fabrikam.com", "ann@contoso.com"]),
    make("p1", "email", T0 + 4 * DAY_MS, "pat@agency.net", ["y@fabrikam.com"]),
  ];
  const withAlias: DirectoryData = {
    ...EMPTY_DIRECTORY,
    users: [
      { id: "u-ann", name: "Ann", emails: ["ann@contoso.com", "ann@contoso-legacy.net"] },
      { id: "u-bob", name: "Bob", emails: ["bob@contoso.com"] },
    ],
  };
  const withOptOut: DirectoryData = {
    ...EMPTY_DIRECTORY,
    users: [
      { id: "u-ann", name: "Ann", emails: ["ann@contoso.com"] },
      { id: "u-bob", name: "Bob", emails: ["bob@contoso.com"], optedOut: true },
    ],
  };
  const withPartner: DirectoryData = {
    ...EMPTY_DIRECTORY,
    users: [...baseDirectory.users, { id: "u-pat", name: "Pat", emails: ["pat@agency.net"] }],
  };
  const fresh = (data: DirectoryData): RelationshipState => {
    const s = new RelationshipState(data, config);
    s.addAll(items);
    return s;
  };

  test("a new alias rebuilds the aggregates: the alias's mail joins the user's pair", () => {
    const state = fresh(baseDirectory);
    expect(state.pair("ann@contoso.com", "x@fabrikam.com")?.counts.email).toEqual({ out: 1, in: 0 });
    state.setDirectory(withAlias);
    expect(state.pair("ann@contoso.com", "x@fabrikam.com")?.counts.email).toEqual({ out: 2, in: 1 });
    expect(view(state)).toEqual(view(fresh(withAlias)));
  });

  test("an opt-out rebuilds the aggregates: the user's pairs disappear", () => {
    const state = fresh(baseDirectory);
    expect(state.pair("bob@contoso.com", "x@fabrikam.com")).toBeDefined();
    state.setDirectory(withOptOut);
    expect(state.pair("bob@contoso.com", "x@fabrikam.com")).toBeUndefined();
    expect(state.pair("ann@contoso.com", "x@fabrikam.com")?.counts.email).toEqual({ out: 1, in: 0 });
    expect(view(state)).toEqual(view(fresh(withOptOut)));
  });

  test("withdrawing an opt-out rebuilds the aggregates again", () => {
    const state = fresh(withOptOut);
    state.setDirectory(baseDirectory);
    expect(view(state)).toEqual(view(fresh(baseDirectory)));
  });

  test("a new user outside the organisation's domains makes their mail a relationship", () => {
    const state = fresh(baseDirectory);
    expect(state.pair("pat@agency.net", "y@fabrikam.com")).toBeUndefined();
    state.setDirectory(withPartner);
    expect(state.pair("pat@agency.net", "y@fabrikam.com")).toBeDefined();
    expect(view(state)).toEqual(view(fresh(withPartner)));
  });

  test("a change that cannot move anyone across sides keeps the aggregates and swaps the directory", () => {
    const state = fresh(baseDirectory);
    const before = view(state);
    const more: DirectoryData = {
      ...baseDirectory,
      users: [...baseDirectory.users, { id: "u-cy", name: "Cy", emails: ["cy@contoso.com"] }],
      contacts: [{ id: "c-x", name: "X", emails: ["x@fabrikam.com"] }],
    };
    state.setDirectory(more);
    expect(view(state)).toEqual(before);
    expect(state.directory.userOf("cy@contoso.com")?.id).toBe("u-cy");
  });

  // Removing a user whose single address is outside the organisation's domains moves them to the
  // customer side: the stale pair (pat@agency.net, y@fabrikam.com) must go, as in a fresh state.
  test("removing a user outside the organisation's domains rebuilds the aggregates", () => {
    const state = fresh(withPartner);
    expect(state.pair("pat@agency.net", "y@fabrikam.com")).toBeDefined();
    state.setDirectory(baseDirectory);
    expect(state.pair("pat@agency.net", "y@fabrikam.com")).toBeUndefined();
    expect(view(state)).toEqual(view(fresh(baseDirectory)));
  });
});

describe("a record's interactions in canonical order", () => {
  const X = "x@fabrikam.com";
  const Y = "y@fabrikam.com";
  const keys = (s: RelationshipState, who: string[]): string[] =>
    s.interactionsWith(who).map((r) => r.interaction.key);

  test("by time then key, each once across people, and again after the state changes", () => {
    const s = new RelationshipState(baseDirectory, config);
    s.addAll([
      make("k3", "email", T0 + 2 * DAY_MS, "ann@contoso.com", [X, Y]),
      make("k1", "email", T0, X, ["bob@contoso.com"]),
      make("k2", "email", T0, "ann@contoso.com", [Y]),
    ]);
    expect(keys(s, [X, Y])).toEqual(["k1", "k2", "k3"]);
    // An earlier interaction added after the order was made comes first, not last.
    s.add(make("k0", "meeting", T0 - HOUR_MS, "bob@contoso.com", [X]));
    expect(keys(s, [X, Y])).toEqual(["k0", "k1", "k2", "k3"]);
    s.addAll([make("k4", "email", T0 - DAY_MS, Y, ["ann@contoso.com"])]);
    expect(keys(s, [Y])).toEqual(["k4", "k2", "k3"]);
  });
});
