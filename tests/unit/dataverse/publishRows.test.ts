import {
  parseHistory,
  parseIntroducers,
  parseMostContacted,
  parseReasons,
  parseTimeline,
} from "../../../controls/shared/insight";
import { ingestMbox } from "../../../server/src/app/ingest";
import { buildState, type BuiltState } from "../../../server/src/app/pipeline";
import { SAMPLE_DIR } from "../../../server/src/app/start";
import { resolveConfig } from "../../../server/src/core/config";
import { Directory } from "../../../server/src/core/directory";
import { computeInsights, type InsightsResult } from "../../../server/src/core/insights";
import { columnOf, rp_connection, rp_relationshipinsight } from "../../../server/src/dataverse/model";
import { type PublishSet, rowsOf } from "../../../server/src/dataverse/publish/allRows";
import { desiredRow, rowKey } from "../../../server/src/dataverse/publish/desiredRow";
import { planRows } from "../../../server/src/dataverse/publish/plan";
import { partitionsFor } from "../../../server/src/dataverse/publish/publisher";
import { upsertBody } from "../../../server/src/dataverse/publish/writeBody";

// Rows are built from the real bundled sample (10 Enron mailboxes), as `npm start` publishes them.
const config = resolveConfig({ orgDomains: ["enron.com"] });
const NOW = Date.UTC(2002, 0, 1);
let built: BuiltState;
let result: InsightsResult;
let set: PublishSet;

beforeAll(async () => {
  const ingested = await ingestMbox(SAMPLE_DIR, { config, now: NOW });
  built = buildState(ingested, config);
  result = computeInsights(built.state, built.scopes, NOW, { detail: "full" });
  set = rowsOf(result, new Directory(built.directory, config));
}, 60_000);

describe("rows published from the sample", () => {
  test("every JSON column reads back unchanged through the controls' parsers (the model's wire types)", () => {
    const parsers: Record<string, (text: string) => unknown> = {
      rp_reasons: parseReasons,
      rp_mostcontacted: parseMostContacted,
      rp_timeline: parseTimeline,
      rp_activityhistory: parseHistory,
      rp_introducers: parseIntroducers,
    };
    let read = 0;
    for (const row of set.insights) {
      for (const [column, parse] of Object.entries(parsers)) {
        const text = row.values[column];
        if (typeof text !== "string") continue;
        expect([column, parse(text)]).toEqual([column, JSON.parse(text)]);
        read++;
      }
    }
    expect(read).toBeGreaterThan(set.insights.length * 2);
  });

  test("one insight row per record, history only for scored or active weeks, every connection", () => {
    expect(set.insights).toHaveLength(result.records.length);
    const personConnections = set.connections.filter((r) => r.values["rp_targettype"] === 100_000_000);
    expect(personConnections).toHaveLength(result.connections.length);
    expect(set.history.length).toBeGreaterThan(0);
    // Quiet records cost no history rows: far fewer than 26 a record.
    expect(set.history.length).toBeLessThan(result.records.length * 26 * 0.2);
  });

  test("keys are unique 40-hex alternate-key values in every table", () => {
    for (const rows of [set.insights, set.history, set.connections]) {
      const keys = rows.map((r) => r.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.filter((k) => !/^[0-9a-f]{40}$/.test(k))).toEqual([]);
    }
  });

  test("every value fits its column: known column, string length, number range", () => {
    const problems: string[] = [];
    for (const row of [...set.insights, ...set.history, ...set.connections]) {
      for (const [name, v] of Object.entries({ ...row.values, ...row.stamp })) {
        const col = columnOf(row.table, name);
        const where = `${row.table.logicalName}.${name}`;
        if (!col) problems.push(`${where}: no such column`);
        else if (typeof v === "string" && col.maxLength && v.length > col.maxLength)
          problems.push(`${where}: too long`);
        else if (typeof v === "number") {
          if (!Number.isFinite(v)) problems.push(`${where}: ${v}`);
          if (col.min !== undefined && v < col.min) problems.push(`${where}: ${v} < ${col.min}`);
          if (col.max !== undefined && v > col.max) problems.push(`${where}: ${v} > ${col.max}`);
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  test("the same computation gives the same hashes; a later one changes only what changed", () => {
    const again = rowsOf(result, new Directory(built.directory, config));
    expect(again.insights.map((r) => r.hash)).toEqual(set.insights.map((r) => r.hash));
    const directory = new Directory(built.directory, config);
    const scores = (at: number) =>
      rowsOf(computeInsights(built.state, built.scopes, at, { detail: "scores" }), directory).insights;
    const before = scores(NOW);
    const later = scores(NOW + 7 * 86_400_000);
    const changed = later.filter((r, i) => r.hash !== before[i]!.hash).length;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(before.length);
  });
});

describe("planRows", () => {
  const row = (key: string, name: string) => desiredRow(rp_connection, key, { rp_name: name }, {});
  test("new, changed, unchanged and removed rows", () => {
    const a = row("a", "A");
    const b = row("b", "B");
    const c = row("c", "C");
    const plan = planRows(
      [a, b, c],
      [
        { id: "1", key: "a", hash: a.hash },
        { id: "2", key: "b", hash: "old" },
        { id: "3", key: "gone", hash: "x" },
      ],
    );
    expect(plan.unchanged).toBe(1);
    expect(plan.upserts.map((u) => [u.row.key, u.exists])).toEqual([
      ["b", true],
      ["c", false],
    ]);
    expect(plan.deletes.map((d) => d.id)).toEqual(["3"]);
  });

  test("a row held without a hash (written by something else) is rewritten", () => {
    const a = row("a", "A");
    expect(planRows([a], [{ id: "1", key: "a", hash: null }]).upserts).toHaveLength(1);
  });

  test("two rows with one key are a programming error, named", () => {
    expect(() => planRows([row("a", "A"), row("a", "B")], [])).toThrow(/share the key a in rp_connection/);
  });

  test("an unknown column is refused when the row is built", () => {
    expect(() => desiredRow(rp_connection, "k", { rp_nosuch: 1 }, {})).toThrow(
      /rp_connection has no column rp_nosuch/,
    );
  });
});

describe("partitionsFor", () => {
  test.each([
    [1, 1],
    [3000, 1],
    [12_500, 16],
    [100_000, 256],
  ])("%i rows read in %i partition queries", (rows, n) => {
    const p = partitionsFor(rows);
    expect(p).toHaveLength(n);
    expect(new Set(p).size).toBe(n);
  });
});

describe("upsertBody", () => {
  const guid = "00aa00aa-bb11-cc22-dd33-44ee44ee44ee";
  test("lookups bind through their navigation properties; keys in references are quoted", () => {
    const r = desiredRow(
      rp_connection,
      rowKey("x"),
      { rp_name: "Ann – O'Brien" },
      { rp_contactid: { table: "contact", id: guid }, rp_leadid: null },
    );
    const body = upsertBody(r, false);
    expect(body["rp_ContactId@odata.bind"]).toBe(`/contacts(${guid})`);
    expect(body).not.toHaveProperty("rp_LeadId@odata.bind");
    expect(body["rp_name"]).toBe("Ann – O'Brien");
    expect(body["rp_contenthash"]).toBe(r.hash);
    // On a row the org holds, an emptied lookup is cleared.
    expect(upsertBody(r, true)["rp_LeadId@odata.bind"]).toBeNull();
  });

  test("a reference by alternate key escapes quotes", () => {
    const r = desiredRow(
      rp_connection,
      "k",
      {},
      { rp_accountid: { table: "account", key: { accountnumber: "O'B" } } },
    );
    expect(upsertBody(r, false)["rp_AccountId@odata.bind"]).toBe("/accounts(accountnumber='O''B')");
  });

  test("the insight table's lookups exist in the model", () => {
    for (const c of ["rp_contactid", "rp_leadid", "rp_opportunityid", "rp_accountid"])
      expect(columnOf(rp_relationshipinsight, c)?.targets?.[0]?.navigationProperty).toBeTruthy();
  });
});
