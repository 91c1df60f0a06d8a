#!/usr/bin/env node
// Rapport benchmarks (npm run bench): core aggregation throughput on a seeded synthetic stream (one core).
// Results: bench/results/bench.json and the head of docs/benchmarks.md (the backtest against the floor of
// reading its mail is bench/floor.mjs). Quick mode (--quick, BENCH_QUICK=1): 20,000 interactions, nothing
// written.
import fs from "node:fs";
import path from "node:path";

import { machine, QUICK, ROOT, saveResults, size } from "./options.mjs";
import { otherSections } from "./sections.mjs";
import { syntheticInteractions } from "./synthetic.mjs";

const require = (await import("node:module")).createRequire(import.meta.url);
const results = { date: new Date().toISOString(), machine: machine() };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

// 2. Core aggregation on one core. One unmeasured warm-up run on a smaller stream of another seed first, so
// that the measured runs time the aggregation rather than the JIT compiling it; then AGG_RUNS runs, each on
// a fresh state in this process, and their median (about one run in five also pays a full collection of the
// whole heap, which holds the stream and the earlier runs' states: see docs/benchmarks.md).
const { RelationshipState } = require(path.join(ROOT, "server/dist/core/engine/state.js"));
const { resolveConfig } = require(path.join(ROOT, "server/dist/core/config.js"));
const { computeInsights } = require(path.join(ROOT, "server/dist/core/insights/index.js"));
const config = resolveConfig({ orgDomains: ["contoso.com"] });
const N = Number(process.env.BENCH_SYNTHETIC ?? size(2_000_000, 20_000));
const AGG_RUNS = Number(process.env.BENCH_AGG_RUNS ?? size(5, 2));
const directory = {
  orgDomains: ["contoso.com"],
  users: [],
  contacts: [],
  leads: [],
  accounts: [],
  opportunities: [],
};
new RelationshipState(directory, config).addAll(syntheticInteractions({ count: Math.ceil(N / 10), seed: 8 }));
const stream = syntheticInteractions({ count: N, seed: 7 });
const rates = [];
let computeMs = 0;
let pairs = 0;
for (let i = 0; i < AGG_RUNS; i++) {
  const state = new RelationshipState(directory, config);
  const t = performance.now();
  state.addAll(stream);
  const ms = performance.now() - t;
  rates.push(N / (ms / 1000));
  process.stderr.write(
    `aggregation run ${i + 1}/${AGG_RUNS}: ${Math.round(N / (ms / 1000)).toLocaleString("en")} / s\n`,
  );
  if (i === AGG_RUNS - 1) {
    const t2 = performance.now();
    const r = computeInsights(state, [], Date.UTC(2025, 0, 1), { detail: "scores" });
    computeMs = performance.now() - t2;
    pairs = r.connections.length;
  }
}
results.aggregation = {
  interactions: N,
  runs: AGG_RUNS,
  perRun: rates.map((x) => Math.round(x)),
  perSecond: { median: Math.round(median(rates)), best: Math.round(Math.max(...rates)) },
  target: 1_000_000,
  strengthOfAllPairsMs: Math.round(computeMs),
  pairs,
};

saveResults("bench", results);
if (!QUICK) writeDoc(results);
console.log(JSON.stringify(results, null, 1));

function writeDoc(r) {
  const lines = [];
  lines.push("# Benchmarks", "");
  lines.push(
    `Measured by \`npm run bench\` on ${r.date.slice(0, 10)}: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}. Raw results: [bench/results/](../bench/results/). The aggregation below is bench/run.mjs; each section further down names its script. Every script has a quick mode (\`--quick\` or \`BENCH_QUICK=1\`: tiny sizes, a few seconds, nothing written) that the test suite runs (tests/bench/).`,
    "",
  );
  const a = r.aggregation;
  lines.push("## Core aggregation (one core)", "");
  lines.push("| Measure | Result | Target |", "|---|---|---|");
  lines.push(
    `| \`RelationshipState.addAll\` on ${a.interactions.toLocaleString("en")} seeded synthetic interactions (bench/synthetic.mjs), median of ${a.runs} runs after a warm-up run | **${a.perSecond.median.toLocaleString("en")} / s** (best ${a.perSecond.best.toLocaleString("en")}) | ≥ ${a.target.toLocaleString("en")} / s |`,
  );
  lines.push(`| each run | ${a.perRun.map((x) => x.toLocaleString("en")).join(", ")} | |`);
  lines.push(
    `| strength of every pair at one instant (${a.pairs.toLocaleString("en")} pairs) | ${a.strengthOfAllPairsMs} ms | |`,
    "",
  );
  lines.push(
    "Timings on a shared 2-core machine vary by ±20% between sessions; compare figures measured in one run.",
    "",
  );
  // Sections written by the other benchmark scripts (bench/publish.mjs, ...) stay as they were.
  const others = otherSections(path.join(ROOT, "docs", "benchmarks.md"), "");
  fs.writeFileSync(
    path.join(ROOT, "docs", "benchmarks.md"),
    `${lines.join("\n")}${others ? `\n${others}\n` : ""}`,
  );
}
