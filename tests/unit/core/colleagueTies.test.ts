import { resolveConfig } from "../../../server/src/core/config";
import { type DirectoryData, EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { Directory } from "../../../server/src/core/directory";
import { RelationshipState } from "../../../server/src/core/engine/state";
import { colleagueTiesOf, computeInsights } from "../../../server/src/core/insights";
import type { Interaction, InteractionKind } from "../../../server/src/core/interaction";
import { DAY_MS, HOUR_MS } from "../../../server/src/core/time";
import { rowsOf } from "../../../server/src/dataverse/publish/allRows";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const T0 = Date.UTC(2024, 0, 8, 9);
const NOW = T0 + 60 * DAY_MS;

const directory: DirectoryData = {
  ...EMPTY_DIRECTORY,
  users: [
    { id: "00000000-0000-4000-8000-00000000000a", name: "Ann", emails: ["ann@contoso.com"] },
    { id: "00000000-0000-4000-8000-00000000000b", name: "Bob", emails: ["bob@contoso.com"] },
    { id: "00000000-0000-4000-8000-00000000000c", name: "Cat", emails: ["cat@contoso.com"] },
    { id: "00000000-0000-4000-8000-00000000000d", name: "Dan", emails: ["dan@contoso.com"], optedOut: true },
  ],
};

let n = 0;
function make(kind: InteractionKind, at: number, from: string, to: string[], cc: string[] = []): Interaction {
  return {
    key: `k${n++}`,
    kind,
    at,
    from,
    to,
    cc,
    bcc: [],
    recipientCount: to.length + cc.length,
    source: "graph",
  };
}

function history(): Interaction[] {
  const out: Interaction[] = [];
  for (let d = 0; d < 40; d += 2) {
    const at = T0 + d * DAY_MS;
    // Ann and Bob write to each other; Ann copies Cat now and then (Bob and Cat, copied together, are no tie).
    out.push(make("email", at, "ann@contoso.com", ["bob@contoso.com"], d % 4 ? [] : ["cat@contoso.com"]));
    out.push(make("email", at + HOUR_MS, "bob@contoso.com", ["ann@contoso.com"]));
    // Customer mail with two colleagues: Bob writes, copying Cat.
    out.push(make("email", at + 2 * HOUR_MS, "bob@contoso.com", ["x@fabrikam.com"], ["cat@contoso.com"]));
    // Dan (opted out) writes to Ann.
    out.push(make("email", at + 3 * HOUR_MS, "dan@contoso.com", ["ann@contoso.com"]));
  }
  out.push(make("meeting", T0 + 5 * DAY_MS, "cat@contoso.com", ["ann@contoso.com", "bob@contoso.com"]));
  // Organised outside: Bob and Ann present (read in reverse, Bob is seen before Ann).
  out.push(make("meeting", T0 + 6 * DAY_MS, "x@fabrikam.com", ["bob@contoso.com", "ann@contoso.com"]));
  return out;
}

function stateOf(interactions: Interaction[], colleagueTies = true): RelationshipState {
  const s = new RelationshipState(directory, config, undefined, { colleagueTies });
  s.addAll(interactions);
  return s;
}

describe("colleague ties", () => {
  it("pairs a colleague sender with each colleague reached, and everyone of ours in a meeting", () => {
    const ties = colleagueTiesOf(stateOf(history()), NOW);
    const pairs = ties.map((t) => `${t.colleague}>${t.other}`);
    expect(pairs).toEqual([
      "ann@contoso.com>bob@contoso.com",
      "ann@contoso.com>cat@contoso.com",
      "bob@contoso.com>ann@contoso.com",
      "bob@contoso.com>cat@contoso.com",
      "cat@contoso.com>bob@contoso.com",
      "cat@contoso.com>ann@contoso.com",
    ]);
    const annBob = ties[0]!;
    expect(annBob.evidence.counts.email).toEqual({ out: 20, in: 20 });
    // Meetings neither organised count as started by the first by address (Ann).
    expect(annBob.evidence.counts.meeting).toEqual({ out: 2, in: 0 });
    expect(annBob.band).toBe("strong");
    // One-way mail: Ann wrote to Cat, Cat never wrote back; the meeting (organised by Cat) makes it two-way.
    const annCat = ties.find((t) => t.colleague === "ann@contoso.com" && t.other === "cat@contoso.com")!;
    const catAnn = ties.find((t) => t.colleague === "cat@contoso.com" && t.other === "ann@contoso.com")!;
    expect(annCat.evidence.counts.email).toEqual({ out: 10, in: 0 });
    expect(catAnn.evidence.counts.email).toEqual({ out: 0, in: 10 });
    expect(catAnn.evidence.counts.meeting).toEqual({ out: 1, in: 0 });
    expect(annCat.strength).toBe(catAnn.strength);
  });

  it("never lists opted-out colleagues, and none without directory users unless told who is eligible", () => {
    const ties = colleagueTiesOf(stateOf(history()), NOW);
    expect(ties.some((t) => t.colleague.startsWith("dan") || t.other.startsWith("dan"))).toBe(false);
    const bare = new RelationshipState(
      { ...EMPTY_DIRECTORY, orgDomains: ["contoso.com"] },
      config,
      undefined,
      {
        colleagueTies: true,
      },
    );
    bare.addAll(history());
    expect(colleagueTiesOf(bare, NOW)).toEqual([]);
    expect(colleagueTiesOf(bare, NOW, { eligible: () => true }).length).toBeGreaterThan(6);
  });

  it("keeps the strongest per colleague, and none before their first contact", () => {
    const top = colleagueTiesOf(stateOf(history()), NOW, { perColleague: 1 });
    expect(top.map((t) => `${t.colleague}>${t.other}`)).toEqual([
      "ann@contoso.com>bob@contoso.com",
      "bob@contoso.com>ann@contoso.com",
      "cat@contoso.com>bob@contoso.com",
    ]);
    expect(colleagueTiesOf(stateOf(history()), T0 - 1)).toEqual([]);
  });

  it("does not depend on the order the mail arrives in", () => {
    const h = history();
    const shuffled = [...h].reverse();
    shuffled.push(...shuffled.splice(0, 17));
    expect(colleagueTiesOf(stateOf(shuffled), NOW)).toEqual(colleagueTiesOf(stateOf(h), NOW));
  });

  it("is off by default and changes nothing else", () => {
    const off = stateOf(history(), false);
    const on = stateOf(history(), true);
    expect(off.colleagueReader().size).toBe(0);
    expect(colleagueTiesOf(off, NOW)).toEqual([]);
    expect(computeInsights(on, [], NOW)).toEqual(computeInsights(off, [], NOW));
  });

  it("publishes each tie as an rp_connection row of target type Colleague, both ends system users", () => {
    const state = stateOf(history());
    const result = computeInsights(state, [], NOW, { detail: "scores" });
    const dir = new Directory(directory, config);
    const plain = rowsOf(result, dir).connections.length;
    const rows = rowsOf(result, dir, colleagueTiesOf(state, NOW)).connections;
    expect(rows.length).toBe(plain + 6);
    const row = rows.find(
      (r) => r.values["rp_targettype"] === 100000002 && r.values["rp_target"] === "bob@contoso.com",
    );
    expect(row).toBeDefined();
    expect(row!.values).toMatchObject({
      rp_introduceremail: "ann@contoso.com",
      rp_name: "Ann – Bob",
      rp_emailssent: 20,
    });
    expect(row!.lookups["rp_introducerid"]).toEqual({ table: "systemuser", id: directory.users[0]!.id });
    expect(row!.lookups["rp_colleagueid"]).toEqual({ table: "systemuser", id: directory.users[1]!.id });
  });
});
