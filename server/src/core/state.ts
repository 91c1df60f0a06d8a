import { domainOf, inDomains } from "./address";
import type { InsightConfig } from "./config";
import { Directory, type DirectoryData } from "./directory";
import type { Interaction, InteractionKind } from "./interaction";
import { INTERACTION_KINDS } from "./interaction";
import { LazySides, type Direction, type Sides } from "./participants";
import { InteractionStore, compareInteractions, type StoreSnapshot } from "./store";
import { interactionWeight, markDay, type DayMark } from "./strength";
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
  /** Pair aggregates by internal id, then external id (small-integer keys keep the lookups cheap). */
  private readonly pairs = new Map<number, Map<number, PairAggregate>>();
  /** Each external person's interactions (sides are resolved when a record is computed). */
  private readonly byExternal = new Map<string, Interaction[]>();
  /** Serial of the interaction being indexed: marks addresses already seen in it without a Set. */
  private serial = 0;
  private readonly scratch: AddressInfo[] = [];
  /** What each address seen stands for, resolved once: the hot path does one lookup per participant. */
  private readonly addresses = new Map<string, AddressInfo>();
  private nextId = 0;
  /** Interactions that had no one on one side (internal-only or external-only mail). */
  notRelationship = 0;

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
    if (store) for (const i of store.sorted()) this.index(i);
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
    if (sameSides) return;
    this.pairs.clear();
    this.byExternal.clear();
    this.addresses.clear();
    this.nextId = 0;
    this.notRelationship = 0;
    for (const i of this.store.sorted()) this.index(i);
  }

  /** Adds one interaction; returns true when it was new (not a copy of one already held). */
  add(interaction: Interaction): boolean {
    const stored = this.store.add(interaction);
    if (!stored) return false;
    this.index(stored);
    return true;
  }

  addAll(interactions: Iterable<Interaction>): number {
    let added = 0;
    for (const i of interactions) if (this.add(i)) added++;
    return added;
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
      };
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

  /** Folds one new interaction into the index and the pair aggregates. The hot path: no per-call Sets. */
  private index(i: Interaction): void {
    const from = this.info(i.from);
    if (from.optedOut && i.kind === "email") {
      this.notRelationship++;
      return;
    }
    const serial = ++this.serial;
    from.seenIn = serial;
    const people = this.scratch;
    people.length = 0;
    if (!from.optedOut) people.push(from);
    let internals = from.optedOut ? 0 : from.internal ? 1 : 0;
    let externals = from.optedOut ? 0 : from.internal ? 0 : 1;
    for (const list of [i.to, i.cc, i.bcc]) {
      for (const a of list) {
        const x = this.info(a);
        if (x.optedOut || x.seenIn === serial) continue;
        x.seenIn = serial;
        people.push(x);
        if (x.internal) internals++;
        else externals++;
      }
    }
    if (internals === 0 || externals === 0) {
      this.notRelationship++;
      return;
    }
    for (const x of people) {
      if (x.internal) continue;
      const list = this.byExternal.get(x.canonical);
      if (list) list.push(i);
      else this.byExternal.set(x.canonical, [i]);
    }
    const direction: Direction = from.internal ? "out" : "in";
    const out = from.internal;
    const weight = interactionWeight(i.kind, i.recipientCount, this.config);
    const day = dayNumber(i.at);
    let mark: ContactMark | undefined;
    const touch = (u: AddressInfo, e: AddressInfo): void => {
      let row = this.pairs.get(u.id);
      if (!row) this.pairs.set(u.id, (row = new Map()));
      let p = row.get(e.id);
      if (!p) {
        mark ??= { at: i.at, key: i.key, kind: i.kind, direction };
        p = {
          internal: u.canonical,
          external: e.canonical,
          days: new Map(),
          counts: emptyCounts(),
          first: mark,
          last: mark,
        };
        row.set(e.id, p);
      } else {
        if (i.at < p.first.at || (i.at === p.first.at && i.key < p.first.key))
          p.first = mark ??= { at: i.at, key: i.key, kind: i.kind, direction };
        if (i.at > p.last.at || (i.at === p.last.at && i.key > p.last.key))
          p.last = mark ??= { at: i.at, key: i.key, kind: i.kind, direction };
      }
      countInto(p.counts, i.kind, out);
      markDay(p.days, day, i.at, weight);
    };
    // Mail pairs its sender with each recipient on the other side; meetings and calls pair everyone.
    if (i.kind === "email") {
      for (let k = 1; k < people.length; k++) {
        const x = people[k] as AddressInfo;
        if (x.internal === from.internal) continue;
        if (from.internal) touch(from, x);
        else touch(x, from);
      }
    } else {
      for (const u of people) if (u.internal) for (const e of people) if (!e.internal) touch(u, e);
    }
  }

  /** All pair aggregates (unordered). */
  *pairAggregates(): IterableIterator<PairAggregate> {
    for (const row of this.pairs.values()) yield* row.values();
  }

  pair(internal: string, external: string): PairAggregate | undefined {
    const u = this.addresses.get(internal);
    const e = this.addresses.get(external);
    return u && e ? this.pairs.get(u.id)?.get(e.id) : undefined;
  }

  /** External people seen, with their interactions. */
  externals(): IterableIterator<string> {
    return this.byExternal.keys();
  }

  /** The interactions involving any of these external people, once each, in canonical order, with their sides. */
  interactionsWith(externals: Iterable<string>): Resolved[] {
    const found: Interaction[] = [];
    let lists = 0;
    let single: Interaction[] | undefined;
    for (const e of externals) {
      const list = this.byExternal.get(e);
      if (!list) continue;
      lists++;
      single = list;
      found.push(...list);
    }
    let unique = found;
    if (lists > 1) {
      const seen = new Set<string>();
      unique = found.filter((i) => (seen.has(i.key) ? false : (seen.add(i.key), true)));
    } else if (single) unique = [...single];
    unique.sort(compareInteractions);
    const out: Resolved[] = [];
    for (const interaction of unique) {
      const sides = this.sidesOf(interaction);
      if (sides) out.push({ interaction, sides });
    }
    return out;
  }

  /** External addresses grouped by domain, to place people in accounts by company domain. */
  externalsByDomain(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const e of this.byExternal.keys()) {
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

/** Monomorphic increments (a keyed `counts[kind][direction]++` is several times slower on the hot path). */
function countInto(
  c: Record<InteractionKind, { out: number; in: number }>,
  kind: InteractionKind,
  out: boolean,
): void {
  const slot =
    kind === "email" ? c.email : kind === "meeting" ? c.meeting : kind === "call" ? c.call : c.task;
  if (out) slot.out++;
  else slot.in++;
}

function emptyCounts(): Record<InteractionKind, { out: number; in: number }> {
  const c = {} as Record<InteractionKind, { out: number; in: number }>;
  for (const k of INTERACTION_KINDS) c[k] = { out: 0, in: 0 };
  return c;
}
