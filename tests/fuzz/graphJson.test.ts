import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { type GraphSourceItem, readGraphJson } from "../../server/src/sources/graphJson/readGraphJson";
import {
  ADDRESS_PATTERN,
  budgetMs,
  caseSeed,
  fuzzPlan,
  MemoryWatch,
  mutateBytes,
  Rng,
  runCase,
} from "./fuzz";

/**
 * Seeded fuzz of the Graph JSON reader. Pages are built from Microsoft's documented shapes (the fixtures of
 * tests/fixtures/graph: delta pages of messages and calendarView events) with fields deleted, retyped,
 * blown up or nested deep, ids repeated, and a fifth of the files damaged byte by byte. Invariants: reading
 * finishes and never throws; a page yields exactly one item per element of `value` (an envelope, a named
 * issue or a removal) at that element's index; a file that is not a page is one named issue; no message
 * quotes an address.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const plan = fuzzPlan(300);
const KNOWN_CODES = new Set([
  "fileNotFound",
  "unreadableFile",
  "invalidJson",
  "notGraphPage",
  "badItem",
  "duplicateId",
  "invalidDate",
  "malformedHeader",
]);
const FIXTURES = path.join(__dirname, "../fixtures/graph");

function fixtureItems(): Json[] {
  const items: Json[] = [];
  for (const folder of readdirSync(FIXTURES)) {
    for (const name of readdirSync(path.join(FIXTURES, folder))) {
      const page = JSON.parse(readFileSync(path.join(FIXTURES, folder, name), "utf8")) as { value?: Json[] };
      items.push(...(page.value ?? []));
    }
  }
  return items;
}

/** Replacement values of every JSON type, including the shapes that trip readers up. */
function oddValue(rng: Rng, depth = 0): Json {
  switch (rng.int(0, 10)) {
    case 0:
      return null;
    case 1:
      return rng.pick([0, -1, 1e308, 1.5, Number.MAX_SAFE_INTEGER]);
    case 2:
      return rng.chance(0.5);
    case 3:
      return rng.pick([
        "",
        " ",
        "not-a-date",
        "2024-13-45T99:99:99Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
      ]);
    case 4:
      return "x".repeat(rng.int(1, 100_000));
    case 5:
      return [];
    case 6:
      return {};
    case 7: {
      // Deep nesting: arrays inside arrays.
      let v: Json = "leaf";
      for (let i = 0; i < rng.int(1, 2000); i++) v = [v];
      return v;
    }
    case 8:
      return {
        emailAddress: {
          name: rng.pick(["", "Ünï", "<b>x</b>"]),
          address: rng.pick(["", "a@b", "@", "x@y.com"]),
        },
      };
    case 9:
      return depth < 2 ? [oddValue(rng, depth + 1), oddValue(rng, depth + 1)] : "x";
    default:
      return rng.pick([
        "#microsoft.graph.event",
        "#microsoft.graph.message",
        "#microsoft.graph.eventMessageRequest",
      ]);
  }
}

/** Changes one place of an item: a field deleted, replaced by an odd value, or an id reused. */
function mutate(rng: Rng, value: Json, ids: string[]): Json {
  if (value === null || typeof value !== "object") return rng.chance(0.5) ? oddValue(rng) : value;
  if (Array.isArray(value)) {
    if (value.length === 0 || rng.chance(0.2)) return [...value, oddValue(rng)];
    const i = rng.int(0, value.length - 1);
    const copy = [...value];
    copy[i] = mutate(rng, copy[i] as Json, ids);
    return copy;
  }
  const keys = Object.keys(value);
  const copy = { ...value };
  if (keys.length === 0) return { [rng.pick(["id", "start", "from"])]: oddValue(rng) };
  const key = rng.pick(keys);
  const roll = rng.int(0, 9);
  if (roll < 2) delete copy[key];
  else if (roll < 4) copy[key] = oddValue(rng);
  else if (roll === 4 && ids.length) copy.id = rng.pick(ids);
  else if (roll === 5) copy["@removed"] = { reason: rng.pick(["deleted", "changed", ""]) };
  else copy[key] = mutate(rng, copy[key] as Json, ids);
  return copy;
}

let dir: string;
let base: Json[];
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "rapport-fuzz-graph-"));
  base = fixtureItems();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(file: string): Promise<GraphSourceItem[]> {
  const out: GraphSourceItem[] = [];
  for await (const item of readGraphJson(file)) out.push(item);
  return out;
}

function originOf(item: GraphSourceItem): { file: string; index?: number } {
  if (item.type === "issue") return item.issue.origin;
  if (item.type === "envelope") return item.envelope.origin;
  return item.origin;
}

test(
  `Graph JSON reader: ${plan.cases.length} seeded cases (seed ${plan.seed}) finish, one outcome per item, every problem named`,
  async () => {
    const memory = new MemoryWatch(128 * 2 ** 20);
    // What the cases produced, so that a generator gone bland (all valid, or all broken) fails too.
    const seen = new Map<string, number>();
    for (const n of plan.cases) {
      await runCase(plan, n, async () => {
        const rng = new Rng(caseSeed(plan.seed, n));
        const ids: string[] = [];
        const value: Json[] = [];
        for (let i = rng.int(0, 30); i > 0; i--) {
          let item = structuredClone(rng.pick(base));
          // Fresh ids, as a real export has; the mutations reuse some on purpose.
          if (item && typeof item === "object" && !Array.isArray(item)) item.id = `AAMk-${n}-${i}`;
          for (let k = rng.int(0, 4); k > 0; k--) item = mutate(rng, item, ids);
          const id = item && typeof item === "object" && !Array.isArray(item) ? item.id : undefined;
          if (typeof id === "string") ids.push(id);
          value.push(rng.chance(0.03) ? oddValue(rng) : item);
        }
        const shape = rng.int(0, 9);
        const page: Json =
          shape === 0 ? value : shape === 1 ? { value: oddValue(rng) } : { "@odata.context": "x", value };
        let bytes: Buffer = Buffer.from(
          (rng.chance(0.1) ? "\uFEFF" : "") + JSON.stringify(page, null, rng.int(0, 2)),
        );
        const damaged = rng.chance(0.2);
        if (damaged) bytes = mutateBytes(rng, bytes, rng.int(1, 6));
        const file = path.join(dir, `case-${n}.json`);
        writeFileSync(file, bytes);

        const items = await readAll(file);
        for (const item of items) {
          expect(originOf(item).file).toBe(file);
          if (item.type !== "issue") continue;
          expect(KNOWN_CODES).toContain(item.issue.code);
          expect(item.issue.message).not.toMatch(ADDRESS_PATTERN);
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(bytes.toString("utf8").replace(/^\uFEFF/, ""));
        } catch {
          parsed = undefined;
        }
        const elements = Array.isArray(parsed)
          ? parsed
          : parsed && typeof parsed === "object" && Array.isArray((parsed as { value?: unknown }).value)
            ? ((parsed as { value: unknown[] }).value as unknown[])
            : undefined;
        if (elements === undefined) {
          const only = items[0];
          expect(items).toHaveLength(1);
          expect(["invalidJson", "notGraphPage"]).toContain(
            only?.type === "issue" ? only.issue.code : only?.type,
          );
        } else {
          expect(items.map((i) => originOf(i).index)).toEqual(elements.map((_, i) => i));
        }
        for (const item of items) {
          const key = item.type === "issue" ? item.issue.code : item.type;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
        rmSync(file, { force: true });
      });
      memory.sample();
    }
    memory.check();
    if (plan.cases.length >= 100) {
      for (const kind of ["envelope", "removed", "badItem", "duplicateId", "invalidJson", "notGraphPage"]) {
        expect([kind, seen.get(kind) ?? 0]).not.toEqual([kind, 0]);
      }
    }
    if (process.env.RAPPORT_FUZZ_REPORT)
      process.stderr.write(`graph json fuzz: ${JSON.stringify([...seen])}\n`);
  },
  budgetMs(plan, 1_000),
);
