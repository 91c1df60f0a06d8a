import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { readMboxBatches } from "../../server/src/sources/mbox/readMbox";
import type { SourceItem } from "../../server/src/sources/sourceItem";
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
import { MailGen } from "./mailGen";

/**
 * Seeded fuzz of the mbox header reader: generated exports with the corners real mail has, a third of them
 * damaged byte by byte, some gzip, some with one very long header. Whatever the input, reading finishes,
 * never throws, names every problem with its file and never quotes an address, and on undamaged input
 * accounts for every message: read, skipped with a named issue, or counted as a copy.
 */

const plan = fuzzPlan(400);
const KNOWN_CODES = new Set([
  "fileNotFound",
  "unreadableFile",
  "truncatedGzip",
  "corruptGzip",
  "notMbox",
  "malformedHeader",
  "invalidDate",
  "oversizedHeader",
  "notRegularFile",
]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "rapport-fuzz-mbox-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  items: SourceItem[];
  stats: { copies: number; late?: number };
}

async function read(file: string): Promise<Outcome> {
  const stats = { copies: 0 };
  const items: SourceItem[] = [];
  for await (const batch of readMboxBatches(file, { seenCopies: new Set(), stats })) items.push(...batch);
  return { items, stats };
}

/** Messages accounted for: envelopes, plus issues that skipped a message (none with an envelope at its line). */
function accounted(outcome: Outcome): number {
  const envelopeLines = new Set<number | undefined>();
  let envelopes = 0;
  for (const item of outcome.items) {
    if (item.type === "envelope") {
      envelopes++;
      envelopeLines.add(item.envelope.origin.line);
    }
  }
  const skipped = new Set<number | undefined>();
  for (const item of outcome.items) {
    if (
      item.type === "issue" &&
      item.issue.code !== "notMbox" &&
      !envelopeLines.has(item.issue.origin.line)
    ) {
      skipped.add(item.issue.origin.line);
    }
  }
  return envelopes + skipped.size + outcome.stats.copies;
}

test(
  `mbox reader: ${plan.cases.length} seeded cases (seed ${plan.seed}) finish, name every problem, lose no message`,
  async () => {
    const memory = new MemoryWatch(128 * 2 ** 20);
    // What the cases produced, so that a generator gone bland (all valid, or all broken) fails too.
    const seen = new Map<string, number>();
    for (const n of plan.cases) {
      await runCase(plan, n, async () => {
        const rng = new Rng(caseSeed(plan.seed, n));
        const gen = new MailGen(rng);
        let text = gen.mbox(rng.int(0, 40));
        if (rng.chance(0.03)) {
          // One header far longer than any real one (up to 2 MB, no line break).
          text = `From x Mon Apr 18 14:20:59 2022\nSubject: ${"x".repeat(rng.int(1, 2_000_000))}\n\n${text}`;
          gen.messages++;
        }
        let bytes: Buffer = Buffer.from(text, rng.chance(0.1) ? "latin1" : "utf8");
        const damaged = rng.chance(0.3);
        if (damaged) bytes = mutateBytes(rng, bytes, rng.int(1, 12));
        const gz = rng.chance(0.25);
        let file = path.join(dir, `case-${n}.mbox${gz ? ".gz" : ""}`);
        let onDisk: Buffer = gz ? gzipSync(bytes) : bytes;
        if (gz && damaged && rng.chance(0.5)) onDisk = mutateBytes(rng, onDisk, rng.int(1, 3));
        writeFileSync(file, onDisk);
        if (gz && rng.chance(0.05)) file = path.join(dir, "missing.gz");

        const outcome = await read(file);
        for (const item of outcome.items) {
          const key = item.type === "issue" ? item.issue.code : item.type;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
        seen.set("copies", (seen.get("copies") ?? 0) + outcome.stats.copies);
        for (const item of outcome.items) {
          if (item.type !== "issue") continue;
          expect(KNOWN_CODES).toContain(item.issue.code);
          expect(item.issue.origin.file).toBe(file);
          expect(item.issue.message).not.toMatch(ADDRESS_PATTERN);
        }
        if (!damaged && file.endsWith(`case-${n}.mbox${gz ? ".gz" : ""}`)) {
          expect(accounted(outcome)).toBe(gen.messages);
        }
        rmSync(file, { force: true });
      });
      memory.sample();
    }
    memory.check();
    if (plan.cases.length >= 100) {
      for (const kind of ["envelope", "copies", "malformedHeader", "invalidDate", "notMbox", "corruptGzip"]) {
        expect([kind, seen.get(kind) ?? 0]).not.toEqual([kind, 0]);
      }
    }
    if (process.env.RAPPORT_FUZZ_REPORT) process.stderr.write(`mbox fuzz: ${JSON.stringify([...seen])}\n`);
  },
  budgetMs(plan, 1_000),
);
