import {
  lookupValueName,
  RelationshipHistoryColumns as H,
  RelationshipHistoryTable,
  RelationshipInsightColumns as C,
  RelationshipInsightTable,
} from "@rapport/model";

import type { ScorePoint } from "../../shared/charts";
import {
  ACTIVITY_TYPE,
  type ActivityMark,
  bareId,
  choiceOf,
  type DayPoint,
  DIRECTION,
  HEALTH_STATUS,
  HEALTH_TREND,
  type HealthStatus,
  type HealthTrend,
  type HistoryItem,
  INSIGHT_COLUMNS,
  type MostContacted,
  parseHistory,
  parseMostContacted,
  parseReasons,
  parseSimilarDeals,
  parseTimeline,
  type Reason,
  RECORD_TYPE,
  type RecordType,
  type SimilarDealsJson,
} from "../../shared/insight";
import { ACTIVITY_TABLE, isPrivilegeError, type WebApi } from "../../shared/webapi";

/** One side's number of a KPI. */
export interface Pair {
  us: number | null;
  them: number | null;
}

/** The analytics panel's view of one rp_relationshipinsight row. */
export interface InsightView {
  id: string;
  name: string;
  recordType: RecordType | undefined;
  score: number | null;
  status: HealthStatus | undefined;
  trend: HealthTrend | undefined;
  reasons: Reason[];
  summary: string;
  singleThreaded: boolean;
  kpis: {
    emails: Pair;
    meetings: Pair;
    calls: Pair;
    timeSpentMin: Pair;
    replies: Pair;
    firstResponseHours: Pair;
    responseRate: Pair;
  };
  interactionCount: number;
  last: ActivityMark | null;
  next: ActivityMark | null;
  mostContacted: MostContacted;
  days: DayPoint[];
  history: HistoryItem[];
  /** Open opportunities: this deal against similar won and lost deals (rp_similardeals); else null. */
  similar: SimilarDealsJson | null;
  computedOn: string | null;
}

type Row = Record<string, unknown>;
const n = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const s = (v: unknown): string | null => (typeof v === "string" ? v : null);

const MARK_COLUMNS = {
  last: { on: C.lastActivityOn, type: C.lastActivityType, direction: C.lastActivityDirection },
  next: { on: C.nextActivityOn, type: C.nextActivityType, direction: C.nextActivityDirection },
} as const;

function markOf(row: Row, prefix: "last" | "next"): ActivityMark | null {
  const cols = MARK_COLUMNS[prefix];
  const at = s(row[cols.on]);
  if (!at) return null;
  return {
    at,
    kind: choiceOf(ACTIVITY_TYPE, row[cols.type]) ?? "email",
    direction: choiceOf(DIRECTION, row[cols.direction]) ?? "out",
  };
}

/** Map a Web API row of rp_relationshipinsight to the panel's view (pure; tested on its own). */
export function insightFromRow(row: Row): InsightView {
  const pair = (us: string, them: string): Pair => ({ us: n(row[us]), them: n(row[them]) });
  const timeline = parseTimeline(s(row[C.timeline]));
  return {
    id: bareId(s(row[C.relationshipInsightId]) ?? ""),
    name: s(row[C.name]) ?? "",
    recordType: choiceOf(RECORD_TYPE, row[C.recordType]),
    score: n(row[C.healthScore]),
    status: choiceOf(HEALTH_STATUS, row[C.healthStatus]),
    trend: choiceOf(HEALTH_TREND, row[C.healthTrend]),
    reasons: parseReasons(s(row[C.reasons])),
    summary: s(row[C.summary]) ?? "",
    singleThreaded: row[C.singleThreaded] === true,
    kpis: {
      emails: pair(C.emailsSent, C.emailsReceived),
      meetings: pair(C.meetingsSent, C.meetingsReceived),
      calls: pair(C.phoneCallsMade, C.phoneCallsReceived),
      timeSpentMin: pair(C.timeSpentByTeam, C.timeSpentByCustomer),
      replies: pair(C.repliesByUs, C.repliesByThem),
      firstResponseHours: pair(C.averageFirstResponseTimeByUsInHrs, C.averageFirstResponseTimeByThemInHrs),
      responseRate: pair(C.responseRateByUs, C.responseRateByThem),
    },
    interactionCount: n(row[C.interactionCount]) ?? 0,
    last: markOf(row, "last"),
    next: markOf(row, "next"),
    mostContacted: parseMostContacted(s(row[C.mostContacted])),
    days: timeline.days,
    history: parseHistory(s(row[C.activityHistory])),
    similar: parseSimilarDeals(s(row[C.similarDeals])),
    computedOn: s(row[C.lastComputedOn]),
  };
}

/** True when the insight has nothing to show beyond its "not enough information" status. */
export function hasNoActivity(v: InsightView): boolean {
  return v.interactionCount === 0 && v.history.length === 0 && v.days.length === 0;
}

export async function loadInsight(api: WebApi, id: string): Promise<InsightView> {
  const row = await api.retrieveRecord(
    RelationshipInsightTable.logicalName,
    bareId(id),
    `?$select=${INSIGHT_COLUMNS.join(",")}`,
  );
  return insightFromRow(row as Row);
}

/** Weekly health from rp_relationshiphistory, oldest first; weeks without a score keep a gap. */
export async function loadHealthHistory(api: WebApi, insightId: string): Promise<ScorePoint[]> {
  const res = await api.retrieveMultipleRecords(
    RelationshipHistoryTable.logicalName,
    `?$select=${H.weekStart},${H.healthScore}&$filter=${lookupValueName(H.insightId)} eq ${bareId(insightId)}` +
      `&$orderby=${H.weekStart} asc`,
  );
  return healthPoints(res.entities as Row[]);
}

export function healthPoints(rows: Row[]): ScorePoint[] {
  return rows
    .map((r) => ({ weekStart: (s(r[H.weekStart]) ?? "").slice(0, 10), score: n(r[H.healthScore]) }))
    .filter((p) => p.weekStart !== "")
    .sort((a, b) => (a.weekStart < b.weekStart ? -1 : a.weekStart > b.weekStart ? 1 : 0));
}

/**
 * Subjects of the tracked activities among `items`, read through webAPI as the user: an activity the user
 * may not read (or that is gone) is left out, so its subject is never shown. The subject shown is the
 * one Dataverse returns, not the copy in the insight row.
 */
export async function readableSubjects(api: WebApi, items: HistoryItem[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const tracked = items.filter((i) => i.activityId);
  await Promise.all(
    tracked.map(async (i) => {
      const id = bareId(i.activityId ?? "");
      try {
        const row = (await api.retrieveRecord(
          ACTIVITY_TABLE[i.kind] ?? "email",
          id,
          "?$select=subject",
        )) as Row;
        const subject = s(row.subject);
        if (subject !== null) out.set(id, subject);
      } catch (e) {
        // Not readable by this user (or deleted): no subject. Anything else is still only a missing subject.
        if (!isPrivilegeError(e)) out.delete(id);
      }
    }),
  );
  return out;
}
