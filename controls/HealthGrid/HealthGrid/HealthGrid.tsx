import { Button, tokens } from "@fluentui/react-components";
import * as React from "react";

import type { Formatter } from "../../shared/format";
import { HealthStatusLabel, STATUS_COLOUR, TrendLabel } from "../../shared/health";
import { StateView } from "../../shared/states";
import type { Strings } from "../../shared/strings";
import { type HostTheme, ThemeRoot } from "../../shared/theme";
import {
  type GridCell,
  type GridColumn,
  type GridModel,
  type GridRow,
  type SortDirection,
  sortRows,
  visibleRange,
} from "./model";

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

export const ROW_HEIGHT = 36;

const cellStyle: React.CSSProperties = {
  padding: "0 8px",
  height: ROW_HEIGHT,
  borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  whiteSpace: "nowrap",
  overflow: "hidden",
  textOverflow: "ellipsis",
  textAlign: "start",
  boxSizing: "border-box",
};

export function HealthGrid(props: HealthGridProps): React.ReactElement {
  const { model, t } = props;
  let body: React.ReactElement;
  if (model.error !== null) body = <StateView state={{ kind: "error", message: model.error }} t={t} />;
  else if (model.loading && model.rows.length === 0) body = <StateView state={{ kind: "loading" }} t={t} />;
  else if (model.rows.length === 0) body = <StateView state={{ kind: "empty", message: t("empty") }} t={t} />;
  else body = <Grid {...props} />;
  return (
    <ThemeRoot host={props.theme} rtl={props.rtl} label={t("title")}>
      <div
        style={{
          fontFamily: tokens.fontFamilyBase,
          fontSize: tokens.fontSizeBase300,
          color: tokens.colorNeutralForeground1,
        }}
      >
        {body}
      </div>
    </ThemeRoot>
  );
}

// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function Grid(props: HealthGridProps): React.ReactElement {
  const { model, t, f } = props;
  const [sort, setSort] = React.useState<{ column: string; direction: SortDirection } | null>(null);
  const [scrollTop, setScrollTop] = React.useState(0);
  const rows = React.useMemo(
    () => (sort ? sortRows(model.rows, sort.column, sort.direction) : model.rows),
    [model.rows, sort],
  );
  const healthColumns = model.columns.filter((c) => c.role === "status" || c.role === "score");
  const noneScored =
    healthColumns.length > 0 &&
    model.rows.every((r) =>
      healthColumns.every(
        (c) =>
          r.cells[c.name]?.score === undefined &&
          (r.cells[c.name]?.status ?? "notEnoughInfo") === "notEnoughInfo",
      ),
    );
  const headerHeight = ROW_HEIGHT;
  const viewport = Math.max(ROW_HEIGHT * 3, props.height - 64);
  const { start, end } = visibleRange(scrollTop, viewport - headerHeight, ROW_HEIGHT, rows.length);
  const total = Math.max(model.totalCount, model.rows.length);
  const sortBy = (c: GridColumn) =>
    setSort((s) =>
      s?.column === c.name
        ? { column: c.name, direction: s.direction === "ascending" ? "descending" : "ascending" }
        : {
            column: c.name,
            direction: c.role === "score" || c.role === "status" ? "ascending" : "ascending",
          },
    );
  const sortedLabel = sort ? (model.columns.find((c) => c.name === sort.column)?.label ?? "") : "";
  return (
    <div style={{ display: "grid", gap: 6 }}>
      {noneScored && <StateView state={{ kind: "notEnoughInfo", message: t("noneScored") }} t={t} />}
      <div
        style={{
          height: viewport,
          overflow: "auto",
          border: `1px solid ${tokens.colorNeutralStroke2}`,
          background: tokens.colorNeutralBackground1,
        }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-testid="grid-viewport"
        tabIndex={-1}
      >
        <table
          style={{
            borderCollapse: "separate",
            borderSpacing: 0,
            tableLayout: "fixed",
            width: "100%",
            minWidth: model.columns.reduce((s, c) => s + c.width, 0),
          }}
          aria-rowcount={rows.length + 1}
          aria-label={t("title")}
          data-testid="health-grid"
        >
          <colgroup>
            {model.columns.map((c) => (
              <col key={c.name} style={{ width: c.width }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              {model.columns.map((c) => {
                const active = sort?.column === c.name;
                return (
                  <th
                    key={c.name}
                    scope="col"
                    aria-sort={active ? sort.direction : "none"}
                    style={{
                      ...cellStyle,
                      position: "sticky",
                      top: 0,
                      zIndex: 1,
                      background: tokens.colorNeutralBackground3,
                      fontWeight: 600,
                      padding: 0,
                      textAlign: c.role === "number" || c.role === "score" ? "end" : "start",
                    }}
                  >
                    <Button
                      appearance="transparent"
                      size="small"
                      onClick={() => sortBy(c)}
                      style={{
                        width: "100%",
                        justifyContent: c.role === "number" || c.role === "score" ? "flex-end" : "flex-start",
                        fontWeight: 600,
                        minWidth: 0,
                      }}
                      title={t("sortBy", { column: c.label })}
                      data-column={c.name}
                    >
                      <span style={{ overflow: "hidden", textOverflow: "ellipsis" }}>{c.label}</span>
                      <span aria-hidden="true" style={{ marginInlineStart: 4 }}>
                        {active ? (sort.direction === "ascending" ? "▲" : "▼") : ""}
                      </span>
                    </Button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {start > 0 && (
              <tr aria-hidden="true" style={{ height: start * ROW_HEIGHT }}>
                <td colSpan={model.columns.length} style={{ padding: 0, border: 0 }} />
              </tr>
            )}
            {rows.slice(start, end).map((r, i) => (
              <Row key={r.id} row={r} index={start + i} columns={model.columns} onOpen={props.onOpen} t={t} />
            ))}
            {end < rows.length && (
              <tr aria-hidden="true" style={{ height: (rows.length - end) * ROW_HEIGHT }}>
                <td colSpan={model.columns.length} style={{ padding: 0, border: 0 }} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div
        style={{
          display: "flex",
          gap: 12,
          alignItems: "center",
          color: tokens.colorNeutralForeground2,
          fontSize: tokens.fontSizeBase200,
        }}
      >
        <span role="status" data-testid="grid-status">
          {t("rowCount", { loaded: f.number(model.rows.length), total: f.number(total) })}
          {sort
            ? ` · ${t(sort.direction === "ascending" ? "sortedAsc" : "sortedDesc", { column: sortedLabel })}`
            : ""}
        </span>
        {model.hasNextPage && (
          <Button size="small" appearance="secondary" onClick={props.onLoadMore} disabled={model.loading}>
            {model.loading ? t("loading") : t("loadMore")}
          </Button>
        )}
      </div>
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
  return (
    <tr aria-rowindex={props.index + 2} onDoubleClick={() => props.onOpen(row)} data-id={row.id}>
      {columns.map((c) => (
        <td
          key={c.name}
          style={{ ...cellStyle, textAlign: c.role === "number" || c.role === "score" ? "end" : "start" }}
        >
          {c.isPrimary ? (
            <button
              type="button"
              onClick={() => props.onOpen(row)}
              title={t("open", { name: row.cells[c.name]?.text ?? "" })}
              style={{
                all: "unset",
                cursor: "pointer",
                color: tokens.colorBrandForegroundLink,
                textDecoration: "underline",
                maxWidth: "100%",
                overflow: "hidden",
                textOverflow: "ellipsis",
              }}
              className="rp-link"
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
      if (cell.score === undefined)
        return <span style={{ color: tokens.colorNeutralForeground2 }}>{t("notScored")}</span>;
      return (
        <span style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
          <span
            aria-hidden="true"
            style={{
              width: 40,
              height: 6,
              background: tokens.colorNeutralBackground4,
              borderRadius: 3,
              overflow: "hidden",
            }}
          >
            <span
              style={{
                display: "block",
                height: "100%",
                width: `${Math.max(0, Math.min(100, cell.score))}%`,
                background: STATUS_COLOUR[cell.score >= 60 ? "good" : cell.score >= 40 ? "fair" : "poor"],
              }}
            />
          </span>
          {cell.text}
        </span>
      );
    default:
      return <>{cell.text}</>;
  }
}
