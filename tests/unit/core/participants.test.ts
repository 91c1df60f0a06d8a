import { resolveConfig } from "../../../server/src/core/config";
import { Directory, type DirectoryData, EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { RelationshipState } from "../../../server/src/core/engine/state";
import type { Interaction, InteractionKind } from "../../../server/src/core/interaction";
import { forEachPair, sidesOf } from "../../../server/src/core/participants";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const T = Date.UTC(2024, 2, 10, 9);

const directoryData: DirectoryData = {
  ...EMPTY_DIRECTORY,
  users: [
    {
      id: "u-ann",
      name: "Ann",
      emails: ["ann@contoso.com", "ann.smith@contoso.com", "ann@contoso-legacy.net"],
    },
    { id: "u-bob", name: "Bob", emails: ["bob@contoso.com"] },
    { id: "u-otto", name: "Otto", emails: ["otto@contoso.com", "o.out@contoso-legacy.net"], optedOut: true },
  ],
};
const directory = new Directory(directoryData, config);
const optedOut = new Set(["otto@contoso.com", "o.out@contoso-legacy.net"]);

function interaction(
  kind: InteractionKind,
  from: string,
  to: string[],
  cc: string[] = [],
  bcc: string[] = [],
): Interaction {
  return {
    key: `${kind}:${from}`,
    kind,
    at: T,
    from,
    to,
    cc,
    bcc,
    recipientCount: to.length + cc.length + bcc.length,
    source: "graph",
  };
}

const sides = (i: Interaction) => sidesOf(i, directory, optedOut);

describe("sidesOf: mail pairs the sender with each recipient", () => {
  test.each([
    [
      "our mail to two customers",
      interaction("email", "ann@contoso.com", ["x@fabrikam.com", "y@fabrikam.com"]),
      "out",
      [
        ["ann@contoso.com", "x@fabrikam.com"],
        ["ann@contoso.com", "y@fabrikam.com"],
      ],
    ],
    [
      "their mail to two colleagues",
      interaction("email", "x@fabrikam.com", ["ann@contoso.com"], ["bob@contoso.com"]),
      "in",
      [
        ["ann@contoso.com", "x@fabrikam.com"],
        ["bob@contoso.com", "x@fabrikam.com"],
      ],
    ],
    [
      "our mail with a colleague and a second customer copied (the copied colleague is no one's pair)",
      interaction("email", "ann@contoso.com", ["x@fabrikam.com"], ["bob@contoso.com", "y@fabrikam.com"]),
      "out",
      [
        ["ann@contoso.com", "x@fabrikam.com"],
        ["ann@contoso.com", "y@fabrikam.com"],
      ],
    ],
    [
      "their mail copying another customer (customers copied together are not pairs of ours)",
      interaction("email", "x@fabrikam.com", ["ann@contoso.com"], ["y@fabrikam.com"]),
      "in",
      [["ann@contoso.com", "x@fabrikam.com"]],
    ],
    [
      "our mail to a colleague with a customer in Bcc",
      interaction("email", "ann@contoso.com", ["bob@contoso.com"], [], ["x@fabrikam.com"]),
      "out",
      [["ann@contoso.com", "x@fabrikam.com"]],
    ],
  ])("%s", (_label, i, direction, pairs) => {
    const s = sides(i);
    expect(s?.direction).toBe(direction);
    expect(s?.pairs).toEqual(pairs);
  });

  test("lists the initiator first on its side", () => {
    const out = sides(interaction("email", "bob@contoso.com", ["x@fabrikam.com", "ann@contoso.com"]));
    expect(out?.internals).toEqual(["bob@contoso.com", "ann@contoso.com"]);
    const inbound = sides(interaction("email", "y@fabrikam.com", ["ann@contoso.com"], ["x@fabrikam.com"]));
    expect(inbound?.externals).toEqual(["y@fabrikam.com", "x@fabrikam.com"]);
  });
});

describe("sidesOf: meetings and calls pair everyone present", () => {
  test.each(["meeting", "call", "task"] as InteractionKind[])(
    "a %s pairs every colleague with every customer",
    (kind) => {
      const s = sides(
        interaction(kind, "x@fabrikam.com", ["ann@contoso.com", "y@fabrikam.com"], ["bob@contoso.com"]),
      );
      expect(s?.direction).toBe("in");
      expect(s?.pairs).toEqual([
        ["ann@contoso.com", "x@fabrikam.com"],
        ["ann@contoso.com", "y@fabrikam.com"],
        ["bob@contoso.com", "x@fabrikam.com"],
        ["bob@contoso.com", "y@fabrikam.com"],
      ]);
    },
  );

  test("a meeting we organise is outbound", () => {
    expect(sides(interaction("meeting", "bob@contoso.com", ["x@fabrikam.com"]))?.direction).toBe("out");
  });
});

describe("sidesOf: no relationship signal", () => {
  test.each([
    [
      "internal-only mail",
      interaction("email", "ann@contoso.com", ["bob@contoso.com"], ["eu.team@eu.contoso.com"]),
    ],
    ["external-only mail", interaction("email", "x@fabrikam.com", ["y@fabrikam.com"])],
    ["internal-only meeting", interaction("meeting", "ann@contoso.com", ["bob@contoso.com"])],
    ["mail from an opted-out user", interaction("email", "otto@contoso.com", ["x@fabrikam.com"])],
    [
      "mail from an opted-out user's alias",
      interaction("email", "o.out@contoso-legacy.net", ["x@fabrikam.com"]),
    ],
    ["customer mail only to an opted-out user", interaction("email", "x@fabrikam.com", ["otto@contoso.com"])],
    ["mail to oneself through an alias", interaction("email", "ann@contoso.com", ["ann.smith@contoso.com"])],
  ])("%s gives undefined", (_label, i) => {
    expect(sides(i)).toBeUndefined();
  });
});

describe("sidesOf: identities", () => {
  test("an opted-out user is not a participant, the rest of the interaction counts", () => {
    const s = sides(interaction("meeting", "x@fabrikam.com", ["otto@contoso.com", "bob@contoso.com"]));
    expect(s?.internals).toEqual(["bob@contoso.com"]);
    expect(s?.pairs).toEqual([["bob@contoso.com", "x@fabrikam.com"]]);
  });

  test.each([
    ["a same-domain alias", "ann.smith@contoso.com"],
    ["an alias at a domain outside the organisation", "ann@contoso-legacy.net"],
  ])("%s is canonicalised to the user's primary address and is internal", (_label, alias) => {
    const out = sides(interaction("email", alias, ["x@fabrikam.com"]));
    expect(out?.direction).toBe("out");
    expect(out?.pairs).toEqual([["ann@contoso.com", "x@fabrikam.com"]]);
    const inbound = sides(interaction("email", "x@fabrikam.com", [alias, "ann@contoso.com"]));
    expect(inbound?.internals).toEqual(["ann@contoso.com"]);
    expect(inbound?.pairs).toEqual([["ann@contoso.com", "x@fabrikam.com"]]);
  });

  test("an address in To, Cc and Bcc counts once", () => {
    const s = sides(
      interaction("meeting", "ann@contoso.com", ["x@fabrikam.com"], ["x@fabrikam.com"], ["x@fabrikam.com"]),
    );
    expect(s?.externals).toEqual(["x@fabrikam.com"]);
    expect(s?.pairs).toHaveLength(1);
  });

  test("a colleague at a sub-domain of the organisation is internal", () => {
    const s = sides(interaction("email", "kim@eu.contoso.com", ["x@fabrikam.com"]));
    expect(s?.pairs).toEqual([["kim@eu.contoso.com", "x@fabrikam.com"]]);
  });
});

describe("one sides and pairing rule: RelationshipState applies sidesOf's", () => {
  const cases: Interaction[] = [
    interaction("email", "ann@contoso.com", ["x@fabrikam.com", "y@fabrikam.com"], ["bob@contoso.com"]),
    interaction("email", "x@fabrikam.com", ["ann.smith@contoso.com"], ["bob@contoso.com", "y@fabrikam.com"]),
    interaction("email", "ann@contoso.com", ["x@fabrikam.com"], ["otto@contoso.com"], ["X@fabrikam.com"]),
    interaction("email", "otto@contoso.com", ["x@fabrikam.com"]),
    interaction("email", "ann@contoso.com", ["bob@contoso.com"]),
    interaction("meeting", "otto@contoso.com", ["x@fabrikam.com", "ann@contoso.com"], ["y@fabrikam.com"]),
    interaction("call", "y@fabrikam.com", ["bob@contoso.com", "ann@contoso-legacy.net"]),
  ];

  test.each(cases.map((i) => [`${i.kind} from ${i.from}`, i] as const))("%s", (_, i) => {
    const state = new RelationshipState(directoryData, config);
    const expected = sides(i);
    const actual = state.sidesOf(i);
    if (!expected) {
      expect(actual).toBeUndefined();
      return;
    }
    expect(actual).toBeDefined();
    expect({ ...actual, pairs: actual?.pairs }).toEqual({
      kind: i.kind,
      direction: expected.direction,
      internals: expected.internals,
      externals: expected.externals,
      pairs: expected.pairs,
    });
    // The aggregates hold exactly the pairs the rule lists.
    state.add(i);
    const held = [...state.pairAggregates()].map((p) => [p.internal, p.external]);
    expect(held.sort()).toEqual([...expected.pairs].sort());
  });

  test("forEachPair on numbers pairs as on addresses", () => {
    const got: Array<[number, number]> = [];
    const sink = { push: (u: number, e: number) => got.push([u, e]) };
    forEachPair("email", "in", [1, 2, 99], 2, [7, 8], 2, sink);
    forEachPair("meeting", "out", [1, 2], 2, [7, 8, 99], 2, sink);
    expect(got).toEqual([
      [1, 7],
      [2, 7],
      [1, 7],
      [1, 8],
      [2, 7],
      [2, 8],
    ]);
  });
});
