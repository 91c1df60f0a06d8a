import type { DayColumns, PairReader, RelationshipState } from "../engine/state";
import type { ConnectionInsight } from "./connections";
import type { Evidence } from "./introducers";
import { isoTime } from "./isoTime";
import type { ActivityMark } from "./kpis";
import { flowAdjusted, rawStrengthOfColumns, strengthBand, strengthScore } from "./strength";

/**
 * A colleague's tie to another colleague, seen from the first (`colleague`): strength 0-100 by the
 * connection formula (pairStrength), with the evidence's directions as the first sees them ("out" =
 * started by them).
 */
export interface ColleagueTie extends Omit<ConnectionInsight, "external"> {
  other: string;
}

/** Ties kept per colleague, strongest first: what the Who Knows Whom control reads for a seller. */
export const COLLEAGUE_TIES_PER_COLLEAGUE = 50;

export interface ColleagueTieOptions {
  /**
   * Which colleagues may have ties listed (both ends must be). By default the directory's users who have not
   * opted out; none when the directory has no users (a tie is published against two system users).
   */
  eligible?: (colleague: string) => boolean;
  /** Ties kept per colleague (default {@link COLLEAGUE_TIES_PER_COLLEAGUE}). */
  perColleague?: number;
}

/**
 * Every eligible colleague's strongest ties to other eligible colleagues at `now`, both ways (a tie is
 * listed once from each end), at most `perColleague` per colleague: sorted by colleague, then strongest
 * first (then by the other's address). Pure: the same state and `now` give the same list, whatever order
 * the state was built in.
 * @example colleagueTiesOf(state, Date.UTC(2001, 11, 31))
 */
export function colleagueTiesOf(
  state: RelationshipState,
  now: number,
  options: ColleagueTieOptions = {},
): ColleagueTie[] {
  const directory = state.directory;
  const eligible =
    options.eligible ??
    ((c: string): boolean => {
      const u = directory.userOf(c);
      return u !== undefined && !u.optedOut;
    });
  if (!options.eligible && !directory.hasUsers()) return [];
  const reader = state.colleagueReader();
  const byColleague = new Map<string, ColleagueTie[]>();
  const days: DayColumns = { first: [], last: [], weight: [] };
  for (let p = 0; p < reader.size; p++) {
    if (reader.firstAt(p) > now) continue;
    const a = reader.internal(p);
    const b = reader.external(p);
    if (a === b || !eligible(a) || !eligible(b)) continue;
    const [ab, ba] = bothWays(reader, p, now, days);
    add(byColleague, ab);
    add(byColleague, ba);
  }
  const keep = options.perColleague ?? COLLEAGUE_TIES_PER_COLLEAGUE;
  const out: ColleagueTie[] = [];
  for (const c of [...byColleague.keys()].sort()) {
    const ties = byColleague.get(c) as ColleagueTie[];
    ties.sort((x, y) => y.raw - x.raw || (x.other < y.other ? -1 : x.other > y.other ? 1 : 0));
    out.push(...ties.slice(0, keep));
  }
  return out;
}

function add(into: Map<string, ColleagueTie[]>, tie: ColleagueTie): void {
  const list = into.get(tie.colleague);
  if (list) list.push(tie);
  else into.set(tie.colleague, [tie]);
}

const flip = (d: ActivityMark["direction"]): ActivityMark["direction"] => (d === "out" ? "in" : "out");

/** Pair p's tie from its first colleague's side, then from the other's (directions turned round). */
function bothWays(
  reader: PairReader,
  p: number,
  now: number,
  days: DayColumns,
): [ColleagueTie, ColleagueTie] {
  const n = reader.days(p, days);
  const base = rawStrengthOfColumns(days.first, days.last, days.weight, n, now);
  const counts = reader.counts(p);
  const flipped = {} as Evidence["counts"];
  for (const k of Object.keys(counts) as (keyof Evidence["counts"])[])
    flipped[k] = { out: counts[k].in, in: counts[k].out };
  const mark = (first: boolean, turn: boolean): ActivityMark => {
    const direction = reader.markDirection(p, first);
    return {
      at: isoTime(reader.markAt(p, first)),
      kind: reader.markOf(p, first).kind,
      direction: turn ? flip(direction) : direction,
    };
  };
  const a = reader.internal(p);
  const b = reader.external(p);
  return [
    tieOf(a, b, flowAdjusted(base, counts), {
      counts,
      first: mark(true, false),
      last: mark(false, false),
      daysInTouch: n,
    }),
    tieOf(b, a, flowAdjusted(base, flipped), {
      counts: flipped,
      first: mark(true, true),
      last: mark(false, true),
      daysInTouch: n,
    }),
  ];
}

function tieOf(colleague: string, other: string, raw: number, evidence: Evidence): ColleagueTie {
  const strength = strengthScore(raw);
  return {
    colleague,
    other,
    strength: Math.round(strength * 10) / 10,
    raw,
    band: strengthBand(strength),
    evidence,
  };
}
