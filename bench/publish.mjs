#!/usr/bin/env node
// Publishing benchmark (part of npm run bench): how many HTTP requests, and how fast, the publisher
// needs against the local Dataverse endpoint to publish 10,000 changed rows, and that a rerun with
// nothing changed sends no write at all. Results: bench/results/publish.json and a section of
// docs/benchmarks.md. Quick mode (--quick, BENCH_QUICK=1): 500 rows, nothing written.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { ROOT, saveResults, size, writeSection } from "./options.mjs";

const require = (await import("node:module")).createRequire(import.meta.url);
const dist = (p) => require(path.join(ROOT, "server/dist", p));
const { startLocalDataverse } = dist("dataverse/local/index.js");
const { DataverseClient, staticTokenProvider } = dist("dataverse/client/index.js");
const { publish } = dist("dataverse/publish/publisher.js");
const { clientTransport } = dist("dataverse/publish/clientTransport.js");
const { desiredRow, rowKey } = dist("dataverse/publish/desiredRow.js");
const { rp_connection, choiceValue } = dist("dataverse/model/index.js");

const ROWS = Number(process.env.BENCH_PUBLISH_ROWS ?? size(10_000, 500));
// One request reads what the org holds, then one $batch per 1,000 upserts.
const TARGET_REQUESTS = 1 + Math.ceil(ROWS / 1000);
const TOKEN = "bench-token-0123456789";

/** Connection rows as the publisher makes them; `round` changes every row's strength. */
function rows(round) {
  const out = [];
  for (let i = 0; i < ROWS; i++) {
    const strength = (i * 37 + round) % 101;
    out.push(
      desiredRow(
        rp_connection,
        rowKey("bench", String(i)),
        {
          rp_name: `colleague${i % 500} – person${i}`,
          rp_introduceremail: `colleague${i % 500}@contoso.com`,
          rp_targettype: choiceValue("targetType", "person"),
          rp_target: `person${i}@company${i % 700}.example`,
          rp_strength: strength,
          rp_band: choiceValue("band", strength >= 60 ? "strong" : strength >= 30 ? "moderate" : "weak"),
          rp_emailssent: (i * 7 + round) % 50,
          rp_emailsreceived: (i * 3) % 40,
          rp_lastinteractionon: new Date(Date.UTC(2024, 0, 1) + (i % 365) * 86_400_000).toISOString(),
        },
        {},
      ),
    );
  }
  return out;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-bench-publish-"));
const server = await startLocalDataverse({ db: path.join(dir, "bench.sqlite"), token: TOKEN });
let requests = 0;
const client = new DataverseClient({
  url: server.url,
  token: staticTokenProvider(TOKEN),
  onRequest: () => requests++,
});
const transport = clientTransport(client);

async function run(round) {
  const before = { requests, writes: server.stats.batchRequests, patch: server.stats.byMethod.PATCH ?? 0 };
  const t = performance.now();
  const report = await publish(
    transport,
    { insights: [], history: [], connections: rows(round) },
    { linked: new Set() },
  );
  const ms = performance.now() - t;
  const c = report.tables.rp_connection;
  return {
    ms: Math.round(ms),
    httpRequests: requests - before.requests,
    operations: server.stats.batchRequests - before.writes,
    created: c.created,
    updated: c.updated,
    unchanged: c.unchanged,
    failed: c.failed,
    rowsPerSecond: Math.round(((c.created + c.updated) / ms) * 1000),
  };
}

const first = await run(0);
const changed = await run(1);
const unchanged = await run(1);
await server.close();
fs.rmSync(dir, { recursive: true, force: true });

const results = {
  date: new Date().toISOString(),
  node: process.version,
  rows: ROWS,
  targetRequests: TARGET_REQUESTS,
  first,
  changed,
  unchanged,
};
saveResults("publish", results);
const ok = (b) => (b ? "yes" : "**no**");
const row = (label, r, target) =>
  `| ${label} | ${r.httpRequests} | ${r.operations} | ${r.created} / ${r.updated} / ${r.unchanged} | ${(r.ms / 1000).toFixed(2)} s | ${r.created + r.updated ? r.rowsPerSecond.toLocaleString("en") : "–"} | ${target} |`;
writeSection(
  "publish",
  [
    "## Publishing to Dataverse",
    "",
    `Measured by \`node bench/publish.mjs\` (run by \`npm run bench\`) on ${results.date.slice(0, 10)}, Node ${process.version}: ` +
      `${ROWS.toLocaleString("en")} rp_connection rows published by the publisher through the Web API client into the local Dataverse endpoint (SQLite). ` +
      "HTTP requests are counted by the client (retries included); operations are the requests inside `$batch` bodies.",
    "",
    "| Run | HTTP requests | Operations | Created / updated / unchanged | Time | Rows per second | Target |",
    "|---|---|---|---|---|---|---|",
    row("first publish (all new)", first, ""),
    row(
      `every row changed`,
      changed,
      `≤ ${TARGET_REQUESTS} requests: ${ok(changed.httpRequests <= TARGET_REQUESTS)}`,
    ),
    row(
      "rerun, nothing changed",
      unchanged,
      `no write: ${ok(unchanged.created + unchanged.updated === 0 && unchanged.httpRequests === 1)}`,
    ),
    "",
    "One request reads the keys and content hashes of every row the org holds (one `$batch` of key-partition queries, each within a 5,000-row page); " +
      "each further request is a `$batch` of up to 1,000 upserts by alternate key with `continue-on-error`.",
  ].join("\n"),
);
console.log(JSON.stringify(results, null, 1));
if (changed.httpRequests > TARGET_REQUESTS || unchanged.created + unchanged.updated > 0) process.exitCode = 1;
