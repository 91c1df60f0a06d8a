import { RelationshipInsightColumns as C } from "@rapport/model";

import { baseName, choiceRaw, type DataSetLike, numberOf } from "../../shared/dataset";
import {
  choiceOf,
  HEALTH_STATUS,
  HEALTH_TREND,
  type HealthStatus,
  type HealthTrend,
} from "../../shared/insight";

export { baseName, type DataSetLike } from "../../shared/dataset";

/** Rows a page: the most a dataset gives at once, so a 5,000-row view loads in one go. */
export const PAGE_SIZE = 5000;

/** How a column is drawn: health columns of the linked insight get their own cells, the rest is text. */
export type ColumnRole = "status" | "score" | "trend" | "date" | "number" | "text";

export interface GridColumn {
  name: string;
  label: string;
  role: ColumnRole;
  width: number;
  isPrimary: boolean;
}

export interface GridCell {
  text: string;
  /** For sorting: a number when the column is numeric or a date, else the text. */
  sortKey: number | string | null;
  status?: HealthStatus;
  trend?: HealthTrend;
  score?: number;
}

export interface GridRow {
  id: string;
  entityName: string;
  cells: Record<string, GridCell>;
}

export interface GridModel {
  columns: GridColumn[];
  rows: GridRow[];
  loading: boolean;
  error: string | null;
  hasNextPage: boolean;
  totalCount: number;
}

const NUMERIC_TYPES = new Set(["Whole.None", "Decimal", "FP", "Currency", "Whole.Duration"]);
const DATE_TYPES = new Set(["DateAndTime.DateOnly", "DateAndTime.DateAndTime"]);

export function roleOf(column: { name: string; dataType: string }): ColumnRole {
  switch (baseName(column.name)) {
    case C.healthStatus:
      return "status";
    case C.healthScore:
      return "score";
    case C.healthTrend:
      return "trend";
  }
  if (DATE_TYPES.has(column.dataType)) return "date";
  if (NUMERIC_TYPES.has(column.dataType)) return "number";
  return "text";
}

function dateOf(v: unknown): number | null {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "string") {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/**
 * The dataset as the grid draws it: the maker's columns in the view's order (hidden ones left out), and
 * each record's cells with what sorting and the health cells need. Pure: tested with fake datasets.
 */
export function gridModel(ds: DataSetLike): GridModel {
  const columns: GridColumn[] = [...ds.columns]
    .filter((c) => !c.isHidden && c.order >= 0)
    .sort((a, b) => a.order - b.order)
    .map((c) => ({
      name: c.name,
      label: c.displayName || c.name,
      role: roleOf(c),
      width: c.visualSizeFactor > 0 ? c.visualSizeFactor : 120,
      isPrimary: c.isPrimary === true,
    }));
  if (columns.length > 0 && !columns.some((c) => c.isPrimary))
    columns[0] = { ...columns[0]!, isPrimary: true };
  const target = ds.getTargetEntityType();
  const rows: GridRow[] = ds.sortedRecordIds.map((id) => {
    const rec = ds.records[id]!;
    const cells: Record<string, GridCell> = {};
    for (const c of columns) {
      const raw = rec.getValue(c.name);
      const text = rec.getFormattedValue(c.name) ?? "";
      const cell: GridCell = { text, sortKey: text === "" ? null : text.toLocaleLowerCase() };
      switch (c.role) {
        case "status": {
          cell.status = choiceOf(HEALTH_STATUS, choiceRaw(raw));
          // Worst first when sorted ascending: poor, fair, good, then the unscored.
          const order: Record<HealthStatus, number> = {
            poor: 0,
            fair: 1,
            good: 2,
            notEnoughInfo: 3,
            notScored: 4,
          };
          cell.sortKey = cell.status ? order[cell.status] : null;
          break;
        }
        case "trend": {
          cell.trend = choiceOf(HEALTH_TREND, choiceRaw(raw));
          const order: Record<HealthTrend, number> = {
            declining: 0,
            steady: 1,
            improving: 2,
            notEnoughInfo: 3,
          };
          cell.sortKey = cell.trend ? order[cell.trend] : null;
          break;
        }
        case "score": {
          const n = numberOf(raw);
          if (n !== null) cell.score = n;
          cell.sortKey = n;
          break;
        }
        case "number":
          cell.sortKey = numberOf(raw);
          break;
        case "date":
          cell.sortKey = dateOf(raw);
          break;
        case "text":
          break;
      }
      cells[c.name] = cell;
    }
    const ref = rec.getNamedReference();
    return { id: rec.getRecordId(), entityName: ref?.etn ?? target, cells };
  });
  return {
    columns,
    rows,
    loading: ds.loading,
    error: ds.error ? ds.errorMessage || "" : null,
    hasNextPage: ds.paging?.hasNextPage ?? false,
    totalCount: ds.paging?.totalResultCount ?? rows.length,
  };
}

export type SortDirection = "ascending" | "descending";

/** Stable sort by one column; empty cells always last. */
export function sortRows(rows: GridRow[], column: string, direction: SortDirection): GridRow[] {
  const sign = direction === "ascending" ? 1 : -1;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const x = a.r.cells[column]?.sortKey ?? null;
      const y = b.r.cells[column]?.sortKey ?? null;
      if (x === null || y === null) return x === y ? a.i - b.i : x === null ? 1 : -1;
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((e) => e.r);
}

/** The rows to render for a scroll position: the visible window plus `overscan` rows each side. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + Math.ceil(viewport / rowHeight) + overscan);
  return { start, end };
}
