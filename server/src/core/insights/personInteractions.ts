import type { RecordScope } from "../directory";
import type { RelationshipState, Resolved } from "../engine/state";

/**
 * Each external person's interactions (canonical order, with their sides) for the records of one run,
 * read from the state once however many records a person belongs to (their contact's, their account's,
 * an opportunity's), and kept only until the last of those records has read them. A record of several
 * people merges its people's lists, each already in order, rather than sorting their union again.
 * {@link PersonInteractions.of} equals `state.interactionsWith(externals)`.
 * @example new PersonInteractions(state, scopes).of(scope.externals)
 */
export class PersonInteractions {
  /** How many of the run's records are still to read each person who is in more than one. */
  private readonly readers = new Map<string, number>();
  private readonly kept = new Map<string, readonly Resolved[]>();
  /** Whether the list person() gave last is kept for a record still to read it (then it is not the caller's). */
  private shared = false;

  constructor(
    private readonly state: RelationshipState,
    scopes: readonly RecordScope[],
  ) {
    for (const scope of scopes)
      for (const e of scope.externals) this.readers.set(e, (this.readers.get(e) ?? 0) + 1);
  }

  /** The interactions involving any of these people, once each, in canonical order. */
  of(externals: ReadonlySet<string>): Resolved[] {
    if (externals.size === 1) {
      for (const e of externals) {
        const list = this.person(e);
        return this.shared ? [...list] : (list as Resolved[]);
      }
    }
    const lists: (readonly Resolved[])[] = [];
    for (const e of externals) {
      const list = this.person(e);
      if (list.length) lists.push(list);
    }
    return mergeAll(lists);
  }

  /** One person's interactions: read from the state, or kept from an earlier record that read them. */
  private person(external: string): readonly Resolved[] {
    const left = this.readers.get(external) ?? 0;
    this.shared = left > 1;
    // Most people are in one record (a contact): read them straight from the state, nothing kept.
    if (left <= 1 && !this.kept.has(external)) return this.state.interactionsWith([external]);
    const list = this.kept.get(external) ?? this.state.interactionsWith([external]);
    this.readers.set(external, left - 1);
    if (!this.shared) this.kept.delete(external);
    else this.kept.set(external, list);
    return list;
  }
}

/** Canonical order (compareInteractions), read from resolved interactions. */
function before(a: Resolved, b: Resolved): boolean {
  const x = a.interaction;
  const y = b.interaction;
  return x.at < y.at || (x.at === y.at && x.key < y.key);
}

/** Merges two lists in canonical order into one, each interaction once (a shared one is the same object). */
function merge(a: readonly Resolved[], b: readonly Resolved[]): Resolved[] {
  const out: Resolved[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Resolved;
    const y = b[j] as Resolved;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (before(y, x)) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
    }
  }
  while (i < a.length) out.push(a[i++] as Resolved);
  while (j < b.length) out.push(b[j++] as Resolved);
  return out;
}

/** Merges lists in canonical order, two at a time in rounds (n log k for k lists of n in all). */
export function mergeAll(lists: readonly (readonly Resolved[])[]): Resolved[] {
  let round = lists;
  while (round.length > 1) {
    const next: Resolved[][] = [];
    for (let k = 0; k < round.length; k += 2) {
      const b = round[k + 1];
      next.push(b ? merge(round[k] as Resolved[], b) : [...(round[k] as Resolved[])]);
    }
    round = next;
  }
  return round.length ? [...(round[0] as Resolved[])] : [];
}
