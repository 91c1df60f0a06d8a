import type { DayMark } from "../insights/strength";
import type { Interaction, InteractionKind } from "../interaction";
import type { Direction } from "../participants";
import { type DayColumns, type DayGrouping, DayLog, dayMarks, readDays } from "./dayLog";
import { doubles, entryOf, mayHold, mix, slotOf } from "./slots";
import type { InteractionStore } from "./store";

export type { DayColumns } from "./dayLog";

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
 * is allocated in large-object space, which the young-generation collector promotes without copying
 * (smaller chunks are copied twice each).
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
 * The per-pair aggregates of a RelationshipState. Pairs are numbered in order of creation and found
 * through an open-addressing index on (internal id, external id). The days in touch are logged as
 * updates arrive and grouped when read (see dayLog.ts). Readers get the usual PairAggregate objects, built
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
   * The views built so far, in chunks of 2^12 pairs made when a view of one of their pairs is first kept:
   * nothing per pair when pairs are added (a slot pushed per new pair would be an array grown and copied
   * again and again), and no chunk for pairs never viewed (bulk reads go through PairReader's columns).
   */
  private readonly views: Array<Array<PairAggregate | undefined> | undefined> = [];
  /** What warm() read (kept only so that its reads count). */
  private warmed = 0;

  /** The days in touch, logged (see dayLog.ts). */
  private readonly log = new DayLog();

  /** The pair's number, or -1. */
  find(u: number, e: number): number {
    return this.findHashed(u, e, mix(u, e));
  }

  /** find, given the pair's hash (mix(u, e)). */
  private findHashed(u: number, e: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
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
    const { slot: countSlot, hash } = list;
    const slots = this.slots;
    const mask = slots.length - 1;
    const records = this.records;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += slots[(hash[k] as number) & mask] as number;
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
    let p = this.findHashed(u, e, list.hash[k] as number);
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
    // Read from the list by the log, not passed in (see above).
    this.log.append(p, list.at, list.weight, k);
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
    const hash = list.hash[k] as number;
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

  /** The view kept for pair p, if any (see views). */
  heldView(p: number): PairAggregate | undefined {
    return this.views[p >> CHUNK_BITS]?.[p & CHUNK_MASK];
  }

  keepView(p: number, view: PairAggregate): void {
    const c = p >> CHUNK_BITS;
    while (this.views.length <= c) this.views.push(undefined);
    let chunk = this.views[c];
    if (!chunk) {
      chunk = new Array<PairAggregate | undefined>(1 << CHUNK_BITS);
      this.views[c] = chunk;
    }
    chunk[p & CHUNK_MASK] = view;
  }

  /** The days in touch grouped by pair (see DayLog.groups), reused until the log grows. */
  groups(): DayGrouping {
    return this.log.groups(this.size);
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
  weight = new Float64Array(256);
  /** Each update's pair hash (mix(u, e)), worked out once for the index's reads and its probe. */
  hash = new Int32Array(256);

  /**
   * The interaction the next updates come from (store position, time, count column, weight), set once
   * for all its pairs: a time and a weight passed with each update to a call the compiler does not inline
   * are boxed, two heap numbers per update.
   */
  private readonly current = new Float64Array(4);

  /** Starts the updates of one interaction (see push). */
  begin(seq: number, at: number, slot: number, weight: number): void {
    const c = this.current;
    c[0] = seq;
    c[1] = at;
    c[2] = slot;
    c[3] = weight;
  }

  /** Lists an update of pair (u, e) by the interaction given to begin(). */
  push(u: number, e: number): void {
    const k = this.size++;
    if (k === this.u.length) this.grow();
    const c = this.current;
    this.u[k] = u;
    this.e[k] = e;
    this.seq[k] = c[0] as number;
    this.at[k] = c[1] as number;
    this.slot[k] = c[2] as number;
    this.weight[k] = c[3] as number;
    this.hash[k] = mix(u, e);
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
    this.weight = reals(this.weight);
    this.hash = ints(this.hash);
  }
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
    return this.groups.count[p] as number;
  }

  /** Writes the pair's days, in day order, into `into`; returns how many. */
  days(p: number, into: DayColumns): number {
    return readDays(this.groups, p, into);
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
    const held = table.heldView(p);
    if (held && !table.changed[p]) return held;
    const days = dayMarks(this.groups, p);
    const view: PairAggregate = {
      internal: this.internal(p),
      external: this.external(p),
      days,
      counts: this.counts(p),
      first: this.mark(p, true),
      last: this.mark(p, false),
    };
    table.keepView(p, view);
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
