#!/usr/bin/env node
// Scale-out benchmark (part of npm run bench): a synthetic organisation (rapport generate) synced,
// partitioned, recomputed and merged over Azure Storage queues and blobs (Azurite, in memory) by 1, 2
// and 4 local worker processes running the Functions app's queue handlers. Throughput and each worker's
// peak memory; results in bench/results/scale.json and a section of docs/benchmarks.md.
// BENCH_SCALE_MAILBOXES (500), BENCH_SCALE_INTERACTIONS (5,000,000), BENCH_SCALE_WORKERS ("1,2,4").
// After the first full run, one steady-state tick on the same store: about 1% new mail spread over the
// mailboxes (a batch subfolder, rapport generate with another seed), run incrementally; and the
// single-process CLI (rapport insights --graph-json) over the same generated org, for comparison.
// BENCH_QUICK=1: tiny sizes, one worker, results to BENCH_RESULTS_DIR (default bench/results) and no docs
// section (tests/bench/scale.test.ts runs it so that a broken benchmark fails the tests).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

import { writeSection } from "./sections.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const require = (await import("node:module")).createRequire(import.meta.url);
const dist = (p) => require(path.join(ROOT, "server/dist", p));
const { startAzurite } = require(path.join(ROOT, "scripts/azurite.cjs"));
const { openScaleHost } = dist("functions/services.js");
const { readScaleSettings } = dist("functions/settings.js");

const QUICK = process.env.BENCH_QUICK === "1";
const MAILBOXES = Number(process.env.BENCH_SCALE_MAILBOXES ?? (QUICK ? 5 : 500));
const INTERACTIONS = Number(process.env.BENCH_SCALE_INTERACTIONS ?? (QUICK ? 3_000 : 5_000_000));
const WORKERS = (process.env.BENCH_SCALE_WORKERS ?? (QUICK ? "1" : "1,2,4"))
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const PARTITIONS = Number(process.env.BENCH_SCALE_PARTITIONS ?? (QUICK ? 4 : 16));
const RESULTS = process.env.BENCH_RESULTS_DIR ?? path.join(ROOT, "bench/results");
const CLI = path.join(ROOT, "server/dist/cli/main.js");
/** The tick's new mail: about 1% of the org's, spread over the mailboxes. */
const TICK_INTERACTIONS = Math.max(1, Math.round(INTERACTIONS / 100));
/**
 * A quarter-hour's new mail: the org's year of mail over the 96 quarter-hours of 365 days (the 1% tick
 * is about 3.7 days of it), dated within the last day.
 */
const QUARTER_HOUR_INTERACTIONS = Math.max(1, Math.round(INTERACTIONS / (365 * 96)));
const SEED = 42;
const DATA = path.join(os.tmpdir(), `rapport-scale-${SEED}-${MAILBOXES}-${INTERACTIONS}`);
const WORKER = path.join(ROOT, "server/dist/functions/workerMain.js");

// 1. The organisation, generated once (reused by later runs with the same size).
let generateSeconds;
if (!fs.existsSync(path.join(DATA, "done"))) {
  const t = performance.now();
  execFileSync(
    process.execPath,
    [
      CLI,
      "generate",
      "--seed",
      String(SEED),
      "--mailboxes",
      String(MAILBOXES),
      "--interactions",
      String(INTERACTIONS),
      "--out",
      DATA,
    ],
    { stdio: QUICK ? "ignore" : "inherit" },
  );
  generateSeconds = (performance.now() - t) / 1000;
  fs.writeFileSync(path.join(DATA, "done"), "");
}
const bytes = fs.readdirSync(DATA).reduce((n, f) => n + fs.statSync(path.join(DATA, f)).size, 0);

function startWorker(env) {
  // BENCH_SCALE_PROFILE=<folder>: each worker writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_SCALE_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_SCALE_PROFILE}`]
    : [];
  // The worker runs with the Node arguments the Functions app gives it (server/infra/main.bicep).
  const args = ["--max-old-space-size=8192", "--max-semi-space-size=64", ...profile, WORKER];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const events = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    try {
      events.push(JSON.parse(line));
    } catch {
      // not an event line
    }
  });
  const exited = new Promise((r) => child.once("exit", r));
  return {
    events,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      return events.find((e) => typeof e.maxRssKiB === "number")?.maxRssKiB;
    },
  };
}

// 2. One run per worker count, each on a fresh Azurite; the results are written after each run, so that a
// run cut short keeps what finished. BENCH_SCALE_FROM=<file of the JSON lines printed by an earlier
// invocation> takes those runs as done (a long benchmark resumed, or written up after it was stopped).
const runs = process.env.BENCH_SCALE_FROM
  ? fs
      .readFileSync(process.env.BENCH_SCALE_FROM, "utf8")
      .split("\n")
      .filter((l) => l.startsWith('{"workers"'))
      .map((l) => JSON.parse(l))
  : [];
let tick;
let quarterHourTick;
let singleProcess;
for (const n of WORKERS) {
  if (runs.some((r) => r.workers === n && r.interactions === INTERACTIONS)) continue;
  // The workers read a folder of their own: the org's files (linked), and the tick's batch later.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-scale-view-"));
  for (const f of fs.readdirSync(DATA))
    if (f.endsWith(".ndjson.gz")) fs.symlinkSync(path.join(DATA, f), path.join(folder, f));
  const azurite = await startAzurite();
  const env = {
    AzureWebJobsStorage: azurite.connectionString,
    RAPPORT_ORG_DOMAINS: "contoso.com",
    RAPPORT_PARTITIONS: String(PARTITIONS),
    RAPPORT_MAILBOX_FOLDER: folder,
    RAPPORT_AS_OF: "2026-01-01",
    GRAPH_CLIENT_STATE: "bench-client-state",
    RAPPORT_VISIBILITY_TIMEOUT: "900",
  };
  const host = await openScaleHost(readScaleSettings(env));
  const workers = Array.from({ length: n }, () => startWorker(env));
  const run = `bench-${n}`;
  const full = await timeRun(host, workers, run, MAILBOXES);
  const published = await host.store.published(run);
  const perWorker = workers.map((w) => ({
    messages: w.events.filter((e) => e.event === "message" && e.ok).length,
  }));
  // One steady-state tick after the first full run, on the same store: its kept partition states.
  // Then one of a quarter-hour's mail on top of it: what a 15-minute timer tick brings.
  if (!tick) {
    tick = await runTick(host, workers, folder, run, { name: "tick", interactions: TICK_INTERACTIONS });
    quarterHourTick = await runTick(host, workers, folder, `${run}-tick`, {
      name: "quarter",
      interactions: QUARTER_HOUR_INTERACTIONS,
      days: 1,
    });
  }
  const rss = [];
  for (const w of workers) rss.push(await w.stop());
  perWorker.forEach((w, k) => (w.maxRssMiB = Math.round((rss[k] ?? 0) / 1024)));
  await azurite.stop();
  fs.rmSync(folder, { recursive: true, force: true });
  runs.push({
    workers: n,
    mailboxes: MAILBOXES,
    interactions: INTERACTIONS,
    ...full,
    interactionsPerSecond: INTERACTIONS / full.seconds,
    records: published.records,
    connections: published.connections,
    perWorker,
  });
  console.log(JSON.stringify(runs.at(-1)));
  record();
}
singleProcess = runSingleProcess();
console.log(JSON.stringify({ singleProcess }));
record();

/** Starts a run and waits for it to be published; its time and when every mailbox synced and every partition recomputed. */
async function timeRun(host, workers, run, mailboxes) {
  const started = performance.now();
  const seen = workers.map((w) => w.events.length);
  await host.service.startRun({ run, now: Date.UTC(2026, 0, 1), partitions: PARTITIONS });
  const phases = {};
  for (;;) {
    await new Promise((r) => setTimeout(r, QUICK ? 100 : 500));
    const events = workers.flatMap((w, k) => w.events.slice(seen[k]));
    if (!phases.synced && events.filter((e) => e.event === "mailbox.synced").length >= mailboxes)
      phases.synced = (performance.now() - started) / 1000;
    if (!phases.recomputed && events.filter((e) => e.event === "partition.recomputed").length >= PARTITIONS)
      phases.recomputed = (performance.now() - started) / 1000;
    if (await host.store.published(run)) break;
  }
  // Where the workers' time went, summed over the run's messages (the logged phases of each step).
  const events = workers.flatMap((w, k) => w.events.slice(seen[k]));
  const sum = (event, key) =>
    events.filter((e) => e.event === event && typeof e[key] === "number").reduce((n, e) => n + e[key], 0);
  const cpu = {
    syncMs: sum("mailbox.synced", "ms"),
    restoreMs: sum("partition.recomputed", "restoreMs"),
    addMs: sum("partition.recomputed", "addMs"),
    computeMs: sum("partition.recomputed", "computeMs"),
    saveMs: sum("partition.recomputed", "saveMs"),
    recomputeMs: sum("partition.recomputed", "ms"),
    publishMs: sum("partition.published", "ms"),
    // Partitions published against their last publish list (only what was computed again), rows written.
    changedOnly: events.filter((e) => e.event === "partition.published" && e.changedOnly === true).length,
    written: sum("partition.published", "written"),
    records: sum("partition.recomputed", "records"),
    computedRecords: sum("partition.recomputed", "computedRecords"),
    connections: sum("partition.recomputed", "connections"),
    computedConnections: sum("partition.recomputed", "computedConnections"),
  };
  return { seconds: (performance.now() - started) / 1000, ...phases, steps: cpu };
}

/**
 * New mail as a batch (another seed: new messages between the same people; `days` of history, the whole
 * year by default), then one incremental run on `base`.
 */
async function runTick(host, workers, folder, base, { name, interactions, days }) {
  const batch = name === "tick" ? "tick001" : "tick002";
  execFileSync(
    process.execPath,
    [
      CLI,
      "generate",
      "--seed",
      String(SEED + (name === "tick" ? 1 : 2)),
      "--mailboxes",
      String(MAILBOXES),
      "--interactions",
      String(interactions),
      ...(days ? ["--days", String(days)] : []),
      "--out",
      path.join(folder, batch),
    ],
    { stdio: "ignore" },
  );
  const run = `${base}-${name}`;
  const timed = await timeRun(host, workers, run, MAILBOXES);
  const m = await host.store.manifest(run);
  if (m.base !== base) throw new Error(`the tick was not incremental (base ${m.base ?? "none"})`);
  const published = await host.store.published(run);
  return {
    newInteractions: interactions,
    ...timed,
    records: published.records,
    connections: published.connections,
  };
}

/** The single-process CLI over the same generated org (rapport insights --graph-json). */
function runSingleProcess() {
  const out = path.join(os.tmpdir(), `rapport-scale-single-${process.pid}.json`);
  const t = performance.now();
  const spawnResult = spawnSync(
    process.execPath,
    [
      // The whole org in one heap: 5 million messages need more than the workers' 8 GiB.
      "--max-old-space-size=16384",
      CLI,
      "insights",
      "--graph-json",
      DATA,
      "--domain",
      "contoso.com",
      "--now",
      "2026-01-01",
      "--out",
      out,
      "--people-per-list",
      "0",
      "--quiet",
    ],
    { stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 24 },
  );
  const seconds = (performance.now() - t) / 1000;
  if (spawnResult.status !== 0) throw new Error(`rapport insights exited with ${spawnResult.status}`);
  // The counts from the command's own last line (on stderr): at 5 million messages the result file is more
  // than the longest string Node can hold, so it is not read back.
  const done = /wrote (\d+) records and (\d+) connections/.exec(spawnResult.stderr?.toString("utf8") ?? "");
  fs.rmSync(out, { force: true });
  if (!done) throw new Error("rapport insights did not say what it wrote");
  return {
    seconds,
    interactionsPerSecond: INTERACTIONS / seconds,
    records: Number(done[1]),
    connections: Number(done[2]),
  };
}

function record() {
  const results = {
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      cpu: os.cpus()[0]?.model ?? "unknown",
      cores: os.availableParallelism(),
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverage: os.loadavg()[0],
    },
    mailboxes: MAILBOXES,
    interactions: INTERACTIONS,
    partitions: PARTITIONS,
    inputMB: bytes / 1e6,
    ...(generateSeconds ? { generateSeconds } : {}),
    runs,
    ...(tick ? { tick } : {}),
    ...(quarterHourTick ? { quarterHourTick } : {}),
    ...(singleProcess ? { singleProcess } : {}),
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, "scale.json"), `${JSON.stringify(results, null, 1)}\n`);
  if (QUICK) return;
  const f = (x, d = 1) => x.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });
  writeSection(
    path.join(ROOT, "docs", "benchmarks.md"),
    "scale",
    [
      "## Scale-out over Storage queues",
      "",
      `Measured by \`node bench/scale.mjs\` (run by \`npm run bench\`) on ${results.date.slice(0, 10)}: ${results.machine.cpu}, ${results.machine.cores} cores, ` +
        `${results.machine.memoryGiB} GiB, Node ${process.version}; load average ${f(results.machine.loadAverage)} at the end (the machine is shared). ` +
        `Synthetic organisations from \`rapport generate --seed ${SEED}\` of the sizes in the table (gzipped NDJSON of Graph messages, one file per mailbox; ${f(results.inputMB)} MB at the last size run) are synced, split into ${PARTITIONS} partitions, recomputed and published partition by partition ` +
        "over Azurite's queues and blobs (in memory) by local worker processes running the Functions app's own queue handlers " +
        "(server/dist/functions/workerMain.js, each handling up to 4 messages at once as host.json's batchSize). Without Dataverse, a partition's publish builds its Dataverse rows " +
        "(insight, weekly history and connection rows with their content hashes) and stores them as blobs. Time is from the run's start to the last partition published; throughput is distinct messages per second.",
      "",
      "| Mailboxes × messages | Workers | Total | All synced at | All recomputed at | Messages/s | Records | Connections | Peak RSS per worker (MiB) | Queue messages per worker |",
      "|---|---|---|---|---|---|---|---|---|---|",
      ...[...runs]
        .sort((a, b) => b.interactions - a.interactions || a.workers - b.workers)
        .map(
          (r) =>
            `| ${r.mailboxes} × ${r.interactions.toLocaleString("en")} | ${r.workers} | ${f(r.seconds)} s | ${f(r.synced ?? 0)} s | ${f(r.recomputed ?? 0)} s | ${Math.round(r.interactionsPerSecond).toLocaleString("en")} | ` +
            `${r.records.toLocaleString("en")} | ${r.connections.toLocaleString("en")} | ${r.perWorker.map((w) => w.maxRssMiB).join(", ")} | ${r.perWorker.map((w) => w.messages).join(", ")} |`,
        ),
      "",
      ...(tick
        ? [
            `**Steady-state tick** (after the first full run, on the same store): ${tick.newInteractions.toLocaleString("en")} new messages (about 1%, \`rapport generate --seed ${SEED + 1}\`, a batch in every mailbox) ` +
              `taken in by an incremental run in ${f(tick.seconds)} s (all synced at ${f(tick.synced ?? 0)} s, all recomputed at ${f(tick.recomputed ?? 0)} s): ` +
              `${f((100 * tick.seconds) / (runs[0]?.seconds ?? tick.seconds))}% of the full run's time; ${tick.records.toLocaleString("en")} records, ${tick.connections.toLocaleString("en")} connections ` +
              `(${tick.steps.computedRecords.toLocaleString("en")} records and ${tick.steps.computedConnections.toLocaleString("en")} connections computed again).`,
            "",
          ]
        : []),
      ...(quarterHourTick
        ? [
            `**Quarter-hour tick** (after that one): ${quarterHourTick.newInteractions.toLocaleString("en")} new messages (a year's mail over the 35,040 quarter-hours of 365 days, \`--seed ${SEED + 2} --days 1\`) ` +
              `in ${f(quarterHourTick.seconds)} s: ${f((100 * quarterHourTick.seconds) / (runs[0]?.seconds ?? quarterHourTick.seconds))}% of the full run's time; ` +
              `${quarterHourTick.steps.computedRecords.toLocaleString("en")} records and ${quarterHourTick.steps.computedConnections.toLocaleString("en")} connections computed again.`,
            "",
          ]
        : []),
      ...(singleProcess
        ? [
            `**Single process on the same org** (\`rapport insights --graph-json\` over the generated files, \`--people-per-list 0\`): ${f(singleProcess.seconds)} s, ` +
              `${Math.round(singleProcess.interactionsPerSecond).toLocaleString("en")} messages/s, ${singleProcess.records.toLocaleString("en")} records, ${singleProcess.connections.toLocaleString("en")} connections.`,
            "",
          ]
        : []),
      `The machine has ${results.machine.cores} cores, shared by the workers, Azurite (which holds every blob and queue in memory and used about as much CPU as one worker) and other work (the load average above): ` +
        "more workers overlap more Storage round trips with computing, they do not add cores. See docs/scale-out.md for the capacity model of a real tenant.",
    ].join("\n"),
  );
}
