import { resolveConfig } from "../../../server/src/core/config";
import { type DirectoryData, EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { RelationshipState } from "../../../server/src/core/engine/state";
import { computeInsights } from "../../../server/src/core/insights";
import type { Interaction, InteractionKind } from "../../../server/src/core/interaction";
import { DAY_MS, HOUR_MS } from "../../../server/src/core/time";
import { ANN, BOB, CY, X, Y } from "./people";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const NOW = Date.UTC(2024, 5, 12, 12);
const ago = (days: number): number => NOW - days * DAY_MS;
const OTTO = "otto@contoso.com";
const TEMP = "temp@contoso.com"; // internal by domain, not a user

const directory: DirectoryData = {
  ...EMPTY_DIRECTORY,
  users: [
    { id: "u-ann", name: "Ann", emails: [ANN] },
    { id: "u-bob", name: "Bob", emails: [BOB] },
    { id: "u-cy", name: "Cy", emails: [CY] },
    { id: "u-otto", name: "Otto", emails: [OTTO], optedOut: true },
  ],
  contacts: [
    { id: "c-x", name: "X", emails: [X], accountId: "a-fab" },
    { id: "c-y", name: "Y", emails: [Y], accountId: "a-fab" },
  ],
  accounts: [{ id: "a-fab", name: "Fabrikam", domains: ["fabrikam.com"], primaryContactId: "c-x" }],
  opportunities: [{ id: "o-1", name: "Deal", accountId: "a-fab", contactIds: ["c-y"], ownerId: "u-bob" }],
};

function make(key: string, kind: InteractionKind, at: number, from: string, to: string[]): Interaction {
  return { key, kind, at, from, to, cc: [], bcc: [], recipientCount: to.length, source: "graph" };
}

/** Ann talks to X a lot and recently; Bob a little and long ago; Cy only through Y; Otto and Temp too. */
function history(): Interaction[] {
  const out: Interaction[] = [];
  for (let d = 1; d <= 60; d += 2) {
    out.push(make(`ann-out-${d}`, "email", ago(d), ANN, [X]));
    out.push(make(`ann-in-${d}`, "email", ago(d) + HOUR_MS, X, [ANN]));
  }
  out.push(make("bob-1", "email", ago(200), BOB, [X]));
  out.push(make("bob-2", "email", ago(199), X, [BOB]));
  out.push(make("cy-1", "meeting", ago(5), CY, [Y]));
  out.push(make("cy-2", "email", ago(4), Y, [CY]));
  for (let d = 1; d <= 30; d++) out.push(make(`otto-${d}`, "email", ago(d), OTTO, [X]));
  for (let d = 1; d <= 30; d++) out.push(make(`temp-${d}`, "meeting", ago(d), TEMP, [X]));
  out.push(make("future", "meeting", NOW + 3 * DAY_MS, BOB, [Y]));
  return out;
}

function build(items: Interaction[], data: DirectoryData = directory): RelationshipState {
  const state = new RelationshipState(data, config);
  state.addAll(items);
  return state;
}

const scopesOf = (state: RelationshipState) => state.directory.scopes(state.externalsByDomain());

describe("computeInsights: introducers", () => {
  const state = build(history());
  const result = computeInsights(state, scopesOf(state), NOW, { detail: "scores" });
  const record = (id: string) => result.records.find((r) => r.record.id === id);

  test("are ranked by connection strength with the record's people", () => {
    const intro = record("c-x")?.introducers ?? [];
    expect(intro.map((i) => i.colleague)).toEqual([ANN, BOB]);
    expect(intro[0]?.strength).toBeGreaterThan(intro[1]?.strength ?? Infinity);
    expect(intro[0]).toMatchObject({ name: "Ann", userId: "u-ann", knows: [X], band: "strong" });
    expect(intro[1]?.band).toBe("weak");
  });

  test("exclude opted-out users and colleagues who are not users when the directory has users", () => {
    const all = result.records.flatMap((r) => r.introducers.map((i) => i.colleague));
    expect(all).not.toContain(OTTO);
    expect(all).not.toContain(TEMP);
  });

  test("include every internal colleague when the directory has no users", () => {
    const bare = build(history(), { ...EMPTY_DIRECTORY, contacts: directory.contacts });
    const r = computeInsights(bare, scopesOf(bare), NOW, { detail: "scores" });
    const intro = r.records.find((x) => x.record.id === "c-x")?.introducers.map((i) => i.colleague);
    expect(intro).toEqual(expect.arrayContaining([ANN, BOB, OTTO, TEMP]));
  });

  test("an account's introducers know several of its people, with united evidence", () => {
    const intro = record("a-fab")?.introducers ?? [];
    expect(intro.map((i) => i.colleague).sort()).toEqual([ANN, BOB, CY]);
    const ann = intro.find((i) => i.colleague === ANN);
    expect(ann?.knows).toEqual([X]);
    expect(ann?.evidence.counts.email).toEqual({ out: 30, in: 30 });
    expect(ann?.evidence.daysInTouch).toBe(30);
    expect(intro.find((i) => i.colleague === CY)?.knows).toEqual([Y]);
  });

  test("opportunities list no introducers", () => {
    expect(record("o-1")?.introducers).toEqual([]);
  });
});

describe("computeInsights: connections", () => {
  const state = build(history());
  const result = computeInsights(state, scopesOf(state), NOW, { detail: "scores" });

  test("list every pair seen up to now, strongest first", () => {
    const pairs = result.connections.map((c) => `${c.colleague}>${c.external}`);
    expect(pairs.sort()).toEqual([`${ANN}>${X}`, `${BOB}>${X}`, `${CY}>${Y}`, `${TEMP}>${X}`].sort());
    const raws = result.connections.map((c) => c.raw);
    expect(raws).toEqual([...raws].sort((a, b) => b - a));
    expect(result.stats.connections).toBe(result.connections.length);
  });

  test("a pair whose only contact is in the future is not a connection yet", () => {
    expect(result.connections.find((c) => c.colleague === BOB && c.external === Y)).toBeUndefined();
  });

  test("carry their evidence: counts by kind and direction, first and last contact", () => {
    const bob = result.connections.find((c) => c.colleague === BOB && c.external === X);
    expect(bob?.evidence).toMatchObject({
      first: { at: new Date(ago(200)).toISOString(), kind: "email", direction: "out" },
      last: { at: new Date(ago(199)).toISOString(), kind: "email", direction: "in" },
      daysInTouch: 2,
    });
    expect(bob?.evidence.counts.email).toEqual({ out: 1, in: 1 });
  });
});

describe("computeInsights: order independence", () => {
  const items = history();
  const run = (order: Interaction[]) => {
    const s = build(order);
    return computeInsights(s, scopesOf(s), NOW);
  };
  const reference = run(items);
  /** The result with raw strengths to 12 significant digits (see the exact-raw test below). */
  const stable = (r: ReturnType<typeof computeInsights>) => ({
    ...r,
    connections: r.connections.map((c) => ({ ...c, raw: Number(c.raw.toPrecision(12)) })),
  });
  const orders: Array<[string, Interaction[]]> = [
    ["reversed", [...items].reverse()],
    ["interleaved", [...items.filter((_, k) => k % 2), ...items.filter((_, k) => k % 2 === 0)]],
    ["sorted by key", [...items].sort((a, b) => (a.key < b.key ? -1 : 1))],
    ["with every item twice", [...items, ...[...items].reverse()]],
  ];

  test.each(orders)("the full result is identical when the interactions arrive %s", (_label, order) => {
    expect(stable(run(order))).toEqual(stable(reference));
  });

  test("is identical when built in batches", () => {
    const s = new RelationshipState(directory, config);
    for (let k = 0; k < items.length; k += 7) s.addAll(items.slice(k, k + 7).reverse());
    expect(stable(computeInsights(s, scopesOf(s), NOW))).toEqual(stable(reference));
  });

  // rawStrength sums days in time order: floating-point addition is not associative, and `raw` ranks pairs.
  test.each(orders.slice(0, 3))(
    "raw connection strengths are bit-identical when the interactions arrive %s",
    (_label, order) => {
      expect(run(order).connections).toEqual(reference.connections);
    },
  );

  test("the full detail adds KPIs and a weekly health history of config.timelineWeeks points", () => {
    const r = reference.records.find((x) => x.record.id === "c-x");
    expect(r?.kpis?.emailsSent).toBe(31);
    expect(r?.healthHistory).toHaveLength(config.timelineWeeks);
    expect(r?.status).toBe("good");
  });
});

describe("computeInsights: lists of people bounded by peoplePerList", () => {
  /** A CRM where every given customer is a contact of Fabrikam, and Ann a user. */
  const crm = (people: string[]): DirectoryData => ({
    ...EMPTY_DIRECTORY,
    users: [{ id: "u-ann", name: "Ann", emails: [ANN] }],
    contacts: people.map((p) => ({ id: `c-${p}`, name: p, emails: [p], accountId: "a-fab" })),
    accounts: [{ id: "a-fab", name: "Fabrikam", domains: ["fabrikam.com"] }],
  });
  // One message from Ann to 40 customers, and X known to Ann on more days than the rest.
  const many = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, "0")}@fabrikam.com`);
  const items = [make("blast", "email", ago(3), ANN, many)];
  for (let d = 5; d <= 15; d++) items.push(make(`x-${d}`, "email", ago(d), ANN, [X]));
  const state = build(items, crm([...many, X]));
  const scopes = scopesOf(state);
  const bounded = computeInsights(state, scopes, NOW, { detail: "full", peoplePerList: 3 });
  const full = computeInsights(state, scopes, NOW, { detail: "full" });
  const byId = (r: typeof full, id: string) => r.records.find((x) => x.record.id === id);

  test("a history item lists the first people a side, with how many took part", () => {
    const item = byId(bounded, "c-p07@fabrikam.com")?.kpis?.history[0];
    expect(item?.ours).toEqual([ANN]);
    expect(item?.theirs).toHaveLength(3);
    expect(item?.theirsTotal).toBe(40);
    expect(item?.oursTotal).toBeUndefined();
    expect(byId(full, "c-p07@fabrikam.com")?.kpis?.history[0]?.theirs).toHaveLength(40);
  });

  test("an introducer of a company lists the people known on the most days, with how many they know", () => {
    const ann = byId(bounded, "a-fab")?.introducers.find((i) => i.colleague === ANN);
    expect(ann?.knows).toHaveLength(3);
    expect(ann?.knows).toContain(X);
    expect(ann?.knowsTotal).toBe(41);
    expect(byId(full, "a-fab")?.introducers[0]?.knows).toHaveLength(41);
  });

  test("the output grows linearly with the recipients of one message", () => {
    const size = (n: number, limit?: number): number => {
      const people = Array.from({ length: n }, (_, i) => `q${i}@fabrikam.com`);
      const s = build([make("one", "email", ago(3), ANN, people)], crm(people));
      const opts = limit === undefined ? {} : { peoplePerList: limit };
      return JSON.stringify(computeInsights(s, scopesOf(s), NOW, { detail: "full", ...opts }).records).length;
    };
    // Four times the recipients: four times the records; unbounded, each of them four times longer too.
    expect(size(400) / size(100)).toBeGreaterThan(5);
    expect(size(400, 3) / size(100, 3)).toBeLessThan(4.2);
  });

  test("records whose lists are short are the same either way", () => {
    expect(byId(bounded, "c-x@fabrikam.com")?.kpis?.interactionCount).toBe(11);
    expect(byId(bounded, "c-x@fabrikam.com")).toEqual(byId(full, "c-x@fabrikam.com"));
  });
});
