import type { DayMark } from "../insights/strength";
import { dayNumber } from "../time";
import { doubles } from "./slots";

/*
 * The days in touch of a PairTable's pairs. They are not kept up to date as interactions arrive: each
 * pair update appends an entry to a log, written in order, and the log is grouped into days when first
 * read (see DayLog.groups): appending in order avoids a hash probe and a random write per update into
 * tables larger than the pair table (docs/benchmarks.md, History).
 *
 * An entry is 2 doubles: a code (the pair's place in its part, its weight's number in the log's table of
 * weights, and a flag) and a time. The day is not stored: it is the time's (dayNumber), worked out when
 * grouping: the log is the state's largest table and every new page of it costs a page fault, so each
 * double saved per entry counts (docs/benchmarks.md, History).
 *
 * Grouped, a pair's entries are its days in day order, each as one entry (first contact = last contact)
 * or two (first, then last, flagged): the form of log entries themselves, so that grouping again after
 * more adds folds the grouped days with the new entries, and fits in place (a day of two entries came from
 * at least two).
 */

/** Doubles per entry: code, time. */
const ENTRY = 2;
/** Entries per chunk: 2^13 (128 KiB and a header: just above V8's limit for regular objects, see pairTable.ts). */
const LOG_BITS = 13;
const LOG_MASK = (1 << LOG_BITS) - 1;
/**
 * The log is kept in one part per 2^12 pairs (as the pair chunks): sorting a part by pair then moves
 * entries within a few hundred KiB, which the caches hold, where moving them across the whole log (tens
 * of MiB) cost a trip to memory each.
 */
export const PART_BITS = 12;
const PART = 1 << PART_BITS;
/** Segments of a pair's entries up to this long are sorted by insertion. */
const SMALL_RUN = 32;

/**
 * An entry's code: pair-in-part + 2^12 * (2 * weight number + last). Exact in a double while weight
 * numbers stay below 2^40 (they count distinct weights).
 */
function codeOf(pairInPart: number, weight: number, last: number): number {
  return pairInPart + PART * (2 * weight + last);
}

/*
 * Codes are read with bitwise operators, exact for any whole code below 2^53 (ToInt32 keeps a number's
 * low 32 bits), where `code % PART` is a floating-point remainder, a library call per entry.
 */
function pairOfCode(code: number): number {
  return code & (PART - 1);
}

function weightOfCode(code: number): number {
  return Math.floor(code / (2 * PART));
}

function isLastOfDay(code: number): boolean {
  return ((code / PART) & 1) === 1;
}

/** The day of a time, as the log groups it: whole UTC days, as 32-bit integers (see RelationshipState). */
function dayOf(at: number): number {
  return dayNumber(at) | 0;
}

/**
 * Days grouped by pair: pair p's days are entries start[p] .. start[p] + length[p] - 1 of its part of the
 * log, count[p] days in day order (see the file's comment).
 */
export interface DayGrouping {
  /** Entries logged in all, and in each part, when grouped. */
  logged: number;
  sizes: readonly number[];
  start: Int32Array;
  length: Int32Array;
  count: Int32Array;
  logs: readonly (readonly number[][])[];
  /** The log's weights by number (shared: it only grows). */
  weights: readonly number[];
}

/** The day log of a PairTable (see the file's comment). */
export class DayLog {
  /** The entries, in parts by pair (see PART_BITS), each in chunks; grouped in place when read. */
  private readonly logs: number[][][] = [];
  /** Entries in each part (after a grouping, those before `grouping.sizes[part]` hold grouped days). */
  private readonly sizes: number[] = [];
  /** Entries logged in all. */
  private logged = 0;
  /** The distinct weights logged, by number, and their numbers; the last one asked for, cached. */
  private readonly weights: number[] = [];
  private readonly weightNumbers = new Map<number, number>();
  private lastWeight = Number.NaN;
  private lastWeightNumber = -1;
  /** The days grouped by the last read; stale once the log has grown since. */
  private grouping: DayGrouping | undefined;

  /**
   * Logs pair p in touch at times[k] with weights[k] (read here: a time and a weight passed to a call
   * the compiler did not inline would each be boxed).
   */
  append(p: number, times: Float64Array, weights: Float64Array, k: number): void {
    const at = times[k] as number;
    const weight = weights[k] as number;
    const part = p >> PART_BITS;
    while (part >= this.logs.length) {
      this.logs.push([]);
      this.sizes.push(0);
    }
    const log = this.logs[part] as number[][];
    const n = this.sizes[part] as number;
    this.sizes[part] = n + 1;
    this.logged++;
    // A part rewritten shorter by relog keeps its chunks.
    if ((n & LOG_MASK) === 0 && n >> LOG_BITS === log.length) log.push(doubles(ENTRY << LOG_BITS));
    const t = log[n >> LOG_BITS] as number[];
    const o = ENTRY * (n & LOG_MASK);
    t[o] = codeOf(p & (PART - 1), this.weightNumber(weight), 0);
    t[o + 1] = at;
  }

  /** A weight's number (see weights): interactions of a kind and size share one, so the last is cached. */
  private weightNumber(weight: number): number {
    if (weight === this.lastWeight) return this.lastWeightNumber;
    let w = this.weightNumbers.get(weight);
    if (w === undefined) {
      w = this.weights.length;
      this.weights.push(weight);
      this.weightNumbers.set(weight, w);
    }
    this.lastWeight = weight;
    this.lastWeightNumber = w;
    return w;
  }

  /**
   * The days in touch of pairs 0 .. pairs - 1, grouped by pair, each pair's in day order, reused until the
   * log grows. Each part of the log is sorted by pair in place (counted, then each entry moved straight
   * to its pair's segment), then each pair's segment is folded into its days at the segment's start: a few
   * passes, no table as large as the log allocated. Days already grouped by an earlier read are moved to
   * the front of their part first, followed by the entries logged since (see relog).
   */
  groups(pairs: number): DayGrouping {
    const held = this.grouping;
    // Every change logs an entry, so an unchanged count means nothing changed.
    if (held?.logged === this.logged) return held;
    if (held) this.relog(held);
    const start = new Int32Array(pairs);
    const length = new Int32Array(pairs);
    const count = new Int32Array(pairs);
    // ends[q] .. ends[q + 1]: the segment of the part's pair q (counted at q + 1, then summed).
    const ends = new Int32Array(PART + 1);
    const scratch = new FoldScratch();
    for (let part = 0; part < this.logs.length; part++) {
      const log = this.logs[part] as number[][];
      const size = this.sizes[part] as number;
      const first = part << PART_BITS;
      const m = Math.min(PART, pairs - first);
      ends.fill(0);
      for (let k = 0; k < size; k++) {
        const q = pairOfCode(field(log, k, 0)) + 1;
        ends[q] = (ends[q] as number) + 1;
      }
      for (let q = 0; q < m; q++) ends[q + 1] = (ends[q + 1] as number) + (ends[q] as number);
      sortByPair(log, ends, m);
      for (let q = 0; q < m; q++) {
        const from = ends[q] as number;
        const p = first + q;
        start[p] = from;
        length[p] = fold(log, from, ends[q + 1] as number, this.weights, scratch);
        count[p] = scratch.days;
      }
    }
    this.grouping = {
      logged: this.logged,
      sizes: [...this.sizes],
      start,
      length,
      count,
      logs: this.logs,
      weights: this.weights,
    };
    return this.grouping;
  }

  /**
   * Moves the days of the last grouping to the front of their part, pair after pair, followed by the
   * entries logged since: grouped days are log entries, which fold into the same days again. Each part
   * is rewritten from its start, without new memory (a pair's days take no more room than its entries).
   */
  private relog(held: DayGrouping): void {
    let logged = 0;
    for (let part = 0; part < this.logs.length; part++) {
      const log = this.logs[part] as number[][];
      const first = part << PART_BITS;
      let to = 0;
      for (let p = first; p < Math.min(first + PART, held.start.length); p++) {
        const from = held.start[p] as number;
        const n = held.length[p] as number;
        // Forward copies: the pair's days start at or after `to` (earlier pairs took no more room).
        for (let k = 0; k < n; k++) copyEntry(log, from + k, to++);
      }
      const size = this.sizes[part] as number;
      for (let k = held.sizes[part] ?? 0; k < size; k++) copyEntry(log, k, to++);
      this.sizes[part] = to;
      logged += to;
    }
    this.logged = logged;
  }
}

/** Field f (0 code, 1 time) of entry k of a part. */
function field(log: readonly number[][], k: number, f: number): number {
  return (log[k >> LOG_BITS] as number[])[ENTRY * (k & LOG_MASK) + f] as number;
}

function setEntry(log: number[][], k: number, code: number, at: number): void {
  const t = log[k >> LOG_BITS] as number[];
  const o = ENTRY * (k & LOG_MASK);
  t[o] = code;
  t[o + 1] = at;
}

function copyEntry(log: number[][], from: number, to: number): void {
  if (from !== to) setEntry(log, to, field(log, from, 0), field(log, from, 1));
}

/**
 * Moves every entry of a part of the log (its pairs 0 .. n - 1) into its pair's segment (start[q] ..
 * start[q + 1] for pair q), in place: each segment is filled from its start; an entry found in the wrong
 * segment is swapped into the next free place of its own, and whatever it displaces goes on the same way,
 * so that each entry moves once.
 */
function sortByPair(log: number[][], start: Int32Array, n: number): void {
  const next = start.slice(0, n);
  for (let q = 0; q < n; q++) {
    const end = start[q + 1] as number;
    for (let k = next[q] as number; k < end; k = next[q] as number) {
      const t = log[k >> LOG_BITS] as number[];
      const o = ENTRY * (k & LOG_MASK);
      let code = t[o] as number;
      let at = t[o + 1] as number;
      for (let r = pairOfCode(code); r !== q; r = pairOfCode(code)) {
        const to = next[r] as number;
        next[r] = to + 1;
        const u = log[to >> LOG_BITS] as number[];
        const i = ENTRY * (to & LOG_MASK);
        const displacedCode = u[i] as number;
        const displacedAt = u[i + 1] as number;
        u[i] = code;
        u[i + 1] = at;
        code = displacedCode;
        at = displacedAt;
      }
      t[o] = code;
      t[o + 1] = at;
      next[q] = k + 1;
    }
  }
}

/** Columns a segment is read into by fold (grown as needed), and the days of the last fold. */
class FoldScratch {
  day = new Float64Array(64);
  at = new Float64Array(64);
  code = new Float64Array(64);
  /** The distinct days of a sparse segment. */
  keys = new Float64Array(64);
  /** Days of the span (or distinct days): first, last, the code of the heaviest entry (-1: none). */
  first = new Float64Array(64);
  last = new Float64Array(64);
  best = new Float64Array(64);
  order = new Int32Array(64);
  days = 0;

  reserve(n: number): void {
    if (this.day.length >= n) return;
    const size = Math.max(n, 2 * this.day.length);
    this.day = new Float64Array(size);
    this.at = new Float64Array(size);
    this.code = new Float64Array(size);
    this.keys = new Float64Array(size);
    this.order = new Int32Array(size);
  }

  reserveDays(n: number): void {
    if (this.first.length >= n) return;
    const size = Math.max(n, 2 * this.first.length);
    this.first = new Float64Array(size);
    this.last = new Float64Array(size);
    this.best = new Float64Array(size);
  }
}

/**
 * Folds a pair's entries (log[from .. to)) into its days, written at the segment's start in day order: a
 * day keeps its earliest and latest time and its heaviest contact (as strength.markDay). Returns how many
 * entries the days take; `scratch.days` says how many days. Few entries are sorted by day (insertion);
 * many go straight into a table of every day of their span when that is at most 4 entries a day, or into
 * their distinct days (sorted natively), found by binary search.
 */
// eslint-disable-next-line complexity -- hot loop: it groups every pair's days; split into a reading, a span and a distinct-days pass, the strength of every pair took 5-12% more CPU (docs/benchmarks.md, History)
function fold(
  log: number[][],
  from: number,
  to: number,
  weights: readonly number[],
  scratch: FoldScratch,
): number {
  const n = to - from;
  scratch.days = 0;
  if (n === 0) return 0;
  scratch.reserve(n);
  const { day, at, code } = scratch;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < n; j++) {
    const t = log[(from + j) >> LOG_BITS] as number[];
    const o = ENTRY * ((from + j) & LOG_MASK);
    const time = t[o + 1] as number;
    const d = dayOf(time);
    day[j] = d;
    at[j] = time;
    code[j] = t[o] as number;
    if (d < low) low = d;
    if (d > high) high = d;
  }
  if (n <= SMALL_RUN) return foldSorted(log, from, n, weights, scratch);
  const span = high - low + 1;
  scratch.reserveDays(span <= 4 * n ? span : n);
  const { first, last, best } = scratch;
  let days: number;
  if (span <= 4 * n) {
    // Day s of the span is slot s.
    days = span;
    for (let s = 0; s < span; s++) best[s] = -1;
    for (let j = 0; j < n; j++) markSlot(scratch, (day[j] as number) - low, j, weights);
  } else {
    // The distinct days, sorted, then each entry's found by binary search.
    const keys = scratch.keys.subarray(0, n);
    keys.set(day.subarray(0, n));
    keys.sort();
    days = 0;
    for (let j = 0; j < n; j++) if (j === 0 || keys[j] !== keys[j - 1]) keys[days++] = keys[j] as number;
    for (let s = 0; s < days; s++) best[s] = -1;
    for (let j = 0; j < n; j++) {
      const d = day[j] as number;
      let lo = 0;
      let hi = days - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((keys[mid] as number) < d) lo = mid + 1;
        else hi = mid;
      }
      markSlot(scratch, lo, j, weights);
    }
  }
  let e = from;
  for (let s = 0; s < days; s++) {
    const c = best[s] as number;
    if (c === -1) continue;
    e = writeDay(log, e, c, first[s] as number, last[s] as number);
    scratch.days++;
  }
  return e - from;
}

/** Folds entry j (of fold's columns) into day slot s. */
function markSlot(scratch: FoldScratch, s: number, j: number, weights: readonly number[]): void {
  const { first, last, best } = scratch;
  const time = scratch.at[j] as number;
  const c = scratch.code[j] as number;
  const held = best[s] as number;
  if (held === -1) {
    first[s] = time;
    last[s] = time;
    best[s] = c;
    return;
  }
  if (time < (first[s] as number)) first[s] = time;
  if (time > (last[s] as number)) last[s] = time;
  if (heavier(c, held, weights)) best[s] = c;
}

/** fold for a few entries: their order by day (insertion sort), then each run of a day folded. */
function foldSorted(
  log: number[][],
  from: number,
  n: number,
  weights: readonly number[],
  scratch: FoldScratch,
): number {
  const { day, at, code, order } = scratch;
  for (let j = 0; j < n; j++) {
    const d = day[j] as number;
    let i = j - 1;
    for (; i >= 0 && (day[order[i] as number] as number) > d; i--) order[i + 1] = order[i] as number;
    order[i + 1] = j;
  }
  let e = from;
  let k = 0;
  while (k < n) {
    const j = order[k] as number;
    const d = day[j] as number;
    let first = at[j] as number;
    let last = first;
    let best = code[j] as number;
    for (k++; k < n && day[order[k] as number] === d; k++) {
      const i = order[k] as number;
      const time = at[i] as number;
      if (time < first) first = time;
      if (time > last) last = time;
      if (heavier(code[i] as number, best, weights)) best = code[i] as number;
    }
    e = writeDay(log, e, best, first, last);
    scratch.days++;
  }
  return e - from;
}

/** Whether the entry of code a weighs more than that of code b. */
function heavier(a: number, b: number, weights: readonly number[]): boolean {
  return (weights[weightOfCode(a)] as number) > (weights[weightOfCode(b)] as number);
}

/**
 * Writes a day at entry e: its first contact, then its last when later (the code of its heaviest entry,
 * flagged "last" on the second); returns the next entry.
 */
function writeDay(log: number[][], e: number, code: number, first: number, last: number): number {
  const unflagged = isLastOfDay(code) ? code - PART : code;
  setEntry(log, e, unflagged, first);
  if (last === first) return e + 1;
  setEntry(log, e + 1, unflagged + PART, last);
  return e + 2;
}

/** Columns of a pair's days in day order (reused buffers: `n` entries are valid). */
export interface DayColumns {
  first: number[];
  last: number[];
  weight: number[];
}

/** Writes pair p's days, in day order, into `into`; returns how many. */
export function readDays(g: DayGrouping, p: number, into: DayColumns): number {
  const log = g.logs[p >> PART_BITS] as number[][];
  const from = g.start[p] as number;
  const end = from + (g.length[p] as number);
  let d = -1;
  for (let k = from; k < end; k++) {
    const t = log[k >> LOG_BITS] as number[];
    const o = ENTRY * (k & LOG_MASK);
    const code = t[o] as number;
    const at = t[o + 1] as number;
    if (isLastOfDay(code)) {
      into.last[d] = at;
      continue;
    }
    d++;
    into.first[d] = at;
    into.last[d] = at;
    into.weight[d] = g.weights[weightOfCode(code)] as number;
  }
  return d + 1;
}

/** Pair p's days as a map from each day (dayNumber of its first contact) to its mark. */
export function dayMarks(g: DayGrouping, p: number): Map<number, DayMark> {
  const log = g.logs[p >> PART_BITS] as number[][];
  const from = g.start[p] as number;
  const days = new Map<number, DayMark>();
  let mark: DayMark | undefined;
  for (let k = from; k < from + (g.length[p] as number); k++) {
    const code = field(log, k, 0);
    const at = field(log, k, 1);
    if (mark && isLastOfDay(code)) {
      mark.last = at;
      continue;
    }
    mark = { first: at, last: at, weight: g.weights[weightOfCode(code)] as number };
    days.set(dayOf(at), mark);
  }
  return days;
}
