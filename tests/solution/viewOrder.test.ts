import { inViewOrder } from "../../server/preview/src/viewOrder";
import { choiceValue } from "../../server/src/dataverse/model";
import { previewManifest } from "../../solution/src/previewManifest";
import { allViews, fetchNode } from "../../solution/src/views";
import { toXml } from "../../solution/src/xml";
import { type Doc, findAll, parse } from "./helpers";

type Row = Record<string, unknown>;

// The "by Relationship" views list every open record, weakest relationship first, and the records with
// no score (no insight yet, or not enough information) after the scored ones, although Dataverse sorts
// NULL first in ascending order.
const weakestFirst = allViews().filter((v) => v.nullsLastOrder);
const fetchOf = (v: (typeof weakestFirst)[number]): Doc => parse(toXml(fetchNode(v.table, v.fetch))).fetch;

/** Dataverse (SQL Server) order semantics: NULL is the lowest value, first ascending, last descending. */
function sqlServerOrder<T>(rows: T[], keys: { value: (r: T) => number | null; descending: boolean }[]): T[] {
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      for (const k of keys) {
        const [x, y] = [k.value(a.row), k.value(b.row)];
        if (x === y) continue;
        const c = x === null ? -1 : y === null ? 1 : x - y;
        return k.descending ? -c : c;
      }
      return a.index - b.index;
    })
    .map((x) => x.row);
}

describe("views that list records without an insight", () => {
  test("the six record views are the weakest-first ones", () => {
    expect(weakestFirst.map((v) => `${v.table}:${v.key}`).sort()).toEqual([
      "account:active-by-relationship",
      "contact:active-by-relationship",
      "lead:my-open-by-relationship",
      "lead:open-by-relationship",
      "opportunity:my-open-by-relationship",
      "opportunity:open-by-relationship",
    ]);
  });

  test("FetchXML: every record stays listed (outer joins); a scored-only join orders scored first, then by score", () => {
    for (const v of weakestFirst) {
      const entity = fetchOf(v).entity;
      expect(entity.order).toBeUndefined();
      const links = findAll(entity, "link-entity");
      expect(links.map((l: Doc) => [l["@alias"], l["@link-type"]])).toEqual([
        ["insight", "outer"],
        ["scored", "outer"],
      ]);
      const [insight, scored] = links;
      expect(insight.order).toBeUndefined();
      expect(scored.attribute).toBeUndefined();
      expect(scored.filter.condition).toEqual([{ "@attribute": "rp_healthscore", "@operator": "not-null" }]);
      expect(scored.order).toEqual([
        { "@attribute": "rp_recordtype", "@descending": "true" },
        { "@attribute": "rp_healthscore", "@descending": "false" },
      ]);
    }
  });

  test("evaluated as Dataverse does, the FetchXML order and the preview's order are the same: weakest first, unscored last", () => {
    const lead = choiceValue("recordType", "lead");
    // Records in the order the query returns them; insight null: never analysed; score null: not enough information.
    const records = [
      { id: "a", insight: null },
      { id: "b", insight: { rp_recordtype: lead, rp_healthscore: 72 } },
      { id: "c", insight: { rp_recordtype: lead, rp_healthscore: null } },
      { id: "d", insight: { rp_recordtype: lead, rp_healthscore: 18 } },
      { id: "e", insight: null },
      { id: "f", insight: { rp_recordtype: lead, rp_healthscore: 45 } },
    ];
    const view = weakestFirst.find((v) => v.table === "lead")!;
    const scored = findAll(fetchOf(view).entity, "link-entity").find((l: Doc) => l["@alias"] === "scored");
    // The scored join's columns are NULL where its filter (rp_healthscore not-null) does not match.
    const joined = (r: (typeof records)[number]) =>
      r.insight && r.insight.rp_healthscore !== null ? r.insight : null;
    const fetchOrder = sqlServerOrder(
      records,
      scored.order.map((o: Doc) => ({
        value: (r: (typeof records)[number]) =>
          (joined(r) as Record<string, number | null> | null)?.[o["@attribute"]] ?? null,
        descending: o["@descending"] === "true",
      })),
    ).map((r) => r.id);
    expect(fetchOrder).toEqual(["d", "f", "b", "a", "c", "e"]);
    // Without the scored key, ascending on the score alone puts the unscored records first.
    const naive = sqlServerOrder(records, [
      { value: (r) => r.insight?.rp_healthscore ?? null, descending: false },
    ]).map((r) => r.id);
    expect(naive.slice(0, 3)).toEqual(["a", "c", "e"]);

    const spec = previewManifest()
      .tables.find((t) => t.logicalName === "lead")!
      .views.find((s) => s.name === view.name)!;
    expect(spec.sort).toEqual({ expand: "rp_RelationshipInsightId", property: "rp_healthscore" });
    // The preview's query expands the insight once (the order-only join is not an $expand).
    expect(spec.query.match(/rp_RelationshipInsightId\(/g)).toHaveLength(1);
    const rows: Row[] = records.map((r) => ({ leadid: r.id, rp_RelationshipInsightId: r.insight }));
    const previewOrder = inViewOrder(rows, spec.sort).map((r) => r["leadid"]);
    // Unscored records keep the query's order among themselves in the preview; in Dataverse their
    // relative order is not defined by the view, so only the scored prefix and the unscored set must match.
    expect(previewOrder.slice(0, 3)).toEqual(fetchOrder.slice(0, 3));
    expect(new Set(previewOrder.slice(3))).toEqual(new Set(fetchOrder.slice(3)));
  });

  test("the preview keeps the query's order where a view gives no sort; every preview view gives one", () => {
    const rows: Row[] = [{ n: 2 }, { n: 1 }];
    expect(inViewOrder(rows, undefined)).toEqual(rows);
    const unsorted = previewManifest()
      .tables.flatMap((t) => t.views)
      .filter((s) => !s.sort);
    expect(unsorted.map((s) => s.name)).toEqual([]);
  });
});
