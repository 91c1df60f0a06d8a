import type { InsightConfig } from "../../core/config";
import type { Interaction, InteractionKind, SourceKind } from "../../core/interaction";
import type { DropKind, SkipReason } from "../../core/normalise";
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

  add(x: Interaction): void {
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
    n[p++] = this.ref(x.from);
    n[p++] = x.thread !== undefined ? this.ref(x.thread) : -1;
    n[p++] = x.to.length;
    n[p++] = x.cc.length;
    n[p++] = x.bcc.length;
    n[p++] = x.declined?.length ?? 0;
    this.len = p;
    this.list(x.to);
    this.list(x.cc);
    this.list(x.bcc);
    if (x.declined) this.list(x.declined);
    this.texts.push(x.key);
    if (x.messageId !== undefined) this.texts.push(x.messageId);
    this.count++;
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
      this.fresh.push(RESET);
    }
    return out;
  }
}

// Sent as a table's first new string when the worker restarted its table; never a real value here.
const RESET = "\u0000reset";

/** Main-thread side: one per worker, rebuilding interactions that share their address strings. */
export class InteractionDecoder {
  private table: string[] = [];

  decode(wire: Pick<WireBatch, "strings" | "nums" | "text" | "count">): Interaction[] {
    for (const s of wire.strings) {
      if (s === RESET) this.table = [];
      else this.table.push(s);
    }
    const t = this.table;
    const str = (i: number): string => t[i] as string;
    const n = wire.nums;
    const texts = wire.count ? wire.text.split(SEP) : [];
    let ti = 0;
    let p = 0;
    const out: Interaction[] = new Array<Interaction>(wire.count);
    const list = (len: number): string[] => {
      const a = new Array<string>(len);
      for (let k = 0; k < len; k++) a[k] = str(n[p++] as number);
      return a;
    };
    for (let k = 0; k < wire.count; k++) {
      const flags = n[p++] as number;
      const kind = str(n[p++] as number) as InteractionKind;
      const source = str(n[p++] as number) as SourceKind;
      const at = n[p++] as number;
      const observedAt = n[p++] as number;
      const durationMin = n[p++] as number;
      const recipientCount = n[p++] as number;
      const from = str(n[p++] as number);
      const thread = n[p++] as number;
      const nTo = n[p++] as number;
      const nCc = n[p++] as number;
      const nBcc = n[p++] as number;
      const nDeclined = n[p++] as number;
      const to = list(nTo);
      const cc = list(nCc);
      const bcc = list(nBcc);
      const x: Interaction = {
        key: texts[ti++] as string,
        kind,
        at,
        from,
        to,
        cc,
        bcc,
        recipientCount,
        source,
      };
      if (flags & F_OBSERVED) x.observedAt = observedAt;
      if (flags & F_DECLINED) x.declined = list(nDeclined);
      if (flags & F_DURATION) x.durationMin = durationMin;
      if (flags & F_THREAD) x.thread = str(thread);
      if (flags & F_MESSAGE_ID) x.messageId = texts[ti++] as string;
      if (flags & F_REPLY) x.isReply = true;
      out[k] = x;
    }
    return out;
  }
}
