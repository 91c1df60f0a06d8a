import { tokens } from "@fluentui/react-components";
import * as React from "react";

import type { Formatter } from "./format";
import type { DayPoint } from "./insight";
import type { Strings } from "./strings";

/**
 * Small SVG charts drawn by React (no innerHTML). Each has a <title> and <desc> read by screen readers
 * (role="img" labelled by both) and a table with the same numbers behind a disclosure.
 */

let nextId = 0;
function useId(prefix: string): string {
  const ref = React.useRef<string>();
  if (!ref.current) ref.current = `${prefix}-${++nextId}`;
  return ref.current;
}

const tableStyle: React.CSSProperties = {
  borderCollapse: "collapse",
  fontSize: tokens.fontSizeBase200,
  marginTop: 4,
};
const cell: React.CSSProperties = {
  padding: "2px 8px",
  textAlign: "end",
  borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
};
const headCell: React.CSSProperties = { ...cell, fontWeight: 600 };

export const US_COLOUR = tokens.colorBrandBackground;
export const THEM_COLOUR = tokens.colorPaletteMarigoldBorderActive;

export interface DayTotals {
  date: string;
  us: number;
  them: number;
}

/** Per-day totals by us (emails sent, meetings we sent, calls we made) and by them. */
export function dayTotals(days: DayPoint[]): DayTotals[] {
  return days.map((d) => ({
    date: d.date,
    us: d.emailsSent + d.meetingsSent + d.callsMade,
    them: d.emailsReceived + d.meetingsReceived + d.callsReceived,
  }));
}

/** The 60-day activity chart: our activities above the axis, theirs below, one column per day. */
// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function ActivityChart(props: { days: DayPoint[]; t: Strings; f: Formatter }): React.ReactElement {
  const { days, t, f } = props;
  const titleId = useId("act-title");
  const descId = useId("act-desc");
  const totals = dayTotals(days);
  const sumUs = totals.reduce((s, d) => s + d.us, 0);
  const sumThem = totals.reduce((s, d) => s + d.them, 0);
  const max = Math.max(1, ...totals.map((d) => Math.max(d.us, d.them)));
  const W = 10;
  const H = 60;
  const width = Math.max(1, totals.length) * W;
  const first = days[0]?.date;
  const last = days[days.length - 1]?.date;
  const desc = t("activityChartDesc", {
    from: f.day(first),
    to: f.day(last),
    us: f.number(sumUs),
    them: f.number(sumThem),
  });
  const active = days.filter((d, i) => (totals[i]?.us ?? 0) + (totals[i]?.them ?? 0) > 0);
  return (
    <figure style={{ margin: 0 }}>
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${width} ${H * 2 + 2}`}
        preserveAspectRatio="none"
        style={{ width: "100%", height: 120, display: "block" }}
        data-testid="activity-chart"
      >
        <title id={titleId}>{t("activityChartTitle")}</title>
        <desc id={descId}>{desc}</desc>
        <line x1={0} x2={width} y1={H + 1} y2={H + 1} stroke={tokens.colorNeutralStroke1} strokeWidth={1} />
        {totals.map((d, i) => (
          <g key={d.date}>
            {d.us > 0 && (
              <rect
                x={i * W + 1}
                width={W - 2}
                y={H - (d.us / max) * H}
                height={(d.us / max) * H}
                fill={US_COLOUR}
              />
            )}
            {d.them > 0 && (
              <rect x={i * W + 1} width={W - 2} y={H + 2} height={(d.them / max) * H} fill={THEM_COLOUR} />
            )}
          </g>
        ))}
      </svg>
      <figcaption
        style={{
          display: "flex",
          justifyContent: "space-between",
          fontSize: tokens.fontSizeBase200,
          color: tokens.colorNeutralForeground2,
        }}
      >
        <span>{f.day(first)}</span>
        <span>
          <Swatch colour={US_COLOUR} /> {t("byUs")} ({f.number(sumUs)}) <Swatch colour={THEM_COLOUR} />{" "}
          {t("byThem")} ({f.number(sumThem)})
        </span>
        <span>{f.day(last)}</span>
      </figcaption>
      <ChartTable
        caption={t("activityChartTitle")}
        columns={[t("date"), t("emailsSent"), t("emailsReceived"), t("meetings"), t("calls")]}
        rows={active.map((d) => ({
          key: d.date,
          head: f.day(d.date),
          cells: [
            d.emailsSent,
            d.emailsReceived,
            d.meetingsSent + d.meetingsReceived,
            d.callsMade + d.callsReceived,
          ],
        }))}
        t={t}
      />
    </figure>
  );
}

/** One row of a chart's table: a row header (the day or week) and the values, one per further column. */
export interface ChartTableRow {
  key: string;
  head: string;
  cells: React.ReactNode[];
}

/**
 * The numbers behind a chart, as a table behind a "Show as table" disclosure: `columns[0]` heads the row
 * headers, the rest head `cells`.
 */
export function ChartTable(props: {
  caption: string;
  columns: string[];
  rows: ChartTableRow[];
  t: Strings;
}): React.ReactElement {
  // No `const [first, ...rest] =`: Babel would add its destructuring helpers to the bundle.
  const first = props.columns[0];
  const rest = props.columns.slice(1);
  return (
    <details>
      <summary style={{ cursor: "pointer", fontSize: tokens.fontSizeBase200 }}>
        {props.t("showTable")}
      </summary>
      <table style={tableStyle}>
        <caption style={{ textAlign: "start" }}>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col" style={{ ...headCell, textAlign: "start" }}>
              {first}
            </th>
            {rest.map((c, i) => (
              <th key={i} scope="col" style={headCell}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row" style={{ ...cell, textAlign: "start", fontWeight: 400 }}>
                {r.head}
              </th>
              {r.cells.map((v, i) => (
                <td key={i} style={cell}>
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Swatch(props: { colour: string }): React.ReactElement {
  return (
    <span
      aria-hidden="true"
      style={{ display: "inline-block", width: 8, height: 8, background: props.colour, marginInlineStart: 8 }}
    />
  );
}

export interface ScorePoint {
  weekStart: string;
  score: number | null;
}

/** Weekly health score, 0-100, with the fair (40) and good (60) thresholds drawn as guides. */
// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function HealthHistoryChart(props: {
  points: ScorePoint[];
  t: Strings;
  f: Formatter;
}): React.ReactElement {
  const { points, t, f } = props;
  const titleId = useId("hh-title");
  const descId = useId("hh-desc");
  const W = 600;
  const H = 100;
  const pad = 4;
  const scored = points.filter((p): p is { weekStart: string; score: number } => p.score !== null);
  const x = (i: number) => (points.length <= 1 ? W / 2 : pad + (i * (W - 2 * pad)) / (points.length - 1));
  const y = (s: number) => pad + ((100 - s) * (H - 2 * pad)) / 100;
  const segments: string[][] = [];
  let current: string[] = [];
  points.forEach((p, i) => {
    if (p.score === null) {
      if (current.length) segments.push(current);
      current = [];
    } else current.push(`${x(i).toFixed(1)},${y(p.score).toFixed(1)}`);
  });
  if (current.length) segments.push(current);
  const lastScored = scored[scored.length - 1];
  const desc =
    scored.length === 0
      ? t("healthChartNone")
      : t("healthChartDesc", {
          weeks: f.number(scored.length),
          from: f.day(scored[0]?.weekStart),
          to: f.day(lastScored?.weekStart),
          min: f.number(Math.min(...scored.map((p) => p.score))),
          max: f.number(Math.max(...scored.map((p) => p.score))),
          last: f.number(lastScored?.score),
        });
  return (
    <figure style={{ margin: 0 }}>
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        style={{ width: "100%", height: 100, display: "block" }}
        data-testid="health-chart"
      >
        <title id={titleId}>{t("healthChartTitle")}</title>
        <desc id={descId}>{desc}</desc>
        <rect x={0} y={y(100)} width={W} height={y(60) - y(100)} fill={tokens.colorPaletteGreenBackground1} />
        <rect
          x={0}
          y={y(60)}
          width={W}
          height={y(40) - y(60)}
          fill={tokens.colorPaletteMarigoldBackground1}
        />
        <rect x={0} y={y(40)} width={W} height={y(0) - y(40)} fill={tokens.colorPaletteRedBackground1} />
        {segments.map((s, i) => (
          <polyline
            key={i}
            points={s.join(" ")}
            fill="none"
            stroke={tokens.colorBrandForeground1}
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
          />
        ))}
      </svg>
      <figcaption
        style={{
          display: "flex",
          justifyContent: "space-between",
          fontSize: tokens.fontSizeBase200,
          color: tokens.colorNeutralForeground2,
        }}
      >
        <span>{f.day(points[0]?.weekStart)}</span>
        <span>{f.day(points[points.length - 1]?.weekStart)}</span>
      </figcaption>
      <ChartTable
        caption={t("healthChartTitle")}
        columns={[t("week"), t("healthScore")]}
        rows={scored.map((p) => ({ key: p.weekStart, head: f.day(p.weekStart), cells: [f.number(p.score)] }))}
        t={t}
      />
    </figure>
  );
}
