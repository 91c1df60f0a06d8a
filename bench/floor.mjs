#!/usr/bin/env node
// The backtest against the floor of reading its mail (issue 18). The floor is bench/floorScan.cjs: gunzip
// every file with zlib.gunzipSync and find every line end, one thread. Measured against it, as separate
// processes: `rapport backtest --as-of 2003-01-01` (every message read: the main job's path) and the cutoff
// backtest `--as-of 2001-02-01`. Rounds interleave floor and backtest (floor, full, floor, cutoff) so that
// the load of a shared machine hits both alike; every run is reported with the load average at its start,
// wall time, CPU time (user + system, all threads) and peak RSS. Corpora: the bundled sample
// (server/data/sample) and, where present, the 150 Enron mailboxes (../shared/data/enron/mbox-headers).
// Results: bench/results/floor.json and the floor section of docs/benchmarks.md.
//   node bench/floor.mjs [--quick]      BENCH_FLOOR_RUNS=5
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { machine, QUICK, ROOT, saveResults, size, smallSample, writeSection } from "./options.mjs";

const RUNS = Number(process.env.BENCH_FLOOR_RUNS ?? size(5, 1));
const CLI = path.join(ROOT, "server", "dist", "cli", "main.js");
const RUSAGE = path.join(import.meta.dirname, "rusage.cjs");
const SCAN = path.join(import.meta.dirname, "floorScan.cjs");
const FULL = "2003-01-01";
const CUTOFF = "2001-02-01";
const SAMPLE = path.join(ROOT, "server", "data", "sample");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-floor-"));
const CORPORA = [
  QUICK
    ? { name: "2 smallest mailboxes of the bundled sample", dir: smallSample() }
    : { name: "bundled sample (10 mailboxes)", dir: SAMPLE },
  {
    name: "150 Enron mailboxes",
    dir: path.resolve(ROOT, "..", "shared", "data", "enron", "mbox-headers"),
    optional: true,
  },
].filter((c) => (QUICK ? !c.optional : !c.optional || fs.existsSync(c.dir)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const round1 = (x) => Math.round(x * 10) / 10;

/** Runs `node --require rusage.cjs ...args` to completion; its wall time, CPU time, peak RSS and stdout. */
function measured(args) {
  const usage = path.join(scratch, "usage.json");
  fs.rmSync(usage, { force: true });
  const load = os.loadavg()[0];
  const started = performance.now();
  const stdout = execFileSync(process.execPath, ["--require", RUSAGE, ...args], {
    encoding: "utf8",
    env: { ...process.env, RAPPORT_BENCH_RUSAGE: usage },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 26,
  });
  const wallMs = performance.now() - started;
  const u = JSON.parse(fs.readFileSync(usage, "utf8"));
  return {
    load1: round1(load),
    wallMs: Math.round(wallMs),
    cpuMs: Math.round(u.userMs + u.systemMs),
    userMs: Math.round(u.userMs),
    systemMs: Math.round(u.systemMs),
    peakRssMiB: Math.round(u.maxRssKiB / 1024),
    stdout,
  };
}

function floorRun(dir) {
  const { stdout, ...run } = measured([SCAN, dir]);
  const scan = JSON.parse(stdout);
  return { ...run, files: scan.files, bytes: scan.bytes, lines: scan.lines };
}

function backtestRun(dir, asOf) {
  const out = path.join(scratch, `backtest-${asOf}.jsonl`);
  const args = [CLI, "backtest", "--mbox", dir, "--domain", "enron.com", "--as-of", asOf, "--out", out];
  const { stdout: _stdout, ...run } = measured([...args, "--quiet"]);
  const text = fs.readFileSync(out);
  const lines = text.toString("utf8").split("\n");
  return {
    ...run,
    connections: lines.filter((l) => l.startsWith('{"kind":"connection"')).length,
    contacts: lines.filter((l) => l.startsWith('{"kind":"contact"')).length,
    sha256: createHash("sha256").update(text).digest("hex"),
  };
}

function summary(runs, floors) {
  const ratio = (k) => runs.map((r, i) => r[k] / floors[i][k]);
  return {
    wallMs: { median: median(runs.map((r) => r.wallMs)), best: Math.min(...runs.map((r) => r.wallMs)) },
    cpuMs: { median: median(runs.map((r) => r.cpuMs)), best: Math.min(...runs.map((r) => r.cpuMs)) },
    peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
    wallRatio: { median: round2(median(ratio("wallMs"))), each: ratio("wallMs").map(round2) },
    cpuRatio: { median: round2(median(ratio("cpuMs"))), each: ratio("cpuMs").map(round2) },
    outputs: [...new Set(runs.map((r) => r.sha256))],
  };
}
const round2 = (x) => Math.round(x * 100) / 100;

function measureCorpus(corpus) {
  const rounds = [];
  for (let i = 0; i < RUNS; i++) {
    const floorA = floorRun(corpus.dir);
    const full = backtestRun(corpus.dir, FULL);
    const floorB = floorRun(corpus.dir);
    const cutoff = backtestRun(corpus.dir, CUTOFF);
    rounds.push({ floorA, full, floorB, cutoff });
    process.stderr.write(
      `${corpus.name}, round ${i + 1}/${RUNS} (load ${floorA.load1}): floor ${floorA.wallMs} ms, full ${full.wallMs} ms, ` +
        `floor ${floorB.wallMs} ms, cutoff ${cutoff.wallMs} ms\n`,
    );
  }
  const floors = rounds.flatMap((r) => [r.floorA, r.floorB]);
  return {
    corpus: corpus.name,
    dir: path.relative(ROOT, corpus.dir),
    files: floors[0].files,
    gunzippedBytes: floors[0].bytes,
    lines: floors[0].lines,
    rounds,
    floor: {
      wallMs: { median: median(floors.map((r) => r.wallMs)), best: Math.min(...floors.map((r) => r.wallMs)) },
      cpuMs: { median: median(floors.map((r) => r.cpuMs)), best: Math.min(...floors.map((r) => r.cpuMs)) },
    },
    full: summary(
      rounds.map((r) => r.full),
      rounds.map((r) => r.floorA),
    ),
    cutoff: summary(
      rounds.map((r) => r.cutoff),
      rounds.map((r) => r.floorB),
    ),
  };
}

const results = {
  date: new Date().toISOString(),
  machine: machine(),
  runs: RUNS,
  full: FULL,
  cutoff: CUTOFF,
  ratioTarget: 3,
  peakRssTargetMiB: 1536,
  corpora: CORPORA.map(measureCorpus),
};
fs.rmSync(scratch, { recursive: true, force: true });
saveResults("floor", results);
writeSection("floor", markdown(results));
console.log(JSON.stringify(results, (k, v) => (k === "rounds" ? undefined : v), 1));

function markdown(r) {
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const run = (x) => `${s(x.wallMs)} / ${s(x.cpuMs)} / ${x.peakRssMiB} MiB`;
  const lines = [
    "## Backtest against the floor of reading the mail",
    "",
    `Measured by \`node bench/floor.mjs\` (run by \`npm run bench\`) on ${r.date.slice(0, 10)}: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}. ` +
      "The floor is bench/floorScan.cjs: `zlib.gunzipSync` of every file and a `Buffer.indexOf` scan for every line end, one thread. " +
      `Each round runs, as separate processes, the floor, \`rapport backtest --as-of ${r.full}\` (every message read), the floor again, and \`rapport backtest --as-of ${r.cutoff}\` (the cutoff read), ` +
      "2 worker threads; the ratio of each backtest is to the floor run just before it. Each cell: wall / CPU (user + system, all threads) / peak RSS; load is the 1-minute load average at the start of the round (the machine is shared).",
    "",
  ];
  for (const c of r.corpora) {
    lines.push(
      `### ${c.corpus}: ${c.files} files, ${(c.gunzippedBytes / 1e6).toFixed(0)} MB gunzipped, ${c.lines.toLocaleString("en")} lines`,
      "",
      "| Round | Load | Floor | Full read | Ratio wall / CPU | Floor | Cutoff read | Ratio wall / CPU |",
      "|---|---|---|---|---|---|---|---|",
    );
    c.rounds.forEach((x, i) =>
      lines.push(
        `| ${i + 1} | ${x.floorA.load1} | ${run(x.floorA)} | ${run(x.full)} | ${round2(x.full.wallMs / x.floorA.wallMs)} / ${round2(x.full.cpuMs / x.floorA.cpuMs)} | ${run(x.floorB)} | ${run(x.cutoff)} | ${round2(x.cutoff.wallMs / x.floorB.wallMs)} / ${round2(x.cutoff.cpuMs / x.floorB.cpuMs)} |`,
      ),
    );
    lines.push(
      "",
      `Median ratio, full read: **${c.full.wallRatio.median}** wall, ${c.full.cpuRatio.median} CPU (target ≤ ${r.ratioTarget} wall); cutoff read: **${c.cutoff.wallRatio.median}** wall, ${c.cutoff.cpuRatio.median} CPU. ` +
        `Peak RSS ${c.full.peakRssMiB} MiB full, ${c.cutoff.peakRssMiB} MiB cutoff (target < ${r.peakRssTargetMiB} MiB). ` +
        `Output the same in every run: ${c.full.outputs.length === 1 && c.cutoff.outputs.length === 1 ? "yes" : "**no**"} (full read SHA-256 \`${c.full.outputs[0].slice(0, 8)}…\`).`,
      "",
    );
  }
  return lines.join("\n");
}
