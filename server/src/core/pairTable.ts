import type { Interaction, InteractionKind } from "./interaction";
import type { Direction } from "./participants";
import type { InteractionStore } from "./store";
import { doubles, entryOf, mayHold, mix, slotOf } from "./slots";
import type { DayMark } from "./strength";

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
 * Record layouts. Each pair and each day in touch is one fixed-size record of unboxed doubles (see
 * slots.ts for why not typed arrays): updates land at random places of tables far larger than the CPU
 * caches, so a record in one or two cache lines costs one memory access where a field per column (or an
 * object per pair) costs one per field. Records live in fixed-size chunks, so growing never copies them
 * (only the indexes, one double a slot, are rebuilt). A chunk is about 256 KiB: above V8's limit for
 * regular objects (128 KiB), so that it is allocated in large-object space, which the young-generation
 * collector promotes without copying; smaller chunks were copied twice each.
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
/** Day record, 4 doubles: key, first, last, weight. Chunks of 2^13 days. */
const DAY = 4;
const DAY_CHUNK_BITS = 13;
const DAY_CHUNK_MASK = (1 << DAY_CHUNK_BITS) - 1;
/** A day's key: (pair + 1) * 2^28 + day + 2^27, exact in a double for up to 2^25 pairs and ±2^27 days. */
const DAY_BITS = 2 ** 28;
const DAY_BIAS = 2 ** 27;

/**
 * The per-pair aggregates of a RelationshipState. Pairs are numbered in order of creation and found
 * through an open-addressing index on (internal id, external id); days in touch are numbered in order of
 * creation too and found through a second index on (pair, day). Readers get the usual PairAggregate
 * objects, built when read and reused until the pair changes.
 */
export class PairTable {
  size = 0;
  /** The pair index (see slots.ts), probed linearly; kept at most three quarters full. */
  private slots: number[] = doubles(1024);
  /** The pair records, in chunks. */
  private readonly records: number[][] = [];
  /** Pairs changed since their view was built. */
  changed: Uint8Array = new Uint8Array(1024);
  readonly views: Array<PairAggregate | undefined> = [];
  /** Bumped by every change, so that readers know when the grouping of days is stale. */
  private version = 0;
  private grouping: DayGrouping | undefined;
  /** What warm() read (kept only so that its reads count). */
  private warmed = 0;

  days = 0;
  /** The day index (see slots.ts), probed linearly; kept at most three quarters full. */
  private daySlots: number[] = doubles(1024);
  /** The day records, in chunks. */
  private readonly dayRecords: number[][] = [];

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
   * Reads, for a list of updates, the slots, records and days they will touch, without changing anything.
   * Each update's memory accesses depend on one another (slot, then record, then day slot, then day), and
   * on tables far larger than the caches each costs a trip to memory; an update at a time leaves the CPU
   * waiting on each in turn. Done as short loops over the whole list, one per level, the reads of the
   * different updates are independent and overlap, and the updates then find their data in the caches.
   * The first slot probed stands for the pair (it usually is): a miss only costs a wasted read.
   */
  private warm(list: Touches): void {
    const n = list.size;
    const { u, e, day, slot: countSlot, hash } = list;
    const slots = this.slots;
    const mask = slots.length - 1;
    const records = this.records;
    const daySlots = this.daySlots;
    const dayMask = daySlots.length - 1;
    const dayRecords = this.dayRecords;
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
      sum += daySlots[mix(p, day[k] as number) & dayMask] as number;
    }
    for (let k = 0; k < n; k++) {
      const held = slots[(hash[k] as number) & mask] as number;
      if (held === 0) continue;
      const dayHeld = daySlots[mix(entryOf(held), day[k] as number) & dayMask] as number;
      if (dayHeld === 0) continue;
      const d = entryOf(dayHeld);
      sum += (dayRecords[d >> DAY_CHUNK_BITS] as number[])[DAY * (d & DAY_CHUNK_MASK)] as number;
    }
    // Kept, so that the compiler cannot drop the reads as unused.
    this.warmed = sum;
  }

  /**
   * Applies update k of the list: folds one interaction (store position `seq`, at `at`) into the pair
   * (u, e): its count in column `slot` (see countSlot; even columns are "by us"), first and last contact
   * (the store gives the keys of the interactions, to break ties of time), and the day. (The update is read
   * here rather than passed: times and weights passed as arguments would each be boxed.)
   */
  private touch(list: Touches, k: number, store: InteractionStore): void {
    const u = list.u[k] as number;
    const e = list.e[k] as number;
    const seq = list.seq[k] as number;
    const at = list.at[k] as number;
    const slot = list.slot[k] as number;
    const mark = 2 * seq + (slot % 2 === 0 ? 1 : 0);
    this.version++;
    let p = this.find(u, e);
    if (p === -1) p = this.add(u, e, at, mark);
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
    this.markDay(p, list.day[k] as number, at, list.weight[k] as number);
  }

  /** A new pair's number, its first and last contact the one given. */
  private add(u: number, e: number, at: number, mark: number): number {
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
    this.views.push(undefined);
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

  /** A day keeps its earliest and latest time and its heaviest contact (as strength.markDay). */
  private markDay(p: number, day: number, at: number, weight: number): void {
    const slots = this.daySlots;
    const mask = slots.length - 1;
    const key = (p + 1) * DAY_BITS + (day + DAY_BIAS);
    const hash = mix(p, day);
    let s = hash & mask;
    for (; ; s = (s + 1) & mask) {
      const slot = slots[s] as number;
      if (slot === 0) break;
      if (!mayHold(slot, hash)) continue;
      const d = entryOf(slot);
      const t = this.dayRecords[d >> DAY_CHUNK_BITS] as number[];
      const o = DAY * (d & DAY_CHUNK_MASK);
      if (t[o] === key) {
        if (at < (t[o + 1] as number)) t[o + 1] = at;
        if (at > (t[o + 2] as number)) t[o + 2] = at;
        if (weight > (t[o + 3] as number)) t[o + 3] = weight;
        return;
      }
    }
    const d = this.days++;
    if ((d & DAY_CHUNK_MASK) === 0) this.dayRecords.push(doubles(DAY << DAY_CHUNK_BITS));
    const t = this.dayRecords[d >> DAY_CHUNK_BITS] as number[];
    const o = DAY * (d & DAY_CHUNK_MASK);
    t[o] = key;
    t[o + 1] = at;
    t[o + 2] = at;
    t[o + 3] = weight;
    slots[s] = slotOf(hash, d);
    if (4 * this.days > 3 * slots.length) this.growDays();
  }

  /** Doubles the day index, placing every day held again. */
  private growDays(): void {
    const slots = doubles(2 * this.daySlots.length);
    const mask = slots.length - 1;
    for (let d = 0; d < this.days; d++) {
      const key = dayField(this.dayRecords, d, 0);
      const hash = mix(Math.floor(key / DAY_BITS) - 1, (key % DAY_BITS) - DAY_BIAS);
      let s = hash & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = slotOf(hash, d);
    }
    this.daySlots = slots;
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
   * The day records grouped by pair, each pair's in day order, built in two passes over the days (count,
   * then place) and reused until the next change: reading a pair's days is then a slice.
   */
  groups(): DayGrouping {
    if (this.grouping?.version === this.version) return this.grouping;
    const records = this.dayRecords;
    const n = this.size;
    // start[p] .. start[p + 1]: where pair p's days go in `order` (counted at p + 1, then summed).
    const start = new Int32Array(n + 1);
    for (let d = 0; d < this.days; d++) {
      const at = Math.floor(dayField(records, d, 0) / DAY_BITS);
      start[at] = (start[at] as number) + 1;
    }
    for (let p = 0; p < n; p++) start[p + 1] = (start[p + 1] as number) + (start[p] as number);
    const order = new Int32Array(this.days);
    const next = start.slice(0, n);
    for (let d = 0; d < this.days; d++) {
      const p = Math.floor(dayField(records, d, 0) / DAY_BITS) - 1;
      const at = next[p] as number;
      order[at] = d;
      next[p] = at + 1;
    }
    // Within a pair the keys order the days (key = pair part + day).
    for (let p = 0; p < n; p++) sortByKey(order, start[p] as number, start[p + 1] as number, records);
    this.grouping = { version: this.version, start, order, records };
    return this.grouping;
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

/** Day records grouped by pair: pair p's are order[start[p]] .. order[start[p + 1] - 1]. */
interface DayGrouping {
  version: number;
  start: Int32Array;
  order: Int32Array;
  records: readonly number[][];
}

/** Field f (0 key, 1 first, 2 last, 3 weight) of day record d. */
function dayField(records: readonly number[][], d: number, f: number): number {
  return (records[d >> DAY_CHUNK_BITS] as number[])[DAY * (d & DAY_CHUNK_MASK) + f] as number;
}

/** Sorts order[from .. to) by the day keys they point at: insertion sort for the usual few days. */
function sortByKey(order: Int32Array, from: number, to: number, records: readonly number[][]): void {
  const keyOf = (d: number): number => dayField(records, d, 0);
  if (to - from > 32) {
    order.subarray(from, to).sort((a, b) => keyOf(a) - keyOf(b));
    return;
  }
  for (let k = from + 1; k < to; k++) {
    const d = order[k] as number;
    const key = keyOf(d);
    let j = k - 1;
    for (; j >= from && keyOf(order[j] as number) > key; j--) order[j + 1] = order[j] as number;
    order[j + 1] = d;
  }
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
    return (this.groups.start[p + 1] as number) - (this.groups.start[p] as number);
  }

  /** Writes the pair's days, in day order, into `into`; returns how many. */
  days(p: number, into: DayColumns): number {
    const { start, order, records } = this.groups;
    const from = start[p] as number;
    const n = (start[p + 1] as number) - from;
    for (let k = 0; k < n; k++) {
      const d = order[from + k] as number;
      into.first[k] = dayField(records, d, 1);
      into.last[k] = dayField(records, d, 2);
      into.weight[k] = dayField(records, d, 3);
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
    const { start, order, records } = this.groups;
    const days = new Map<number, DayMark>();
    for (let k = start[p] as number; k < (start[p + 1] as number); k++) {
      const d = order[k] as number;
      days.set((dayField(records, d, 0) % DAY_BITS) - DAY_BIAS, {
        first: dayField(records, d, 1),
        last: dayField(records, d, 2),
        weight: dayField(records, d, 3),
      });
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
