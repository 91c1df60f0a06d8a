import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { mulberry32 } from "../../server/src/core/random";

/**
 * The seeded fuzz harness: every case is generated from (seed, case number), so a failure names the one
 * case to replay (RAPPORT_FUZZ_CASE) and CI always runs the same cases. A longer run is a flag:
 * RAPPORT_FUZZ_RUNS=5000 RAPPORT_FUZZ_SEED=7 npm run fuzz
 */

/** The fixed seed CI runs (the day the fuzz test was written); override with RAPPORT_FUZZ_SEED. */
export const DEFAULT_SEED = 20261207;

export interface FuzzPlan {
  seed: number;
  /** Case numbers to run: 0..runs-1, or the one case RAPPORT_FUZZ_CASE names. */
  cases: number[];
}

function intFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** The plan for one target: `defaultRuns` cases unless the environment asks for more, or for one. */
export function fuzzPlan(defaultRuns: number): FuzzPlan {
  const seed = intFromEnv("RAPPORT_FUZZ_SEED") ?? DEFAULT_SEED;
  const only = intFromEnv("RAPPORT_FUZZ_CASE");
  if (only !== undefined) return { seed, cases: [only] };
  const runs = intFromEnv("RAPPORT_FUZZ_RUNS") ?? defaultRuns;
  return { seed, cases: Array.from({ length: runs }, (_, i) => i) };
}

/** Jest's budget for a plan: generous per case, so that only a hang (not a slow machine) fails it. */
export function budgetMs(plan: FuzzPlan, perCaseMs: number): number {
  return 120_000 + plan.cases.length * perCaseMs;
}

/** One case's own stream of numbers: independent of how many numbers earlier cases drew. */
export function caseSeed(seed: number, n: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 1, 0xc2b2ae35)) >>> 0;
}

/** A seeded random source with the few draws the generators need. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/**
 * Damages bytes as a bad disk, a bad export or an attacker would: flips, cuts, repeats, inserts NULs,
 * CRs, high bytes and separator-like lines.
 */
export function mutateBytes(rng: Rng, input: Buffer, edits: number): Buffer {
  let b = Buffer.from(input);
  const junk = [
    Buffer.from("\r"),
    Buffer.from("\n"),
    Buffer.from("\0"),
    Buffer.from("\nFrom "),
    Buffer.from(":"),
    Buffer.from("=?utf-8?B?"),
    Buffer.from("<"),
    Buffer.from('"'),
    Buffer.from([0xff, 0xfe, 0xc3]),
  ];
  for (let i = 0; i < edits && b.length > 0; i++) {
    const at = rng.int(0, b.length - 1);
    switch (rng.int(0, 4)) {
      case 0:
        b[at] = rng.int(0, 255);
        break;
      case 1:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + rng.int(1, 64)))]);
        break;
      case 2: {
        const end = Math.min(b.length, at + rng.int(1, 200));
        b = Buffer.concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
        break;
      }
      case 3:
        b = Buffer.concat([b.subarray(0, at), rng.pick(junk), b.subarray(at)]);
        break;
      default:
        b = b.subarray(0, at);
    }
  }
  return b;
}

// A full collection on demand (jest runs without --expose-gc): what survives it is what a run retains.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

function retainedBytes(): number {
  collect();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/**
 * What a run keeps, measured after a full collection every few cases against what the process held when
 * the run began (jest reuses a worker across test files, so the absolute figure includes theirs): memory
 * that grows with the number of cases is a leak, whatever one case's peak was.
 */
export class MemoryWatch {
  peakBytes = 0;
  private readonly startBytes = retainedBytes();
  private sampled = 0;
  constructor(
    private readonly boundBytes: number,
    private readonly every = 25,
  ) {}
  sample(): void {
    if (this.sampled++ % this.every !== 0) return;
    this.peakBytes = Math.max(this.peakBytes, retainedBytes() - this.startBytes);
  }
  check(): void {
    if (this.peakBytes > this.boundBytes) {
      throw new Error(
        `memory retained grew by ${(this.peakBytes / 2 ** 20).toFixed(0)} MiB during the run, above the bound of ${(this.boundBytes / 2 ** 20).toFixed(0)} MiB`,
      );
    }
  }
}

/**
 * Runs one case with a hang budget, naming the case to replay when it throws or hangs.
 * The budget is wall time, far above a case's real cost: it catches an endless loop, not a slow machine.
 */
export async function runCase(
  plan: FuzzPlan,
  n: number,
  run: () => Promise<void>,
  hangMs = 30_000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung for ${hangMs} ms`)), hangMs);
  });
  try {
    await Promise.race([run(), hang]);
  } catch (err) {
    const replay = `RAPPORT_FUZZ_SEED=${plan.seed} RAPPORT_FUZZ_CASE=${n}`;
    throw new Error(`fuzz case ${n} failed (replay: ${replay}): ${(err as Error).message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/** Any e-mail address in a text: no error message may quote one (they are personal data). */
export const ADDRESS_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
