#!/usr/bin/env node
// Introduction paths (issue 19 §1), measured on the real Enron headers: as of each cutoff, does the path
// (the asking seller's tie to a colleague and the colleague's tie to the person) predict which colleague
// the seller turns to, or who later corresponds with the person, better than the colleague's tie alone?
// Reads ../shared/data/enron (evaluation data, not product data), runs evaluatePaths (server/src/core/
// insights/pathEvaluation.ts) and writes bench/results/paths.json. Method and figures: docs/quality.md.
// Usage: npm run build && node bench/paths.mjs [--rounds N] [--quick]
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const SHARED = path.resolve(ROOT, "..", "shared", "data", "enron");
const require = (await import("node:module")).createRequire(import.meta.url);
const { ingestMbox } = require(path.join(ROOT, "server/dist/app/ingest.js"));
const { resolveConfig } = require(path.join(ROOT, "server/dist/core/config.js"));
const { evaluatePaths, RANKINGS } = require(path.join(ROOT, "server/dist/core/insights/index.js"));

const args = process.argv.slice(2);
const arg = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes("--quick");
const rounds = Number(arg("--rounds") ?? (quick ? 100 : 1000));
const CUTOFFS = quick ? ["2001-01-01"] : ["2001-01-01", "2001-07-01"];

if (!fs.existsSync(path.join(SHARED, "mbox-headers"))) {
  console.error(`paths: the Enron sample is not at ${SHARED}`);
  process.exit(2);
}
const started = Date.now();
const config = resolveConfig({ orgDomains: ["enron.com"] });
const owners = JSON.parse(fs.readFileSync(path.join(SHARED, "mailbox-owners.json"), "utf8"));
const sellers = Object.values(owners).flatMap((o) => (o.owner ? [o.owner] : []));
const { interactions } = await ingestMbox(path.join(SHARED, "mbox-headers"), { now: Date.now(), config });
const results = CUTOFFS.map((c) => {
  process.stderr.write(`paths: cutoff ${c}\n`);
  return evaluatePaths(interactions, { config, sellers, cutoff: Date.parse(c), rounds });
});
const out = {
  measuredOn: new Date().toISOString().slice(0, 10),
  interactions: interactions.length,
  sellers: sellers.length,
  rounds,
  results,
  seconds: Math.round((Date.now() - started) / 100) / 10,
};
if (!quick) {
  fs.mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  fs.writeFileSync(path.join(ROOT, "bench/results/paths.json"), JSON.stringify(out, null, 1) + "\n");
}
if (quick) {
  // Quick mode (tests/bench/quick.test.ts): one cutoff, few rounds, the result on stdout, nothing written.
  console.log(JSON.stringify(out));
  process.exit(0);
}
const f = (m) => `${m.value.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}]`;
for (const r of results) {
  console.log(
    `\n${r.cutoff}: ${r.events} events; no direct introducer ${r.noDirect}, of which two-step ${r.twoStep}`,
  );
  for (const [name, t] of [
    ["wrote to", r.wroteTo],
    ["later corresponded", r.laterCorresponded],
  ]) {
    console.log(`  ${name}: ${t.events} events, ${t.candidates.toFixed(1)} candidates each`);
    for (const k of RANKINGS) {
      const m = t.byRanking[k];
      console.log(`    ${k.padEnd(9)} hit@1 ${f(m.hit1)}  hit@3 ${f(m.hit3)}  MRR ${f(m.mrr)}`);
    }
    console.log(
      `    MRR geometric − target ${f(t.geometricMinusTarget)}, − seller ${f(t.geometricMinusSeller)}`,
    );
  }
}
console.log(`\n${out.seconds} s`);

// The table in docs/quality.md, between <!-- paths:start --> and <!-- paths:end -->.
const NAMES = {
  target: "colleague → person alone (today)",
  seller: "seller → colleague alone",
  min: "path, min",
  product: "path, product",
  geometric: "**path, geometric mean (used)**",
};
const g = (m) => `${m.value.toFixed(3)} [${m.low.toFixed(2)}, ${m.high.toFixed(2)}]`;
const rows = [
  "| Cutoff | Truth | Events (candidates each) | Ranking | hit@1 | hit@3 | MRR |",
  "|---|---|---|---|---|---|---|",
];
for (const r of results)
  for (const [name, t] of [
    ["wrote to", r.wroteTo],
    ["later corresponded", r.laterCorresponded],
  ]) {
    for (const k of RANKINGS) {
      const m = t.byRanking[k];
      rows.push(
        `| ${r.cutoff} | ${name} | ${t.events} (${t.candidates.toFixed(1)}) | ${NAMES[k]} | ${g(m.hit1)} | ${g(m.hit3)} | ${g(m.mrr)} |`,
      );
    }
    rows.push(
      `| ${r.cutoff} | ${name} | | MRR, path − today / path − seller alone | | | ${g(t.geometricMinusTarget)} / ${g(t.geometricMinusSeller)} |`,
    );
  }
rows.push("");
rows.push(
  "| Cutoff | Events | No colleague of the person known to the seller | … of which a two-step path exists |",
);
rows.push("|---|---|---|---|");
for (const r of results) rows.push(`| ${r.cutoff} | ${r.events} | ${r.noDirect} | ${r.twoStep} |`);
const docPath = path.join(ROOT, "docs", "quality.md");
const doc = fs.readFileSync(docPath, "utf8");
const start = doc.indexOf("<!-- paths:start -->");
const end = doc.indexOf("<!-- paths:end -->");
if (start >= 0 && end > start)
  fs.writeFileSync(
    docPath,
    `${doc.slice(0, start)}<!-- paths:start -->\n${rows.join("\n")}\n${doc.slice(end)}`,
  );
