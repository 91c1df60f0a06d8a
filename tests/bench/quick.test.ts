/**
 * Every benchmark script runs end to end in its quick mode (`--quick`: tiny sizes, nothing written), so a
 * broken benchmark fails the test suite instead of going unnoticed (issue 18). Needs the built server
 * (`npm run build`, which `npm ci` runs) and, for bench/controls.mjs, the built control bundles and
 * Chromium, as the e2e tests do. bench/scale.mjs is tested with the scale-out.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const BENCH = path.join(ROOT, "bench");
const TIMEOUT_MS = 180_000;

/** The files a full run writes, hashed: a quick run must leave them as they were. */
function written(): string {
  const files = [
    path.join(ROOT, "docs", "benchmarks.md"),
    ...readdirSync(path.join(BENCH, "results")).map((f) => path.join(BENCH, "results", f)),
  ];
  const h = createHash("sha256");
  for (const f of files.sort()) h.update(f).update(existsSync(f) ? readFileSync(f) : "");
  return h.digest("hex");
}

function quick(script: string, nodeArgs: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...nodeArgs, path.join(BENCH, script), "--quick"],
      { cwd: ROOT, timeout: TIMEOUT_MS, maxBuffer: 1 << 26, env: { ...process.env, BENCH_QUICK: "1" } },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${script} --quick failed: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

const before = written();
afterAll(() => expect(written()).toBe(before));

test(
  "run.mjs: the aggregation runs and reports every run",
  async () => {
    const r = JSON.parse(await quick("run.mjs"));
    expect(r.aggregation.interactions).toBe(20_000);
    expect(r.aggregation.perRun).toHaveLength(2);
    for (const x of r.aggregation.perRun) expect(x).toBeGreaterThan(0);
    expect(r.aggregation.pairs).toBeGreaterThan(0);
  },
  TIMEOUT_MS,
);

test(
  "floor.mjs: floor, full read and cutoff read measured, same output each run",
  async () => {
    const r = JSON.parse(await quick("floor.mjs"));
    expect(r.corpora).toHaveLength(1);
    const [c] = r.corpora;
    expect(c.files).toBe(2);
    expect(c.lines).toBeGreaterThan(1000);
    expect(c.floor.cpuMs.median).toBeGreaterThan(0);
    for (const read of [c.full, c.cutoff]) {
      expect(read.wallMs.median).toBeGreaterThan(0);
      expect(read.cpuMs.median).toBeGreaterThan(0);
      expect(read.peakRssMiB).toBeGreaterThan(20);
      expect(read.wallRatio.median).toBeGreaterThan(0);
      expect(read.outputs).toHaveLength(1);
    }
    // The cutoff keeps less mail than the full read: different outputs.
    expect(c.cutoff.outputs[0]).not.toBe(c.full.outputs[0]);
  },
  TIMEOUT_MS,
);

test(
  "publish.mjs: every row created, then updated, then a rerun writes nothing",
  async () => {
    const r = JSON.parse(await quick("publish.mjs"));
    expect(r.rows).toBe(500);
    expect(r.first).toMatchObject({ created: 500, updated: 0, failed: 0 });
    expect(r.changed).toMatchObject({ created: 0, updated: 500, failed: 0 });
    expect(r.unchanged).toMatchObject({ created: 0, updated: 0, unchanged: 500, httpRequests: 1 });
  },
  TIMEOUT_MS,
);

test(
  "graph.mjs: the sync stores every message within the minimum pages",
  async () => {
    const runs = (await quick("graph.mjs", ["--expose-gc"]))
      .trim()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as {
            scale: number;
            messages: number;
            stored: number;
            pagesServed: number;
            minimumPages: number;
          },
      );
    expect(runs.map((r) => r.scale)).toEqual([1, 2]);
    for (const r of runs) {
      expect(r.messages).toBeGreaterThan(100);
      expect(r.stored).toBeGreaterThanOrEqual(r.messages);
      expect(r.pagesServed).toBeLessThanOrEqual(Math.ceil(r.minimumPages * 1.05));
    }
  },
  TIMEOUT_MS,
);

test(
  "controls.mjs: bundle sizes and HealthGrid's first paint, without serving the preview",
  async () => {
    const out = await quick("controls.mjs");
    for (const c of ["HealthGrid", "RelationshipAnalytics", "RelationshipPipeline", "WhoKnowsWhom"])
      expect(out).toMatch(new RegExp(`^${c}: bundle\\.js \\d+\\.\\d KB`, "m"));
    expect(out).toMatch(/HealthGrid, 500 rows, first paint: median \d+(\.\d)? ms/);
  },
  TIMEOUT_MS,
);

test(
  "hostile.mjs: hostile queries refused, the accepted one answered",
  async () => {
    const out = await quick("hostile.mjs");
    expect(out).toMatch(/\| \$filter with 2,000 or terms \| 400 \|/);
    expect(out).toMatch(/\| \$filter with 500 or terms \(accepted\) \| 200 \|/);
    expect(out).toMatch(/\| 500 conditions joined by or \| [\d.]+ \| [\d.]+ \|/);
  },
  TIMEOUT_MS,
);

/** bench/paths.mjs reads the Enron sample beside the checkout (evaluation data): skipped without it. */
const ENRON = existsSync(path.join(ROOT, "..", "shared", "data", "enron", "mbox-headers"));

(ENRON ? test : test.skip)(
  "paths.mjs: introduction paths ranked on the Enron mail at one cutoff",
  async () => {
    const r = JSON.parse(await quick("paths.mjs"));
    expect(r.results).toHaveLength(1);
    const [c] = r.results;
    expect(c.events).toBeGreaterThan(0);
    for (const t of [c.wroteTo, c.laterCorresponded])
      for (const k of ["target", "seller", "min", "product", "geometric"]) {
        const m = t.byRanking[k].mrr;
        expect(m.low).toBeLessThanOrEqual(m.value);
        expect(m.value).toBeLessThanOrEqual(m.high);
      }
  },
  TIMEOUT_MS,
);
