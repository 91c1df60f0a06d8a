import { mergeClasses, tokens } from "@fluentui/react-components";
import * as React from "react";

import { THEM_COLOUR, US_COLOUR, useChartStyles } from "./charts.styles";
import { ChartTable } from "./ChartTable";
import type { Formatter } from "./format";
import type { DayPoint } from "./insight";
import type { Strings } from "./strings";

export { THEM_COLOUR, US_COLOUR } from "./charts.styles";
export { ChartTable, type ChartTableRow } from "./ChartTable";

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

/** The activity chart's column width and half height, in SVG units. */
const ACT_W = 10;
const ACT_H = 60;

/** The 60-day activity chart: our activities above the axis, theirs below, one column per day. */
export function ActivityChart(props: { days: DayPoint[]; t: Strings; f: Formatter }): React.ReactElement {
  const { days, t, f } = props;
  const s = useChartStyles();
  const titleId = useId("act-title");
  const descId = useId("act-desc");
  const totals = dayTotals(days);
  const sumUs = totals.reduce((n, d) => n + d.us, 0);
  const sumThem = totals.reduce((n, d) => n + d.them, 0);
  const width = Math.max(1, totals.length) * ACT_W;
  const first = days[0]?.date;
  const last = days[days.length - 1]?.date;
  const desc = t("activityChartDesc", {
    from: f.day(first),
    to: f.day(last),
    us: f.number(sumUs),
    them: f.number(sumThem),
  });
  return (
    <figure className={s.figure}>
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${width} ${ACT_H * 2 + 2}`}
        preserveAspectRatio="none"
        className={mergeClasses(s.svg, s.activity)}
        data-testid="activity-chart"
      >
        <title id={titleId}>{t("activityChartTitle")}</title>
        <desc id={descId}>{desc}</desc>
        <line
          x1={0}
          x2={width}
          y1={ACT_H + 1}
          y2={ACT_H + 1}
          stroke={tokens.colorNeutralStroke1}
          strokeWidth={1}
        />
        <ActivityBars totals={totals} />
      </svg>
      <figcaption className={s.caption}>
        <span>{f.day(first)}</span>
        <span>
          <Swatch side="us" /> {t("byUs")} ({f.number(sumUs)}) <Swatch side="them" /> {t("byThem")} (
          {f.number(sumThem)})
        </span>
        <span>{f.day(last)}</span>
      </figcaption>
      <ActivityTable days={days} totals={totals} t={t} f={f} />
    </figure>
  );
}

/** One column a day: our bar up from the axis, theirs down, both scaled to the busiest day. */
function ActivityBars(props: { totals: DayTotals[] }): React.ReactElement {
  const max = Math.max(1, ...props.totals.map((d) => Math.max(d.us, d.them)));
  return (
    <>
      {props.totals.map((d, i) => (
        <g key={d.date}>
          {d.us > 0 && (
            <rect
              x={i * ACT_W + 1}
              width={ACT_W - 2}
              y={ACT_H - (d.us / max) * ACT_H}
              height={(d.us / max) * ACT_H}
              fill={US_COLOUR}
            />
          )}
          {d.them > 0 && (
            <rect
              x={i * ACT_W + 1}
              width={ACT_W - 2}
              y={ACT_H + 2}
              height={(d.them / max) * ACT_H}
              fill={THEM_COLOUR}
            />
          )}
        </g>
      ))}
    </>
  );
}

/** The days with any activity, as a table: emails each way, meetings and calls. */
function ActivityTable(props: { days: DayPoint[]; totals: DayTotals[]; t: Strings; f: Formatter }) {
  const { t, f, totals } = props;
  const active = props.days.filter((d, i) => (totals[i]?.us ?? 0) + (totals[i]?.them ?? 0) > 0);
  return (
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
  );
}

function Swatch(props: { side: "us" | "them" }): React.ReactElement {
  const s = useChartStyles();
  return <span aria-hidden="true" className={mergeClasses(s.swatch, s[props.side])} />;
}

export interface ScorePoint {
  weekStart: string;
  score: number | null;
}

/** The health chart's size and inner padding, in SVG units. */
const HH_W = 600;
const HH_H = 100;
const HH_PAD = 4;

/** A week's x and a score's y in the health chart. */
function healthScale(count: number) {
  return {
    x: (i: number) => (count <= 1 ? HH_W / 2 : HH_PAD + (i * (HH_W - 2 * HH_PAD)) / (count - 1)),
    y: (score: number) => HH_PAD + ((100 - score) * (HH_H - 2 * HH_PAD)) / 100,
  };
}

/** The polylines of the score: one per run of scored weeks (a week without a score breaks the line). */
function scoreSegments(points: ScorePoint[]): string[][] {
  const { x, y } = healthScale(points.length);
  const segments: string[][] = [];
  let current: string[] = [];
  points.forEach((p, i) => {
    if (p.score === null) {
      if (current.length) segments.push(current);
      current = [];
    } else current.push(`${x(i).toFixed(1)},${y(p.score).toFixed(1)}`);
  });
  if (current.length) segments.push(current);
  return segments;
}

type Scored = { weekStart: string; score: number };

/** What the chart says to a screen reader: the weeks scored, their range, lowest, highest and last score. */
function healthDesc(scored: Scored[], t: Strings, f: Formatter): string {
  const lastScored = scored[scored.length - 1];
  if (scored.length === 0) return t("healthChartNone");
  return t("healthChartDesc", {
    weeks: f.number(scored.length),
    from: f.day(scored[0]?.weekStart),
    to: f.day(lastScored?.weekStart),
    min: f.number(Math.min(...scored.map((p) => p.score))),
    max: f.number(Math.max(...scored.map((p) => p.score))),
    last: f.number(lastScored?.score),
  });
}

/** Weekly health score, 0-100, with the fair (40) and good (60) thresholds drawn as guides. */
export function HealthHistoryChart(props: {
  points: ScorePoint[];
  t: Strings;
  f: Formatter;
}): React.ReactElement {
  const { points, t, f } = props;
  const s = useChartStyles();
  const titleId = useId("hh-title");
  const descId = useId("hh-desc");
  const scored = points.filter((p): p is Scored => p.score !== null);
  return (
    <figure className={s.figure}>
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${HH_W} ${HH_H}`}
        preserveAspectRatio="none"
        className={mergeClasses(s.svg, s.health)}
        data-testid="health-chart"
      >
        <title id={titleId}>{t("healthChartTitle")}</title>
        <desc id={descId}>{healthDesc(scored, t, f)}</desc>
        <GradeBands />
        {scoreSegments(points).map((segment, i) => (
          <polyline
            key={i}
            points={segment.join(" ")}
            fill="none"
            stroke={tokens.colorBrandForeground1}
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
          />
        ))}
      </svg>
      <figcaption className={s.caption}>
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

/** The good (60-100), fair (40-60) and poor (0-40) bands behind the line. */
const GRADE_BANDS = [
  { from: 60, to: 100, fill: tokens.colorPaletteGreenBackground1 },
  { from: 40, to: 60, fill: tokens.colorPaletteMarigoldBackground1 },
  { from: 0, to: 40, fill: tokens.colorPaletteRedBackground1 },
] as const;

function GradeBands(): React.ReactElement {
  const { y } = healthScale(0);
  return (
    <>
      {GRADE_BANDS.map((b) => (
        <rect key={b.from} x={0} y={y(b.to)} width={HH_W} height={y(b.from) - y(b.to)} fill={b.fill} />
      ))}
    </>
  );
}
