// What every benchmark script shares: the quick mode and where results go.
//
// Quick mode (`BENCH_QUICK=1` or `--quick`): tiny sizes, a few seconds, nothing written to bench/results or
// docs/. tests/bench/*.test.ts run each script this way so that a broken benchmark fails the test suite;
// the figures in docs/ come from full runs only.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { writeSection as writeDocSection } from "./sections.mjs";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const QUICK = process.env.BENCH_QUICK === "1" || process.argv.includes("--quick");

/** `full` in a full run, `quick` in quick mode. */
export const size = (full, quick) => (QUICK ? quick : full);

/** Writes bench/results/NAME.json (not in quick mode). */
export function saveResults(name, results) {
  if (QUICK) return;
  fs.mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
  fs.writeFileSync(
    path.join(ROOT, "bench", "results", `${name}.json`),
    `${JSON.stringify(results, null, 1)}\n`,
  );
}

/** Rewrites this script's section of docs/benchmarks.md (not in quick mode). */
export function writeSection(name, markdown) {
  if (QUICK) return;
  writeDocSection(path.join(ROOT, "docs", "benchmarks.md"), name, markdown);
}

/**
 * For quick modes: a temporary folder holding copies of the bundled sample's `count` smallest mailboxes
 * (copies, not links: the mbox reader does not follow symbolic links), removed when the process exits.
 */
export function smallSample(count = 2) {
  const sample = path.join(ROOT, "server", "data", "sample");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-sample-"));
  const files = fs.readdirSync(sample).filter((n) => n.endsWith(".gz"));
  files.sort((a, b) => fs.statSync(path.join(sample, a)).size - fs.statSync(path.join(sample, b)).size);
  for (const f of files.slice(0, count)) fs.copyFileSync(path.join(sample, f), path.join(dir, f));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The machine a result was measured on. */
export function machine() {
  return {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}
