import { RelationshipInsightColumns as C } from "@rapport/model";

import { baseName, choiceRaw, type DataSetLike, numberOf } from "../../shared/dataset";
import { choiceOf, HEALTH_STATUS, HEALTH_TREND, type HealthTrend, parseReasons } from "../../shared/insight";

/** Rows a page: the most a dataset gives at once. */
export const PAGE_SIZE = 5000;

/** The opportunity's own columns the chart reads. */
export const CLOSE_COLUMN = "estimatedclosedate";
export const REVENUE_COLUMN = "estimatedvalue";
/** The alias the solution's views join the insight under (solution/src/views.ts, insightLink). */
export const INSIGHT_ALIAS = "insight";
export const INSIGHT_COLUMNS = [
  C.healthScore,
  C.healthStatus,
  C.healthTrend,
  C.reasons,
  C.lastComputedOn,
] as const;

/**
 * A bubble's colour, as Dynamics 365's pipeline colours it: the three grades, "pending" when the insight
 * exists but has not enough information to score, "none" when the opportunity has no computed insight.
 */
export type PipelineStatus = "good" | "fair" | "poor" | "pending" | "none";
export const PIPELINE_STATUSES: readonly PipelineStatus[] = ["good", "fair", "poor", "pending", "none"];

export interface Deal {
  id: string;
  entityName: string;
  name: string;
  /** The estimated close date as the UTC midnight of its calendar day (ms), or null. */
  close: number | null;
  revenue: number | null;
  revenueText: string;
  score: number | null;
  status: PipelineStatus;
  trend: HealthTrend | undefined;
  trendText: string;
  /** The insight's first reason, or "". */
  reason: string;
  /** When the insight was computed (ms), or null. */
  computedOn: number | null;
}

export interface PipelineModel {
  deals: Deal[];
  loading: boolean;
  error: string | null;
  hasNextPage: boolean;
  totalCount: number;
  /** The newest insight's computation time (ms): what the scores are as of; null when none is known. */
  asOf: number | null;
}

/**
 * A date-only value as the UTC midnight of its calendar day. Dataverse gives a date-only column as a
 * Date at the user's midnight or as "YYYY-MM-DD"; the day is what counts, never the time zone.
 */
export function dayOf(v: unknown, offsetMinutes = 0): number | null {
  let t: number | null = null;
  if (v instanceof Date) t = v.getTime();
  else if (typeof v === "string" && v.trim() !== "") {
    const parsed = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    t = Number.isNaN(parsed) ? null : parsed;
  }
  if (t === null) return null;
  const local = new Date(t + offsetMinutes * 60_000);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
}

/** The bubble colour of an insight's status (null: no insight row joined). */
export function pipelineStatus(statusRaw: unknown): PipelineStatus {
  const s = choiceOf(HEALTH_STATUS, choiceRaw(statusRaw));
  switch (s) {
    case "good":
    case "fair":
    case "poor":
      return s;
    case "notEnoughInfo":
      return "pending";
    default:
      return "none";
  }
}

/** The dataset column whose base name is `name` (own column first, then a linked one). */
function columnNamed(ds: DataSetLike, name: string): string | undefined {
  const own = ds.columns.find((c) => c.name === name);
  if (own) return own.name;
  return ds.columns.find((c) => baseName(c.name) === name)?.name;
}

interface Columns {
  name?: string;
  close?: string;
  revenue?: string;
  score?: string;
  status?: string;
  trend?: string;
  reasons?: string;
  computed?: string;
}

function columnsOf(ds: DataSetLike): Columns {
  const primary = ds.columns.find((c) => c.isPrimary)?.name ?? columnNamed(ds, "name");
  return {
    name: primary,
    close: columnNamed(ds, CLOSE_COLUMN),
    revenue: columnNamed(ds, REVENUE_COLUMN),
    score: columnNamed(ds, C.healthScore),
    status: columnNamed(ds, C.healthStatus),
    trend: columnNamed(ds, C.healthTrend),
    reasons: columnNamed(ds, C.reasons),
    computed: columnNamed(ds, C.lastComputedOn),
  };
}

type Rec = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;

function dealOf(rec: Rec, cols: Columns, target: string, offsetMinutes: number): Deal {
  const value = (c: string | undefined): unknown => (c ? rec.getValue(c) : null);
  const text = (c: string | undefined): string => (c ? (rec.getFormattedValue(c) ?? "") : "");
  const score = numberOf(value(cols.score));
  const status = pipelineStatus(value(cols.status));
  const reasons = cols.reasons ? parseReasons(String(value(cols.reasons) ?? "")) : [];
  const ref = rec.getNamedReference();
  const rawName = value(cols.name);
  return {
    id: rec.getRecordId(),
    entityName: ref?.etn ?? target,
    name: text(cols.name) || (typeof rawName === "string" ? rawName : ""),
    close: dayOf(value(cols.close), offsetMinutes),
    revenue: numberOf(value(cols.revenue)),
    revenueText: text(cols.revenue),
    // A score only counts with a graded status: "pending" and "none" have no place on the score axis.
    score: status === "pending" || status === "none" ? null : score,
    status,
    trend: choiceOf(HEALTH_TREND, choiceRaw(value(cols.trend))),
    trendText: text(cols.trend),
    reason: reasons[0]?.text ?? "",
    computedOn: instantOf(value(cols.computed)),
  };
}

/** A date-and-time value (a Date or ISO text) in ms, or null. */
function instantOf(v: unknown): number | null {
  const t = v instanceof Date ? v.getTime() : typeof v === "string" ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : t;
}

/**
 * The dataset as the chart draws it: one deal a record, with what the axes, colour and card need. Pure:
 * `offsetMinutes` is the user's time-zone offset (a date-only column arrives at the user's midnight).
 */
export function pipelineModel(ds: DataSetLike, offsetMinutes = 0): PipelineModel {
  const cols = columnsOf(ds);
  const target = ds.getTargetEntityType();
  const deals = ds.sortedRecordIds.map((id) => dealOf(ds.records[id]!, cols, target, offsetMinutes));
  return {
    deals,
    loading: ds.loading,
    error: ds.error ? ds.errorMessage || "" : null,
    hasNextPage: ds.paging?.hasNextPage ?? false,
    totalCount: ds.paging?.totalResultCount ?? deals.length,
    asOf: deals.reduce<number | null>(
      (m, d) => (d.computedOn !== null && (m === null || d.computedOn > m) ? d.computedOn : m),
      null,
    ),
  };
}

/** The columns the chart needs that the view lacks: [column, link alias or undefined]. */
export function missingColumns(
  columns: readonly { name: string }[],
): { name: string; alias: string | undefined }[] {
  const names = new Set(columns.map((c) => c.name));
  const linked = columns.some((c) => c.name.startsWith(`${INSIGHT_ALIAS}.`));
  const missing: { name: string; alias: string | undefined }[] = [];
  for (const own of [CLOSE_COLUMN, REVENUE_COLUMN])
    if (!names.has(own)) missing.push({ name: own, alias: undefined });
  // Insight columns can only be added through a link the view already has.
  if (linked)
    for (const c of INSIGHT_COLUMNS)
      if (!names.has(`${INSIGHT_ALIAS}.${c}`)) missing.push({ name: c, alias: INSIGHT_ALIAS });
  return missing;
}

type DataSet = ComponentFramework.PropertyTypes.DataSet;

/**
 * Asks the dataset for the columns the chart needs that the view lacks (close date, revenue, and through
 * the view's insight link the score, status, trend and reasons), then reloads it once. True if it asked.
 */
export function requestColumns(ds: Pick<DataSet, "columns" | "addColumn" | "refresh">): boolean {
  if (typeof ds.addColumn !== "function") return false;
  const missing = missingColumns(ds.columns);
  for (const c of missing) ds.addColumn(c.name, c.alias);
  if (missing.length > 0) ds.refresh();
  return missing.length > 0;
}
