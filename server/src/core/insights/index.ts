import type { InsightConfig } from "../config";
import type { RecordScope } from "../directory";
import type { DayColumns, PairReader, RelationshipState, Resolved } from "../engine/state";
import type { RecordType } from "../interaction";
import { isoDate, WEEK_MS, weekNumber, weekStart } from "../time";
import { type ConnectionInsight, connectionOf } from "./connections";
import { assessHealth, type HealthStatus, type HealthTrend } from "./health";
import { HealthTimeline } from "./healthTimeline";
import { type Introducer, introducersFor, type IntroducerSource } from "./introducers";
import { computeKpis, type HistoryItem, type Kpis } from "./kpis";
import { PersonInteractions } from "./personInteractions";
import type { Reason } from "./reasons";
import { type DealFacts, dealFactsOf, type SimilarDeals, similarDealsOfAll } from "./similarDeals";

export { COLLEAGUE_TIES_PER_COLLEAGUE, type ColleagueTie, colleagueTiesOf } from "./colleagueTies";
export type { ConnectionInsight } from "./connections";
export type { Evidence, Introducer } from "./introducers";
export type { ActivityMark } from "./kpis";
export { PEOPLE_PER_LIST } from "./kpis";
export { evaluatePaths, type PathEvaluation, RANKINGS } from "./pathEvaluation";
export type { DealHistory, SimilarDeals } from "./similarDeals";
export { dealFactsOf, dealHistory, similarSummary } from "./similarDeals";
export { evaluateSimilar, type PointResult } from "./similarEvaluation";

export interface HealthPoint {
  weekStart: string;
  score: number;
  status: HealthStatus;
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
  /** Open opportunities, when asked for: this deal against won and lost deals like it (similarDeals). */
  similar?: SimilarDeals;
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
  /**
   * Compare each open opportunity with the closed ones (similar won deals); needs every closed
   * opportunity among the scopes, so a partition of the records (the scale-out) leaves it off.
   */
  similarDeals?: boolean;
  /**
   * Finds each record's introducers (default). The backtest writes none, so it leaves them off: they cost
   * a pass over every colleague pair of every record's people.
   */
  introducers?: boolean;
  /**
   * Computes the connections of these external people only (all when absent): a scale-out partition keeps
   * only those of the people homed in it, and a tick only those of the people its new mail touched.
   */
  connectionsWith?: (external: string) => boolean;
  /** Called with each record's insight and how many relationship interactions it was computed from. */
  onRecord?: (record: RecordInsight, relationshipInteractions: number) => void;
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

/** What every record's insight is computed from: the state, `now`, the options and the pairs by external person. */
interface RecordContext extends IntroducerSource {
  state: RelationshipState;
  config: InsightConfig;
  full: boolean;
  introducers: boolean;
}

/**
 * Computes every record's health, trend, reasons, KPIs and introducers, and every colleague's connection
 * strength, at `now`. Pure: the same state and `now` give the same result, whatever order the state
 * was built in.
 * @example computeInsights(state, scopes, Date.UTC(2001, 1, 1), { detail: "scores" })
 */
export function computeInsights(
  state: RelationshipState,
  scopes: readonly RecordScope[],
  now: number,
  options: ComputeOptions = {},
): InsightsResult {
  const directory = state.directory;
  const eligible = (colleague: string): boolean => {
    if (!directory.hasUsers()) return true;
    const u = directory.userOf(colleague);
    return u !== undefined && !u.optedOut;
  };
  const reader = state.pairReader();
  const introducers = options.introducers ?? true;
  const needsPairs = introducers && scopes.some((s) => s.type !== "opportunity");
  const { connections, pairsByExternal, byPair } = connectionsOf(
    reader,
    now,
    needsPairs,
    options.connectionsWith,
  );
  const ctx: RecordContext = {
    state,
    config: state.config,
    full: (options.detail ?? "full") === "full",
    introducers,
    limit: options.peoplePerList,
    now,
    eligible,
    directory,
    reader,
    pairsByExternal,
    connectionOfPair: byPair,
  };
  const records: RecordInsight[] = [];
  const deals: { facts: DealFacts; interactions: Resolved[] }[] = [];
  const facts = options.similarDeals ? dealFactsById(state) : new Map<string, DealFacts>();
  let relationshipInteractions = 0;
  const people = new PersonInteractions(state, scopes);
  for (const scope of scopes) {
    const interactions = narrowed(state, scope, people.of(scope.externals));
    relationshipInteractions += interactions.length;
    const record = recordInsight(ctx, scope, interactions);
    records.push(record);
    options.onRecord?.(record, interactions.length);
    const deal = scope.type === "opportunity" ? facts.get(scope.id) : undefined;
    if (deal) deals.push({ facts: deal, interactions });
  }
  if (deals.length) {
    const similar = similarDealsOfAll(deals, now, state.config);
    for (const r of records) {
      const s = r.record.type === "opportunity" ? similar.get(r.record.id) : undefined;
      if (s) r.similar = s;
    }
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

/** The facts of every opportunity whose creation date is known, with its account's industry and size. */
function dealFactsById(state: RelationshipState): Map<string, DealFacts> {
  const data = state.directory.data;
  const accounts = new Map(data.accounts.map((a) => [a.id, a]));
  const out = new Map<string, DealFacts>();
  for (const o of data.opportunities) {
    const f = dealFactsOf(o, o.accountId ? accounts.get(o.accountId) : undefined);
    if (f) out.set(o.id, f);
  }
  return out;
}

/**
 * Every pair's strength, read straight from the state's tables (a PairAggregate per pair, with a Map of its
 * days, costs more than the strength itself), strongest first; and, when introducers are wanted
 * (`needsPairs`), the pairs of each external person, which introducers read as views.
 */
function connectionsOf(
  pairs: PairReader,
  now: number,
  needsPairs: boolean,
  wanted: (external: string) => boolean = () => true,
): {
  connections: ConnectionInsight[];
  pairsByExternal: Map<string, number[]>;
  byPair: (ConnectionInsight | undefined)[];
} {
  const pairsByExternal = new Map<string, number[]>();
  const connections: ConnectionInsight[] = [];
  const byPair = new Array<ConnectionInsight | undefined>(pairs.size);
  const days: DayColumns = { first: [], last: [], weight: [] };
  for (let p = 0; p < pairs.size; p++) {
    if (pairs.firstAt(p) > now) continue;
    const external = pairs.external(p);
    if (needsPairs) {
      const list = pairsByExternal.get(external);
      if (list) list.push(p);
      else pairsByExternal.set(external, [p]);
    }
    // A pair left out has no connection at hand: its introducers are read from the pair's view instead.
    if (!wanted(external)) continue;
    const c = connectionOf(pairs, p, external, now, days);
    connections.push(c);
    byPair[p] = c;
  }
  connections.sort((a, b) => b.raw - a.raw || (a.colleague + a.external < b.colleague + b.external ? -1 : 1));
  return { connections, pairsByExternal, byPair };
}

/**
 * A record's interactions: with its people, narrowed to its team (or regarding it) when it has one, else to
 * those with a colleague in the directory when there is one.
 */
export function scopeInteractions(state: RelationshipState, scope: RecordScope): Resolved[] {
  return narrowed(state, scope, state.interactionsWith(scope.externals));
}

/** A record's interactions from those with its people (see scopeInteractions). */
function narrowed(state: RelationshipState, scope: RecordScope, interactions: Resolved[]): Resolved[] {
  const internals = scope.internals;
  const directory = state.directory;
  if (internals)
    return interactions.filter(
      (r) => r.sides.internals.some((u) => internals.has(u)) || r.interaction.regarding?.id === scope.id,
    );
  if (directory.hasUsers())
    return interactions.filter((r) => r.sides.internals.some((u) => directory.userOf(u) !== undefined));
  return interactions;
}

/** One record's health, trend, reasons, summary and (by the options) KPIs, weekly health and introducers. */
function recordInsight(ctx: RecordContext, scope: RecordScope, interactions: Resolved[]): RecordInsight {
  const { config, now, limit } = ctx;
  const cadence = config.cadence[scope.type];
  const multiPerson = scope.type === "account" || scope.type === "opportunity";
  const health = assessHealth(interactions, now, cadence, config, { multiPerson });
  const kpis = ctx.full ? computeKpis(interactions, now, config) : undefined;
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
  if (ctx.full) insight.healthHistory = weeklyHealth(interactions, now, cadence, config, multiPerson);
  if (ctx.introducers && scope.type !== "opportunity") insight.introducers = introducersFor(scope, ctx);
  return insight;
}

/** Health at the end of each of the last `config.timelineWeeks` weeks (this week's at `now`). */
function weeklyHealth(
  interactions: Resolved[],
  now: number,
  cadence: InsightConfig["cadence"][RecordType],
  config: InsightConfig,
  multiPerson: boolean,
): HealthPoint[] {
  const points: HealthPoint[] = [];
  const thisWeek = weekNumber(now);
  // The timeline reads the history once for every point (the same scores as assessHealth at each).
  const timeline = HealthTimeline.of(interactions, config);
  for (let w = thisWeek - config.timelineWeeks + 1; w <= thisWeek; w++) {
    const at = Math.min(now, weekStart(w) + WEEK_MS - 1);
    const h = timeline
      ? timeline.scoreAt(at, cadence, config)
      : assessHealth(interactions, at, cadence, config, { multiPerson });
    points.push({ weekStart: isoDate(weekStart(w)), score: Math.round(h.score), status: h.status });
  }
  return points;
}

/** A history item with at most `limit` people a side (the first ones: the sender leads), and the counts. */
function boundHistoryItem(h: HistoryItem, limit: number): HistoryItem {
  if (h.ours.length <= limit && h.theirs.length <= limit) return h;
  const out: HistoryItem = { ...h, ours: h.ours.slice(0, limit), theirs: h.theirs.slice(0, limit) };
  if (h.ours.length > limit) out.oursTotal = h.ours.length;
  if (h.theirs.length > limit) out.theirsTotal = h.theirs.length;
  return out;
}
