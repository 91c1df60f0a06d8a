import type { InsightConfig } from "../config";
import type { RecordScope } from "../directory";
import type { InteractionKind, RecordType } from "../interaction";
import { assessHealth, type HealthStatus, type HealthTrend } from "./health";
import { type ActivityMark, computeKpis, type HistoryItem, type Kpis } from "./kpis";

export type { ActivityMark } from "./kpis";
export { PEOPLE_PER_LIST } from "./kpis";
import type { DayColumns, PairAggregate, PairReader, RelationshipState, Resolved } from "../engine/state";
import { isoDate, WEEK_MS, weekNumber, weekStart } from "../time";
import type { Reason } from "./reasons";
import {
  type DayMark,
  flowAdjusted,
  markDay,
  pairStrength,
  rawStrengthOfColumns,
  type StrengthBand,
  strengthBand,
  strengthScore,
} from "./strength";

export interface HealthPoint {
  weekStart: string;
  score: number;
  status: HealthStatus;
}

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

export interface RecordInsight {
  record: { type: RecordType; id: string; name: string };
  /** Health 0-100, rounded to two decimals. */
  score: number;
  /** Health 0-100 unrounded, for ranking (evaluations break ties pessimistically). */
  exactScore: number;
  status: HealthStatus;
  trend: HealthTrend;
  reasons: Reason[];
  singleThreaded: boolean;
  summary: string;
  healthHistory?: HealthPoint[];
  kpis?: Kpis;
  introducers: Introducer[];
}

export interface ConnectionInsight {
  colleague: string;
  external: string;
  strength: number;
  /** Unrounded strength before the 0-100 mapping, for ranking and evaluation. */
  raw: number;
  band: StrengthBand;
  evidence: Evidence;
}

export interface InsightsResult {
  computedAt: string;
  records: RecordInsight[];
  connections: ConnectionInsight[];
  stats: { interactions: number; relationshipInteractions: number; records: number; connections: number };
}

export interface ComputeOptions {
  /** "full": KPIs, history and weekly health for every record; "scores": health and strength only. */
  detail?: "full" | "scores";
  /**
   * Bounds the lists of people inside a record (a history item's `ours` and `theirs`, an introducer's
   * `knows`) to this many, with the full count beside a cut list; unbounded when absent. One message to
   * thousands of people otherwise puts all of them into each of their thousands of records.
   */
  peoplePerList?: number;
}

const mark = (m: PairAggregate["first"]): ActivityMark => ({
  at: new Date(m.at).toISOString(),
  kind: m.kind,
  direction: m.direction,
});

const KINDS: readonly InteractionKind[] = ["email", "meeting", "call", "task"];

/** A pair's first (or last) contact as evidence, read from the state's tables. */
function activity(pairs: PairReader, p: number, first: boolean): ActivityMark {
  return {
    at: new Date(pairs.markAt(p, first)).toISOString(),
    kind: pairs.markOf(p, first).kind,
    direction: pairs.markDirection(p, first),
  };
}

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

function summaryOf(k: Kpis | undefined, status: HealthStatus, name: string): string {
  if (!k) return "";
  const meetings = k.meetingsSent + k.meetingsReceived;
  const parts = [
    `In the last 12 months we sent ${k.emailsSent} emails to ${name} and received ${k.emailsReceived}`,
  ];
  if (meetings) parts.push(`they organised ${k.meetingsReceived} of ${meetings} meetings`);
  const diff = k.meetingsSent - k.meetingsReceived;
  if (diff > 0) parts.push(`we initiated ${diff} meeting${diff === 1 ? "" : "s"} more than they did`);
  return `${parts.join("; ")}.${status === "notEnoughInfo" ? " Not enough information to judge health yet." : ""}`;
}

/**
 * Computes every record's health, trend, reasons, KPIs and introducers, and every colleague's connection
 * strength, at `now`. Pure: the same state and `now` give the same result, whatever order the state
 * was built in.
 * @example computeInsights(state, scopes, Date.UTC(2001, 1, 1), { detail: "scores" })
 */
// eslint-disable-next-line complexity, max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function computeInsights(
  state: RelationshipState,
  scopes: readonly RecordScope[],
  now: number,
  options: ComputeOptions = {},
): InsightsResult {
  const config: InsightConfig = state.config;
  const directory = state.directory;
  const full = (options.detail ?? "full") === "full";
  const limit = options.peoplePerList;
  const eligible = (colleague: string): boolean => {
    if (!directory.hasUsers()) return true;
    const u = directory.userOf(colleague);
    return u !== undefined && !u.optedOut;
  };

  // Every pair's strength, read straight from the state's tables (a PairAggregate per pair, with a Map
  // of its days, costs more than the strength itself); introducers read the few pairs they need as views.
  const pairs = state.pairReader();
  const needsPairs = scopes.some((s) => s.type !== "opportunity");
  const pairsByExternal = new Map<string, number[]>();
  const connections: ConnectionInsight[] = [];
  const days: DayColumns = { first: [], last: [], weight: [] };
  for (let p = 0; p < pairs.size; p++) {
    if (pairs.firstAt(p) > now) continue;
    const external = pairs.external(p);
    if (needsPairs) {
      const list = pairsByExternal.get(external);
      if (list) list.push(p);
      else pairsByExternal.set(external, [p]);
    }
    const n = pairs.days(p, days);
    const counts = pairs.counts(p);
    const raw = flowAdjusted(rawStrengthOfColumns(days.first, days.last, days.weight, n, now), counts);
    const strength = strengthScore(raw);
    connections.push({
      colleague: pairs.internal(p),
      external,
      strength: Math.round(strength * 10) / 10,
      raw,
      band: strengthBand(strength),
      evidence: { counts, first: activity(pairs, p, true), last: activity(pairs, p, false), daysInTouch: n },
    });
  }
  connections.sort((a, b) => b.raw - a.raw || (a.colleague + a.external < b.colleague + b.external ? -1 : 1));

  const records: RecordInsight[] = [];
  let relationshipInteractions = 0;
  for (const scope of scopes) {
    let interactions: Resolved[] = state.interactionsWith(scope.externals);
    const internals = scope.internals;
    if (internals)
      interactions = interactions.filter(
        (r) => r.sides.internals.some((u) => internals.has(u)) || r.interaction.regarding?.id === scope.id,
      );
    else if (directory.hasUsers())
      interactions = interactions.filter((r) =>
        r.sides.internals.some((u) => directory.userOf(u) !== undefined),
      );
    relationshipInteractions += interactions.length;
    const cadence = config.cadence[scope.type];
    const multiPerson = scope.type === "account" || scope.type === "opportunity";
    const health = assessHealth(interactions, now, cadence, config, { multiPerson });
    const kpis = full ? computeKpis(interactions, now, config) : undefined;
    const insight: RecordInsight = {
      record: { type: scope.type, id: scope.id, name: scope.name },
      score: Math.round(health.score * 100) / 100,
      exactScore: health.score,
      status: scope.scored ? health.status : "notScored",
      trend: scope.scored ? health.trend : "notEnoughInfo",
      reasons: health.reasons.slice(0, 4),
      singleThreaded: health.singleThreaded,
      summary: summaryOf(kpis, health.status, scope.name),
      introducers: [],
    };
    if (kpis) {
      if (limit !== undefined) kpis.history = kpis.history.map((h) => boundHistoryItem(h, limit));
      insight.kpis = kpis;
    }
    if (full) {
      const points: { weekStart: string; score: number; status: HealthStatus }[] = [];
      const thisWeek = weekNumber(now);
      for (let w = thisWeek - config.timelineWeeks + 1; w <= thisWeek; w++) {
        const at = Math.min(now, weekStart(w) + WEEK_MS - 1);
        const h = assessHealth(interactions, at, cadence, config, { multiPerson });
        points.push({ weekStart: isoDate(weekStart(w)), score: Math.round(h.score), status: h.status });
      }
      insight.healthHistory = points;
    }
    if (scope.type !== "opportunity")
      insight.introducers = introducersFor(scope, pairsByExternal, pairs, now, eligible, directory, limit);
    records.push(insight);
  }
  return {
    computedAt: new Date(now).toISOString(),
    records,
    connections,
    stats: {
      interactions: state.store.size,
      relationshipInteractions,
      records: records.length,
      connections: connections.length,
    },
  };
}

/** Colleagues ranked by connection strength with a record's people (no cap: the control pages them). */
// eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function introducersFor(
  scope: RecordScope,
  pairsByExternal: ReadonlyMap<string, readonly number[]>,
  reader: PairReader,
  now: number,
  eligible: (colleague: string) => boolean,
  directory: RelationshipState["directory"],
  limit: number | undefined,
): Introducer[] {
  const byColleague = new Map<string, PairAggregate[]>();
  for (const e of scope.externals) {
    for (const n of pairsByExternal.get(e) ?? []) {
      const p = reader.view(n);
      if (!eligible(p.internal)) continue;
      const list = byColleague.get(p.internal);
      if (list) list.push(p);
      else byColleague.set(p.internal, [p]);
    }
  }
  const out: Introducer[] = [];
  for (const [colleague, pairs] of byColleague) {
    const days = unitedDays(pairs);
    const evidence = evidenceOf(pairs, days.length);
    const strength = strengthScore(pairStrength(days, evidence.counts, now));
    const user = directory.userOf(colleague);
    const intro: Introducer = {
      colleague,
      strength: Math.round(strength * 10) / 10,
      band: strengthBand(strength),
      knows: knownPeople(pairs, limit),
      ...(limit !== undefined && pairs.length > limit ? { knowsTotal: pairs.length } : {}),
      evidence,
    };
    if (user) {
      intro.name = user.name;
      intro.userId = user.id;
    }
    out.push(intro);
  }
  return out.sort((a, b) => b.strength - a.strength || (a.colleague < b.colleague ? -1 : 1));
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

/** A history item with at most `limit` people a side (the first ones: the sender leads), and the counts. */
function boundHistoryItem(h: HistoryItem, limit: number): HistoryItem {
  if (h.ours.length <= limit && h.theirs.length <= limit) return h;
  const out: HistoryItem = { ...h, ours: h.ours.slice(0, limit), theirs: h.theirs.slice(0, limit) };
  if (h.ours.length > limit) out.oursTotal = h.ours.length;
  if (h.theirs.length > limit) out.theirsTotal = h.theirs.length;
  return out;
}
