// Controls benchmark: the size of each production bundle (budget 150 KB) and HealthGrid's time from
// updateView to first paint for 5,000 rows in headless Chromium (budget 200 ms), measured with
// performance marks in the harness page (tests/e2e/harness/host.js). The rows are a contact view of the
// demo CRM (`rapport start --no-preview`) repeated to 5,000. Writes bench/results/controls.json; exits 1 over
// budget. Quick mode (--quick, BENCH_QUICK=1): the bundles already built (not rebuilt), 500 rows, 2 runs,
// nothing written, budgets reported but not judged.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

import { chromium } from "playwright-core";

import { QUICK, ROOT as root, saveResults, size, smallSample } from "./options.mjs";

const require = createRequire(import.meta.url);
const { startHarness, CONTROLS } = require("../tests/e2e/harness/server.js");
const BUNDLE_BUDGET = 150 * 1024;
const PAINT_BUDGET_MS = 200;
const RUNS = size(7, 2);
const ROWS = size(5000, 500);

if (!QUICK) execFileSync("npm", ["run", "build:controls"], { cwd: root, stdio: "inherit" });
const bundles = Object.fromEntries(
  CONTROLS.map((c) => [c, statSync(path.join(root, "controls", c, "out", "controls", c, "bundle.js")).size]),
);

const dir = mkdtempSync(path.join(os.tmpdir(), "rapport-bench-controls-"));
const db = path.join(dir, "demo.db");
// --no-preview: print the summary and exit (by default `start` serves the preview and waits).
const mail = QUICK ? ["--mbox", smallSample(3), "--domain", "enron.com"] : [];
execFileSync(
  process.execPath,
  [path.join(root, "server/dist/cli/main.js"), "start", "--db", db, ...mail, "--quiet", "--no-preview"],
  { stdio: "ignore" },
);
const token = "bench";
const { startLocalDataverse } = require("../server/dist/dataverse/local/index.js");
const dv = await startLocalDataverse({ db, token, port: 0 });
const harness = await startHarness({ dataverse: { serviceRoot: dv.serviceRoot, token } });

const cols = [
  "rp_healthstatus",
  "rp_healthscore",
  "rp_healthtrend",
  "rp_lastactivityon",
  "rp_nextactivityon",
  "rp_emailssent",
  "rp_emailsreceived",
];
const types = {
  rp_healthstatus: "OptionSet",
  rp_healthscore: "Whole.None",
  rp_healthtrend: "OptionSet",
  rp_lastactivityon: "DateAndTime.DateAndTime",
  rp_nextactivityon: "DateAndTime.DateAndTime",
  rp_emailssent: "Whole.None",
  rp_emailsreceived: "Whole.None",
};
const res = await fetch(
  `${dv.serviceRoot}contacts?$select=contactid,fullname,emailaddress1&$expand=rp_RelationshipInsightId($select=${cols.join(",")})`,
  { headers: { Authorization: `Bearer ${token}`, Prefer: 'odata.include-annotations="*"' } },
);
const contacts = (await res.json()).value;
if (!contacts.length) throw new Error("bench/controls: the demo CRM has no contacts to show");
const F = "@OData.Community.Display.V1.FormattedValue";
const rows = [];
for (let k = 0; rows.length < ROWS; k++)
  for (const c of contacts) {
    if (rows.length === ROWS) break;
    const i = c.rp_RelationshipInsightId ?? {};
    const values = {
      fullname: [c.fullname, c.fullname ?? ""],
      emailaddress1: [c.emailaddress1, c.emailaddress1 ?? ""],
    };
    for (const col of cols)
      values[`insight.${col}`] = [i[col] ?? null, i[col] == null ? "" : String(i[`${col}${F}`] ?? i[col])];
    rows.push({ id: `${c.contactid.slice(0, 24)}${String(k).padStart(12, "0")}`, values });
  }
const spec = {
  entity: "contact",
  columns: [
    { name: "fullname", displayName: "Full Name", dataType: "SingleLine.Text", isPrimary: true },
    { name: "emailaddress1", displayName: "Email", dataType: "SingleLine.Email" },
    ...cols.map((c) => ({ name: `insight.${c}`, displayName: c, dataType: types[c] })),
  ],
  rows,
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
const runs = [];
for (let r = 0; r < RUNS; r++) {
  await page.goto(harness.url);
  const t = await page.evaluate((o) => globalThis.rapportHost.mount(o), {
    control: "HealthGrid",
    dataset: spec,
    height: 560,
    user: { id: "00000000-0000-0000-0000-000000000001", name: "Bench" },
  });
  runs.push(t);
}
await browser.close();
await harness.close();
await dv.close();
rmSync(dir, { recursive: true, force: true });

const paint = runs.map((r) => r.paintMs).sort((a, b) => a - b);
const median = paint[Math.floor(paint.length / 2)];
const result = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.version },
  bundles,
  bundleBudgetBytes: BUNDLE_BUDGET,
  healthGrid5000: {
    rows: ROWS,
    runs: RUNS,
    firstRunIncluded: true,
    paintMs: paint.map((x) => Math.round(x * 10) / 10),
    renderMs: runs.map((r) => Math.round(r.renderMs * 10) / 10),
    medianPaintMs: Math.round(median * 10) / 10,
    maxPaintMs: Math.round(paint[paint.length - 1] * 10) / 10,
    budgetMs: PAINT_BUDGET_MS,
  },
};
saveResults("controls", result);
for (const [c, size] of Object.entries(bundles))
  console.log(`${c}: bundle.js ${(size / 1024).toFixed(1)} KB (budget 150 KB)`);
console.log(
  `HealthGrid, ${ROWS.toLocaleString("en")} rows, first paint: median ${result.healthGrid5000.medianPaintMs} ms, max ${result.healthGrid5000.maxPaintMs} ms over ${RUNS} runs (budget ${PAINT_BUDGET_MS} ms)`,
);
const over = Object.values(bundles).some((s) => s > BUNDLE_BUDGET) || median > PAINT_BUDGET_MS;
process.exit(over && !QUICK ? 1 : 0);
