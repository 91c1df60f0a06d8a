import type { DayColumns, PairReader } from "../engine/state";
import type { Evidence } from "./introducers";
import { isoTime } from "./isoTime";
import type { ActivityMark } from "./kpis";
import {
  flowAdjusted,
  rawStrengthOfColumns,
  type StrengthBand,
  strengthBand,
  strengthScore,
} from "./strength";

export interface ConnectionInsight {
  colleague: string;
  external: string;
  strength: number;
  /** Unrounded strength before the 0-100 mapping, for ranking and evaluation. */
  raw: number;
  band: StrengthBand;
  evidence: Evidence;
}

/** A pair's first (or last) contact as evidence, read from the state's tables. */
function activity(pairs: PairReader, p: number, first: boolean): ActivityMark {
  return {
    at: isoTime(pairs.markAt(p, first)),
    kind: pairs.markOf(p, first).kind,
    direction: pairs.markDirection(p, first),
  };
}

/** One pair's connection at `now`; `days` is scratch space reused across pairs. */
export function connectionOf(
  pairs: PairReader,
  p: number,
  external: string,
  now: number,
  days: DayColumns,
): ConnectionInsight {
  const n = pairs.days(p, days);
  const counts = pairs.counts(p);
  const raw = flowAdjusted(rawStrengthOfColumns(days.first, days.last, days.weight, n, now), counts);
  const strength = strengthScore(raw);
  return {
    colleague: pairs.internal(p),
    external,
    strength: Math.round(strength * 10) / 10,
    raw,
    band: strengthBand(strength),
    evidence: { counts, first: activity(pairs, p, true), last: activity(pairs, p, false), daysInTouch: n },
  };
}
