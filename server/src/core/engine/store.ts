import type { Interaction } from "../interaction";
import { doubles, entryOf, slotOf, tag } from "./slots";

/** A serialisable snapshot of the store: the de-duplicated interactions, in canonical order. */
export interface StoreSnapshot {
  version: 1;
  interactions: Interaction[];
}

/**
 * The most interactions one store holds (2^25, far beyond what fits in a JavaScript heap): positions then
 * fit in 25 bits, which lets the state pack several into one number (see pairTable.ts).
 */
export const MAX_INTERACTIONS = 2 ** 25;

/** Total order on interactions: by time, then by key. Every derived result iterates in this order. */
export function compareInteractions(a: Interaction, b: Interaction): number {
  return a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * The de-duplicated set of interactions from every source. The same message counted once whether it
 * arrives from several folders, mailboxes or sources, in any order: a copy is recognised by its content
 * key or its Message-ID, and merging copies is commutative (Bcc lists are united), so the set is the
 * same whatever the arrival order.
 */
export class InteractionStore {
  /** The interactions held, in arrival order (a removal keeps the order of the rest). */
  private items = new ChunkedList<Interaction>();
  /**
   * Open-addressing index from each key to its position in `items` (see slots.ts), probed linearly and
   * kept at most 70% full, rather than a Map<string, Interaction>, whose growth and per-entry cost weigh
   * on adding a large history (docs/benchmarks.md, History). Its size need not be a power of two
   * (a key's hash picks its position by multiplying, see position), so that reserve() can size it to the
   * batch: every 8 MiB of table is 2,000 pages to fault in.
   */
  private slots: number[] = doubles(1024);
  private readonly keyByMessageId = new Map<string, string>();
  /** Scratch of warm(). */
  private blockHashes = new Int32Array(256);
  private warmed = 0;
  /** Copies recognised and merged rather than added. */
  duplicates = 0;

  get size(): number {
    return this.items.size;
  }

  /**
   * Hashes the keys of all[from .. to), about to be added (returned, for add), and reads the slots
   * they start probing at, in one short loop: the reads are independent, so they overlap where one add at a
   * time would wait on each (see PairTable.warm). Changes nothing.
   */
  warm(all: readonly Interaction[], from: number, to: number): Int32Array {
    const n = to - from;
    if (this.blockHashes.length < n) this.blockHashes = new Int32Array(n);
    const hashes = this.blockHashes;
    for (let k = 0; k < n; k++) hashes[k] = hashKey((all[from + k] as Interaction).key);
    const slots = this.slots;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += slots[position(hashes[k] as number, slots.length)] as number;
    this.warmed = sum;
    return hashes;
  }

  /**
   * Adds an interaction; returns the stored interaction when it is new, undefined when it was a copy.
   * `hash` is its key's (see warm).
   */
  add(interaction: Interaction, hash = hashKey(interaction.key)): Interaction | undefined {
    let slot = this.probe(interaction.key, hash);
    let existing = this.slots[slot] === 0 ? undefined : this.items.at(entryOf(this.slots[slot] as number));
    let key = interaction.key;
    if (!existing && interaction.messageId) {
      const aliased = this.keyByMessageId.get(interaction.messageId);
      if (aliased) {
        key = aliased;
        existing = this.get(aliased);
      }
    }
    if (existing) {
      this.duplicates++;
      mergeCopy(existing, interaction);
      if (interaction.messageId && !this.keyByMessageId.has(interaction.messageId)) {
        this.keyByMessageId.set(interaction.messageId, key);
      }
      return undefined;
    }
    // The store keeps the object it is given (no copy on the hot path). Its Bcc is sorted so that it does
    // not depend on which copy arrived first; its Message-ID, which copies do not share, is not read again.
    const stored = interaction;
    const n = this.items.size;
    if (n === MAX_INTERACTIONS)
      throw new RangeError(`A store holds at most ${MAX_INTERACTIONS} interactions`);
    if (stored.bcc.length > 1) stored.bcc = [...stored.bcc].sort();
    if (n + 1 > MAX_LOAD * this.slots.length) {
      this.grow();
      slot = this.probe(key, hash);
    }
    this.items.push(stored);
    this.slots[slot] = slotOf(hash, n);
    if (interaction.messageId) this.keyByMessageId.set(interaction.messageId, key);
    return stored;
  }

  /**
   * The interaction at `position`: interactions are numbered in arrival order, so one just added is at
   * size - 1. Positions are stable until removeWhere, after which anything indexed by them is rebuilt.
   */
  at(position: number): Interaction | undefined {
    return this.items.at(position);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get(key: string): Interaction | undefined {
    const slot = this.slots[this.probe(key, hashKey(key))] as number;
    return slot === 0 ? undefined : this.items.at(entryOf(slot));
  }

  /** Removes interactions (a person forgotten, an opted-out user); returns how many went. */
  removeWhere(predicate: (i: Interaction) => boolean): number {
    const kept = [...this.items.values()].filter((i) => !predicate(i));
    const removed = this.items.size - kept.length;
    if (removed) {
      // Rare: the index is rebuilt rather than keeping tombstones on the hot path.
      this.items = new ChunkedList();
      this.slots = doubles(1024);
      for (const i of kept) this.insertNew(i);
      for (const [id, key] of this.keyByMessageId) if (!this.has(key)) this.keyByMessageId.delete(id);
    }
    return removed;
  }

  /** Every interaction in canonical order (time, then key). */
  sorted(): Interaction[] {
    return [...this.items.values()].sort(compareInteractions);
  }

  values(): IterableIterator<Interaction> {
    return this.items.values();
  }

  snapshot(): StoreSnapshot {
    return { version: 1, interactions: this.sorted() };
  }

  static fromSnapshot(snapshot: StoreSnapshot): InteractionStore {
    const store = new InteractionStore();
    for (const i of snapshot.interactions) store.add(i);
    store.duplicates = 0;
    return store;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private probe(key: string, hash: number): number {
    const slots = this.slots;
    const capacity = slots.length;
    // mayHold and entryOf written out (see mayHold): this runs once per interaction added.
    const tagged = tag(hash) * 2 ** 32;
    for (let s = position(hash, capacity); ; s = s + 1 === capacity ? 0 : s + 1) {
      const slot = slots[s] as number;
      if (slot === 0) return s;
      const low = slot >>> 0;
      if (slot - low === tagged && (this.items.at(low - 1) as Interaction).key === key) return s;
    }
  }

  /** Appends an interaction known to be absent (rebuilding after a removal). */
  private insertNew(i: Interaction): void {
    const n = this.items.size;
    if (n + 1 > MAX_LOAD * this.slots.length) this.grow();
    const hash = hashKey(i.key);
    this.items.push(i);
    this.slots[this.probe(i.key, hash)] = slotOf(hash, n);
  }

  /**
   * Makes room for `count` more interactions at once (a large batch then skips the successive doublings,
   * each of which rehashes everything held). Grows at least twofold: a stream of small batches (the mbox
   * workers post a few thousand at a time) sized exactly would rehash everything held at every batch.
   */
  reserve(count: number): void {
    const n = this.size + count;
    if (n <= MAX_LOAD * this.slots.length) return;
    this.grow(Math.max(2 * this.slots.length, Math.ceil(n / MAX_LOAD)));
  }

  /**
   * Doubles the slot table (or grows it to `capacity`). The keys are hashed again rather than keeping every
   * hash: the doublings of a growing store rehash each key about twice in all.
   */
  private grow(capacity = 2 * this.slots.length): void {
    const slots = doubles(capacity);
    for (let at = 0; at < this.items.size; at++) {
      const hash = hashKey((this.items.at(at) as Interaction).key);
      let s = position(hash, capacity);
      while (slots[s] !== 0) s = s + 1 === capacity ? 0 : s + 1;
      slots[s] = slotOf(hash, at);
    }
    this.slots = slots;
  }
}

/** How full the store's index may get. */
const MAX_LOAD = 0.7;

/** Where a hash starts probing in a table of `capacity` slots: its high bits, scaled (any capacity). */
function position(hash: number, capacity: number): number {
  return Math.floor(((hash >>> 0) * capacity) / 4294967296);
}

/** FNV-1a over the key's UTF-16 code units, finished with a multiply so that close keys spread out. */
function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < key.length; k++) h = Math.imul(h ^ key.charCodeAt(k), 0x01000193);
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
}

/** Folds a copy into the stored interaction, independent of which copy came first. */
function mergeCopy(stored: Interaction, copy: Interaction): void {
  if (copy.bcc.length) {
    const bcc = new Set([...stored.bcc, ...copy.bcc]);
    stored.bcc = [...bcc].sort();
  }
  if (copy.isReply && !stored.isReply) stored.isReply = true;
  // Where sources disagree, the tracked Dataverse activity wins: it carries the record it is regarding.
  if (copy.regarding && !stored.regarding) stored.regarding = copy.regarding;
  if (copy.activityId && !stored.activityId) stored.activityId = copy.activityId;
  if (copy.subject !== undefined && stored.subject === undefined) stored.subject = copy.subject;
  if (copy.observedAt !== undefined) {
    stored.observedAt =
      stored.observedAt === undefined ? copy.observedAt : Math.min(stored.observedAt, copy.observedAt);
  }
}

/**
 * An append-only list in fixed-size chunks. A million-entry array grown by push is copied again and
 * again, and every copy is old-generation garbage; on a large history those copies alone set off full
 * collections of the whole heap.
 */
class ChunkedList<T> {
  /** 2^15 entries, 256 KiB: in V8's large-object space, promoted from the young generation without copying. */
  private static readonly BITS = 15;
  private readonly chunks: T[][] = [];
  size = 0;

  push(value: T): void {
    const at = this.size & ((1 << ChunkedList.BITS) - 1);
    if (at === 0) this.chunks.push(new Array<T>(1 << ChunkedList.BITS));
    (this.chunks[this.chunks.length - 1] as T[])[at] = value;
    this.size++;
  }

  /** The entry at `k` (0 <= k < size). */
  at(k: number): T | undefined {
    return this.chunks[k >> ChunkedList.BITS]?.[k & ((1 << ChunkedList.BITS) - 1)];
  }

  *values(): IterableIterator<T> {
    for (let k = 0; k < this.size; k++) yield this.at(k) as T;
  }
}
