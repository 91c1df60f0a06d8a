#!/usr/bin/env node
// The local Graph server for bench/graph.mjs, in its own process so that its memory (it holds every
// mailbox) is not counted as the sync's. Talks over IPC: sends where it listens, answers "stats".
//   node bench/graphServer.mjs SCALE PAGE_SIZE [SAMPLE_DIR]
import { createRequire } from "node:module";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const dist = (p) => require(path.join(ROOT, "server/dist", p));
const { sampleTenant } = dist("sources/graph/local/sampleTenant.js");
const { startLocalGraph } = dist("sources/graph/local/server.js");
const { SAMPLE_DIR } = dist("app/start.js");

const scale = Number(process.argv[2] ?? 1);
const pageSize = Number(process.argv[3] ?? 100);
const sampleDir = process.argv[4] ?? SAMPLE_DIR;
const tenant = await sampleTenant(sampleDir, { domains: ["enron.com"], scale });
const server = await startLocalGraph({ tenant, token: "bench-graph-token-0123456789" });

// The fewest pages a reader could fetch: every collection needs at least one page (its deltaLink).
const pages = (n, size) => Math.max(1, Math.ceil(n / size));
let minimumPages = pages(tenant.users.length, 999);
for (const u of tenant.users) {
  const m = tenant.mailbox(u.id);
  minimumPages += pages(m.folders.inbox.size, pageSize) + pages(m.folders.sentitems.size, pageSize);
  minimumPages += pages(m.calendar.size, pageSize);
}
process.send({
  baseUrl: server.baseUrl,
  ca: server.ca,
  token: server.token,
  ...tenant.counts(),
  minimumPages,
});
process.on("message", (m) => {
  if (m === "stats") process.send({ stats: server.stats });
  if (m === "stop") void server.close().then(() => process.exit(0));
});
