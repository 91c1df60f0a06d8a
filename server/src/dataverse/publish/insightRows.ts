import type { ActivityMark } from "../../core/insights";
import { type Introducer, type RecordInsight, similarSummary } from "../../core/insights";
import type { RecordType } from "../../core/interaction";
import {
  choiceValue,
  type IntroducerJson,
  type MostContactedJson,
  type ReasonJson,
  rp_relationshiphistory,
  rp_relationshipinsight,
  type SimilarDealsJson,
  type TimelineJson,
} from "../model";
import { type DesiredRow, desiredRow, isGuid, type LookupValue, rowKey, type Scalar } from "./desiredRow";

/** The lookup column on Rapport's tables for each record type. */
const RECORD_LOOKUP: Record<RecordType, string> = {
  contact: "rp_contactid",
  lead: "rp_leadid",
  opportunity: "rp_opportunityid",
  account: "rp_accountid",
};

/** Introducers kept on the insight row for forms; the full ranked list is in rp_connection. */
const INSIGHT_INTRODUCERS = 10;

const round = (x: number | null, digits: number): number | null =>
  x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits;

function recordLookups(type: RecordType, id: string | undefined): Record<string, LookupValue | null> {
  const out: Record<string, LookupValue | null> = {};
  for (const [t, column] of Object.entries(RECORD_LOOKUP) as [RecordType, string][])
    out[column] = t === type && isGuid(id) ? { table: t, id } : null;
  return out;
}

const markColumns = (prefix: string, m: ActivityMark | null): Record<string, Scalar> => ({
  [`rp_${prefix}on`]: m ? m.at : null,
  [`rp_${prefix}type`]: m ? choiceValue("activityType", m.kind) : null,
  [`rp_${prefix}direction`]: m ? choiceValue("direction", m.direction) : null,
});

export const insightKey = (type: RecordType, id: string): string => rowKey("insight", type, id);

/** One rp_relationshipinsight row per record: KPIs, health, trend, reasons, and the series as JSON. */
export function insightRow(r: RecordInsight, computedAt: string): DesiredRow {
  const k = r.kpis;
  const scored = r.status !== "notEnoughInfo" && r.status !== "notScored";
  const values: Record<string, Scalar> = {
    rp_name: r.record.name.slice(0, 200),
    rp_recordtype: choiceValue("recordType", r.record.type),
    rp_recordid: r.record.id,
    rp_healthscore: scored ? Math.round(r.score) : null,
    rp_healthstatus: choiceValue("healthStatus", r.status),
    rp_healthtrend: choiceValue("healthTrend", r.trend),
    rp_reasons: JSON.stringify(
      r.reasons.map(({ code, params, text, effect }): ReasonJson => ({ code, params, text, effect })),
    ),
    rp_summary: r.summary.slice(0, 2000),
    rp_singlethreaded: r.singleThreaded,
    rp_introducers: JSON.stringify(r.introducers.slice(0, INSIGHT_INTRODUCERS).map(introducerJson)),
  };
  if (k) {
    Object.assign(values, {
      rp_emailssent: k.emailsSent,
      rp_emailsreceived: k.emailsReceived,
      rp_meetingssent: k.meetingsSent,
      rp_meetingsreceived: k.meetingsReceived,
      rp_phonecallsmade: k.callsMade,
      rp_phonecallsreceived: k.callsReceived,
      rp_timespentbyteam: Math.round(k.timeSpentByTeamMin),
      rp_timespentbycustomer: Math.round(k.timeSpentByCustomerMin),
      rp_repliesbyus: k.repliesByUs,
      rp_repliesbythem: k.repliesByThem,
      rp_averagefirstresponsetimebyusinhrs: round(k.avgFirstResponseHoursByUs, 2),
      rp_averagefirstresponsetimebytheminhrs: round(k.avgFirstResponseHoursByThem, 2),
      rp_responseratebyus: round(k.responseRateByUs, 4),
      rp_responseratebythem: round(k.responseRateByThem, 4),
      ...markColumns("lastactivity", k.lastActivity),
      ...markColumns("nextactivity", k.nextActivity),
      rp_interactioncount: k.interactionCount,
      rp_mostcontacted: JSON.stringify({
        mostContacted: k.mostContacted,
        mostContactedBy: k.mostContactedBy,
      } satisfies MostContactedJson),
      rp_timeline: JSON.stringify({ weeks: k.timeline, days: k.activity60 } satisfies TimelineJson),
      rp_activityhistory: JSON.stringify(k.history),
    });
  }
  // An opportunity not compared (closed since, or no creation date) clears what an earlier run wrote.
  if (r.record.type === "opportunity")
    Object.assign(values, r.similar ? similarColumns(r.similar) : NO_SIMILAR);
  return desiredRow(
    rp_relationshipinsight,
    insightKey(r.record.type, r.record.id),
    values,
    recordLookups(r.record.type, r.record.id),
    { rp_lastcomputedon: computedAt },
  );
}

const NO_SIMILAR: Record<string, Scalar> = {
  rp_similarbasis: null,
  rp_similarwoncount: null,
  rp_similarlostcount: null,
  rp_similardeals: null,
  rp_similarsummary: null,
};

/** The rp_similar… columns of an open opportunity: basis, counts, the document and its sentence. */
function similarColumns(s: NonNullable<RecordInsight["similar"]>): Record<string, Scalar> {
  return {
    rp_similarbasis: choiceValue("similarBasis", s.basis),
    rp_similarwoncount: s.wonCount,
    rp_similarlostcount: s.lostCount,
    rp_similardeals: JSON.stringify(s satisfies SimilarDealsJson),
    rp_similarsummary: similarSummary(s).slice(0, 1000),
  };
}

/** The rp_introducers item: the model's JSON shape, so the controls read what is written. */
function introducerJson(i: Introducer): IntroducerJson {
  return {
    colleague: i.colleague,
    name: i.name ?? null,
    userId: i.userId ?? null,
    strength: i.strength,
    band: i.band,
    knows: i.knows,
    evidence: i.evidence,
  };
}

/**
 * Weekly history rows: a week is written when the record was scored that week or had activity in it,
 * so quiet, never-scored records (most of a large CRM) cost no rows.
 */
export function historyRows(r: RecordInsight): DesiredRow[] {
  const weeks = new Map<
    string,
    {
      score?: number;
      status?: RecordInsight["status"];
      sent: number;
      received: number;
      meetings: number;
      calls: number;
    }
  >();
  for (const h of r.healthHistory ?? [])
    if (h.status !== "notEnoughInfo" && h.status !== "notScored")
      weeks.set(h.weekStart, {
        score: h.score,
        status: h.status,
        sent: 0,
        received: 0,
        meetings: 0,
        calls: 0,
      });
  for (const w of r.kpis?.timeline ?? []) {
    if (w.sent + w.received + w.meetings + w.calls === 0) continue;
    const e = weeks.get(w.weekStart) ?? { sent: 0, received: 0, meetings: 0, calls: 0 };
    Object.assign(e, { sent: w.sent, received: w.received, meetings: w.meetings, calls: w.calls });
    weeks.set(w.weekStart, e);
  }
  const insight: LookupValue = {
    table: "rp_relationshipinsight",
    key: { rp_key: insightKey(r.record.type, r.record.id) },
  };
  return [...weeks.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([week, e]) =>
      desiredRow(
        rp_relationshiphistory,
        rowKey("history", r.record.type, r.record.id, week),
        {
          rp_name: `${r.record.name.slice(0, 180)} ${week}`,
          rp_recordtype: choiceValue("recordType", r.record.type),
          rp_recordid: r.record.id,
          rp_weekstart: week,
          rp_healthscore: e.score === undefined ? null : Math.round(e.score),
          rp_healthstatus: e.status === undefined ? null : choiceValue("healthStatus", e.status),
          rp_emailssent: e.sent,
          rp_emailsreceived: e.received,
          rp_meetings: e.meetings,
          rp_phonecalls: e.calls,
        },
        { rp_insightid: insight },
      ),
    );
}
