import type { RecordScope } from "../directory";
import type { PairAggregate, PairReader, RelationshipState } from "../engine/state";
import type { InteractionKind } from "../interaction";
import type { ConnectionInsight } from "./connections";
import { isoTime } from "./isoTime";
import type { ActivityMark } from "./kpis";
import {
  type DayMark,
  markDay,
  pairStrength,
  type StrengthBand,
  strengthBand,
  strengthScore,
} from "./strength";

/** Evidence behind a connection: counts by kind and direction, first and last contact. */
export interface Evidence {
  counts: Record<InteractionKind, { out: number; in: number }>;
  first: ActivityMark;
  last: ActivityMark;
  daysInTouch: number;
}

export interface Introducer {
  colleague: string;
  name?: string;
  userId?: string;
  strength: number;
  band: StrengthBand;
  /** The record's people this colleague knows. */
  knows: string[];
  /** When `knows` was cut to the best-known few (see ComputeOptions.peoplePerList): how many they know. */
  knowsTotal?: number;
  evidence: Evidence;
}

const mark = (m: PairAggregate["first"]): ActivityMark => ({
  at: isoTime(m.at),
  kind: m.kind,
  direction: m.direction,
});

const KINDS: readonly InteractionKind[] = ["email", "meeting", "call", "task"];

function evidenceOf(pairs: readonly PairAggregate[], days: number): Evidence {
  const counts: Evidence["counts"] = {
    email: { out: 0, in: 0 },
    meeting: { out: 0, in: 0 },
    call: { out: 0, in: 0 },
    task: { out: 0, in: 0 },
  };
  let first = pairs[0]?.first;
  let last = pairs[0]?.last;
  for (const p of pairs) {
    for (const kind of KINDS) {
      const into = counts[kind];
      const c = p.counts[kind];
      into.out += c.out;
      into.in += c.in;
    }
    if (first && (p.first.at < first.at || (p.first.at === first.at && p.first.key < first.key)))
      first = p.first;
    if (last && (p.last.at > last.at || (p.last.at === last.at && p.last.key > last.key))) last = p.last;
  }
  if (!first || !last) throw new RangeError("evidence needs at least one pair");
  return { counts, first: mark(first), last: mark(last), daysInTouch: days };
}

/** Unites the days of several pairs (one colleague with several of a record's people). */
function unitedDays(pairs: readonly PairAggregate[]): DayMark[] {
  if (pairs.length === 1) return [...(pairs[0]?.days.values() ?? [])];
  const days = new Map<number, DayMark>();
  for (const p of pairs)
    for (const [day, m] of p.days) {
      markDay(days, day, m.first, m.weight);
      markDay(days, day, m.last, m.weight);
    }
  return [...days.values()];
}

/** What the introducers of every record are read from. */
export interface IntroducerSource {
  /** The pairs (by index in `reader`) of each external person. */
  pairsByExternal: ReadonlyMap<string, readonly number[]>;
  reader: PairReader;
  now: number;
  /** Whether a colleague may be named as an introducer (in the directory and not opted out). */
  eligible: (colleague: string) => boolean;
  directory: RelationshipState["directory"];
  /** See ComputeOptions.peoplePerList. */
  limit: number | undefined;
  /**
   * Each pair's connection at `now`, by pair index, when computed already: a colleague who knows one of a
   * record's people is introduced by that pair's strength and evidence, exactly its connection's.
   */
  connectionOfPair?: readonly (ConnectionInsight | undefined)[];
}

/** Colleagues ranked by connection strength with a record's people (no cap: the control pages them). */
export function introducersFor(scope: RecordScope, src: IntroducerSource): Introducer[] {
  const out: Introducer[] = [];
  for (const [colleague, pairs] of pairsByColleague(scope, src)) {
    const known = pairs.length === 1 ? src.connectionOfPair?.[pairs[0] as number] : undefined;
    out.push(
      known
        ? introducerOfOne(colleague, known, src)
        : introducerOf(
            colleague,
            pairs.map((n) => src.reader.view(n)),
            src,
          ),
    );
  }
  return out.sort((a, b) => b.strength - a.strength || (a.colleague < b.colleague ? -1 : 1));
}

/** The eligible colleagues who know any of a record's people, with their pairs (by index). */
function pairsByColleague(scope: RecordScope, src: IntroducerSource): Map<string, number[]> {
  const byColleague = new Map<string, number[]>();
  for (const e of scope.externals) {
    for (const n of src.pairsByExternal.get(e) ?? []) {
      const internal = src.reader.internal(n);
      if (!src.eligible(internal)) continue;
      const list = byColleague.get(internal);
      if (list) list.push(n);
      else byColleague.set(internal, [n]);
    }
  }
  return byColleague;
}

/**
 * A colleague who knows one of a record's people: the pair's connection is the introducer's strength and
 * evidence (introducerOf over that one pair gives the same, bit for bit; the evidence object is shared).
 */
function introducerOfOne(colleague: string, c: ConnectionInsight, src: IntroducerSource): Introducer {
  const { limit } = src;
  const intro: Introducer = {
    colleague,
    strength: c.strength,
    band: c.band,
    knows: limit !== undefined && limit < 1 ? [] : [c.external],
    ...(limit !== undefined && limit < 1 ? { knowsTotal: 1 } : {}),
    evidence: c.evidence,
  };
  named(intro, src);
  return intro;
}

/** Names an introducer who is a user. */
function named(intro: Introducer, src: IntroducerSource): void {
  const user = src.directory.userOf(intro.colleague);
  if (user) {
    intro.name = user.name;
    intro.userId = user.id;
  }
}

/** One colleague as an introducer to a record: strength over all their pairs with its people. */
function introducerOf(colleague: string, pairs: readonly PairAggregate[], src: IntroducerSource): Introducer {
  const { limit } = src;
  const days = unitedDays(pairs);
  const evidence = evidenceOf(pairs, days.length);
  const strength = strengthScore(pairStrength(days, evidence.counts, src.now));
  const intro: Introducer = {
    colleague,
    strength: Math.round(strength * 10) / 10,
    band: strengthBand(strength),
    knows: knownPeople(pairs, limit),
    ...(limit !== undefined && pairs.length > limit ? { knowsTotal: pairs.length } : {}),
    evidence,
  };
  named(intro, src);
  return intro;
}

/** The people a colleague knows among a record's, sorted; past `limit`, those known on the most days. */
function knownPeople(pairs: readonly PairAggregate[], limit: number | undefined): string[] {
  const chosen =
    limit !== undefined && pairs.length > limit
      ? [...pairs]
          .sort((a, b) => b.days.size - a.days.size || (a.external < b.external ? -1 : 1))
          .slice(0, limit)
      : pairs;
  return chosen.map((p) => p.external).sort();
}
