import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type * as IngestModule from "../../server/src/app/ingest";
import { type Ingested, ingestMbox } from "../../server/src/app/ingest";
import { resolveConfig } from "../../server/src/core/config";
import type { Interaction } from "../../server/src/core/interaction";

// The worker threads run the built code (server/dist, as the CLI does): `npm run build` first.
const BUILT = path.resolve(__dirname, "../../server/dist/app/ingest.js");

const SAMPLE = path.resolve(__dirname, "../../server/data/sample");
const config = resolveConfig({ orgDomains: ["enron.com"] });
const NOW = Date.UTC(2026, 0, 1);
const BEFORE = Date.UTC(2001, 9, 1);

/** The four smallest mailboxes of the sample, in a folder of their own. */
function smallMailboxes(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-parallel-"));
  const files = fs.readdirSync(SAMPLE).filter((n) => n.endsWith(".gz"));
  files.sort((a, b) => fs.statSync(path.join(SAMPLE, a)).size - fs.statSync(path.join(SAMPLE, b)).size);
  for (const f of files.slice(0, 4)) fs.copyFileSync(path.join(SAMPLE, f), path.join(dir, f));
  return dir;
}

/** What a read gives, independent of the order batches arrived in. */
function outcome(read: Ingested, added: Interaction[]) {
  return {
    report: { ...read.report, issues: undefined },
    participants: [...read.participantsByFile].map(([f, m]) => [path.basename(f), [...m]]).sort(),
    // Fields by name: the wire rebuilds an interaction's optional fields in an order of its own.
    interactions: added.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort(),
  };
}

describe("reading on worker threads", () => {
  let dir = "";
  beforeAll(() => (dir = smallMailboxes()));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("two workers, each handed its next file before it ends one, read as one thread does", async () => {
    const serial: Interaction[] = [];
    const one = await ingestMbox(dir, {
      config,
      now: NOW,
      before: BEFORE,
      workers: 1,
      sink: (xs) => serial.push(...xs),
    });
    const parallel: Interaction[] = [];
    let numbered = 0;
    const built = (await import(BUILT)) as typeof IngestModule;
    const two = await built.ingestMbox(dir, {
      config,
      now: NOW,
      before: BEFORE,
      workers: 2,
      sink: (xs, n) => {
        parallel.push(...xs);
        if (n) numbered += xs.length;
      },
    });
    expect(two.report.files).toBe(4);
    expect(parallel.length).toBeGreaterThan(1000);
    // Every batch came with its addresses numbered: the workers did read.
    expect(numbered).toBe(parallel.length);
    expect(outcome(two, parallel)).toEqual(outcome(one, serial));
  }, 60_000);
});
