#!/usr/bin/env node
// Hostile queries against the local Dataverse endpoint (docs/security.md, "Web API and secrets"): each one
// sent as the only GET part of a $batch, and 5 ms later a second client's GET WhoAmI, whose latency shows
// how long the hostile part held the endpoint's only thread. Then the $filter parse time alone, the
// endpoint's parser against @odata/parser (which it used before). Run after `npm run build`:
//   node bench/hostile.mjs
// It takes a few seconds and writes nothing, so its quick mode (--quick, BENCH_QUICK=1) is the same run.
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const require = (await import("node:module")).createRequire(import.meta.url);
const dist = (p) => require(path.join(ROOT, "server/dist", p));
const { startLocalDataverse } = dist("dataverse/local/index.js");
const { filterToSql } = dist("dataverse/local/filterToSql.js");
const { infoBySet } = dist("dataverse/local/tableInfo.js");
const { defaultParser } = require("@odata/parser");

const TOKEN = "bench-token-0123456789";
const dv = await startLocalDataverse({ db: ":memory:", token: TOKEN });
const auth = { Authorization: `Bearer ${TOKEN}`, Accept: "application/json" };
const ors = (n) => Array.from({ length: n }, (_, i) => `firstname eq 'a${i}'`).join(" or ");
const fetchXml = (inner) =>
  `<fetch><entity name="contact"><attribute name="fullname"/>${inner}</entity></fetch>`;
const filter = (text) => `$filter=${encodeURIComponent(text)}`;
const cases = {
  "$filter nesting 2,000 parentheses": filter(`${"(".repeat(2000)}firstname eq 'a'${")".repeat(2000)}`),
  "$filter with 2,000 or terms": filter(ors(2000)),
  "$filter with 1,001 or terms": filter(ors(1001)),
  "$filter with 500 or terms (accepted)": filter(ors(500)),
  "$filter with not x 1,000": filter(`${"not ".repeat(1000)}firstname eq 'a'`),
  "FetchXML in with 40,000 values": `fetchXml=${encodeURIComponent(
    fetchXml(
      `<filter><condition attribute="firstname" operator="in">${Array.from({ length: 40_000 }, (_, i) => `<value>a${i}</value>`).join("")}</condition></filter>`,
    ),
  )}`,
};

async function batch(query) {
  const b = "batch_hostile";
  const body = `--${b}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET ${dv.serviceRoot}contacts?${query} HTTP/1.1\r\nAccept: application/json\r\n\r\n--${b}--\r\n`;
  const started = performance.now();
  const res = await fetch(`${dv.serviceRoot}$batch`, {
    method: "POST",
    headers: { ...auth, "Content-Type": `multipart/mixed; boundary=${b}` },
    body,
  });
  const text = await res.text();
  return { ms: Math.round(performance.now() - started), status: /HTTP\/1\.1 (\d+)/.exec(text)?.[1] };
}

async function whoAmI() {
  const started = performance.now();
  await (await fetch(`${dv.serviceRoot}WhoAmI`, { headers: auth })).text();
  return Math.round(performance.now() - started);
}

console.log(
  "| Hostile $batch part | part status | batch ms | second client's WhoAmI ms |\n|---|---|---|---|",
);
for (const [name, query] of Object.entries(cases)) {
  const hostile = batch(query);
  await new Promise((r) => setTimeout(r, 5));
  const [b, ms] = await Promise.all([hostile, whoAmI()]);
  console.log(`| ${name} | ${b.status} | ${b.ms} | ${ms} |`);
}
await dv.close();

const info = infoBySet("contacts");
/** Median of 5 runs after a warm-up; a throw (a refused query) counts as done. */
const median = (f) => {
  const run = () => {
    const started = performance.now();
    try {
      f();
    } catch {
      // refused: its time is still the time it took
    }
    return performance.now() - started;
  };
  run();
  const times = Array.from({ length: 5 }, run).sort((a, b) => a - b);
  return times[2].toFixed(1);
};
console.log("\n| $filter | @odata/parser ms | filterToSql ms |\n|---|---|---|");
for (const n of [100, 250, 500]) {
  const text = ors(n);
  console.log(
    `| ${n} conditions joined by or | ${median(() => defaultParser.filter(text))} | ${median(() => filterToSql(info, text))} |`,
  );
}
const nested = `${"(".repeat(100)}firstname eq 'a'${")".repeat(100)}`;
console.log(
  `| 100 nested parentheses | ${median(() => defaultParser.filter(nested))} | ${median(() => filterToSql(info, nested))} |`,
);
