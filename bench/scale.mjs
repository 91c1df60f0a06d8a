#!/usr/bin/env node
// Scale-out benchmark (part of npm run bench): a synthetic organisation (rapport generate) synced,
// partitioned, recomputed and merged over Azure Storage queues and blobs (Azurite, in memory) by 1, 2
// and 4 local worker processes running the Functions app's queue handlers. Throughput and each worker's
// peak memory; results in bench/results/scale.json and a section of docs/benchmarks.md.
// BENCH_SCALE_MAILBOXES (500), BENCH_SCALE_INTERACTIONS (5,000,000), BENCH_SCALE_WORKERS ("1,2,4").
import { execFileSync, spawn } from "node:child_process";
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

const MAILBOXES = Number(process.env.BENCH_SCALE_MAILBOXES ?? 500);
const INTERACTIONS = Number(process.env.BENCH_SCALE_INTERACTIONS ?? 5_000_000);
const WORKERS = (process.env.BENCH_SCALE_WORKERS ?? "1,2,4")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const PARTITIONS = Number(process.env.BENCH_SCALE_PARTITIONS ?? 16);
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
      path.join(ROOT, "server/dist/cli/main.js"),
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
    { stdio: "inherit" },
  );
  generateSeconds = (performance.now() - t) / 1000;
  fs.writeFileSync(path.join(DATA, "done"), "");
}
const bytes = fs.readdirSync(DATA).reduce((n, f) => n + fs.statSync(path.join(DATA, f)).size, 0);

function startWorker(env) {
  const child = spawn(process.execPath, ["--max-old-space-size=8192", WORKER], {
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
for (const n of WORKERS) {
  if (runs.some((r) => r.workers === n && r.interactions === INTERACTIONS)) continue;
  const azurite = await startAzurite();
  const env = {
    AzureWebJobsStorage: azurite.connectionString,
    RAPPORT_ORG_DOMAINS: "contoso.com",
    RAPPORT_PARTITIONS: String(PARTITIONS),
    RAPPORT_MAILBOX_FOLDER: DATA,
    RAPPORT_AS_OF: "2026-01-01",
    GRAPH_CLIENT_STATE: "bench-client-state",
    RAPPORT_VISIBILITY_TIMEOUT: "900",
  };
  const host = await openScaleHost(readScaleSettings(env));
  const run = `bench-${n}`;
  const started = performance.now();
  await host.service.startRun({ run, now: Date.UTC(2026, 0, 1), partitions: PARTITIONS });
  const workers = Array.from({ length: n }, () => startWorker(env));
  let phases = {};
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const events = workers.flatMap((w) => w.events);
    if (!phases.synced && events.filter((e) => e.event === "mailbox.synced").length >= MAILBOXES)
      phases.synced = (performance.now() - started) / 1000;
    if (!phases.recomputed && events.filter((e) => e.event === "partition.recomputed").length >= PARTITIONS)
      phases.recomputed = (performance.now() - started) / 1000;
    if (await host.store.published(run)) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const published = await host.store.published(run);
  const rss = [];
  for (const w of workers) rss.push(await w.stop());
  const perWorker = workers.map((w, k) => ({
    messages: w.events.filter((e) => e.event === "message" && e.ok).length,
    maxRssMiB: Math.round((rss[k] ?? 0) / 1024),
  }));
  await azurite.stop();
  runs.push({
    workers: n,
    mailboxes: MAILBOXES,
    interactions: INTERACTIONS,
    seconds,
    ...phases,
    interactionsPerSecond: INTERACTIONS / seconds,
    records: published.records,
    connections: published.connections,
    perWorker,
  });
  console.log(JSON.stringify(runs.at(-1)));
  record();
}
record();

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
  };
  fs.mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  fs.writeFileSync(path.join(ROOT, "bench/results/scale.json"), `${JSON.stringify(results, null, 1)}\n`);
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
      `The machine has ${results.machine.cores} cores, shared by the workers, Azurite (which holds every blob and queue in memory and used about as much CPU as one worker) and other work (the load average above): ` +
        "more workers overlap more Storage round trips with computing, they do not add cores. See docs/scale-out.md for the capacity model of a real tenant.",
    ].join("\n"),
  );
}
