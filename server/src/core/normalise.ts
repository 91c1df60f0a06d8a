import { type AddressKind, type ClassifiedAddress, classifyMailbox } from "./address";
import { isAutomatedAddress, isAutomatedHeaderValue, isAutoReplySubject } from "./automated";
import type { InsightConfig } from "./config";
import { isExcludedAddress } from "./exclusions";
import { Hash53, hash53, hashPair } from "./hash";
import type { Envelope, EventEnvelope, Interaction, MailboxRef, MessageEnvelope } from "./interaction";
import { isReplySubject, normaliseSubject } from "./subject";

/** Why an item was not turned into an interaction. Every skip is counted under its reason. */
export type SkipReason =
  | "invalidDate"
  | "dateOutOfWindow"
  | "noSender"
  | "automatedSender"
  | "autoReply"
  | "excluded"
  | "noRecipients"
  | "cancelledMeeting"
  | "cancelledCall"
  | "unsentEmail"
  | "seriesMaster"
  | "noAttendees";

/** Recipients that were kept out of relationship signals, by kind. */
export type DropKind = Exclude<AddressKind, "smtp"> | "excluded" | "truncated";

export type NormaliseResult = { ok: true; interaction: Interaction } | Skipped;

/** Judged like any other item (skips and drops counted), but observed at or after the cutoff: not built. */
export interface Late {
  ok: false;
  late: true;
}

const LATE: Late = { ok: false, late: true };

type Skipped = { ok: false; reason: SkipReason };

/**
 * The people of the interaction judge() last built, by number: its sender, then its To, Cc, Bcc and
 * declined attendees in the interaction's order. A reader that numbers addresses (the mbox workers' wire
 * table) maps these numbers once instead of looking up every address of every message.
 */
export interface PeopleNumbers {
  readonly ids: readonly number[];
  /** Numbers are dense from 0 in order of first sight; they start again (bounded memory) when this changes. */
  readonly generation: number;
}

/** A recipient list as the de-duplication key sees it: how many, and the sums of their two hashes. */
interface ListSum {
  n: number;
  a: number;
  b: number;
}

const DAY_MS = 86_400_000;

/** Why a mailbox of a recipient list is not a participant, before per-message checks. */
type ListDrop = Exclude<AddressKind, "smtp">;

interface Person {
  address: string;
  /** Dense from 0 in order of first sight, within one generation (see PeopleNumbers). */
  id: number;
  h1: number;
  h2: number;
  excluded: boolean;
  /** The message (by stamp) that last listed this address. */
  stamp: number;
}

/**
 * Judges envelopes from every source into interactions: drops machine mail, implausible dates and
 * non-addresses, resolves the de-duplication keys. One instance per run; it memoises per-address work
 * because the same addresses recur hundreds of thousands of times.
 * @example new Normaliser(config, now).message(envelope)
 */
export class Normaliser {
  /** Recipients kept out of relationship signals, counted by kind. */
  readonly dropped: Record<DropKind, number> = {
    notesName: 0,
    x500: 0,
    undisclosed: 0,
    invalid: 0,
    excluded: 0,
    truncated: 0,
  };
  private readonly classified = new Map<string, ClassifiedAddress>();
  private readonly numbers: { ids: number[]; generation: number } = { ids: [], generation: 0 };
  /** Verdicts of whole recipient lists that recur as the same frozen array (see `addresses`). */
  private lists = new WeakMap<readonly MailboxRef[], readonly (Person | ListDrop)[]>();
  private readonly hasher = new Hash53();
  private readonly people = new Map<string, Person>();
  private readonly threads = new Map<string, string>();
  private stamp = 0;
  private seenCount = 0;
  private sumA = 0;
  private sumB = 0;
  private readonly latest: number;

  constructor(
    private readonly config: InsightConfig,
    now: number,
  ) {
    this.latest = now + config.maxFutureDays * DAY_MS;
  }

  message(env: MessageEnvelope): NormaliseResult {
    return this.judgeMessage(env, Number.POSITIVE_INFINITY) as NormaliseResult;
  }

  event(env: EventEnvelope): NormaliseResult {
    return this.judgeEvent(env, Number.POSITIVE_INFINITY) as NormaliseResult;
  }

  /**
   * As message() or event(), with a cutoff (a backtest's as-of date): an interaction observed at or after
   * it is judged all the same, so that its skips and drops are counted as they would be, but not built
   * (Late). Most of a long history is after a backtest's cutoff, and building is most of the work.
   */
  judge(env: Envelope, before: number): NormaliseResult | Late {
    return env.kind === "email" ? this.judgeMessage(env, before) : this.judgeEvent(env, before);
  }

  private judgeMessage(env: MessageEnvelope, before: number): NormaliseResult | Late {
    const from = this.messageSender(env);
    if (typeof from !== "string") return from;
    // An address already in To/Cc is not counted again from Bcc (some exports copy Cc into Bcc).
    const stamp = this.beginMessage(from);
    // Observed when sent (a meeting request too: see observedAt below). Late mail is only counted: its
    // recipients are judged (drops counted) without listing them.
    if (env.sentAt >= before) {
      const n = this.count(env.to, stamp) + this.count(env.cc, stamp) + this.count(env.bcc, stamp);
      return n === 0 ? { ok: false, reason: "noRecipients" } : LATE;
    }
    const to = this.addresses(env.to, stamp);
    const toSum: ListSum = { n: to.length, a: this.sumA, b: this.sumB };
    const cc = this.addresses(env.cc, stamp);
    const ccSum: ListSum = { n: cc.length, a: this.sumA, b: this.sumB };
    const bcc = this.addresses(env.bcc, stamp);
    if (to.length + cc.length + bcc.length === 0) return { ok: false, reason: "noRecipients" };

    const subjectKey = normaliseSubject(env.subject);
    const at = env.sentAt;
    const interaction: Interaction = {
      key: `f:${this.keyHash(from, at, toSum, ccSum, subjectKey)}`,
      kind: env.meeting ? "meeting" : "email",
      at: env.meeting ? env.meeting.start : at,
      from,
      to,
      cc,
      bcc,
      recipientCount: env.to.length + env.cc.length + env.bcc.length,
      source: env.source,
    };
    this.addMessageDetails(interaction, env, subjectKey);
    return { ok: true, interaction };
  }

  /** The people of the interaction last built, by number (see PeopleNumbers). */
  get lastPeople(): PeopleNumbers {
    return this.numbers;
  }

  /** A message's sender address, or why the message is skipped before its recipients are looked at. */
  private messageSender(env: MessageEnvelope): string | Skipped {
    const dateProblem = this.checkDate(env.sentAt);
    if (dateProblem) return { ok: false, reason: dateProblem };
    const fromBox = env.from ?? env.sender;
    const fromC = fromBox ? this.classify(fromBox) : undefined;
    if (!fromC || fromC.address === undefined) return { ok: false, reason: "noSender" };
    const from = fromC.address;
    if (isAutomatedAddress(from) || isAutomatedHeaderValue(env.automatedHeader))
      return { ok: false, reason: "automatedSender" };
    if (isAutomatedHeaderValue(env.autoReplyHeader) || isAutoReplySubject(env.subject))
      return { ok: false, reason: "autoReply" };
    if (this.isExcluded(from)) return { ok: false, reason: "excluded" };
    return from;
  }

  /** A message's optional fields, in this order: meeting duration and observation time, thread, id, reply. */
  private addMessageDetails(interaction: Interaction, env: MessageEnvelope, subjectKey: string): void {
    if (env.meeting) {
      interaction.durationMin = Math.max(0, Math.round((env.meeting.end - env.meeting.start) / 60_000));
      interaction.observedAt = env.sentAt;
    }
    const thread = env.conversationId
      ? `c:${env.conversationId}`
      : subjectKey
        ? this.subjectThread(subjectKey)
        : undefined;
    if (thread) interaction.thread = thread;
    if (env.messageId && !env.messageIdIsPerCopy) interaction.messageId = env.messageId.toLowerCase();
    if (isReplySubject(env.subject)) interaction.isReply = true;
  }

  /**
   * Judges one calendar event: cancelled meetings and series masters are skipped, declined attendees and
   * rooms are not participants, all-day events count as meetings without adding time spent.
   */
  private judgeEvent(env: EventEnvelope, before: number): NormaliseResult | Late {
    const dateProblem = this.checkDate(env.start);
    if (dateProblem) return { ok: false, reason: dateProblem };
    if (env.isCancelled) return { ok: false, reason: "cancelledMeeting" };
    if (env.type === "seriesMaster") return { ok: false, reason: "seriesMaster" };
    const orgC = env.organizer ? this.classify(env.organizer) : undefined;
    if (!orgC || orgC.address === undefined) return { ok: false, reason: "noSender" };
    const from = orgC.address;
    if (this.isExcluded(from)) return { ok: false, reason: "excluded" };

    const stamp = this.beginMessage(from);
    const people = env.attendees.filter((a) => a.type !== "resource");
    const attending = people.filter((a) => a.response !== "declined");
    const to = this.addresses(
      attending.filter((a) => a.type === "required").map((a) => a.mailbox),
      stamp,
    );
    const cc = this.addresses(
      attending.filter((a) => a.type === "optional").map((a) => a.mailbox),
      stamp,
    );
    const declined = this.addresses(
      people.filter((a) => a.response === "declined").map((a) => a.mailbox),
      stamp,
    );
    if (to.length + cc.length === 0) return { ok: false, reason: "noAttendees" };
    if (env.start >= before) return LATE;

    const key = env.iCalUId
      ? `e:${env.iCalUId.toLowerCase()}@${env.start}`
      : `f:${this.fingerprint(from, env.start, to, cc, normaliseSubject(env.subject))}`;
    const interaction: Interaction = {
      key,
      kind: "meeting",
      at: env.start,
      from,
      to,
      cc,
      bcc: [],
      recipientCount: people.length,
      source: env.source,
    };
    if (!env.isAllDay && Number.isFinite(env.end) && env.end > env.start) {
      interaction.durationMin = Math.round((env.end - env.start) / 60_000);
    }
    if (declined.length) interaction.declined = declined;
    return { ok: true, interaction };
  }

  private checkDate(at: number): SkipReason | undefined {
    if (!Number.isFinite(at)) return "invalidDate";
    if (at < this.config.earliestPlausible || at > this.latest) return "dateOutOfWindow";
    return undefined;
  }

  private isExcluded(address: string): boolean {
    return isExcludedAddress(address, this.config);
  }

  private classify(m: MailboxRef): ClassifiedAddress {
    // Cache by address text alone when it has an "@": the display name cannot change the verdict then.
    if (!m.address.includes("@")) return classifyMailbox(m);
    let c = this.classified.get(m.address);
    if (!c) {
      c = classifyMailbox(m);
      this.classified.set(m.address, c);
    }
    return c;
  }

  /** The per-address record of an SMTP address: its hashes, exclusion, and the last message that used it. */
  private person(address: string): Person {
    let p = this.people.get(address);
    if (!p) {
      const [h1, h2] = hashPair(address);
      p = { address, id: this.people.size, h1, h2, excluded: this.isExcluded(address), stamp: 0 };
      this.people.set(address, p);
    }
    return p;
  }

  /** Starts the distinct-recipient count of one message, with its sender already counted. */
  private beginMessage(from: string): number {
    if (this.classified.size > 500_000 || this.people.size > 500_000) {
      // Bounded memory on endless runs; only between messages, so the stamps of one message stay together.
      this.classified.clear();
      this.people.clear();
      this.lists = new WeakMap();
      this.numbers.generation++;
    }
    const stamp = ++this.stamp;
    const p = this.person(from);
    p.stamp = stamp;
    this.numbers.ids.length = 0;
    this.numbers.ids.push(p.id);
    this.seenCount = 1;
    return stamp;
  }

  /**
   * Distinct SMTP addresses of a list, counting what was dropped and why. Addresses already used by this
   * message (stamp) are not repeated; the order-independent hash sums of the result are left in sumA/sumB.
   */
  private addresses(list: readonly MailboxRef[], stamp: number): string[] {
    const out: string[] = [];
    let a = 0;
    let b = 0;
    const ids = this.numbers.ids;
    for (const v of this.verdicts(list)) {
      const p = this.admit(v, stamp);
      if (p === undefined) continue;
      out.push(p.address);
      ids.push(p.id);
      a = (a + p.h1) | 0;
      b = (b + p.h2) | 0;
    }
    this.sumA = a;
    this.sumB = b;
    return out;
  }

  /** How many addresses `addresses` would list (with the same counting of drops), without listing them. */
  private count(list: readonly MailboxRef[], stamp: number): number {
    let n = 0;
    for (const v of this.verdicts(list)) if (this.admit(v, stamp) !== undefined) n++;
    return n;
  }

  /** A list member's person when it is a new participant of the message (stamp); counts it as dropped otherwise. */
  private admit(v: Person | ListDrop, stamp: number): Person | undefined {
    if (typeof v === "string") {
      this.dropped[v]++;
      return undefined;
    }
    if (v.stamp === stamp) return undefined;
    v.stamp = stamp;
    this.seenCount++;
    if (v.excluded) {
      this.dropped.excluded++;
      return undefined;
    }
    if (this.seenCount > this.config.maxRecipients) {
      this.dropped.truncated++;
      return undefined;
    }
    return v;
  }

  /**
   * What each mailbox of a list is: its person record, or why it is dropped. A frozen list (the mbox reader
   * shares one frozen array among all messages with the same header text) is judged once.
   */
  private verdicts(list: readonly MailboxRef[]): readonly (Person | ListDrop)[] {
    const frozen = Object.isFrozen(list);
    if (frozen) {
      const known = this.lists.get(list);
      if (known) return known;
    }
    const out: (Person | ListDrop)[] = new Array<Person | ListDrop>(list.length);
    for (let i = 0; i < list.length; i++) {
      const c = this.classify(list[i] as MailboxRef);
      out[i] = c.address === undefined ? (c.kind === "smtp" ? "invalid" : c.kind) : this.person(c.address);
    }
    if (frozen) this.lists.set(list, out);
    return out;
  }

  /** hash53 of `${from}|${at}|${to.n}:${to.a}:${to.b}|${cc.n}:${cc.a}:${cc.b}|${subjectKey}`, without building it. */
  private keyHash(from: string, at: number, to: ListSum, cc: ListSum, subjectKey: string): string {
    return this.hasher
      .text(from)
      .char(124)
      .int(at)
      .char(124)
      .int(to.n)
      .char(58)
      .int(to.a)
      .char(58)
      .int(to.b)
      .char(124)
      .int(cc.n)
      .char(58)
      .int(cc.a)
      .char(58)
      .int(cc.b)
      .char(124)
      .text(subjectKey)
      .hex();
  }

  private subjectThread(subjectKey: string): string {
    let t = this.threads.get(subjectKey);
    if (t === undefined) {
      t = `s:${hash53(subjectKey)}`;
      if (this.threads.size > 200_000) this.threads.clear();
      this.threads.set(subjectKey, t);
    }
    return t;
  }

  /**
   * The content fingerprint: the same e-mail filed in several folders or mailboxes has the same sender,
   * time, recipients and subject even where its per-copy ids differ. Recipient order does not matter
   * (their hashes are summed), and no long string is built for long recipient lists.
   */
  fingerprint(
    from: string,
    at: number,
    to: readonly string[],
    cc: readonly string[],
    subjectKey: string,
  ): string {
    return this.keyHash(from, at, this.listSum(to), this.listSum(cc), subjectKey);
  }

  /** How many addresses a list has, and the order-independent sums of their hashes. */
  private listSum(list: readonly string[]): ListSum {
    let a = 0;
    let b = 0;
    for (const r of list) {
      const { h1, h2 } = this.person(r);
      a = (a + h1) | 0;
      b = (b + h2) | 0;
    }
    return { n: list.length, a, b };
  }
}
