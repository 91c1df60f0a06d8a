import { domainOf, inDomains } from "./address";
import type { InsightConfig } from "./config";
import { Directory, type DirectoryData } from "./directory";
import type { Interaction, InteractionKind } from "./interaction";
import { INTERACTION_KINDS } from "./interaction";
import { sidesOf, type Direction, type Sides } from "./participants";
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

/** True when `a` comes after `b` in canonical order (time, then key). */
const isAfter = (a: ContactMark, b: ContactMark): boolean => a.at > b.at || (a.at === b.at && a.key > b.key);

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
  private readonly pairs = new Map<string, PairAggregate>();
  private readonly byExternal = new Map<string, Resolved[]>();
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

  private index(i: Interaction): void {
    const sides = sidesOf(i, this.directory, this.optedOut);
    if (!sides) {
      this.notRelationship++;
      return;
    }
    const resolved: Resolved = { interaction: i, sides };
    for (const e of sides.externals) {
      const list = this.byExternal.get(e);
      if (list) list.push(resolved);
      else this.byExternal.set(e, [resolved]);
    }
    const weight = interactionWeight(i.kind, i.recipientCount, this.config);
    const day = dayNumber(i.at);
    const mark: ContactMark = { at: i.at, key: i.key, kind: i.kind, direction: sides.direction };
    for (const [u, e] of sides.pairs) {
      const id = `${u}\u0000${e}`;
      let p = this.pairs.get(id);
      if (!p) {
        p = { internal: u, external: e, days: new Map(), counts: emptyCounts(), first: mark, last: mark };
        this.pairs.set(id, p);
      } else {
        if (isAfter(p.first, mark)) p.first = mark;
        if (isAfter(mark, p.last)) p.last = mark;
      }
      p.counts[i.kind][sides.direction]++;
      markDay(p.days, day, i.at, weight);
    }
  }

  /** All pair aggregates (unordered). */
  pairAggregates(): IterableIterator<PairAggregate> {
    return this.pairs.values();
  }

  pair(internal: string, external: string): PairAggregate | undefined {
    return this.pairs.get(`${internal}\u0000${external}`);
  }

  /** External people seen, with their interactions. */
  externals(): IterableIterator<string> {
    return this.byExternal.keys();
  }

  /** The interactions involving any of these external people, once each, in canonical order. */
  interactionsWith(externals: Iterable<string>): Resolved[] {
    const out: Resolved[] = [];
    const seen = new Set<string>();
    let single: Resolved[] | undefined;
    let lists = 0;
    for (const e of externals) {
      const list = this.byExternal.get(e);
      if (!list) continue;
      lists++;
      single = list;
      for (const r of list) {
        if (seen.has(r.interaction.key)) continue;
        seen.add(r.interaction.key);
        out.push(r);
      }
    }
    if (lists === 1 && single)
      return [...single].sort((a, b) => compareInteractions(a.interaction, b.interaction));
    return out.sort((a, b) => compareInteractions(a.interaction, b.interaction));
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

function emptyCounts(): Record<InteractionKind, { out: number; in: number }> {
  const c = {} as Record<InteractionKind, { out: number; in: number }>;
  for (const k of INTERACTION_KINDS) c[k] = { out: 0, in: 0 };
  return c;
}
