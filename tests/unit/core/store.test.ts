import { compareInteractions, InteractionStore } from "../../../server/src/core/engine/store";
import type { Interaction } from "../../../server/src/core/interaction";

const T = Date.UTC(2024, 2, 10, 9);

function mail(key: string, at: number, over: Partial<Interaction> = {}): Interaction {
  return {
    key,
    kind: "email",
    at,
    from: "ann@contoso.com",
    to: ["xavier@fabrikam.com"],
    cc: [],
    bcc: [],
    recipientCount: 1,
    source: "graph",
    ...over,
  };
}

/** Every order of a small list. */
function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, k) => permutations([...xs.slice(0, k), ...xs.slice(k + 1)]).map((p) => [x, ...p]));
}

describe("InteractionStore de-duplication", () => {
  test("the same message added twice (same key) is stored once and counted as a duplicate", () => {
    const store = new InteractionStore();
    expect(store.add(mail("k1", T))).toBeDefined();
    expect(store.add(mail("k1", T))).toBeUndefined();
    expect(store.size).toBe(1);
    expect(store.duplicates).toBe(1);
  });

  test.each(permutations([["b@fabrikam.com"], [], ["a@fabrikam.com", "c@fabrikam.com"]]))(
    "copies with Bcc lists %j, %j, %j unite their Bcc lists (sorted)",
    (...bccs) => {
      const store = new InteractionStore();
      for (const bcc of bccs) store.add(mail("k1", T, { bcc }));
      expect(store.get("k1")?.bcc).toEqual(["a@fabrikam.com", "b@fabrikam.com", "c@fabrikam.com"]);
      expect(store.size).toBe(1);
    },
  );

  test("a copy with a different key is recognised by its Message-ID alias", () => {
    const store = new InteractionStore();
    store.add(mail("k1", T, { messageId: "m1@contoso.com" }));
    expect(
      store.add(mail("k2", T, { messageId: "m1@contoso.com", bcc: ["b@fabrikam.com"] })),
    ).toBeUndefined();
    expect(store.size).toBe(1);
    expect(store.has("k2")).toBe(false);
    expect(store.get("k1")?.bcc).toEqual(["b@fabrikam.com"]);
    expect(store.duplicates).toBe(1);
  });

  test("a snapshot keeps the first copy's Message-ID, so a restored store still recognises later copies", () => {
    const store = new InteractionStore();
    store.add(mail("k1", T, { messageId: "m1@contoso.com" }));
    expect(store.snapshot().interactions[0]?.messageId).toBe("m1@contoso.com");
    const restored = InteractionStore.fromSnapshot(JSON.parse(JSON.stringify(store.snapshot())));
    expect(restored.add(mail("k-other-copy", T + 1000, { messageId: "m1@contoso.com" }))).toBeUndefined();
    expect(restored.size).toBe(1);
  });

  test("different keys without a shared Message-ID are different interactions", () => {
    const store = new InteractionStore();
    store.add(mail("k1", T, { messageId: "m1@contoso.com" }));
    store.add(mail("k2", T, { messageId: "m2@contoso.com" }));
    store.add(mail("k3", T));
    expect(store.size).toBe(3);
    expect(store.duplicates).toBe(0);
  });

  test("takes ownership of the object it is given (no copy on the hot path)", () => {
    const store = new InteractionStore();
    const original = mail("k1", T);
    expect(store.add(original)).toBe(original);
    expect(store.get("k1")).toBe(original);
  });

  test.each(permutations(["graph", "dataverse", "mbox"] as const))(
    "merging copies from %s, %s, %s keeps the Dataverse details, the reply flag and the earliest observation",
    (...sources) => {
      const copies: Record<string, Interaction> = {
        graph: mail("k1", T, { source: "graph", observedAt: T - 5_000 }),
        dataverse: mail("k1", T, {
          source: "dataverse",
          regarding: { type: "opportunity", id: "o1" },
          activityId: "act-1",
          subject: "Renewal",
          observedAt: T - 1_000,
        }),
        mbox: mail("k1", T, { source: "mbox", isReply: true }),
      };
      const store = new InteractionStore();
      for (const s of sources) {
        const copy = copies[s];
        if (copy) store.add(copy);
      }
      const stored = store.get("k1");
      expect(stored).toMatchObject({
        regarding: { type: "opportunity", id: "o1" },
        activityId: "act-1",
        subject: "Renewal",
        isReply: true,
        observedAt: T - 5_000,
      });
    },
  );
});

describe("InteractionStore canonical order", () => {
  const items = [
    mail("b", T + 1000),
    mail("a", T + 1000),
    mail("z", T),
    mail("m", T - 60_000),
    mail("c", T + 1000),
  ];
  const expectedKeys = ["m", "z", "a", "b", "c"];

  test.each(permutations(items).filter((_, k) => k % 17 === 0))(
    "the snapshot is ordered by time then key whatever the insertion order (%#)",
    (...order) => {
      const store = new InteractionStore();
      for (const i of order) store.add(i);
      const snap = store.snapshot();
      expect(snap.version).toBe(1);
      expect(snap.interactions.map((i) => i.key)).toEqual(expectedKeys);
      expect(store.sorted().map((i) => i.key)).toEqual(expectedKeys);
    },
  );

  test.each([
    [mail("a", T), mail("b", T), -1],
    [mail("b", T), mail("a", T), 1],
    [mail("a", T), mail("a", T), 0],
    [mail("z", T - 1), mail("a", T), -1],
  ])("compareInteractions(%#) orders by time, then key", (a, b, sign) => {
    expect(Math.sign(compareInteractions(a, b))).toBe(sign);
  });

  test("a snapshot round-trips through fromSnapshot, with duplicates reset", () => {
    const store = new InteractionStore();
    for (const i of items) store.add(i);
    store.add(items[0] ?? mail("b", T));
    const copy = InteractionStore.fromSnapshot(JSON.parse(JSON.stringify(store.snapshot())));
    expect(copy.snapshot()).toEqual(store.snapshot());
    expect(copy.duplicates).toBe(0);
    expect(copy.size).toBe(items.length);
  });
});

describe("InteractionStore.removeWhere", () => {
  test("removes the matching interactions and returns how many went", () => {
    const store = new InteractionStore();
    store.add(mail("k1", T, { from: "ann@contoso.com" }));
    store.add(mail("k2", T + 1, { from: "bob@contoso.com" }));
    store.add(mail("k3", T + 2, { from: "ann@contoso.com" }));
    expect(store.removeWhere((i) => i.from === "ann@contoso.com")).toBe(2);
    expect(store.sorted().map((i) => i.key)).toEqual(["k2"]);
    expect(store.removeWhere(() => false)).toBe(0);
    expect(store.size).toBe(1);
  });

  test("forgets the Message-ID aliases of removed interactions: a later copy is new again", () => {
    const store = new InteractionStore();
    store.add(mail("k1", T, { messageId: "m1@contoso.com" }));
    store.removeWhere((i) => i.key === "k1");
    expect(store.add(mail("k2", T, { messageId: "m1@contoso.com" }))).toBeDefined();
    expect(store.size).toBe(1);
    expect(store.has("k2")).toBe(true);
  });

  test("keeps the Message-ID aliases of the interactions that remain", () => {
    const store = new InteractionStore();
    store.add(mail("k1", T, { messageId: "m1@contoso.com" }));
    store.add(mail("k2", T + 1, { messageId: "m2@contoso.com" }));
    store.removeWhere((i) => i.key === "k2");
    expect(store.add(mail("k9", T, { messageId: "m1@contoso.com" }))).toBeUndefined();
    expect(store.size).toBe(1);
  });
});

describe("InteractionStore order independence (documented: the set is the same whatever the arrival order)", () => {
  // The stored Bcc list is sorted, so it does not depend on which copy arrived first.
  test("a copy's Bcc list is stored in the same order whatever the arrival order of the copies", () => {
    const withBcc = mail("k1", T, { bcc: ["zed@fabrikam.com", "amy@fabrikam.com"] });
    const withoutBcc = mail("k1", T, { bcc: [] });
    const first = new InteractionStore();
    first.add({ ...withBcc, bcc: [...withBcc.bcc] });
    first.add(withoutBcc);
    const second = new InteractionStore();
    second.add(withoutBcc);
    second.add({ ...withBcc, bcc: [...withBcc.bcc] });
    expect(first.snapshot()).toEqual(second.snapshot());
  });

  // BUG: copies recognised by Message-ID keep whichever copy arrived first (its key and content), so the
  // snapshot (and every tie-break on key) depends on the arrival order.
  test.failing("copies recognised by Message-ID give the same snapshot whatever the arrival order", () => {
    const a = mail("f:aaa", T, { messageId: "m1@contoso.com", source: "mbox" });
    const b = mail("f:bbb", T, { messageId: "m1@contoso.com", source: "graph" });
    const ab = new InteractionStore();
    ab.add(a);
    ab.add(b);
    const ba = new InteractionStore();
    ba.add(b);
    ba.add(a);
    expect(ab.size).toBe(1);
    expect(ba.size).toBe(1);
    expect(ab.snapshot()).toEqual(ba.snapshot());
  });
});
