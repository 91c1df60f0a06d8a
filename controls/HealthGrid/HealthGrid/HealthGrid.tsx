import { Button, mergeClasses } from "@fluentui/react-components";
import * as React from "react";

import type { Formatter } from "../../shared/format";
import { HealthStatusLabel, TrendLabel } from "../../shared/health";
import { useLinkStyles } from "../../shared/link.styles";
import { LoadMore } from "../../shared/loadMore";
import { useMeterStyles } from "../../shared/meter.styles";
import { StateView } from "../../shared/states";
import type { Strings } from "../../shared/strings";
import { type HostTheme, ThemeRoot } from "../../shared/theme";
import { ROW_HEIGHT, useHealthGridStyles } from "./HealthGrid.styles";
import {
  type GridCell,
  type GridColumn,
  type GridModel,
  type GridRow,
  type SortDirection,
  sortRows,
  visibleRange,
} from "./model";

export { ROW_HEIGHT } from "./HealthGrid.styles";

export interface HealthGridProps {
  model: GridModel;
  t: Strings;
  f: Formatter;
  theme: HostTheme | undefined;
  rtl: boolean;
  /** Height the host gives the control (px); the rows scroll inside it. */
  height: number;
  onOpen: (row: GridRow) => void;
  onLoadMore: () => void;
}

type Sort = { column: string; direction: SortDirection };

/** Numbers and scores line up at the end of their cell; the rest at the start. */
const alignsEnd = (c: GridColumn): boolean => c.role === "number" || c.role === "score";

export function HealthGrid(props: HealthGridProps): React.ReactElement {
  const { model, t } = props;
  const s = useHealthGridStyles();
  let body: React.ReactElement;
  if (model.error !== null) body = <StateView state={{ kind: "error", message: model.error }} t={t} />;
  else if (model.loading && model.rows.length === 0) body = <StateView state={{ kind: "loading" }} t={t} />;
  else if (model.rows.length === 0) body = <StateView state={{ kind: "empty", message: t("empty") }} t={t} />;
  else body = <Grid {...props} />;
  return (
    <ThemeRoot host={props.theme} rtl={props.rtl} label={t("title")}>
      <div className={s.root}>{body}</div>
    </ThemeRoot>
  );
}

/** True when the view has health columns and not one row has a score or a status other than "not enough". */
function noneScored(model: GridModel): boolean {
  const health = model.columns.filter((c) => c.role === "status" || c.role === "score");
  const unscored = (cell: GridCell | undefined) =>
    cell?.score === undefined && (cell?.status ?? "notEnoughInfo") === "notEnoughInfo";
  return health.length > 0 && model.rows.every((r) => health.every((c) => unscored(r.cells[c.name])));
}

/** The column sorted by (none at first) and the rows in that order; sorting a column again reverses it. */
function useSort(rows: GridRow[]) {
  const [sort, setSort] = React.useState<Sort | null>(null);
  const sorted = React.useMemo(
    () => (sort ? sortRows(rows, sort.column, sort.direction) : rows),
    [rows, sort],
  );
  const sortBy = (c: GridColumn) =>
    setSort((s) =>
      s?.column === c.name
        ? { column: c.name, direction: s.direction === "ascending" ? "descending" : "ascending" }
        : { column: c.name, direction: "ascending" },
    );
  return { sort, sorted, sortBy };
}

function Grid(props: HealthGridProps): React.ReactElement {
  const { model, t } = props;
  const s = useHealthGridStyles();
  const { sort, sorted: rows, sortBy } = useSort(model.rows);
  const [scrollTop, setScrollTop] = React.useState(0);
  const viewport = Math.max(ROW_HEIGHT * 3, props.height - 64);
  const { start, end } = visibleRange(scrollTop, viewport - ROW_HEIGHT, ROW_HEIGHT, rows.length);
  const span = model.columns.length;
  return (
    <div className={s.grid}>
      {noneScored(model) && <StateView state={{ kind: "notEnoughInfo", message: t("noneScored") }} t={t} />}
      <div
        className={s.viewport}
        // The height the host gives, computed per render.
        style={{ height: viewport }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-testid="grid-viewport"
        tabIndex={-1}
      >
        <table
          className={s.table}
          // As wide as its columns together (they come from the view), scrolled sideways when narrower.
          style={{ minWidth: model.columns.reduce((sum, c) => sum + c.width, 0) }}
          aria-rowcount={rows.length + 1}
          aria-label={t("title")}
          data-testid="health-grid"
        >
          <colgroup>
            {model.columns.map((c) => (
              // Each column's width from the view.
              <col key={c.name} style={{ width: c.width }} />
            ))}
          </colgroup>
          <Header columns={model.columns} sort={sort} onSort={sortBy} t={t} />
          <tbody>
            <Spacer rows={start} span={span} />
            {rows.slice(start, end).map((r, i) => (
              <Row key={r.id} row={r} index={start + i} columns={model.columns} onOpen={props.onOpen} t={t} />
            ))}
            <Spacer rows={rows.length - end} span={span} />
          </tbody>
        </table>
      </div>
      <Footer {...props} sort={sort} />
    </div>
  );
}

/** Stands in for the rows scrolled out of view, so the scroll bar is as long as the whole list. */
function Spacer(props: { rows: number; span: number }): React.ReactElement | null {
  const s = useHealthGridStyles();
  if (props.rows <= 0) return null;
  return (
    // Its height is the number of rows it stands for.
    <tr aria-hidden="true" style={{ height: props.rows * ROW_HEIGHT }}>
      <td colSpan={props.span} className={s.spacer} />
    </tr>
  );
}

/** The sticky header: one sort button a column, its arrow showing the direction. */
function Header(props: {
  columns: GridColumn[];
  sort: Sort | null;
  onSort: (c: GridColumn) => void;
  t: Strings;
}): React.ReactElement {
  const { sort, t } = props;
  const s = useHealthGridStyles();
  return (
    <thead>
      <tr aria-rowindex={1}>
        {props.columns.map((c) => {
          const active = sort?.column === c.name;
          const end = alignsEnd(c);
          return (
            <th
              key={c.name}
              scope="col"
              aria-sort={active ? sort.direction : "none"}
              className={mergeClasses(s.cell, s.header, end && s.end)}
            >
              <Button
                appearance="transparent"
                size="small"
                onClick={() => props.onSort(c)}
                className={mergeClasses(s.sortButton, end && s.sortButtonEnd)}
                title={t("sortBy", { column: c.label })}
                data-column={c.name}
              >
                <span className={s.label}>{c.label}</span>
                <span aria-hidden="true" className={s.arrow}>
                  {active ? (sort.direction === "ascending" ? "▲" : "▼") : ""}
                </span>
              </Button>
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/** Rows loaded of the total, the sort in words (read out), and "Load more" while the view has more. */
function Footer(props: HealthGridProps & { sort: Sort | null }): React.ReactElement {
  const { model, t, f, sort } = props;
  const s = useHealthGridStyles();
  const total = Math.max(model.totalCount, model.rows.length);
  const sortedLabel = sort ? (model.columns.find((c) => c.name === sort.column)?.label ?? "") : "";
  return (
    <div className={s.footer}>
      <span role="status" data-testid="grid-status">
        {t("rowCount", { loaded: f.number(model.rows.length), total: f.number(total) })}
        {sort
          ? ` · ${t(sort.direction === "ascending" ? "sortedAsc" : "sortedDesc", { column: sortedLabel })}`
          : ""}
      </span>
      <LoadMore hasNextPage={model.hasNextPage} loading={model.loading} onLoadMore={props.onLoadMore} t={t} />
    </div>
  );
}

const Row = React.memo(function Row(props: {
  row: GridRow;
  index: number;
  columns: GridColumn[];
  onOpen: (row: GridRow) => void;
  t: Strings;
}): React.ReactElement {
  const { row, columns, t } = props;
  const s = useHealthGridStyles();
  const l = useLinkStyles();
  return (
    <tr aria-rowindex={props.index + 2} onDoubleClick={() => props.onOpen(row)} data-id={row.id}>
      {columns.map((c) => (
        <td key={c.name} className={mergeClasses(s.cell, alignsEnd(c) && s.end)}>
          {c.isPrimary ? (
            <button
              type="button"
              onClick={() => props.onOpen(row)}
              title={t("open", { name: row.cells[c.name]?.text ?? "" })}
              className={mergeClasses("rp-link", l.link, s.link)}
            >
              {row.cells[c.name]?.text || t("noName")}
            </button>
          ) : (
            <CellContent cell={row.cells[c.name]} column={c} t={t} />
          )}
        </td>
      ))}
    </tr>
  );
});

function CellContent(props: {
  cell: GridCell | undefined;
  column: GridColumn;
  t: Strings;
}): React.ReactElement | null {
  const { cell, column, t } = props;
  if (!cell) return null;
  switch (column.role) {
    case "status":
      return cell.text === "" ? null : <HealthStatusLabel status={cell.status} text={cell.text} />;
    case "trend":
      return cell.text === "" ? null : <TrendLabel trend={cell.trend} text={cell.text} />;
    case "score":
      return <ScoreCell cell={cell} t={t} />;
    default:
      return <>{cell.text}</>;
  }
}

/** A score as a small bar in its grade's colour, then the number; "not scored" when there is none. */
function ScoreCell(props: { cell: GridCell; t: Strings }): React.ReactElement {
  const { cell } = props;
  const s = useHealthGridStyles();
  const m = useMeterStyles();
  if (cell.score === undefined) return <span className={s.muted}>{props.t("notScored")}</span>;
  const grade = cell.score >= 60 ? "good" : cell.score >= 40 ? "fair" : "poor";
  return (
    <span className={s.score}>
      <span aria-hidden="true" className={mergeClasses(m.track, s.bar)}>
        {/* The bar's length is the row's score. */}
        <span
          className={mergeClasses(m.fill, s[grade])}
          style={{ width: `${Math.max(0, Math.min(100, cell.score))}%` }}
        />
      </span>
      {cell.text}
    </span>
  );
}
