import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** What bench/scale.mjs records (the fields this test reads). */
interface ScaleResults {
  runs: { workers: number; seconds: number; records: number; connections: number }[];
  tick: { newInteractions: number; seconds: number; records: number };
  quarterHourTick: {
    newInteractions: number;
    seconds: number;
    records: number;
    steps: { computedRecords: number; records: number };
  };
  singleProcess: { seconds: number; records: number; connections: number };
}

describe("bench/scale.mjs, quick mode", () => {
  let out: string;
  beforeAll(() => (out = mkdtempSync(path.join(os.tmpdir(), "rapport-bench-scale-"))));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("runs end to end: a full run, two incremental ticks and the single process, with the same records", () => {
    // Needs the built server (npm run build), as the benchmark itself does.
    execFileSync(process.execPath, [path.join(ROOT, "bench/scale.mjs")], {
      env: { ...process.env, BENCH_QUICK: "1", BENCH_RESULTS_DIR: out },
      stdio: "ignore",
      timeout: 120_000,
    });
    const r = JSON.parse(readFileSync(path.join(out, "scale.json"), "utf8")) as ScaleResults;
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0]!.records).toBeGreaterThan(100);
    expect(r.tick.newInteractions).toBe(30);
    expect(r.tick.seconds).toBeGreaterThan(0);
    expect(r.tick.records).toBeGreaterThanOrEqual(r.runs[0]!.records);
    // A quarter-hour of a 3,000-message year rounds to one message, which touches few records.
    expect(r.quarterHourTick.newInteractions).toBe(1);
    expect(r.quarterHourTick.records).toBe(r.tick.records);
    expect(r.quarterHourTick.steps.computedRecords).toBeLessThan(r.quarterHourTick.steps.records);
    expect(r.singleProcess.records).toBe(r.runs[0]!.records);
    expect(r.singleProcess.connections).toBe(r.runs[0]!.connections);
  }, 150_000);
});
