#!/usr/bin/env node
// Graph sync benchmark: requests per 1,000 messages against the fewest pages a reader could fetch, and
// the sync's memory at the sample's size and at ten times it (each message repeated), which must stay
// flat because pages are streamed into the state store. The local Graph server runs in another process.
// Results: bench/results/graph.json and the graph section of docs/benchmarks.md. Quick mode (--quick,
// BENCH_QUICK=1): the sample's two smallest mailboxes at 1x and 2x, nothing written, memory not judged.
import { fork } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

import { QUICK, ROOT, saveResults, size, smallSample, writeSection } from "./options.mjs";

const require = createRequire(import.meta.url);
const dist = (p) => require(path.join(ROOT, "server/dist", p));
const { runGraphSync } = dist("app/graphSync.js");
const { readGraphSettings } = dist("sources/graph/graphSettings.js");

const PAGE_SIZE = 100;
const SCALES = size([1, 10], [1, 2]);
const sampleDir = QUICK ? smallSample() : undefined;

async function measure(scale) {
  const child = fork(path.join(import.meta.dirname, "graphServer.mjs"), [
    String(scale),
    String(PAGE_SIZE),
    ...(sampleDir ? [sampleDir] : []),
  ]);
  const ask = () => new Promise((r) => child.once("message", r));
  const info = await ask();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-graph-"));
  fs.writeFileSync(path.join(dir, "ca.pem"), info.ca);
  const settings = readGraphSettings({
    GRAPH_AUTH: "static",
    GRAPH_TOKEN: info.token,
    GRAPH_BASE_URL: info.baseUrl,
    GRAPH_CA_FILE: path.join(dir, "ca.pem"),
    GRAPH_WINDOW_MONTHS_BACK: "600",
    GRAPH_PAGE_SIZE: String(PAGE_SIZE),
  });
  global.gc?.();
  const baseHeap = process.memoryUsage().heapUsed;
  let peakHeap = baseHeap;
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 20);
  const started = performance.now();
  const result = await runGraphSync(settings, {
    state: path.join(dir, "state.sqlite"),
    now: Date.UTC(2002, 0, 1),
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  child.send("stats");
  const { stats } = await ask();
  child.send("stop");
  fs.rmSync(dir, { recursive: true, force: true });
  const pagesServed = Object.values(stats.pages).reduce((a, b) => a + b, 0);
  return {
    scale,
    messages: info.messages,
    events: info.events,
    stored: result.stored,
    failures: result.failures,
    httpRequests: stats.requests,
    pagesServed,
    minimumPages: info.minimumPages,
    requestsPer1000: (1000 * stats.requests) / info.messages,
    pagesPer1000: (1000 * pagesServed) / info.messages,
    minimumPer1000: (1000 * info.minimumPages) / info.messages,
    peakHeapGrowthMb: (peakHeap - baseHeap) / 1e6,
    peakRssMb: peakRss / 1e6,
    seconds,
  };
}

const runs = [];
for (const scale of SCALES) {
  const r = await measure(scale);
  runs.push(r);
  console.log(JSON.stringify(r));
}
const [one, ten] = runs;
const within = runs.every(
  (r) => r.pagesServed <= r.minimumPages * 1.05 && r.httpRequests <= r.minimumPages * 1.05,
);
const flat = QUICK || ten.peakHeapGrowthMb <= Math.max(2 * one.peakHeapGrowthMb, one.peakHeapGrowthMb + 32);
saveResults("graph", { runs, within, flat });
const row = (r) =>
  `| ${r.scale}x | ${r.messages.toLocaleString("en")} | ${r.httpRequests} | ${r.pagesServed} | ${r.minimumPages} | ` +
  `${r.requestsPer1000.toFixed(2)} | ${r.minimumPer1000.toFixed(2)} | ${r.peakHeapGrowthMb.toFixed(1)} MB | ${r.peakRssMb.toFixed(0)} MB | ${r.seconds.toFixed(1)} s |`;
writeSection(
  "graph",
  `## Graph sync (bench/graph.mjs)

The bundled sample served by the local Graph server (in its own process) and synced with \`GRAPH_PAGE_SIZE=${PAGE_SIZE}\`
into a fresh SQLite state file, at the sample's size and with every message repeated ten times. "Minimum pages" is
the fewest pages any reader could fetch: per folder and calendar, the messages over the page size rounded up (at
least one page, which carries the deltaLink), plus the user list. HTTP requests are fewer than pages because the
first page of every folder is fetched in \`$batch\`es of 20.

| Size | Messages | HTTP requests | Pages served | Minimum pages | Requests per 1,000 messages | Minimum pages per 1,000 | Peak heap growth | Peak RSS | Time |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${runs.map(row).join("\n")}

Requests within the minimum page count plus 5%: **${within ? "yes" : "no"}**. Memory flat from 1x to 10x (heap growth at
10x at most twice that at 1x, or 32 MB more): **${flat ? "yes" : "no"}**.`,
);
if (!within || !flat) process.exitCode = 1;
