#!/usr/bin/env node
// Similar won deals (issue 17 §4), measured on the demo's sales history: does "activity like won deals"
// separate won from lost deals better than chance, computed before each deal closed? Derives the demo
// CRM from the bundled sample mail as `rapport start` does, scores every closed deal leave-one-out at
// three points of its life, and writes bench/results/similar.json. Method and limits: docs/quality.md.
// Usage: npm run build && node bench/similar.mjs [--rounds N] [--now YYYY-MM-DD]
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const require = (await import("node:module")).createRequire(import.meta.url);
const { demoDeals } = require(path.join(ROOT, "server/dist/app/similarDemo.js"));
const { evaluateSimilar } = require(path.join(ROOT, "server/dist/core/insights/index.js"));

const args = process.argv.slice(2);
const arg = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const rounds = Number(arg("--rounds") ?? 2000);
const nowArg = arg("--now");

const started = Date.now();
const { deals, now } = await demoDeals(path.join(ROOT, "server/data/sample"), {
  domains: ["enron.com"],
  ...(nowArg ? { now: Date.parse(nowArg) } : {}),
});
const count = (o) => deals.filter((d) => d.outcome === o).length;
const result = {
  measuredOn: new Date().toISOString().slice(0, 10),
  now: new Date(now).toISOString().slice(0, 10),
  deals: { won: count("won"), lost: count("lost"), open: count("open") },
  rounds,
  amountHidden: evaluateSimilar(deals, { rounds, hideAmount: true }),
  amountKnown: evaluateSimilar(deals, { rounds, hideAmount: false }),
  seconds: Math.round((Date.now() - started) / 100) / 10,
};
fs.mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
fs.writeFileSync(path.join(ROOT, "bench/results/similar.json"), JSON.stringify(result, null, 2) + "\n");
console.log(JSON.stringify(result, null, 2));
