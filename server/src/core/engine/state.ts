import { domainOf, inDomains } from "../address";
import type { InsightConfig } from "../config";
import { Directory, type DirectoryData } from "../directory";
import { kindWeight, personalFactor } from "../insights/strength";
import type { Interaction, InteractionKind } from "../interaction";
import { forEachPair, LazySides, type Sides } from "../participants";
import { AddressBook, type NumberedAddresses } from "./addressBook";
import { type PairAggregate, PairReader, PairTable, Touches } from "./pairTable";
import { doubles } from "./slots";
import { compareInteractions, InteractionStore, type StoreSnapshot } from "./store";

export type { ContactMark, DayColumns, PairAggregate, PairReader } from "./pairTable";

/** What a state keeps besides the colleague-to-external-person pairs. */
export interface StateOptions {
  /**
   * Keep colleague ties (pairs of colleagues, see colleagueReader): off by default, as only a run that
   * publishes them needs them; on the Enron mail they cost about a quarter more aggregation time
   * (docs/insights.md, Introduction paths).
   */
  colleagueTies?: boolean;
}

/** An interaction with its sides resolved, as the insight computations read it. */
export interface Resolved {
  interaction: Interaction;
  sides: Sides;
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
  /** Pair updates of the interactions being added, applied to `pairs` a block at a time. */
  private readonly touches = new Touches();
  /**
   * Colleague ties: the same aggregates for pairs of colleagues (internal and internal), each pair once
   * with the lower address number first (see touchColleagues); with their updates, applied with `touches`.
   */
  private colleagues = new PairTable();
  private readonly colleagueTouches = new Touches();
  /**
   * Each external person's interactions, as linked lists in one table rather than an array per person:
   * posting k is one number, its interaction's store position + 2^25 * (1 + the person's previous
   * posting, or 0), in chunks (a growing array would be copied again and again). Exact: store positions
   * are below 2^25 (InteractionStore) and postings below 2^28.
   */
  private postings: number[][] = [];
  private postingCount = 0;
  /** External people with interactions (address numbers), in the order first seen. */
  private externalsSeen: number[] = [];
  /** Serial of the interaction being indexed: marks addresses already seen in it without a Set. */
  private serial = 0;
  /** The participants of the interaction being indexed (address numbers), and the two sides (see split). */
  private readonly scratch: number[] = [];
  private readonly ours: number[] = [];
  private readonly theirs: number[] = [];
  private oursCount = 0;
  private theirsCount = 0;
  /**
   * The address numbers of the sender, To and Cc of the interactions being added, in that order, and where
   * each interaction's start (see addBlock).
   */
  private readonly listed: number[] = [];
  private readonly listedFrom: number[] = [];
  /** The addresses behind `listed`. */
  private readonly addresses: string[] = [];
  /** Where the block being added starts in the numbered addresses of addAll. */
  private numberedAt = 0;
  /** Every address seen, resolved once: the hot path does one lookup per participant. */
  private book: AddressBook;
  /** Interactions that had no one on one side (internal-only or external-only mail). */
  notRelationship = 0;
  /**
   * Each kind's weight (kindWeight), by kind number (see countSlot), read from the configuration at each
   * add rather than looked up by the kind's name per interaction (see docs/benchmarks.md, History).
   */
  private readonly kindWeights = [1, 1, 1, 1];
  /**
   * Each interaction's resolved sides by store position (null: not a relationship), filled as records
   * read them: an interaction with many people is read once per person, and resolving its every
   * participant each time would dominate computing insights. Cleared on any change (a copy can add Bcc).
   */
  private readonly resolved = new Map<number, Resolved | null>();
  /**
   * The store in canonical order, made at the first read after a change: `rank[position]` is a position's
   * place in it and `byRank` the inverse. A record's interactions are then ordered by sorting numbers
   * natively rather than by comparing interactions (times, then key strings) once per record.
   */
  private order: { rank: Int32Array; byRank: Int32Array } | undefined;

  /** Whether colleague ties are kept (see StateOptions). */
  readonly colleagueTies: boolean;

  constructor(
    directoryData: DirectoryData,
    readonly config: InsightConfig,
    store?: InteractionStore,
    options: StateOptions = {},
  ) {
    this.colleagueTies = options.colleagueTies ?? false;
    this.directory = new Directory(directoryData, config);
    this.optedOut = new Set(
      directoryData.users.filter((u) => u.optedOut).flatMap((u) => u.emails.map((e) => e.toLowerCase())),
    );
    this.book = new AddressBook(this.directory, this.optedOut);
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
    this.order = undefined;
    if (sameSides) {
      this.book.useDirectory(next, optedOut);
      return;
    }
    this.pairs = new PairTable();
    this.colleagues = new PairTable();
    this.postings = [];
    this.postingCount = 0;
    this.externalsSeen = [];
    this.book = new AddressBook(next, optedOut);
    this.serial = 0;
    this.notRelationship = 0;
    this.indexStore();
  }

  /** Adds one interaction; returns true when it was new (not a copy of one already held). */
  add(interaction: Interaction): boolean {
    if (this.resolved.size) this.resolved.clear();
    this.order = undefined;
    this.readWeights();
    const stored = this.store.add(interaction);
    if (!stored) return false;
    this.index(stored, this.store.size - 1, 0, this.list(stored));
    this.applyTouches();
    return true;
  }

  /**
   * Adds interactions as add() each in turn would (same result), a block at a time: the store first reads
   * the block's key slots, and the pair updates of the block are applied together (see PairTable.warm).
   * Returns how many were new. With `numbered` (an array only), the addresses come as numbers of the
   * reader's table, each resolved once for the whole run rather than looked up per participant.
   */
  addAll(interactions: Iterable<Interaction>, numbered?: NumberedAddresses): number {
    if (this.resolved.size) this.resolved.clear();
    this.order = undefined;
    this.readWeights();
    let added = 0;
    if (Array.isArray(interactions)) {
      // Blocks are slices of the array: iterating it with for...of allocates a result object per item.
      const all = interactions as readonly Interaction[];
      if (numbered) this.useNumbers(all, numbered);
      this.store.reserve(all.length);
      for (let from = 0; from < all.length; from += BLOCK) {
        added += this.addBlock(all, from, Math.min(all.length, from + BLOCK), numbered);
      }
      return added;
    }
    const block: Interaction[] = [];
    for (const i of interactions) {
      block.push(i);
      if (block.length === BLOCK) {
        added += this.addBlock(block, 0, BLOCK, undefined);
        block.length = 0;
      }
    }
    return added + this.addBlock(block, 0, block.length, undefined);
  }

  /**
   * Adds all[from .. to) in passes: the store reads the keys' slots; the addresses of the block are listed,
   * then numbered in one loop; then each interaction is added and indexed in turn; last, the block's pair
   * updates are applied (see PairTable.apply). Each pass is a short loop whose memory reads do not wait on
   * one another, so that they overlap.
   */
  private addBlock(
    all: readonly Interaction[],
    from: number,
    to: number,
    numbered: NumberedAddresses | undefined,
  ): number {
    const store = this.store;
    const hashes = store.warm(all, from, to);
    const starts = this.listedFrom;
    if (numbered) this.listNumbered(all, from, to, numbered);
    else {
      const addresses = this.addresses;
      let m = 0;
      for (let k = from; k < to; k++) {
        starts[k - from] = m;
        m = listAddresses(all[k] as Interaction, addresses, m);
      }
      starts[to - from] = m;
      // The lookups in a loop of their own: nothing between them for the CPU to wait on.
      const book = this.book;
      const listed = this.listed;
      for (let k = 0; k < m; k++) listed[k] = book.id(addresses[k] as string);
    }
    let added = 0;
    for (let k = from; k < to; k++) {
      const stored = store.add(all[k] as Interaction, hashes[k - from]);
      if (!stored) continue;
      this.index(stored, store.size - 1, starts[k - from] as number, starts[k - from + 1] as number);
      added++;
    }
    this.applyTouches();
    return added;
  }

  /** Checks that `numbered` lists exactly the senders, To and Cc of `all`, and binds its table to the book. */
  private useNumbers(all: readonly Interaction[], numbered: NumberedAddresses): void {
    let total = 0;
    for (let k = 0; k < all.length; k++) {
      const i = all[k] as Interaction;
      total += 1 + i.to.length + i.cc.length;
    }
    if (total !== numbered.listed.length) {
      throw new Error(
        `RelationshipState.addAll: ${numbered.listed.length} numbered addresses for interactions that list ${total}`,
      );
    }
    numbered.table.bind(this.book);
    this.numberedAt = 0;
  }

  /** As the listing of addBlock, from the numbers of the reader's table (see addAll). */
  private listNumbered(
    all: readonly Interaction[],
    from: number,
    to: number,
    numbered: NumberedAddresses,
  ): void {
    const starts = this.listedFrom;
    let m = 0;
    for (let k = from; k < to; k++) {
      starts[k - from] = m;
      const i = all[k] as Interaction;
      m += 1 + i.to.length + i.cc.length;
    }
    starts[to - from] = m;
    const { table, listed: refs } = numbered;
    const book = this.book;
    const listed = this.listed;
    const at = this.numberedAt;
    for (let k = 0; k < m; k++) listed[k] = table.id(refs[at + k] as number, book);
    this.numberedAt = at + m;
  }

  /** Reads the kinds' weights from the configuration (see kindWeights). */
  private readWeights(): void {
    for (let k = 0; k < KINDS.length; k++)
      this.kindWeights[k] = kindWeight(KINDS[k] as InteractionKind, this.config);
  }

  /** The numbers of an interaction's sender, To and Cc in `listed` from position 0; returns the end. */
  private list(i: Interaction): number {
    const n = listAddresses(i, this.addresses, 0);
    for (let k = 0; k < n; k++) this.listed[k] = this.book.id(this.addresses[k] as string);
    return n;
  }

  /** Indexes everything in the store, in canonical order. */
  private indexStore(): void {
    this.readWeights();
    const store = this.store;
    const numbers = Array.from({ length: store.size }, (_, n) => n);
    numbers.sort((a, b) => compareInteractions(store.at(a) as Interaction, store.at(b) as Interaction));
    for (let k = 0; k < numbers.length; k++) {
      const n = numbers[k] as number;
      const i = store.at(n) as Interaction;
      this.index(i, n, 0, this.list(i));
      if (k % BLOCK === BLOCK - 1) this.applyTouches();
    }
    this.applyTouches();
  }

  /** Applies the pair updates listed so far, of both tables. */
  private applyTouches(): void {
    this.pairs.apply(this.touches, this.store);
    if (this.colleagueTouches.size) this.colleagues.apply(this.colleagueTouches, this.store);
  }

  /**
   * Splits an interaction's people into our side and theirs (the sides rule of participants.sidesOf, on
   * address numbers: see split). Undefined when it is not a relationship.
   */
  sidesOf(i: Interaction): Sides | undefined {
    const end = this.list(i);
    if (!this.split(i, 0, end)) return undefined;
    const canonical = this.book.canonical;
    const internals: string[] = [];
    const externals: string[] = [];
    for (let k = 0; k < this.oursCount; k++) internals.push(canonical[this.ours[k] as number] as string);
    for (let k = 0; k < this.theirsCount; k++) externals.push(canonical[this.theirs[k] as number] as string);
    const out = this.book.internal[this.listed[0] as number] === 1;
    return new LazySides(i.kind, out ? "out" : "in", internals, externals);
  }

  /**
   * The sides rule on address numbers: the sender, To and Cc (`listed[first .. end)`, see list) and Bcc of
   * an interaction, each person once and opted-out users left out, split into `ours` and `theirs` (in that
   * order, the sender first on its side). False when it is not a relationship: an opted-out user's own
   * mail, or no one on one side. The hot path: no per-call allocation.
   */
  private split(i: Interaction, first: number, end: number): boolean {
    const book = this.book;
    const listed = this.listed;
    const from = listed[first] as number;
    const fromOptedOut = book.optedOut[from] === 1;
    // An opted-out user's own mail is never read; a meeting they organised still took place for the others.
    if (fromOptedOut && i.kind === "email") {
      this.oursCount = 0;
      this.theirsCount = 0;
      return false;
    }
    const serial = ++this.serial;
    book.seenIn[from] = serial;
    const people = this.scratch;
    let n = 0;
    if (!fromOptedOut) people[n++] = from;
    const optedOut = book.optedOut;
    const seenIn = book.seenIn;
    for (let k = first + 1; k < end; k++) {
      const x = listed[k] as number;
      if (optedOut[x] === 1 || seenIn[x] === serial) continue;
      seenIn[x] = serial;
      people[n++] = x;
    }
    n = this.gather(i.bcc, serial, n);
    // Read after gathering: resolving a new address may have grown the columns.
    const internal = book.internal;
    const ours = this.ours;
    const theirs = this.theirs;
    let ni = 0;
    let ne = 0;
    for (let k = 0; k < n; k++) {
      const x = people[k] as number;
      if (internal[x] === 1) ours[ni++] = x;
      else theirs[ne++] = x;
    }
    this.oursCount = ni;
    this.theirsCount = ne;
    return ni !== 0 && ne !== 0;
  }

  /**
   * Folds one new interaction into the index of external people and lists its pair updates (applied by
   * the caller). `listed[first .. end)` holds the numbers of its sender, To and Cc (see list). The hot
   * path: no per-call allocation.
   */
  private index(i: Interaction, seq: number, first: number, end: number): void {
    const related = this.split(i, first, end);
    const out = this.book.internal[this.listed[first] as number] === 1;
    const slot = countSlot(i.kind, out);
    const weight =
      (this.kindWeights[slot >> 1] as number) *
      personalFactor(i.recipientCount, this.config.massMailRecipients);
    if (this.colleagueTies && this.oursCount > 1) {
      const sender = this.listed[first] as number;
      const organiser = out && this.book.optedOut[sender] !== 1 ? sender : -1;
      this.touchColleagues(i, seq, organiser, weight);
    }
    if (!related) {
      this.notRelationship++;
      return;
    }
    const theirs = this.theirs;
    const ne = this.theirsCount;
    for (let k = 0; k < ne; k++) this.post(theirs[k] as number, seq);
    const touches = this.touches;
    touches.begin(seq, i.at, slot, weight);
    forEachPair(i.kind, out ? "out" : "in", this.ours, this.oursCount, theirs, ne, touches);
  }

  /**
   * Lists the colleague-tie updates of an interaction whose side of ours (`ours`, the sender first when
   * ours; `organiser` its number, or -1 when it is not one of ours) holds two or more colleagues: mail pairs an internal sender with each colleague it reached (mail
   * from outside pairs no colleagues); a meeting or call pairs everyone of ours present. Not when more than
   * {@link COLLEAGUE_LIMIT} of ours take part (a message to hundreds is not a tie between each two). Each pair
   * is kept as (lower number, higher number), "by us" when the lower one started it.
   */
  private touchColleagues(i: Interaction, seq: number, organiser: number, weight: number): void {
    const ours = this.ours;
    const n = this.oursCount;
    if (n > COLLEAGUE_LIMIT || (i.kind === "email" && organiser === -1)) return;
    const touches = this.colleagueTouches;
    const byLow = countSlot(i.kind, true);
    const byHigh = countSlot(i.kind, false);
    const canonical = this.book.canonical;
    const email = i.kind === "email";
    for (let a = 0; a < n; a++) {
      const x = ours[a] as number;
      for (let b = a + 1; b < n; b++) {
        const y = ours[b] as number;
        if (email && x !== organiser) break;
        // Started by the sender or organiser; between two others, by the first in address order (any fixed
        // rule: the direction of a meeting does not change a tie's strength).
        const starter =
          x === organiser || (y !== organiser && (canonical[x] as string) < (canonical[y] as string)) ? x : y;
        const low = x < y ? x : y;
        touches.begin(seq, i.at, starter === low ? byLow : byHigh, weight);
        touches.push(low, x < y ? y : x);
      }
      if (email) return;
    }
  }

  /** Adds interaction number `seq` to an external person's list. */
  private post(x: number, seq: number): void {
    const k = this.postingCount++;
    if (k === MAX_POSTINGS) throw new RangeError("Too many interactions per person to index");
    if ((k & POSTING_MASK) === 0) this.postings.push(doubles(1 << POSTING_BITS));
    const head = this.book.head;
    (this.postings[k >> POSTING_BITS] as number[])[k & POSTING_MASK] =
      seq + POSTING_NEXT * (1 + (head[x] as number));
    if (head[x] === -1) this.externalsSeen.push(x);
    head[x] = k;
  }

  /** Appends a list's participants not seen yet in this interaction to the scratch list; returns its length. */
  private gather(list: readonly string[], serial: number, n: number): number {
    const people = this.scratch;
    const book = this.book;
    for (let k = 0; k < list.length; k++) {
      const x = book.id(list[k] as string);
      if (book.optedOut[x] === 1 || book.seenIn[x] === serial) continue;
      book.seenIn[x] = serial;
      people[n++] = x;
    }
    return n;
  }

  /** All pair aggregates (unordered); views built on read, reused until the pair changes. */
  *pairAggregates(): IterableIterator<PairAggregate> {
    const reader = this.pairReader();
    for (let p = 0; p < reader.size; p++) yield reader.view(p);
  }

  /**
   * Reads the colleague ties by number (none unless the state keeps them: StateOptions), as pairReader (its `internal` is the lower-numbered colleague,
   * its `external` the other; "by us" counts what the first started). Valid until the next change.
   */
  colleagueReader(): PairReader {
    return new PairReader(this.colleagues, this.book.canonical, this.store);
  }

  pair(internal: string, external: string): PairAggregate | undefined {
    const u = this.book.find(internal);
    const e = this.book.find(external);
    const p = u !== -1 && e !== -1 ? this.pairs.find(u, e) : -1;
    return p === -1 ? undefined : this.pairReader().view(p);
  }

  /**
   * Reads the pairs by number (0 to size - 1) without building a PairAggregate for each: a pass over
   * every pair (the strength of every connection) reads the tables directly. Valid until the next change.
   */
  pairReader(): PairReader {
    return new PairReader(this.pairs, this.book.canonical, this.store);
  }

  /** External people seen, with their interactions. */
  externals(): IterableIterator<string> {
    const canonical = this.book.canonical;
    return this.externalsSeen.map((x) => canonical[x] as string).values();
  }

  /** Appends an external person's interactions (store positions, newest arrival first) to `into`. */
  private interactionsOf(external: string, into: number[]): boolean {
    const x = this.book.find(external);
    if (x === -1 || this.book.canonical[x] !== external || this.book.head[x] === -1) return false;
    for (let k = this.book.head[x] as number; k !== -1;) {
      const posting = (this.postings[k >> POSTING_BITS] as number[])[k & POSTING_MASK] as number;
      into.push(posting % POSTING_NEXT);
      k = Math.floor(posting / POSTING_NEXT) - 1;
    }
    return true;
  }

  /** The interactions involving any of these external people, once each, in canonical order, with their sides. */
  interactionsWith(externals: Iterable<string>): Resolved[] {
    const found: number[] = [];
    for (const e of externals) this.interactionsOf(e, found);
    const { rank, byRank } = this.canonicalOrder();
    const ranks = new Int32Array(found.length);
    for (let k = 0; k < found.length; k++) ranks[k] = rank[found[k] as number] as number;
    ranks.sort();
    const store = this.store;
    const out: Resolved[] = [];
    for (let k = 0; k < ranks.length; k++) {
      // A person's list holds each interaction once; several lists may share interactions.
      if (k > 0 && ranks[k] === ranks[k - 1]) continue;
      const n = byRank[ranks[k] as number] as number;
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

  /** The store's canonical order (time, then key), made once per change of the store (see `order`). */
  private canonicalOrder(): { rank: Int32Array; byRank: Int32Array } {
    if (this.order) return this.order;
    const store = this.store;
    const size = store.size;
    const byRank = new Int32Array(size);
    for (let n = 0; n < size; n++) byRank[n] = n;
    byRank.sort((a, b) => compareInteractions(store.at(a) as Interaction, store.at(b) as Interaction));
    const rank = new Int32Array(size);
    for (let k = 0; k < size; k++) rank[byRank[k] as number] = k;
    this.order = { rank, byRank };
    return this.order;
  }

  /** External addresses grouped by domain, to place people in accounts by company domain. */
  externalsByDomain(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const x of this.externalsSeen) {
      const e = this.book.canonical[x] as string;
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

/**
 * Appends an interaction's sender, To and Cc to `into` from position n; returns the new end. (Bcc is read
 * when indexing: the store sorts it when it keeps the interaction.) Numbering an address that turns out
 * to be in a copy only is harmless: numbers are internal.
 */
function listAddresses(i: Interaction, into: string[], n: number): number {
  into[n++] = i.from;
  const to = i.to;
  for (let k = 0; k < to.length; k++) into[n++] = to[k] as string;
  const cc = i.cc;
  for (let k = 0; k < cc.length; k++) into[n++] = cc[k] as string;
  return n;
}

/** Column of a pair's counts for a kind and direction: kind-major, "out" then "in". */
function countSlot(kind: InteractionKind, out: boolean): number {
  const k = kind === "email" ? 0 : kind === "meeting" ? 1 : kind === "call" ? 2 : 3;
  return 2 * k + (out ? 0 : 1);
}

/** The kinds by number (see countSlot). */
const KINDS: readonly InteractionKind[] = ["email", "meeting", "call", "task"];

/**
 * Interactions with more of our people than this make no colleague ties (see touchColleagues): an
 * announcement to the whole company or an all-hands meeting is not a tie between each two present.
 */
const COLLEAGUE_LIMIT = 50;

/** Interactions added at a time by addAll (their pair updates are applied together). */
const BLOCK = 256;

/** Postings come in chunks of 2^15 (256 KiB, in V8's large-object space: see pairTable.ts). */
const POSTING_BITS = 15;
/** The factor of the previous posting in a posting (see RelationshipState.postings). */
const POSTING_NEXT = 2 ** 25;
const MAX_POSTINGS = 2 ** 28 - 1;
const POSTING_MASK = (1 << POSTING_BITS) - 1;
