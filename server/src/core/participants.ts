import type { Directory } from "./directory";
import type { Interaction } from "./interaction";

/** Which side started an interaction: our organisation ("by us") or the customer ("by them"). */
export type Direction = "out" | "in";

/** An interaction seen from the relationship's point of view: our people and theirs, and who started it. */
export interface Sides {
  direction: Direction;
  /** Internal participants (canonical addresses), the initiator first when internal. */
  internals: string[];
  /** External participants, the initiator first when external. */
  externals: string[];
  /** Pairs that exchanged something directly: sender with each recipient; every attendee pair in meetings. */
  readonly pairs: Array<[internal: string, external: string]>;
}

/** Receives the pairs of an interaction, each as (internal, external) (see forEachPair). */
export interface PairSink<T> {
  push(internal: T, external: T): void;
}

/**
 * The pairing rule: mail pairs its sender with each recipient of the other side (two colleagues copied
 * together have exchanged nothing); meetings and calls pair everyone present. `internals[0 .. ni)` and
 * `externals[0 .. ne)` are the two sides, the sender first on its side. The one definition, for addresses
 * (pairsOf) and for the state's address numbers (RelationshipState).
 */
// eslint-disable-next-line max-params -- the state's per-interaction loop passes its two reused buffers with their fill counts; an object per call would allocate on the per-message path
export function forEachPair<T>(
  kind: Interaction["kind"],
  direction: Direction,
  internals: readonly T[],
  ni: number,
  externals: readonly T[],
  ne: number,
  sink: PairSink<T>,
): void {
  if (kind === "email") {
    if (direction === "out") {
      if (ni === 0) return;
      const sender = internals[0] as T;
      for (let k = 0; k < ne; k++) sink.push(sender, externals[k] as T);
    } else {
      if (ne === 0) return;
      const sender = externals[0] as T;
      for (let k = 0; k < ni; k++) sink.push(internals[k] as T, sender);
    }
    return;
  }
  for (let a = 0; a < ni; a++) {
    const u = internals[a] as T;
    for (let b = 0; b < ne; b++) sink.push(u, externals[b] as T);
  }
}

/** The pairs of an interaction's sides, as a list (see forEachPair). */
export function pairsOf(
  kind: Interaction["kind"],
  direction: Direction,
  internals: readonly string[],
  externals: readonly string[],
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  forEachPair(kind, direction, internals, internals.length, externals, externals.length, {
    push: (u, e) => pairs.push([u, e]),
  });
  return pairs;
}

/** Sides whose pairs are listed only when asked for (most readers never need them). */
export class LazySides implements Sides {
  private cached: Array<[string, string]> | undefined;
  constructor(
    readonly kind: Interaction["kind"],
    readonly direction: Direction,
    readonly internals: string[],
    readonly externals: string[],
  ) {}

  get pairs(): Array<[string, string]> {
    this.cached ??= pairsOf(this.kind, this.direction, this.internals, this.externals);
    return this.cached;
  }
}

/**
 * Splits an interaction's people into our side and theirs. Mail pairs the sender with each recipient
 * (two colleagues copied on the same message have not exchanged anything); a meeting or call pairs
 * everyone present. Opted-out users are not participants (their own mail is dropped whole). Returns undefined for interactions with no
 * one on one of the sides: those are not relationship signals.
 */
export function sidesOf(
  i: Interaction,
  directory: Directory,
  optedOut: ReadonlySet<string>,
): Sides | undefined {
  const from = directory.canonical(i.from);
  const fromOptedOut = optedOut.has(from);
  // An opted-out user's own mail is never read; a meeting they organised still took place for the others.
  if (fromOptedOut && i.kind === "email") return undefined;
  const fromInternal = directory.isInternal(from);
  const internals: string[] = fromInternal && !fromOptedOut ? [from] : [];
  const externals: string[] = fromInternal || fromOptedOut ? [] : [from];
  const seen = new Set<string>([from]);
  const add = (address: string): void => {
    const a = directory.canonical(address);
    if (seen.has(a) || optedOut.has(a)) return;
    seen.add(a);
    if (directory.isInternal(a)) internals.push(a);
    else externals.push(a);
  };
  for (const a of i.to) add(a);
  for (const a of i.cc) add(a);
  for (const a of i.bcc) add(a);
  if (internals.length === 0 || externals.length === 0) return undefined;
  const direction: Direction = fromInternal ? "out" : "in";
  return { direction, internals, externals, pairs: pairsOf(i.kind, direction, internals, externals) };
}
