import type { InsightConfig } from "../../core/config";
import { Directory, type DirectoryData, type RecordScope } from "../../core/directory";
import { ownedPart, PartitionRouter } from "../../core/engine/partitions";
import type { RelationshipState } from "../../core/engine/state";
import { hash53 } from "../../core/hash";
import { computeInsights, type InsightsResult, type RecordInsight } from "../../core/insights";
import type { Interaction } from "../../core/interaction";
import { endOfDay } from "../../core/time";

/** Bumped when what a kept result holds, or how a record's insight is computed, changes. */
const KEPT_FORMAT = 1;

/** One record as last computed: its scope's fingerprint and how many relationship interactions it read. */
export interface KeptRecord {
  key: string;
  scope: string;
  relationship: number;
}

/**
 * What a partition's last result was computed from, kept beside its state (named by the same pointer), so
 * that a run of the same day recomputes only what its new mail touched and takes the rest from that
 * result (the records and connections themselves are the result blob's: not written twice).
 */
export interface KeptResult {
  format: number;
  /** The clock the scores are as of (the end of the run's UTC day) and what else they depend on. */
  clock: number;
  context: string;
  records: KeptRecord[];
}

/** What a partition last computed (its kept index and result) and the addresses new mail touched since. */
export interface Previous {
  kept: KeptResult;
  result: InsightsResult;
  touched: ReadonlySet<string>;
}

/** What a partition computed: its result, what to keep for the next run, and how much was computed. */
export interface TouchedResult {
  result: InsightsResult;
  kept: KeptResult;
  computed: { records: number; connections: number };
}

/**
 * Every address of the interactions as the state holds them once added (a copy merged into an
 * interaction already held changes that interaction, and so every record of its people).
 */
export function touchedBy(state: RelationshipState, added: readonly Interaction[]): Set<string> {
  const out = new Set<string>();
  for (const a of added) {
    const i = state.store.get(a.key) ?? a;
    out.add(i.from.toLowerCase());
    for (const list of [i.to, i.cc, i.bcc]) for (const x of list) out.add(x.toLowerCase());
  }
  return out;
}

/**
 * A partition's result as of the end of the run's UTC day: the records it owns and the connections of the
 * people homed in it. With what it kept from an earlier run of the same day (same clock and context) and
 * the addresses the new mail touched, a record is computed again only when its scope holds a touched
 * person or changed, a connection only when its person was touched; the rest is reused as it was. Without
 * them (`touched` undefined, or another day: the daily pass), everything is computed. Either way the
 * result is the one computing everything gives. Pure: the run's clock comes from `now`.
 */
export function computeTouched(
  state: RelationshipState,
  directory: DirectoryData,
  config: InsightConfig,
  at: { now: number; partitions: number; partition: number },
  previous?: Previous,
): TouchedResult {
  const { partition } = at;
  const clock = endOfDay(at.now);
  const router = new PartitionRouter(directory, config, at.partitions);
  const scopes = new Directory(directory, config)
    .scopes(state.externalsByDomain())
    .filter((s) => router.recordPartition(s.type, s.id) === partition);
  const context = hash53(JSON.stringify([KEPT_FORMAT, clock, directory.users, directory.orgDomains, config]));
  const usable = isUsable(previous, clock, context);
  const touched = previous?.touched;
  const { records, fresh, fingerprints } = reuseOrRecompute(scopes, usable ? previous : undefined);
  const computed = new Map<string, Reused>();
  const homed = (e: string): boolean => router.home(e) === partition;
  const result = computeInsights(state, fresh, clock, {
    detail: "full",
    connectionsWith: usable ? (e) => homed(e) && touched!.has(e) : homed,
    onRecord: (insight, relationship) => {
      const key = keyOf(insight.record);
      computed.set(key, { kept: { key, scope: fingerprints.get(key)!, relationship }, insight });
    },
  });
  const all = records.map((r, k) => r ?? computed.get(keyOf(scopes[k]!))!);
  const connections = usable
    ? [...previous.result.connections.filter((c) => !touched!.has(c.external)), ...result.connections].sort(
        (a, b) => b.raw - a.raw || (a.colleague + a.external < b.colleague + b.external ? -1 : 1),
      )
    : result.connections;
  const whole: InsightsResult = {
    computedAt: result.computedAt,
    records: all.map((r) => r.insight),
    connections,
    stats: {
      interactions: state.store.size,
      relationshipInteractions: all.reduce((n, r) => n + r.kept.relationship, 0),
      records: all.length,
      connections: connections.length,
    },
  };
  return {
    result: ownedPart(whole, router, partition, state.store.values()),
    kept: { format: KEPT_FORMAT, clock, context, records: all.map((r) => r.kept) },
    computed: { records: fresh.length, connections: result.connections.length },
  };
}

const keyOf = (s: { type: string; id: string }): string => `${s.type}:${s.id}`;

type Reused = { kept: KeptRecord; insight: RecordInsight };

/** Whether what was kept is of this day's clock and context, and whole. */
function isUsable(previous: Previous | undefined, clock: number, context: string): previous is Previous {
  const kept = previous?.kept;
  return (
    kept?.format === KEPT_FORMAT &&
    kept.clock === clock &&
    kept.context === context &&
    previous!.result.records.length === kept.records.length
  );
}

/**
 * Each scope's kept record and insight when it can be reused (same fingerprint, no touched person), else
 * undefined and the scope among those to compute (with its fingerprint).
 */
function reuseOrRecompute(
  scopes: readonly RecordScope[],
  previous: Previous | undefined,
): { records: (Reused | undefined)[]; fresh: RecordScope[]; fingerprints: Map<string, string> } {
  const insights = new Map((previous?.result.records ?? []).map((r) => [keyOf(r.record), r]));
  const reusable = new Map((previous?.kept.records ?? []).map((r) => [r.key, r]));
  const records: (Reused | undefined)[] = [];
  const fresh: RecordScope[] = [];
  const fingerprints = new Map<string, string>();
  for (const scope of scopes) {
    const key = keyOf(scope);
    const fingerprint = fingerprintOf(scope);
    const old = reusable.get(key);
    const insight = insights.get(key);
    const same = old?.scope === fingerprint && ![...scope.externals].some((e) => previous?.touched.has(e));
    records.push(same && insight ? { kept: old, insight } : undefined);
    if (!same || !insight) {
      fresh.push(scope);
      fingerprints.set(key, fingerprint);
    }
  }
  return { records, fresh, fingerprints };
}

/** Everything of a scope a record's insight depends on besides the state: its identity and people. */
function fingerprintOf(s: RecordScope): string {
  const sorted = (set: ReadonlySet<string>): string[] => [...set].sort();
  return hash53(
    JSON.stringify([s.type, s.id, s.name, s.scored, sorted(s.externals), s.internals && sorted(s.internals)]),
  );
}
