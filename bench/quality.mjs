#!/usr/bin/env node
// Measures insight quality on the real Enron headers with the project's evaluation (../shared/eval):
// runs `rapport backtest` at both dev cutoffs, scores each with shared/eval/score.mjs, and writes
// bench/results/quality.json and the table in docs/quality.md. Needs the shared folder beside the
// checkout (it is evaluation data, not product data). Usage: npm run quality [-- --scratch DIR]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const SHARED = path.resolve(ROOT, "..", "shared");
const args = process.argv.slice(2);
const scratch = path.resolve(
  args[args.indexOf("--scratch") + 1] && args.includes("--scratch")
    ? args[args.indexOf("--scratch") + 1]
    : "/tmp/rapport-eval",
);
const CUTOFFS = ["2000-11-01", "2001-02-01"];
const BASELINES_A = ["decay30", "recency", "count"];

if (!fs.existsSync(path.join(SHARED, "eval", "score.mjs"))) {
  console.error(`quality: the evaluation kit is not at ${path.join(SHARED, "eval")}`);
  process.exit(2);
}
fs.mkdirSync(scratch, { recursive: true });
const interactions = path.join(scratch, "enron_interactions.jsonl.gz");
const mailboxes = path.join(scratch, "enron_mailboxes.json");
if (!fs.existsSync(interactions) || !fs.existsSync(mailboxes)) {
  console.error("quality: normalising the corpus for the scorer (once, ~30 s)");
  execFileSync(
    process.execPath,
    [path.join(SHARED, "eval", "normalize_enron.mjs"), path.join(SHARED, "data"), interactions],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
}

const results = [];
for (const asOf of CUTOFFS) {
  const out = path.join(scratch, `backtest-${asOf}.jsonl`);
  console.error(`quality: backtest as of ${asOf}`);
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, "server", "bin", "rapport.js"),
      "backtest",
      "--mbox",
      path.join(SHARED, "data", "enron", "mbox-headers"),
      "--domain",
      "enron.com",
      "--as-of",
      asOf,
      "--out",
      out,
      "--quiet",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const scored = JSON.parse(
    execFileSync(
      process.execPath,
      [
        path.join(SHARED, "eval", "score.mjs"),
        "--interactions",
        interactions,
        "--mailboxes",
        mailboxes,
        "--as-of",
        asOf,
        "--engine",
        out,
      ],
      { encoding: "utf8" },
    ),
  );
  results.push(scored);
}
fs.mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
fs.writeFileSync(
  path.join(ROOT, "bench", "results", "quality.json"),
  `${JSON.stringify(results, null, 1)}\n`,
);

const f3 = (x) => x.toFixed(3);
const sign = (x) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(3)}`;
const rows = [];
rows.push(
  "| Cutoff | Task A pairs (positives) | Rapport strength AUC / AP | best baseline AUC / AP | margin AUC / AP | Task B contacts (silent) | Rapport health AUC / AP | trend AUC / AP | staleness AUC / AP | margin AUC / AP |",
);
rows.push("|---|---|---|---|---|---|---|---|---|---|");
let allWin = true;
for (const r of results) {
  const a = r.taskA.scores,
    b = r.taskB.scores;
  const bestAuc = Math.max(...BASELINES_A.map((k) => a[k].auc));
  const bestAp = Math.max(...BASELINES_A.map((k) => a[k].ap));
  const mA = [a.engine.auc - bestAuc, a.engine.ap - bestAp];
  const mB = [b.health.auc - b.staleness.auc, b.health.ap - b.staleness.ap];
  allWin &&= mA[0] > 0 && mA[1] > 0 && mB[0] > 0 && mB[1] > 0;
  rows.push(
    `| ${r.asOf} | ${r.taskA.pairs} (${r.taskA.positives}) | **${f3(a.engine.auc)} / ${f3(a.engine.ap)}** | ${f3(bestAuc)} / ${f3(bestAp)} | ${sign(mA[0])} / ${sign(mA[1])} | ${r.taskB.contacts} (${r.taskB.silent}) | **${f3(b.health.auc)} / ${f3(b.health.ap)}** | ${f3(b.trend.auc)} / ${f3(b.trend.ap)} | ${f3(b.staleness.auc)} / ${f3(b.staleness.ap)} | ${sign(mB[0])} / ${sign(mB[1])} |`,
  );
}
const table = rows.join("\n");
const docPath = path.join(ROOT, "docs", "quality.md");
if (fs.existsSync(docPath)) {
  const doc = fs.readFileSync(docPath, "utf8");
  const start = doc.indexOf("<!-- quality:start -->");
  const end = doc.indexOf("<!-- quality:end -->");
  if (start >= 0 && end > start)
    fs.writeFileSync(docPath, `${doc.slice(0, start)}<!-- quality:start -->\n${table}\n${doc.slice(end)}`);
}
console.log(table);
console.log(
  allWin
    ? "Rapport beats every baseline on both tasks at both cutoffs."
    : "WARNING: a baseline is not beaten somewhere (see the table).",
);
for (const r of results)
  console.log(
    `${r.asOf}: Task A per-user P@10 / NDCG@10 engine ${r.taskA.scores.engine.p10} / ${r.taskA.scores.engine.ndcg10}, decay30 ${r.taskA.scores.decay30.p10} / ${r.taskA.scores.decay30.ndcg10}`,
  );
