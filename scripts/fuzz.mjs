#!/usr/bin/env node
/**
 * The fuzz tests (tests/fuzz) with more cases or another seed than CI's fixed run:
 *   npm run fuzz -- --runs 5000 --seed 7          every target, 5,000 cases each, seed 7
 *   npm run fuzz -- --case 213 query               replay one case of one target
 * Targets: mbox, graphJson, query (default: all). Prints what each run produced.
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: {
    runs: { type: "string" },
    seed: { type: "string" },
    case: { type: "string" },
  },
  allowPositionals: true,
});
const env = { ...process.env, RAPPORT_FUZZ_REPORT: "1" };
for (const [flag, name] of [
  ["runs", "RAPPORT_FUZZ_RUNS"],
  ["seed", "RAPPORT_FUZZ_SEED"],
  ["case", "RAPPORT_FUZZ_CASE"],
]) {
  const v = values[flag];
  if (v === undefined) continue;
  if (!/^\d+$/.test(v)) {
    console.error(`--${flag} must be a non-negative integer, got "${v}"`);
    process.exit(2);
  }
  env[name] = v;
}
const targets = positionals.length ? positionals.map((t) => `tests/fuzz/${t}.test.ts`) : ["tests/fuzz"];
const jest = spawnSync("npx", ["jest", ...targets, "--selectProjects", "server"], { stdio: "inherit", env });
process.exit(jest.status ?? 1);
