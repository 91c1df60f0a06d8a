import type { Interaction, InteractionKind } from "./interaction";
import type { Direction } from "./participants";
import type { InteractionStore } from "./store";
import { doubles, entryOf, mayHold, mix, slotOf } from "./slots";
import type { DayMark } from "./strength";
import { dayNumber } from "./time";

/** The last (or first) contact of a pair. */
export interface ContactMark {
  at: number;
  key: string;
  kind: InteractionKind;
  direction: Direction;
}

/** Everything Rapport keeps about one (colleague, external person) pair; merging is order-independent. */
export interface PairAggregate {
  internal: string;
  external: string;
  days: Map<number, DayMark>;
  /** Counts by kind and direction: counts[kind].out / .in */
  counts: Record<InteractionKind, { out: number; in: number }>;
  first: ContactMark;
  last: ContactMark;
}

/*
 * Record layout. Each pair is one fixed-size record of unboxed doubles (see slots.ts for why not typed
 * arrays): updates land at random places of a table far larger than the CPU caches, so a record in one or
 * two cache lines costs one memory access where a field per column (or an object per pair) costs one per
 * field. Records live in fixed-size chunks, so growing never copies them (only the index, one double a
 * slot, is rebuilt). A chunk is about 256 KiB: above V8's limit for regular objects (128 KiB), so that it
 * is allocated in large-object space, which the young-generation collector promotes without copying;
 * smaller chunks were copied twice each.
 *
 * Memory is a main cost here: every new page a table touches costs a page fault, and on a large history
 * these tables are most of what the state allocates.
 */
/**
 * Pair record, 8 doubles (one or two cache lines): first and last contact times; the internal and
 * external ids as one number (internal * 2^26 + external); the first and last contact as one number
 * (first * 2^26 + last, each 2 * store position + 1 when ours); then the counts, a double per kind with
 * "by us" in the low 26 bits and "by them" above. Exact: ids are below 2^26 (AddressBook) and store
 * positions below 2^25, so counts are too (InteractionStore). Chunks of 2^12 pairs.
 */
const PAIR = 8;
const CHUNK_BITS = 12;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
const P_FIRST_AT = 0;
const P_LAST_AT = 1;
const P_IDS = 2;
const P_MARKS = 3;
const P_COUNTS = 4;
/** 2^26: the high part of the packed fields. */
const HIGH = 2 ** 26;
/**
 * Day log entry, 3 doubles: a day key, the time, the weight. Grouped (see PairTable.groups), the same
 * slots hold a day in touch: first, last, weight. Chunks of 2^13 entries (192 KiB, large-object space).
 */
const ENTRY = 3;
const LOG_BITS = 13;
const LOG_MASK = (1 << LOG_BITS) - 1;
/** A day's key: (pair + 1) * 2^28 + day + 2^27, exact in a double for up to 2^25 pairs and ±2^27 days. */
const DAY_BITS = 2 ** 28;
const DAY_BIAS = 2 ** 27;
/**
 * The log is kept in one part per 2^12 pairs (as the pair chunks): sorting a part by pair then moves
 * entries within a few hundred KiB, which the caches hold, where moving them across the whole log (tens
 * of MiB) cost a trip to memory each.
 */
const PART_BITS = 12;
const PART = 1 << PART_BITS;
/** Segments of a pair's log entries up to this long are sorted in place (insertion sort). */
const SMALL_RUN = 32;

/**
 * The per-pair aggregates of a RelationshipState. Pairs are numbered in order of creation and found
 * through an open-addressing index on (internal id, external id). The days in touch are not kept up to
 * date as interactions arrive: each pair update appends an entry (pair and day, time, weight) to a log,
 * written in order, and the log is grouped into days when first read (see groups). Keeping a record per
 * (pair, day) current on every update meant a hash probe and a random write into tables larger than the
 * pair table, about a third of the time of adding. Readers get the usual PairAggregate objects, built
 * when read and reused until the pair changes.
 */
export class PairTable {
  size = 0;
  /** The pair index (see slots.ts), probed linearly; kept at most three quarters full. */
  private slots: number[] = doubles(1024);
  /** The pair records, in chunks. */
  private readonly records: number[][] = [];
  /** Pairs changed since their view was built. */
  changed: Uint8Array = new Uint8Array(1024);
  /**
   * The views built so far, by pair; extended to every pair by the reader (see PairReader), not as pairs
   * are added: a slot per pair pushed on the hot path was an array grown, and copied, again and again.
   */
  readonly views: Array<PairAggregate | undefined> = [];
  /** The days grouped by the last read; stale once the log has grown since. */
  private grouping: DayGrouping | undefined;
  /** What warm() read (kept only so that its reads count). */
  private warmed = 0;

  /**
   * The day log: one entry per pair update (see ENTRY), in parts by pair (see PART_BITS), each in chunks;
   * grouped in place when read.
   */
  private logs: number[][][] = [];
  /** Entries in each part (after a grouping, those before `grouping.sizes[part]` hold grouped days). */
  private logSizes: number[] = [];
  /** Entries logged in all. */
  private logged = 0;

  /** The pair's number, or -1. */
  find(u: number, e: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const hash = mix(u, e);
    const ids = u * HIGH + e;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const slot = slots[s] as number;
      if (slot === 0) return -1;
      if (!mayHold(slot, hash)) continue;
      const p = entryOf(slot);
      const r = this.records[p >> CHUNK_BITS] as number[];
      if (r[PAIR * (p & CHUNK_MASK) + P_IDS] === ids) return p;
    }
  }

  /**
   * Applies a list of pair updates in order (as touch() each), then empties it. With more than one update,
   * first reads what the updates will touch, in passes (see warm).
   */
  apply(list: Touches, store: InteractionStore): void {
    const n = list.size;
    if (n > 1) this.warm(list);
    for (let k = 0; k < n; k++) this.touch(list, k, store);
    list.size = 0;
  }

  /**
   * Reads, for a list of updates, the slots and records they will touch, without changing anything. Each
   * update's memory accesses depend on one another (slot, then record), and on tables far larger than the
   * caches each costs a trip to memory; an update at a time leaves the CPU
   * waiting on each in turn. Done as short loops over the whole list, one per level, the reads of the
   * different updates are independent and overlap, and the updates then find their data in the caches.
   * The first slot probed stands for the pair (it usually is): a miss only costs a wasted read.
   */
  private warm(list: Touches): void {
    const n = list.size;
    const { u, e, slot: countSlot, hash } = list;
    const slots = this.slots;
    const mask = slots.length - 1;
    const records = this.records;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const h = mix(u[k] as number, e[k] as number);
      hash[k] = h;
      sum += slots[h & mask] as number;
    }
    for (let k = 0; k < n; k++) {
      const held = slots[(hash[k] as number) & mask] as number;
      if (held === 0) continue;
      const p = entryOf(held);
      const r = records[p >> CHUNK_BITS] as number[];
      const o = PAIR * (p & CHUNK_MASK);
      sum += (r[o] as number) + (r[o + P_COUNTS + ((countSlot[k] as number) >> 1)] as number);
    }
    // Kept, so that the compiler cannot drop the reads as unused.
    this.warmed = sum;
  }

  /**
   * Applies update k of the list: folds one interaction (store position `seq`, at `at`) into the pair
   * (u, e): its count in column `slot` (see countSlot; even columns are "by us"), first and last contact
   * (the store gives the keys of the interactions, to break ties of time), and logs it for the days in
   * touch. (The update is read here rather than passed: times and weights passed as arguments would each
   * be boxed.)
   */
  private touch(list: Touches, k: number, store: InteractionStore): void {
    const u = list.u[k] as number;
    const e = list.e[k] as number;
    const seq = list.seq[k] as number;
    const at = list.at[k] as number;
    const slot = list.slot[k] as number;
    const mark = 2 * seq + (slot % 2 === 0 ? 1 : 0);
    let p = this.find(u, e);
    if (p === -1) p = this.add(u, e, list, k, mark);
    else {
      const r = this.records[p >> CHUNK_BITS] as number[];
      const o = PAIR * (p & CHUNK_MASK);
      const first = r[o + P_FIRST_AT] as number;
      if (
        at < first ||
        (at === first && keyAt(store, mark) < keyAt(store, firstMark(r[o + P_MARKS] as number)))
      ) {
        r[o + P_FIRST_AT] = at;
        r[o + P_MARKS] = mark * HIGH + lastMark(r[o + P_MARKS] as number);
      }
      const last = r[o + P_LAST_AT] as number;
      if (
        at > last ||
        (at === last && keyAt(store, mark) > keyAt(store, lastMark(r[o + P_MARKS] as number)))
      ) {
        r[o + P_LAST_AT] = at;
        r[o + P_MARKS] = firstMark(r[o + P_MARKS] as number) * HIGH + mark;
      }
    }
    const counts = this.records[p >> CHUNK_BITS] as number[];
    const c = PAIR * (p & CHUNK_MASK) + P_COUNTS + (slot >> 1);
    counts[c] = (counts[c] as number) + (slot % 2 === 0 ? 1 : HIGH);
    this.changed[p] = 1;
    this.logDay(p, list, k);
  }

  /** A new pair's number, its first and last contact update k of the list (read here: see touch). */
  private add(u: number, e: number, list: Touches, k: number, mark: number): number {
    const at = list.at[k] as number;
    const p = this.size++;
    if ((p & CHUNK_MASK) === 0) this.records.push(doubles(PAIR << CHUNK_BITS));
    if (p === this.changed.length) {
      const changed = new Uint8Array(2 * p);
      changed.set(this.changed);
      this.changed = changed;
    }
    if (4 * this.size > 3 * this.slots.length) this.growSlots();
    const slots = this.slots;
    const mask = slots.length - 1;
    const hash = mix(u, e);
    let s = hash & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = slotOf(hash, p);
    const r = this.records[p >> CHUNK_BITS] as number[];
    const o = PAIR * (p & CHUNK_MASK);
    r[o + P_FIRST_AT] = at;
    r[o + P_LAST_AT] = at;
    r[o + P_IDS] = u * HIGH + e;
    r[o + P_MARKS] = mark * HIGH + mark;
    return p;
  }

  /** Doubles the pair index, placing every pair held again. */
  private growSlots(): void {
    const slots = doubles(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let q = 0; q < this.size - 1; q++) {
      const r = this.records[q >> CHUNK_BITS] as number[];
      const ids = r[PAIR * (q & CHUNK_MASK) + P_IDS] as number;
      const hash = mix(Math.floor(ids / HIGH), ids % HIGH);
      let s = hash & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = slotOf(hash, q);
    }
    this.slots = slots;
  }

  /**
   * Appends update k of the list (pair p in touch on its day, at its time, with its weight) to the day log.
   * The update is read here, not passed: a time and a weight passed to a call that is not inlined are
   * each boxed, a heap number per update.
   */
  private logDay(p: number, list: Touches, k: number): void {
    const part = p >> PART_BITS;
    while (part >= this.logs.length) {
      this.logs.push([]);
      this.logSizes.push(0);
    }
    const log = this.logs[part] as number[][];
    const n = this.logSizes[part] as number;
    this.logSizes[part] = n + 1;
    this.logged++;
    // A part rewritten shorter by relog keeps its chunks.
    if ((n & LOG_MASK) === 0 && n >> LOG_BITS === log.length) log.push(doubles(ENTRY << LOG_BITS));
    const t = log[n >> LOG_BITS] as number[];
    const o = ENTRY * (n & LOG_MASK);
    t[o] = (p + 1) * DAY_BITS + ((list.day[k] as number) + DAY_BIAS);
    t[o + 1] = list.at[k] as number;
    t[o + 2] = list.weight[k] as number;
  }

  /** A field of pair p's record (P_*). */
  private field(p: number, f: number): number {
    return (this.records[p >> CHUNK_BITS] as number[])[PAIR * (p & CHUNK_MASK) + f] as number;
  }

  /** Pair p's internal (or external) id. */
  id(p: number, internal: boolean): number {
    const ids = this.field(p, P_IDS);
    return internal ? Math.floor(ids / HIGH) : ids % HIGH;
  }

  /** Time of pair p's first (or last) contact. */
  at(p: number, first: boolean): number {
    return this.field(p, first ? P_FIRST_AT : P_LAST_AT);
  }

  /** Pair p's first (or last) contact: 2 * store position + 1 when ours. */
  mark(p: number, first: boolean): number {
    const marks = this.field(p, P_MARKS);
    return first ? firstMark(marks) : lastMark(marks);
  }

  /** Pair p's count of interactions of a kind (0 email, 1 meeting, 2 call, 3 task) by us (or by them). */
  count(p: number, kind: number, out: boolean): number {
    const c = this.field(p, P_COUNTS + kind);
    return out ? c % HIGH : Math.floor(c / HIGH);
  }

  /**
   * The days in touch grouped by pair, each pair's in day order, reused until the log grows. Each part of
   * the log is sorted by pair in place (counted, then each entry moved straight to its pair's segment),
   * then each pair's segment is sorted by day and folded into its days at the segment's start: a few
   * passes, no table as large as the log allocated. Days already grouped by an earlier read go back into
   * the log first (see relog).
   */
  groups(): DayGrouping {
    const held = this.grouping;
    // Every change logs an entry, so an unchanged count means nothing changed.
    if (held?.logged === this.logged) return held;
    if (held) this.relog(held);
    const n = this.size;
    const start = new Int32Array(n);
    const count = new Int32Array(n);
    // ends[q] .. ends[q + 1]: the segment of the part's pair q (counted at q + 1, then summed).
    const ends = new Int32Array(PART + 1);
    let scratch = new Float64Array(0);
    for (let part = 0; part < this.logs.length; part++) {
      const log = this.logs[part] as number[][];
      const size = this.logSizes[part] as number;
      const first = part << PART_BITS;
      const m = Math.min(PART, n - first);
      ends.fill(0);
      for (let k = 0; k < size; k++) {
        const q = pairOfKey(logField(log, k, 0)) - first + 1;
        ends[q] = (ends[q] as number) + 1;
      }
      for (let q = 0; q < m; q++) ends[q + 1] = (ends[q + 1] as number) + (ends[q] as number);
      sortByPair(log, ends, m, first);
      for (let q = 0; q < m; q++) {
        const from = ends[q] as number;
        const to = ends[q + 1] as number;
        const p = first + q;
        start[p] = from;
        if (to - from <= SMALL_RUN) count[p] = foldSmall(log, from, to);
        else {
          if (scratch.length < 12 * (to - from)) scratch = new Float64Array(12 * (to - from));
          count[p] = foldLarge(log, from, to, scratch);
        }
      }
    }
    this.grouping = { logged: this.logged, sizes: [...this.logSizes], start, count, logs: this.logs };
    return this.grouping;
  }

  /**
   * Turns the days of the last grouping back into log entries, in place, followed by the entries logged
   * since: a day becomes its first contact and, when later, its last, which fold back into the same day.
   * A day of two times came from at least two entries, so a pair's new entries fit in its old segment and
   * each part is rewritten from its start, without new memory.
   */
  private relog(held: DayGrouping): void {
    let days = new Float64Array(0);
    let logged = 0;
    for (let part = 0; part < this.logs.length; part++) {
      const log = this.logs[part] as number[][];
      const first = part << PART_BITS;
      let to = 0;
      for (let p = first; p < Math.min(first + PART, held.start.length); p++) {
        const from = held.start[p] as number;
        const n = held.count[p] as number;
        // Copied out first: the pair's entries may start before its days (earlier pairs shrank).
        if (days.length < 3 * n) days = new Float64Array(3 * n);
        for (let k = 0; k < n; k++) {
          days[3 * k] = logField(log, from + k, 0);
          days[3 * k + 1] = logField(log, from + k, 1);
          days[3 * k + 2] = logField(log, from + k, 2);
        }
        for (let k = 0; k < n; k++) {
          const firstAt = days[3 * k] as number;
          const lastAt = days[3 * k + 1] as number;
          const weight = days[3 * k + 2] as number;
          const key = (p + 1) * DAY_BITS + ((dayNumber(firstAt) | 0) + DAY_BIAS);
          setEntry(log, to++, key, firstAt, weight);
          if (lastAt !== firstAt) setEntry(log, to++, key, lastAt, weight);
        }
      }
      const size = this.logSizes[part] as number;
      for (let k = held.sizes[part] ?? 0; k < size; k++) {
        setEntry(log, to++, logField(log, k, 0), logField(log, k, 1), logField(log, k, 2));
      }
      this.logSizes[part] = to;
      logged += to;
    }
    this.logged = logged;
  }
}

/**
 * Pair updates of a batch of interactions, in order, applied together by PairTable.apply: one update per
 * (internal, external) pair an interaction links, as columns (reused from batch to batch).
 */
export class Touches {
  size = 0;
  u = new Int32Array(256);
  e = new Int32Array(256);
  /** The interaction's store position. */
  seq = new Int32Array(256);
  at = new Float64Array(256);
  /** Column of the counts (countSlot: kind and direction). */
  slot = new Int32Array(256);
  /** Whole UTC day of `at` (dayNumber). */
  day = new Int32Array(256);
  weight = new Float64Array(256);
  /** Scratch for PairTable.warm: each update's pair hash. */
  hash = new Int32Array(256);

  push(u: number, e: number, seq: number, at: number, slot: number, day: number, weight: number): void {
    const k = this.size++;
    if (k === this.u.length) this.grow();
    this.u[k] = u;
    this.e[k] = e;
    this.seq[k] = seq;
    this.at[k] = at;
    this.slot[k] = slot;
    this.day[k] = day;
    this.weight[k] = weight;
  }

  private grow(): void {
    const n = 2 * this.u.length;
    const ints = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const reals = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.u = ints(this.u);
    this.e = ints(this.e);
    this.seq = ints(this.seq);
    this.at = reals(this.at);
    this.slot = ints(this.slot);
    this.day = ints(this.day);
    this.weight = reals(this.weight);
    this.hash = new Int32Array(n);
  }
}

/**
 * Days grouped by pair: pair p's days are entries start[p] .. start[p] + count[p] - 1 of its part of the
 * log, in day order, each (first, last, weight).
 */
interface DayGrouping {
  /** Entries logged in all, and in each part, when grouped. */
  logged: number;
  sizes: readonly number[];
  start: Int32Array;
  count: Int32Array;
  logs: readonly (readonly number[][])[];
}

/** Field f of log entry k. */
function logField(log: readonly number[][], k: number, f: number): number {
  return (log[k >> LOG_BITS] as number[])[ENTRY * (k & LOG_MASK) + f] as number;
}

function setEntry(log: number[][], k: number, key: number, at: number, weight: number): void {
  const t = log[k >> LOG_BITS] as number[];
  const o = ENTRY * (k & LOG_MASK);
  t[o] = key;
  t[o + 1] = at;
  t[o + 2] = weight;
}

/** The pair of a day key. */
function pairOfKey(key: number): number {
  return Math.floor(key / DAY_BITS) - 1;
}

/**
 * Moves every entry of a part of the log (pairs first .. first + n - 1) into its pair's segment (start[q]
 * .. start[q + 1] for pair first + q), in place: each segment is filled from its start; an entry found in
 * the wrong segment is swapped into the next free place of its own, and whatever it displaces goes on the
 * same way, so that each entry moves once.
 */
function sortByPair(log: number[][], start: Int32Array, n: number, first: number): void {
  const next = start.slice(0, n);
  for (let q = 0; q < n; q++) {
    const end = start[q + 1] as number;
    for (let k = next[q] as number; k < end; k = next[q] as number) {
      const t = log[k >> LOG_BITS] as number[];
      const o = ENTRY * (k & LOG_MASK);
      let key = t[o] as number;
      let at = t[o + 1] as number;
      let weight = t[o + 2] as number;
      for (let r = pairOfKey(key) - first; r !== q; r = pairOfKey(key) - first) {
        const to = next[r] as number;
        next[r] = to + 1;
        const u = log[to >> LOG_BITS] as number[];
        const i = ENTRY * (to & LOG_MASK);
        const displacedKey = u[i] as number;
        const displacedAt = u[i + 1] as number;
        const displacedWeight = u[i + 2] as number;
        u[i] = key;
        u[i + 1] = at;
        u[i + 2] = weight;
        key = displacedKey;
        at = displacedAt;
        weight = displacedWeight;
      }
      t[o] = key;
      t[o + 1] = at;
      t[o + 2] = weight;
      next[q] = k + 1;
    }
  }
}

/**
 * Sorts a pair's few entries (log[from .. to)) by day in place (insertion sort), then folds them into days
 * at the segment's start: a day keeps its earliest and latest time and its heaviest contact (as
 * strength.markDay). Returns how many days.
 */
function foldSmall(log: number[][], from: number, to: number): number {
  for (let k = from + 1; k < to; k++) {
    const key = logField(log, k, 0);
    if (logField(log, k - 1, 0) <= key) continue;
    const at = logField(log, k, 1);
    const weight = logField(log, k, 2);
    let j = k - 1;
    for (; j >= from && logField(log, j, 0) > key; j--) {
      const t = log[(j + 1) >> LOG_BITS] as number[];
      const o = ENTRY * ((j + 1) & LOG_MASK);
      t[o] = logField(log, j, 0);
      t[o + 1] = logField(log, j, 1);
      t[o + 2] = logField(log, j, 2);
    }
    const t = log[(j + 1) >> LOG_BITS] as number[];
    const o = ENTRY * ((j + 1) & LOG_MASK);
    t[o] = key;
    t[o + 1] = at;
    t[o + 2] = weight;
  }
  let d = from - 1;
  let dayKey = -1;
  for (let k = from; k < to; k++) {
    const key = logField(log, k, 0);
    const at = logField(log, k, 1);
    const weight = logField(log, k, 2);
    if (key !== dayKey) {
      // A new day, written over an entry already read (d <= k).
      dayKey = key;
      d++;
      const t = log[d >> LOG_BITS] as number[];
      const o = ENTRY * (d & LOG_MASK);
      t[o] = at;
      t[o + 1] = at;
      t[o + 2] = weight;
      continue;
    }
    const t = log[d >> LOG_BITS] as number[];
    const o = ENTRY * (d & LOG_MASK);
    if (at < (t[o] as number)) t[o] = at;
    if (at > (t[o + 1] as number)) t[o + 1] = at;
    if (weight > (t[o + 2] as number)) t[o + 2] = weight;
  }
  return d + 1 - from;
}

/**
 * As foldSmall for a busy pair's many entries (log[from .. to)), with `scratch` of at least 12 * (to -
 * from) doubles. When the pair's days span at most 4 entries a day, each entry is folded straight into a
 * table of every day of the span, read back in order (no sort); otherwise see foldSparse.
 */
function foldLarge(log: number[][], from: number, to: number, scratch: Float64Array): number {
  const n = to - from;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let k = from; k < to; k++) {
    const key = logField(log, k, 0);
    if (key < low) low = key;
    if (key > high) high = key;
  }
  // Keys are whole numbers (pair part + day), so the span counts days.
  const span = high - low + 1;
  if (span > 4 * n) return foldSparse(log, from, to, scratch);
  // Day s of the span: first at scratch[s], last at scratch[span + s], weight at scratch[2 * span + s].
  scratch.fill(Number.POSITIVE_INFINITY, 0, span);
  scratch.fill(Number.NEGATIVE_INFINITY, span, 3 * span);
  for (let k = from; k < to; k++) {
    const t = log[k >> LOG_BITS] as number[];
    const o = ENTRY * (k & LOG_MASK);
    const s = (t[o] as number) - low;
    const at = t[o + 1] as number;
    const weight = t[o + 2] as number;
    if (at < (scratch[s] as number)) scratch[s] = at;
    if (at > (scratch[span + s] as number)) scratch[span + s] = at;
    if (weight > (scratch[2 * span + s] as number)) scratch[2 * span + s] = weight;
  }
  let d = from;
  for (let s = 0; s < span; s++) {
    // A day with no entry kept its last below its first.
    if ((scratch[span + s] as number) < (scratch[s] as number)) continue;
    setEntry(log, d++, scratch[s] as number, scratch[span + s] as number, scratch[2 * span + s] as number);
  }
  return d - from;
}

/**
 * foldLarge for days spread thinly: the entries are copied out, their day keys sorted natively and made
 * distinct (the days, written at the segment's start), then each entry is folded into its day, found by
 * binary search.
 */
function foldSparse(log: number[][], from: number, to: number, scratch: Float64Array): number {
  const n = to - from;
  for (let j = 0; j < n; j++) {
    scratch[j] = logField(log, from + j, 0);
    scratch[n + j] = logField(log, from + j, 1);
    scratch[2 * n + j] = logField(log, from + j, 2);
  }
  const keys = scratch.subarray(3 * n, 4 * n);
  keys.set(scratch.subarray(0, n));
  keys.sort();
  let days = 0;
  for (let j = 0; j < n; j++) {
    if (j > 0 && keys[j] === keys[j - 1]) continue;
    keys[days] = keys[j] as number;
    const t = log[(from + days) >> LOG_BITS] as number[];
    const o = ENTRY * ((from + days) & LOG_MASK);
    t[o] = Number.POSITIVE_INFINITY;
    t[o + 1] = Number.NEGATIVE_INFINITY;
    t[o + 2] = Number.NEGATIVE_INFINITY;
    days++;
  }
  for (let j = 0; j < n; j++) {
    const key = scratch[j] as number;
    let lo = 0;
    let hi = days - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((keys[mid] as number) < key) lo = mid + 1;
      else hi = mid;
    }
    const at = scratch[n + j] as number;
    const weight = scratch[2 * n + j] as number;
    const t = log[(from + lo) >> LOG_BITS] as number[];
    const o = ENTRY * ((from + lo) & LOG_MASK);
    if (at < (t[o] as number)) t[o] = at;
    if (at > (t[o + 1] as number)) t[o + 1] = at;
    if (weight > (t[o + 2] as number)) t[o + 2] = weight;
  }
  return days;
}

/** Columns of a pair's days in day order (reused buffers: `n` entries are valid). */
export interface DayColumns {
  first: number[];
  last: number[];
  weight: number[];
}

/** Pairs read by number: see RelationshipState.pairReader. */
export class PairReader {
  readonly size: number;
  private readonly groups: DayGrouping;

  constructor(
    private readonly table: PairTable,
    private readonly canonical: readonly string[],
    private readonly store: InteractionStore,
  ) {
    this.size = table.size;
    this.groups = table.groups();
    // One slot per pair, so that views are written into a dense array (see PairTable.views).
    const views = table.views;
    while (views.length < table.size) views.push(undefined);
  }

  internal(p: number): string {
    return this.canonical[this.table.id(p, true)] as string;
  }

  external(p: number): string {
    return this.canonical[this.table.id(p, false)] as string;
  }

  /** Time of the pair's first contact. */
  firstAt(p: number): number {
    return this.table.at(p, true);
  }

  daysInTouch(p: number): number {
    return this.groups.count[p] as number;
  }

  /** Writes the pair's days, in day order, into `into`; returns how many. */
  days(p: number, into: DayColumns): number {
    const { start, count, logs } = this.groups;
    const log = logs[p >> PART_BITS] as number[][];
    const from = start[p] as number;
    const n = count[p] as number;
    for (let k = 0; k < n; k++) {
      into.first[k] = logField(log, from + k, 0);
      into.last[k] = logField(log, from + k, 1);
      into.weight[k] = logField(log, from + k, 2);
    }
    return n;
  }

  counts(p: number): PairAggregate["counts"] {
    const t = this.table;
    return {
      email: { out: t.count(p, 0, true), in: t.count(p, 0, false) },
      meeting: { out: t.count(p, 1, true), in: t.count(p, 1, false) },
      call: { out: t.count(p, 2, true), in: t.count(p, 2, false) },
      task: { out: t.count(p, 3, true), in: t.count(p, 3, false) },
    };
  }

  /** The pair's first (or last) contact. */
  mark(p: number, first: boolean): ContactMark {
    const i = this.markOf(p, first);
    return { at: this.markAt(p, first), key: i.key, kind: i.kind, direction: this.markDirection(p, first) };
  }

  /** Time of the pair's first (or last) contact. */
  markAt(p: number, first: boolean): number {
    return this.table.at(p, first);
  }

  /** The interaction of the pair's first (or last) contact. */
  markOf(p: number, first: boolean): Interaction {
    return this.store.at(Math.floor(this.table.mark(p, first) / 2)) as Interaction;
  }

  markDirection(p: number, first: boolean): Direction {
    return this.table.mark(p, first) % 2 === 1 ? "out" : "in";
  }

  /** The pair as a PairAggregate (days in day order, so it does not depend on arrival order); built once until it changes. */
  view(p: number): PairAggregate {
    const table = this.table;
    const held = table.views[p];
    if (held && !table.changed[p]) return held;
    const { start, count, logs } = this.groups;
    const log = logs[p >> PART_BITS] as number[][];
    const days = new Map<number, DayMark>();
    const from = start[p] as number;
    for (let k = from; k < from + (count[p] as number); k++) {
      const first = logField(log, k, 0);
      // The day of its first contact (whole UTC days, as logged).
      days.set(dayNumber(first) | 0, { first, last: logField(log, k, 1), weight: logField(log, k, 2) });
    }
    const view: PairAggregate = {
      internal: this.internal(p),
      external: this.external(p),
      days,
      counts: this.counts(p),
      first: this.mark(p, true),
      last: this.mark(p, false),
    };
    table.views[p] = view;
    table.changed[p] = 0;
    return view;
  }
}

/** The first contact of a pair's packed marks (see the record layout). */
function firstMark(marks: number): number {
  return Math.floor(marks / HIGH);
}

/** The last contact of a pair's packed marks. */
function lastMark(marks: number): number {
  return marks % HIGH;
}

/** The key of the interaction behind a first/last mark (2 * number + direction bit). */
function keyAt(store: InteractionStore, mark: number): string {
  return (store.at(Math.floor(mark / 2)) as Interaction).key;
}
