import type { InsightConfig } from "../../core/config";
import { AddressTable, type NumberedAddresses } from "../../core/engine/addressBook";
import type { Interaction, InteractionKind, SourceKind } from "../../core/interaction";
import type { DropKind, PeopleNumbers, SkipReason } from "../../core/normalise";
import type { SourceIssue } from "../sourceItem";

export interface WorkerSetup {
  config: InsightConfig;
  now: number;
  /** Keep only interactions observed strictly before this instant (see IngestOptions.before). */
  before?: number;
}

export type WorkerRequest = { type: "file"; file: string } | { type: "stop" };

/** What the reader yields per worker message: a file's interactions, issues and counts; `done` closes the file. */
export class WorkerBatch {
  /** The interactions kept (observed before the cutoff). */
  interactions: Interaction[] = [];
  /** Their senders, To and Cc as numbers of the worker's table (see RelationshipState.addAll). */
  numbered: NumberedAddresses | undefined;
  /** Interactions read but observed at or after the cutoff (not sent). */
  cut = 0;
  /**
   * With `done`: how often each address took part in the file's kept interactions (sender, To and Cc), in
   * order of first appearance; undefined when none was kept.
   */
  participants: Map<string, number> | undefined;
  issues: SourceIssue[] = [];
  skipped: Partial<Record<SkipReason, number>> = {};
  dropped: Partial<Record<DropKind, number>> = {};
  copies = 0;
  bytes = 0;
  done = false;
  constructor(readonly file: string) {}
}

/**
 * What a worker posts: interactions packed into one Float64Array (transferred, not copied) and one string,
 * with strings that recur (addresses, thread keys) sent once per worker and referred to by number after.
 * Structured-cloning hundreds of thousands of small objects cost more than reading the mail.
 */
export interface WireBatch {
  file: string;
  /** Strings new to the worker's table since its last batch, in table order. */
  strings: string[];
  /** Packed interaction records (see InteractionEncoder). */
  nums: Float64Array;
  /** Keys and Message-IDs, in record order, joined by NUL. */
  text: string;
  count: number;
  cut: number;
  /** With `done`: the file's participants and their counts (see WorkerBatch.participants), as pairs. */
  participants?: [string, number][];
  issues: SourceIssue[];
  skipped: Partial<Record<SkipReason, number>>;
  dropped: Partial<Record<DropKind, number>>;
  copies: number;
  bytes: number;
  done: boolean;
}

const F_DURATION = 1;
const F_THREAD = 2;
const F_REPLY = 4;
const F_MESSAGE_ID = 8;
const F_DECLINED = 16;
const F_OBSERVED = 32;

const SEP = "\u0000";

/** Which optional fields an interaction has (F_* bits). */
function flagsOf(x: Interaction): number {
  let flags = 0;
  if (x.durationMin !== undefined) flags |= F_DURATION;
  if (x.thread !== undefined) flags |= F_THREAD;
  if (x.isReply) flags |= F_REPLY;
  if (x.messageId !== undefined) flags |= F_MESSAGE_ID;
  if (x.declined !== undefined) flags |= F_DECLINED;
  if (x.observedAt !== undefined) flags |= F_OBSERVED;
  return flags;
}

/** Worker side: packs interactions; one instance per worker (its string table lives as long as the worker). */
export class InteractionEncoder {
  private readonly table = new Map<string, number>();
  /** Per person number of the normaliser (see PeopleNumbers), its table number + 1 (0: none yet). */
  private byPerson = new Int32Array(1024);
  private generation = -1;
  private fresh: string[] = [];
  // Packed records, written in place (a growing typed array: no boxed numbers, no conversion at take()).
  private nums = new Float64Array(1 << 16);
  private len = 0;
  private texts: string[] = [];
  private count = 0;
  private readonly tableLimit: number;

  constructor(tableLimit = 1_000_000) {
    this.tableLimit = tableLimit;
  }

  get length(): number {
    return this.count;
  }

  private ref(s: string): number {
    let i = this.table.get(s);
    if (i === undefined) {
      i = this.table.size;
      this.table.set(s, i);
      this.fresh.push(s);
    }
    return i;
  }

  private room(n: number): Float64Array {
    if (this.len + n > this.nums.length) {
      const bigger = new Float64Array(Math.max(this.nums.length * 2, this.len + n));
      bigger.set(this.nums.subarray(0, this.len));
      this.nums = bigger;
    }
    return this.nums;
  }

  private list(a: readonly string[]): void {
    const n = this.room(a.length);
    for (let i = 0; i < a.length; i++) n[this.len++] = this.ref(a[i] as string);
  }

  /** As list, with the people's numbers (ids from `at`): a string is looked up once per person. */
  private listPeople(a: readonly string[], ids: readonly number[], at: number): number {
    const n = this.room(a.length);
    for (let i = 0; i < a.length; i++) n[this.len++] = this.personRef(ids[at + i] as number, a[i] as string);
    return at + a.length;
  }

  /** The table number of person `id`, whose address is `s`. */
  private personRef(id: number, s: string): number {
    if (id >= this.byPerson.length) {
      const bigger = new Int32Array(Math.max(2 * this.byPerson.length, id + 1));
      bigger.set(this.byPerson);
      this.byPerson = bigger;
    }
    const known = this.byPerson[id] as number;
    if (known !== 0) return known - 1;
    const r = this.ref(s);
    this.byPerson[id] = r + 1;
    return r;
  }

  /**
   * Packs an interaction. With `people` (the normaliser's numbers of its sender, To, Cc, Bcc and declined,
   * see Normaliser.lastPeople), addresses are found by number rather than looked up by string.
   */
  add(x: Interaction, people?: PeopleNumbers): void {
    if (x.regarding || x.subject !== undefined || x.activityId !== undefined) {
      throw new Error("InteractionEncoder: tracked Dataverse activities are not read from mail");
    }
    const n = this.room(13);
    let p = this.len;
    n[p++] = flagsOf(x);
    n[p++] = this.ref(x.kind);
    n[p++] = this.ref(x.source);
    n[p++] = x.at;
    n[p++] = x.observedAt ?? 0;
    n[p++] = x.durationMin ?? 0;
    n[p++] = x.recipientCount;
    n[p++] = people ? this.peopleRef(x, people) : this.ref(x.from);
    n[p++] = x.thread !== undefined ? this.ref(x.thread) : -1;
    n[p++] = x.to.length;
    n[p++] = x.cc.length;
    n[p++] = x.bcc.length;
    n[p++] = x.declined?.length ?? 0;
    this.len = p;
    if (people) {
      let at = this.listPeople(x.to, people.ids, 1);
      at = this.listPeople(x.cc, people.ids, at);
      at = this.listPeople(x.bcc, people.ids, at);
      if (x.declined) this.listPeople(x.declined, people.ids, at);
    } else {
      this.list(x.to);
      this.list(x.cc);
      this.list(x.bcc);
      if (x.declined) this.list(x.declined);
    }
    this.texts.push(x.key);
    if (x.messageId !== undefined) this.texts.push(x.messageId);
    this.count++;
  }

  /** The sender's table number by its person number, after checking that `people` numbers every address of `x`. */
  private peopleRef(x: Interaction, people: PeopleNumbers): number {
    const listed = 1 + x.to.length + x.cc.length + x.bcc.length + (x.declined?.length ?? 0);
    if (people.ids.length !== listed) {
      throw new Error(`InteractionEncoder: ${people.ids.length} people numbers for ${listed} addresses`);
    }
    if (people.generation !== this.generation) {
      // The normaliser started its numbering again.
      this.generation = people.generation;
      this.byPerson.fill(0);
    }
    return this.personRef(people.ids[0] as number, x.from);
  }

  /** Takes what was added since the last call, as the packed part of a wire batch. */
  take(): Pick<WireBatch, "strings" | "nums" | "text" | "count"> {
    const out = {
      strings: this.fresh,
      nums: this.nums.slice(0, this.len),
      text: this.texts.join(SEP),
      count: this.count,
    };
    this.fresh = [];
    this.len = 0;
    this.texts = [];
    this.count = 0;
    // A very long run: start a new table (the decoder follows, told by an empty-string marker).
    if (this.table.size > this.tableLimit) {
      this.table.clear();
      this.byPerson.fill(0);
      this.fresh.push(RESET);
    }
    return out;
  }
}

/**
 * How often each address takes part in a file's kept interactions (sender, To and Cc), in order of first
 * appearance (see WorkerBatch.participants), counted by the normaliser's person numbers rather than in a
 * map keyed by the address of each participant of each message.
 */
export class ParticipantCounter {
  /** Per person number, how often it took part since the last fold. */
  private counts = new Int32Array(1024);
  /** The people counted since the last fold, in order of first appearance, and their addresses. */
  private readonly ids: number[] = [];
  private readonly addresses: string[] = [];
  private generation = -1;
  /** The counts folded so far (at a renumbering or at the end), by address, in order of first appearance. */
  private folded = new Map<string, number>();

  /** Counts the sender, To and Cc of `x`, numbered by `people` (see Normaliser.lastPeople). */
  add(x: Interaction, people: PeopleNumbers): void {
    if (people.generation !== this.generation) {
      // The normaliser numbers its people again: what was counted goes by address from here.
      this.fold();
      this.generation = people.generation;
    }
    this.count(people.ids[0] as number, x.from);
    for (let k = 0; k < x.to.length; k++) this.count(people.ids[1 + k] as number, x.to[k] as string);
    const at = 1 + x.to.length;
    for (let k = 0; k < x.cc.length; k++) this.count(people.ids[at + k] as number, x.cc[k] as string);
  }

  private count(id: number, address: string): void {
    if (id >= this.counts.length) {
      const bigger = new Int32Array(Math.max(2 * this.counts.length, id + 1));
      bigger.set(this.counts);
      this.counts = bigger;
    }
    if (this.counts[id] === 0) {
      this.ids.push(id);
      this.addresses.push(address);
    }
    this.counts[id] = (this.counts[id] as number) + 1;
  }

  private fold(): void {
    const folded = this.folded;
    for (let k = 0; k < this.ids.length; k++) {
      const id = this.ids[k] as number;
      const address = this.addresses[k] as string;
      folded.set(address, (folded.get(address) ?? 0) + (this.counts[id] as number));
      this.counts[id] = 0;
    }
    this.ids.length = 0;
    this.addresses.length = 0;
  }

  /** The file's participants and their counts, in order of first appearance; the counter starts over. */
  take(): [string, number][] {
    this.fold();
    const out = [...this.folded];
    this.folded = new Map();
    return out;
  }
}

// Sent as a table's first new string when the worker restarted its table; never a real value here.
const RESET = "\u0000reset";

/**
 * Main-thread side: one per worker, rebuilding interactions that share their address strings, with their
 * senders, To and Cc as numbers of the worker's table (`numbered`, of the last batch decoded).
 */
export class InteractionDecoder {
  private table = new AddressTable();
  private refs = new Int32Array(1 << 14);
  private refCount = 0;
  numbered: NumberedAddresses | undefined;

  /** Keeps a table number of the batch's listing (see NumberedAddresses). */
  private keep(ref: number): void {
    if (this.refCount === this.refs.length) {
      const bigger = new Int32Array(2 * this.refs.length);
      bigger.set(this.refs);
      this.refs = bigger;
    }
    this.refs[this.refCount++] = ref;
  }

  decode(wire: Pick<WireBatch, "strings" | "nums" | "text" | "count">): Interaction[] {
    for (const s of wire.strings) {
      // A new table: batches decoded before keep theirs.
      if (s === RESET) this.table = new AddressTable();
      else this.table.push(s);
    }
    const t = this.table.strings;
    const str = (i: number): string => t[i] as string;
    const n = wire.nums;
    const texts = wire.count ? wire.text.split(SEP) : [];
    let ti = 0;
    let p = 0;
    const out: Interaction[] = new Array<Interaction>(wire.count);
    const list = (len: number, listed = false): string[] => {
      const a = new Array<string>(len);
      for (let k = 0; k < len; k++) {
        const ref = n[p++] as number;
        if (listed) this.keep(ref);
        a[k] = t[ref] as string;
      }
      return a;
    };
    this.refCount = 0;
    for (let k = 0; k < wire.count; k++) {
      const flags = n[p++] as number;
      const kind = str(n[p++] as number) as InteractionKind;
      const source = str(n[p++] as number) as SourceKind;
      const at = n[p++] as number;
      const observedAt = n[p++] as number;
      const durationMin = n[p++] as number;
      const recipientCount = n[p++] as number;
      const fromRef = n[p++] as number;
      const from = str(fromRef);
      this.keep(fromRef);
      const thread = n[p++] as number;
      const nTo = n[p++] as number;
      const nCc = n[p++] as number;
      const nBcc = n[p++] as number;
      const nDeclined = n[p++] as number;
      const to = list(nTo, true);
      const cc = list(nCc, true);
      const bcc = list(nBcc);
      const key = texts[ti++] as string;
      if ((flags & ~F_REPLY) === (F_THREAD | F_MESSAGE_ID)) {
        // Mail's usual shape (a thread and a Message-ID), made whole at once: its fields then sit in the
        // object itself rather than in a second block that the fields added one by one would need.
        const messageId = texts[ti++] as string;
        out[k] =
          flags & F_REPLY
            ? {
                key,
                kind,
                at,
                from,
                to,
                cc,
                bcc,
                recipientCount,
                source,
                thread: str(thread),
                messageId,
                isReply: true,
              }
            : { key, kind, at, from, to, cc, bcc, recipientCount, source, thread: str(thread), messageId };
        continue;
      }
      const x: Interaction = { key, kind, at, from, to, cc, bcc, recipientCount, source };
      if (flags & F_OBSERVED) x.observedAt = observedAt;
      if (flags & F_DECLINED) x.declined = list(nDeclined);
      if (flags & F_DURATION) x.durationMin = durationMin;
      if (flags & F_THREAD) x.thread = str(thread);
      if (flags & F_MESSAGE_ID) x.messageId = texts[ti++] as string;
      if (flags & F_REPLY) x.isReply = true;
      out[k] = x;
    }
    this.numbered = { table: this.table, listed: this.refs.slice(0, this.refCount) };
    return out;
  }
}
