import { domainOf, inDomains } from "./address";
import type { InsightConfig } from "./config";
import { Directory, type DirectoryData } from "./directory";
import type { Interaction, InteractionKind } from "./interaction";
import { LazySides, type Direction, type Sides } from "./participants";
import { InteractionStore, compareInteractions, type StoreSnapshot } from "./store";
import { interactionWeight, type DayMark } from "./strength";
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

/** An interaction with its sides resolved, as the insight computations read it. */
export interface Resolved {
  interaction: Interaction;
  sides: Sides;
}

/** An address resolved against the directory: its canonical form, side and numeric id. */
interface AddressInfo {
  canonical: string;
  id: number;
  internal: boolean;
  optedOut: boolean;
  /** The serial of the last interaction that listed this address (de-duplicates participants). */
  seenIn: number;
  /** An external person's latest posting (see RelationshipState.postings), -1 for none. */
  head: number;
}

/**
 * Rapport's incremental state: the de-duplicated interactions and, kept up to date as each new one
 * arrives, the per-pair aggregates and the index from each external person to their interactions.
 * Adding a batch touches only what the batch involves; the result of adding batches in any order and
 * at any split equals adding everything at once (the aggregates are sets, counts, minima and maxima).
 */
export class RelationshipState {
  readonly store: InteractionStore;
  directory: Directory;
  private optedOut: Set<string>;
  /** The per-pair aggregates (see PairTable). */
  private pairs = new PairTable();
  /**
   * Each external person's interactions, as linked lists in one table rather than an array per person:
   * posting k is [interaction number in the store, previous posting of the same person or -1], in chunks
   * (a growing array would be copied again and again).
   */
  private postings: number[][] = [];
  private postingCount = 0;
  /** External people with interactions, in the order first seen. */
  private externalsSeen: AddressInfo[] = [];
  /** Every resolved address by id, to name the pairs. */
  private byId: AddressInfo[] = [];
  /** Serial of the interaction being indexed: marks addresses already seen in it without a Set. */
  private serial = 0;
  private readonly scratch: AddressInfo[] = [];
  /** What each address seen stands for, resolved once: the hot path does one lookup per participant. */
  private readonly addresses = new Map<string, AddressInfo>();
  private nextId = 0;
  /** Interactions that had no one on one side (internal-only or external-only mail). */
  notRelationship = 0;
  /**
   * Each interaction's resolved sides by store position (null: not a relationship), filled as records
   * read them: an interaction with many people is read once per person, and resolving its every
   * participant each time dominated computing insights. Cleared on any change (a copy can add Bcc).
   */
  private readonly resolved = new Map<number, Resolved | null>();

  constructor(
    directoryData: DirectoryData,
    readonly config: InsightConfig,
    store?: InteractionStore,
  ) {
    this.directory = new Directory(directoryData, config);
    this.optedOut = new Set(
      directoryData.users.filter((u) => u.optedOut).flatMap((u) => u.emails.map((e) => e.toLowerCase())),
    );
    this.store = store ?? new InteractionStore();
    if (store) this.indexStore();
  }

  /**
   * Replaces the directory's users (and records). Where the change cannot alter who is on which side
   * (no new aliases of users, no opt-outs) the aggregates stand; otherwise they are rebuilt from the store.
   */
  setDirectory(data: DirectoryData): void {
    const before = this.directory;
    const next = new Directory(data, this.config);
    const optedOut = new Set(
      data.users.filter((u) => u.optedOut).flatMap((u) => u.emails.map((e) => e.toLowerCase())),
    );
    // Sides stay valid when no one opted out and every user, before and after, is a single address inside
    // the organisation's domains (then "internal" means the same thing for both directories).
    const plainUsers = (users: readonly DirectoryData["users"][number][], d: Directory): boolean =>
      users.every(
        (u) =>
          u.emails.length <= 1 &&
          (u.emails[0] === undefined || inDomains(domainOf(u.emails[0].toLowerCase()), d.orgDomains)),
      );
    const sameSides =
      optedOut.size === 0 &&
      this.optedOut.size === 0 &&
      next.orgDomains.join() === before.orgDomains.join() &&
      plainUsers(data.users, next) &&
      plainUsers(before.data.users, before);
    this.directory = next;
    this.optedOut = optedOut;
    this.resolved.clear();
    if (sameSides) return;
    this.pairs = new PairTable();
    this.postings = [];
    this.postingCount = 0;
    this.externalsSeen = [];
    this.byId = [];
    this.addresses.clear();
    this.nextId = 0;
    this.notRelationship = 0;
    this.indexStore();
  }

  /** Adds one interaction; returns true when it was new (not a copy of one already held). */
  add(interaction: Interaction): boolean {
    if (this.resolved.size) this.resolved.clear();
    const stored = this.store.add(interaction);
    if (!stored) return false;
    this.index(stored, this.store.size - 1);
    return true;
  }

  addAll(interactions: Iterable<Interaction>): number {
    if (Array.isArray(interactions)) this.store.reserve(interactions.length);
    let added = 0;
    for (const i of interactions) if (this.add(i)) added++;
    return added;
  }

  /** Indexes everything in the store, in canonical order. */
  private indexStore(): void {
    const store = this.store;
    const numbers = Array.from({ length: store.size }, (_, n) => n);
    numbers.sort((a, b) => compareInteractions(store.at(a) as Interaction, store.at(b) as Interaction));
    for (const n of numbers) this.index(store.at(n) as Interaction, n);
  }

  private info(address: string): AddressInfo {
    let info = this.addresses.get(address);
    if (!info) {
      const canonical = this.directory.canonical(address);
      const shared = canonical === address ? undefined : this.addresses.get(canonical);
      info = shared ?? {
        canonical,
        id: this.nextId++,
        internal: this.directory.isInternal(canonical),
        optedOut: this.optedOut.has(canonical),
        seenIn: -1,
        head: -1,
      };
      if (!shared) this.byId.push(info);
      this.addresses.set(address, info);
      if (!shared && canonical !== address) this.addresses.set(canonical, info);
    }
    return info;
  }

  /**
   * Splits an interaction's people into our side and theirs (the same rules as participants.sidesOf,
   * with each address resolved once per run). Undefined when one side is empty.
   */
  sidesOf(i: Interaction): Sides | undefined {
    const from = this.info(i.from);
    // An opted-out user's own mail is never read; a meeting they organised still took place for the others.
    if (from.optedOut && i.kind === "email") return undefined;
    const internals: string[] = [];
    const externals: string[] = [];
    const serial = ++this.serial;
    from.seenIn = serial;
    if (!from.optedOut) (from.internal ? internals : externals).push(from.canonical);
    for (const list of [i.to, i.cc, i.bcc]) {
      for (const a of list) {
        const x = this.info(a);
        if (x.optedOut || x.seenIn === serial) continue;
        x.seenIn = serial;
        (x.internal ? internals : externals).push(x.canonical);
      }
    }
    if (internals.length === 0 || externals.length === 0) return undefined;
    return new LazySides(i.kind, from.internal ? "out" : "in", internals, externals);
  }

  /** Folds one new interaction into the index and the pair aggregates. The hot path: no per-call allocation. */
  private index(i: Interaction, seq: number): void {
    const from = this.info(i.from);
    if (from.optedOut && i.kind === "email") {
      this.notRelationship++;
      return;
    }
    const serial = ++this.serial;
    from.seenIn = serial;
    const people = this.scratch;
    let n = 0;
    if (!from.optedOut) people[n++] = from;
    n = this.gather(i.to, serial, n);
    n = this.gather(i.cc, serial, n);
    n = this.gather(i.bcc, serial, n);
    let internals = 0;
    for (let k = 0; k < n; k++) if ((people[k] as AddressInfo).internal) internals++;
    if (internals === 0 || internals === n) {
      this.notRelationship++;
      return;
    }
    for (let k = 0; k < n; k++) {
      const x = people[k] as AddressInfo;
      if (!x.internal) this.post(x, seq);
    }
    const out = from.internal;
    const at = i.at;
    const key = i.key;
    const weight = interactionWeight(i.kind, i.recipientCount, this.config);
    // Whole UTC days (dayNumber), kept as 32-bit integers: finite dates are within ±10^8 days.
    const day = dayNumber(at) | 0;
    const slot = countSlot(i.kind, out);
    const pairs = this.pairs;
    const keyOf = this.store;
    // Mail pairs its sender with each recipient on the other side; meetings and calls pair everyone.
    if (i.kind === "email") {
      for (let k = 1; k < n; k++) {
        const x = people[k] as AddressInfo;
        if (x.internal === out) continue;
        if (out) pairs.touch(from.id, x.id, seq, at, key, keyOf, out, slot, day, weight);
        else pairs.touch(x.id, from.id, seq, at, key, keyOf, out, slot, day, weight);
      }
    } else {
      for (let a = 0; a < n; a++) {
        const u = people[a] as AddressInfo;
        if (!u.internal) continue;
        for (let b = 0; b < n; b++) {
          const e = people[b] as AddressInfo;
          if (!e.internal) pairs.touch(u.id, e.id, seq, at, key, keyOf, out, slot, day, weight);
        }
      }
    }
  }

  /** Adds interaction number `seq` to an external person's list. */
  private post(x: AddressInfo, seq: number): void {
    const k = this.postingCount++;
    if ((k & POSTING_MASK) === 0) this.postings.push(new Array<number>(2 * (POSTING_MASK + 1)).fill(0));
    const chunk = this.postings[k >> POSTING_BITS] as number[];
    chunk[2 * (k & POSTING_MASK)] = seq;
    chunk[2 * (k & POSTING_MASK) + 1] = x.head;
    if (x.head === -1) this.externalsSeen.push(x);
    x.head = k;
  }

  /** Appends a list's participants not seen yet in this interaction to the scratch list; returns its length. */
  private gather(list: readonly string[], serial: number, n: number): number {
    const people = this.scratch;
    for (let k = 0; k < list.length; k++) {
      const x = this.info(list[k] as string);
      if (x.optedOut || x.seenIn === serial) continue;
      x.seenIn = serial;
      people[n++] = x;
    }
    return n;
  }

  /** All pair aggregates (unordered); views built on read, reused until the pair changes. */
  *pairAggregates(): IterableIterator<PairAggregate> {
    const reader = this.pairReader();
    for (let p = 0; p < reader.size; p++) yield reader.view(p);
  }

  pair(internal: string, external: string): PairAggregate | undefined {
    const u = this.addresses.get(internal);
    const e = this.addresses.get(external);
    const p = u && e ? this.pairs.find(u.id, e.id) : -1;
    return p === -1 ? undefined : this.pairReader().view(p);
  }

  /**
   * Reads the pairs by number (0 to size - 1) without building a PairAggregate for each: a pass over
   * every pair (the strength of every connection) reads the tables directly. Valid until the next change.
   */
  pairReader(): PairReader {
    return new PairReader(this.pairs, this.byId, this.store);
  }

  /** External people seen, with their interactions. */
  externals(): IterableIterator<string> {
    return this.externalsSeen.map((x) => x.canonical).values();
  }

  /** Appends an external person's interactions (store positions, newest arrival first) to `into`. */
  private interactionsOf(external: string, into: number[]): boolean {
    const x = this.addresses.get(external);
    if (!x || x.canonical !== external || x.head === -1) return false;
    for (let k = x.head; k !== -1;) {
      const chunk = this.postings[k >> POSTING_BITS] as number[];
      into.push(chunk[2 * (k & POSTING_MASK)] as number);
      k = chunk[2 * (k & POSTING_MASK) + 1] as number;
    }
    return true;
  }

  /** The interactions involving any of these external people, once each, in canonical order, with their sides. */
  interactionsWith(externals: Iterable<string>): Resolved[] {
    let found: number[] = [];
    let lists = 0;
    for (const e of externals) if (this.interactionsOf(e, found)) lists++;
    // A person's list holds each interaction once; several lists may share interactions.
    if (lists > 1) found = [...new Set(found)];
    const store = this.store;
    found.sort((a, b) => compareInteractions(store.at(a) as Interaction, store.at(b) as Interaction));
    const out: Resolved[] = [];
    for (const n of found) {
      let r = this.resolved.get(n);
      if (r === undefined) {
        const interaction = store.at(n) as Interaction;
        const sides = this.sidesOf(interaction);
        r = sides ? { interaction, sides } : null;
        this.resolved.set(n, r);
      }
      if (r) out.push(r);
    }
    return out;
  }

  /** External addresses grouped by domain, to place people in accounts by company domain. */
  externalsByDomain(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const { canonical: e } of this.externalsSeen) {
      const domain = e.slice(e.lastIndexOf("@") + 1);
      const list = out.get(domain);
      if (list) list.push(e);
      else out.set(domain, [e]);
    }
    return out;
  }

  snapshot(): StoreSnapshot {
    return this.store.snapshot();
  }
}

/** Column of a pair's counts for a kind and direction: kind-major, "out" then "in". */
function countSlot(kind: InteractionKind, out: boolean): number {
  const k = kind === "email" ? 0 : kind === "meeting" ? 1 : kind === "call" ? 2 : 3;
  return 2 * k + (out ? 0 : 1);
}

const POSTING_BITS = 14;
const POSTING_MASK = (1 << POSTING_BITS) - 1;

/** Mixes two small integers into a table position (ids and days are dense, so they need spreading). */
function mix(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  return h ^ (h >>> 15);
}

/** A zeroed array of `n` unboxed doubles (see the note on record layouts). */
function doubles(n: number): number[] {
  const a = new Array<number>(n);
  a[0] = 0.5; // makes the elements unboxed doubles before the fill
  return a.fill(0);
}

/*
 * Record layouts. Each pair and each day in touch is one fixed-size record in an array of unboxed doubles:
 * updates land at random places of tables far larger than the CPU caches, so a record in one or two cache
 * lines costs one memory access where a field per column (or an object per pair) costs one per field.
 *
 * The tables are plain arrays, not typed arrays, on purpose: typed arrays' memory is "external" to V8, and
 * every 64 MB of it allocated forces a full collection of the whole heap (every interaction held), which
 * cost more than the aggregation itself.
 */
/**
 * Pair record, 16 doubles, in chunks (no copying as they grow): first and last contact times, internal
 * and external ids, first and last contact (2 * store position + 1 when ours), counts by countSlot.
 */
const PAIR = 16;
const CHUNK_BITS = 12;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
const P_FIRST_AT = 0;
const P_LAST_AT = 1;
const P_INTERNAL = 2;
const P_EXTERNAL = 3;
const P_FIRST = 4;
const P_LAST = 5;
const P_COUNTS = 6;
/** Day record, stored in its hash slot: key (0 = empty), first, last, weight. */
const DAY = 4;
/** A day's key: (pair + 1) * 2^28 + day + 2^27, exact in a double for up to 2^25 pairs and ±2^27 days. */
const DAY_BITS = 2 ** 28;
const DAY_BIAS = 2 ** 27;

/**
 * The per-pair aggregates of a RelationshipState. Pairs are numbered in order of creation and found
 * through an open-addressing table on (internal id, external id); days in touch live in a second
 * open-addressing table on (pair, day). Readers get the usual PairAggregate objects, built when read and
 * reused until the pair changes.
 */
class PairTable {
  size = 0;
  /** Pair numbers by hash position (-1 empty), probed linearly; kept at most half full. */
  private slots: number[] = new Array<number>(1024).fill(-1);
  /** The pair records, in chunks. */
  private readonly records: number[][] = [];
  /** Pairs changed since their view was built. */
  changed: Uint8Array = new Uint8Array(1024);
  readonly views: Array<PairAggregate | undefined> = [];
  /** Bumped by every change, so that readers know when the grouping of days is stale. */
  private version = 0;
  private grouping: DayGrouping | undefined;

  days = 0;
  /** Day records by hash position; kept at most three quarters full. */
  private dayTable: number[] = doubles(1024 * DAY);

  /** The pair's number, or -1. */
  find(u: number, e: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let s = mix(u, e) & mask; ; s = (s + 1) & mask) {
      const p = slots[s] as number;
      if (p === -1) return -1;
      const r = this.records[p >> CHUNK_BITS] as number[];
      const o = PAIR * (p & CHUNK_MASK);
      if (r[o + P_INTERNAL] === u && r[o + P_EXTERNAL] === e) return p;
    }
  }

  /**
   * Folds one interaction (store position `seq`, at `at`, with `key`) into the pair (u, e): its count,
   * first and last contact (the store gives the key of the one held, to break ties of time), and the day.
   */
  touch(
    u: number,
    e: number,
    seq: number,
    at: number,
    key: string,
    store: InteractionStore,
    out: boolean,
    slot: number,
    day: number,
    weight: number,
  ): void {
    const mark = 2 * seq + (out ? 1 : 0);
    this.version++;
    let p = this.find(u, e);
    if (p === -1) p = this.add(u, e, at, mark);
    else {
      const t = this.records[p >> CHUNK_BITS] as number[];
      const r = this.records[p >> CHUNK_BITS] as number[];
      const o = p & CHUNK_MASK;
      const first = t[PAIR * o + P_FIRST_AT] as number;
      if (at < first || (at === first && key < keyAt(store, r[PAIR * o + P_FIRST] as number))) {
        t[PAIR * o + P_FIRST_AT] = at;
        r[PAIR * o + P_FIRST] = mark;
      }
      const last = t[PAIR * o + P_LAST_AT] as number;
      if (at > last || (at === last && key > keyAt(store, r[PAIR * o + P_LAST] as number))) {
        t[PAIR * o + P_LAST_AT] = at;
        r[PAIR * o + P_LAST] = mark;
      }
    }
    const counts = this.records[p >> CHUNK_BITS] as number[];
    const c = PAIR * (p & CHUNK_MASK) + P_COUNTS + slot;
    counts[c] = (counts[c] as number) + 1;
    this.changed[p] = 1;
    this.markDay(p, day, at, weight);
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
    if (2 * this.size > this.slots.length) {
      const slots = new Array<number>(2 * this.slots.length).fill(-1);
      const mask = slots.length - 1;
      for (let q = 0; q < p; q++) {
        const r = this.records[q >> CHUNK_BITS] as number[];
        const o = PAIR * (q & CHUNK_MASK);
        let s = mix(r[o + P_INTERNAL] as number, r[o + P_EXTERNAL] as number) & mask;
        while (slots[s] !== -1) s = (s + 1) & mask;
        slots[s] = q;
      }
      this.slots = slots;
    }
    const mask = this.slots.length - 1;
    let s = mix(u, e) & mask;
    while (this.slots[s] !== -1) s = (s + 1) & mask;
    this.slots[s] = p;
    const t = this.records[p >> CHUNK_BITS] as number[];
    const r = this.records[p >> CHUNK_BITS] as number[];
    const o = p & CHUNK_MASK;
    t[PAIR * o + P_FIRST_AT] = at;
    t[PAIR * o + P_LAST_AT] = at;
    r[PAIR * o + P_INTERNAL] = u;
    r[PAIR * o + P_EXTERNAL] = e;
    r[PAIR * o + P_FIRST] = mark;
    r[PAIR * o + P_LAST] = mark;
    this.views.push(undefined);
    return p;
  }

  /** A day keeps its earliest and latest time and its heaviest contact (as strength.markDay). */
  private markDay(p: number, day: number, at: number, weight: number): void {
    const t = this.dayTable;
    const mask = t.length / DAY - 1;
    const key = (p + 1) * DAY_BITS + (day + DAY_BIAS);
    let s = mix(p, day) & mask;
    for (; ; s = (s + 1) & mask) {
      const held = t[DAY * s] as number;
      if (held === 0) break;
      if (held === key) {
        if (at < (t[DAY * s + 1] as number)) t[DAY * s + 1] = at;
        if (at > (t[DAY * s + 2] as number)) t[DAY * s + 2] = at;
        if (weight > (t[DAY * s + 3] as number)) t[DAY * s + 3] = weight;
        return;
      }
    }
    t[DAY * s] = key;
    t[DAY * s + 1] = at;
    t[DAY * s + 2] = at;
    t[DAY * s + 3] = weight;
    if (4 * ++this.days > 3 * (mask + 1)) this.growDays();
  }

  /** Doubles the day table, moving each record to its new hash position. */
  private growDays(): void {
    const old = this.dayTable;
    const t = doubles(2 * old.length);
    const mask = t.length / DAY - 1;
    for (let r = 0; r < old.length; r += DAY) {
      const key = old[r] as number;
      if (key === 0) continue;
      let s = mix(Math.floor(key / DAY_BITS) - 1, (key % DAY_BITS) - DAY_BIAS) & mask;
      while (t[DAY * s] !== 0) s = (s + 1) & mask;
      for (let k = 0; k < DAY; k++) t[DAY * s + k] = old[r + k] as number;
    }
    this.dayTable = t;
  }

  /** The chunk holding pair p's record (at PAIR * (p & CHUNK_MASK)). */
  record(p: number): number[] {
    return this.records[p >> CHUNK_BITS] as number[];
  }

  /** A field of pair p's record (P_*). */
  field(p: number, f: number): number {
    return (this.records[p >> CHUNK_BITS] as number[])[PAIR * (p & CHUNK_MASK) + f] as number;
  }

  /**
   * The day records grouped by pair, each pair's in day order, built in two passes over the day table
   * (count, then place) and reused until the next change: reading a pair's days is then a slice.
   */
  groups(): DayGrouping {
    if (this.grouping?.version === this.version) return this.grouping;
    const t = this.dayTable;
    const n = this.size;
    // start[p] .. start[p + 1]: where pair p's days go in `order` (counted at p + 1, then summed).
    const start = new Int32Array(n + 1);
    for (let r = 0; r < t.length; r += DAY) {
      const key = t[r] as number;
      if (key === 0) continue;
      const at = Math.floor(key / DAY_BITS);
      start[at] = (start[at] as number) + 1;
    }
    for (let p = 0; p < n; p++) start[p + 1] = (start[p + 1] as number) + (start[p] as number);
    const order = new Int32Array(this.days);
    const next = start.slice(0, n);
    for (let r = 0; r < t.length; r += DAY) {
      const key = t[r] as number;
      if (key === 0) continue;
      const p = Math.floor(key / DAY_BITS) - 1;
      const at = next[p] as number;
      order[at] = r;
      next[p] = at + 1;
    }
    // Within a pair the keys order the days (key = pair part + day).
    for (let p = 0; p < n; p++) sortByKey(order, start[p] as number, start[p + 1] as number, t);
    this.grouping = { version: this.version, start, order, table: t };
    return this.grouping;
  }
}

/** Day records (positions in the day table) grouped by pair: pair p's are order[start[p]] .. order[start[p + 1] - 1]. */
interface DayGrouping {
  version: number;
  start: Int32Array;
  order: Int32Array;
  table: number[];
}

/** Sorts order[from .. to) by the day keys they point at: insertion sort for the usual few days. */
function sortByKey(order: Int32Array, from: number, to: number, t: number[]): void {
  if (to - from > 32) {
    order.subarray(from, to).sort((a, b) => (t[a] as number) - (t[b] as number));
    return;
  }
  for (let k = from + 1; k < to; k++) {
    const r = order[k] as number;
    const key = t[r] as number;
    let j = k - 1;
    for (; j >= from && (t[order[j] as number] as number) > key; j--) order[j + 1] = order[j] as number;
    order[j + 1] = r;
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
    private readonly byId: readonly AddressInfo[],
    private readonly store: InteractionStore,
  ) {
    this.size = table.size;
    this.groups = table.groups();
  }

  internal(p: number): string {
    return (this.byId[this.table.field(p, P_INTERNAL)] as AddressInfo).canonical;
  }

  external(p: number): string {
    return (this.byId[this.table.field(p, P_EXTERNAL)] as AddressInfo).canonical;
  }

  /** Time of the pair's first contact. */
  firstAt(p: number): number {
    return this.table.field(p, P_FIRST_AT);
  }

  daysInTouch(p: number): number {
    return (this.groups.start[p + 1] as number) - (this.groups.start[p] as number);
  }

  /** Writes the pair's days, in day order, into `into`; returns how many. */
  days(p: number, into: DayColumns): number {
    const { start, order, table: t } = this.groups;
    const from = start[p] as number;
    const n = (start[p + 1] as number) - from;
    for (let k = 0; k < n; k++) {
      const r = order[from + k] as number;
      into.first[k] = t[r + 1] as number;
      into.last[k] = t[r + 2] as number;
      into.weight[k] = t[r + 3] as number;
    }
    return n;
  }

  counts(p: number): PairAggregate["counts"] {
    const r = this.table.record(p);
    const o = PAIR * (p & CHUNK_MASK) + P_COUNTS;
    return {
      email: { out: r[o] as number, in: r[o + 1] as number },
      meeting: { out: r[o + 2] as number, in: r[o + 3] as number },
      call: { out: r[o + 4] as number, in: r[o + 5] as number },
      task: { out: r[o + 6] as number, in: r[o + 7] as number },
    };
  }

  /** The pair's first (or last) contact. */
  mark(p: number, first: boolean): ContactMark {
    const i = this.markOf(p, first);
    return { at: this.markAt(p, first), key: i.key, kind: i.kind, direction: this.markDirection(p, first) };
  }

  /** Time of the pair's first (or last) contact. */
  markAt(p: number, first: boolean): number {
    return this.table.field(p, first ? P_FIRST_AT : P_LAST_AT);
  }

  /** The interaction of the pair's first (or last) contact. */
  markOf(p: number, first: boolean): Interaction {
    return this.store.at(Math.floor(this.table.field(p, first ? P_FIRST : P_LAST) / 2)) as Interaction;
  }

  markDirection(p: number, first: boolean): Direction {
    return this.table.field(p, first ? P_FIRST : P_LAST) % 2 === 1 ? "out" : "in";
  }

  /** The pair as a PairAggregate (days in day order, so it does not depend on arrival order); built once until it changes. */
  view(p: number): PairAggregate {
    const table = this.table;
    const held = table.views[p];
    if (held && !table.changed[p]) return held;
    const { start, order, table: t } = this.groups;
    const days = new Map<number, DayMark>();
    for (let k = start[p] as number; k < (start[p + 1] as number); k++) {
      const r = order[k] as number;
      days.set(((t[r] as number) % DAY_BITS) - DAY_BIAS, {
        first: t[r + 1] as number,
        last: t[r + 2] as number,
        weight: t[r + 3] as number,
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

/** The key of the interaction behind a first/last mark (2 * number + direction bit). */
function keyAt(store: InteractionStore, mark: number): string {
  return (store.at(Math.floor(mark / 2)) as Interaction).key;
}
