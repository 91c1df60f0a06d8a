import { mergeClasses } from "@fluentui/react-components";
import * as React from "react";

import type { Formatter } from "../../shared/format";
import { TREND_ARROW } from "../../shared/health";
import type { Strings } from "../../shared/strings";
import {
  type Box,
  type Bubble,
  bubbles,
  keyboardOrder,
  maxRadius,
  monthTicks,
  nextIndex,
  SCORE_TICKS,
  xDomain,
  xScale,
  yScale,
} from "./layout";
import type { Deal } from "./model";
import { usePipelineStyles } from "./RelationshipPipeline.styles";

/** A day (UTC midnight, ms) as the formatter's plain calendar date. */
export const isoDay = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString().slice(0, 10);

/** How the card and the table say each part of a deal. */
export function dealTexts(d: Deal, t: Strings, f: Formatter) {
  return {
    score: d.score === null ? t("noScore") : t("scoreOf", { score: f.number(d.score) }),
    status: t(`pipe_${d.status}`),
    trend: d.trend ? d.trendText || t(`trend_${d.trend}`) : t("trend_notEnoughInfo"),
    close: d.close === null ? t("noClose") : t("closeOn", { date: f.day(isoDay(d.close)) }),
    revenue:
      d.revenue === null ? t("noRevenue") : t("revenueOf", { revenue: d.revenueText || f.number(d.revenue) }),
    reason: d.reason ? t("topReason", { reason: d.reason }) : t("noReason"),
  };
}

export interface ChartProps {
  deals: Deal[];
  box: Box;
  t: Strings;
  f: Formatter;
  onOpen: (d: Deal) => void;
}

let nextId = 0;
function useId(prefix: string): string {
  const ref = React.useRef<string>();
  if (!ref.current) ref.current = `${prefix}-${++nextId}`;
  return ref.current;
}

/**
 * The bubble chart: x the estimated close date, y the health score (a lane under the axis for the
 * unscored), size the estimated revenue, colour the status. One tab stop: the arrow keys move between the
 * bubbles in keyboard order (layout.ts), Enter or Space opens one; hover or focus shows its card.
 */
export function Chart(props: ChartProps): React.ReactElement {
  const { box, t, f } = props;
  const s = usePipelineStyles();
  const titleId = useId("pipe-title");
  const descId = useId("pipe-desc");
  const cardId = useId("pipe-card");
  const drawn = React.useMemo(() => bubbles(props.deals, box), [props.deals, box]);
  const order = React.useMemo(() => keyboardOrder(props.deals), [props.deals]);
  const [active, setActive] = React.useState(0);
  // The card follows the mouse, else the keyboard focus (a new focus clears the hover); the ring marks both.
  const [hovered, setHovered] = React.useState<string | null>(null);
  const [focused, setFocused] = React.useState<string | null>(null);
  const shown = hovered ?? focused;
  const refs = React.useRef(new Map<string, SVGCircleElement>());
  const activeId = order[Math.min(active, order.length - 1)]?.id;
  const onKeyDown = (e: React.KeyboardEvent, deal: Deal) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      props.onOpen(deal);
      return;
    }
    const i = nextIndex(e.key, order.indexOf(deal), order.length);
    if (i === null) return;
    e.preventDefault();
    setActive(i);
    refs.current.get(order[i]!.id)?.focus();
  };
  const card = drawn.find((b) => b.deal.id === shown);
  const { from, to } = xDomain(props.deals.map((d) => d.close ?? 0));
  return (
    <div className={s.chartBox}>
      <svg
        role="group"
        aria-labelledby={titleId}
        aria-describedby={descId}
        width={box.width}
        height={box.height}
        viewBox={`0 0 ${box.width} ${box.height}`}
        className={s.svg}
        data-testid="pipeline-chart"
      >
        <title id={titleId}>{t("chartTitle")}</title>
        <desc id={descId}>
          {t("chartDesc", {
            count: f.number(props.deals.length),
            from: f.day(isoDay(from)),
            to: f.day(isoDay(to)),
          })}
        </desc>
        <Axes box={box} deals={props.deals} t={t} f={f} />
        {drawn.map((b) => (
          <BubbleMark
            key={b.deal.id}
            bubble={b}
            t={t}
            f={f}
            focusable={b.deal.id === activeId}
            shown={b.deal.id === shown}
            marked={b.deal.id === hovered || b.deal.id === focused}
            cardId={cardId}
            setRef={(el) => (el ? refs.current.set(b.deal.id, el) : refs.current.delete(b.deal.id))}
            onHover={(on) => setHovered(on ? b.deal.id : null)}
            onFocus={(on) => {
              setFocused(on ? b.deal.id : null);
              if (!on) return;
              // The newest wins: a bubble focused takes the card from one the mouse rests on.
              setHovered(null);
              setActive(order.indexOf(b.deal));
            }}
            onKeyDown={(e) => onKeyDown(e, b.deal)}
            onOpen={() => props.onOpen(b.deal)}
          />
        ))}
      </svg>
      {card && <Card id={cardId} bubble={card} box={box} t={t} f={f} />}
    </div>
  );
}

function BubbleMark(props: {
  bubble: Bubble;
  t: Strings;
  f: Formatter;
  focusable: boolean;
  shown: boolean;
  marked: boolean;
  cardId: string;
  setRef: (el: SVGCircleElement | null) => void;
  onHover: (on: boolean) => void;
  onFocus: (on: boolean) => void;
  onKeyDown: (e: React.KeyboardEvent) => void;
  onOpen: () => void;
}): React.ReactElement {
  const { bubble: b, t, f } = props;
  const s = usePipelineStyles();
  const x = dealTexts(b.deal, t, f);
  return (
    <circle
      ref={props.setRef}
      cx={b.cx}
      cy={b.cy}
      r={b.r}
      role="button"
      tabIndex={props.focusable ? 0 : -1}
      aria-label={t("bubbleLabel", {
        name: b.deal.name || t("noName"),
        score: x.score,
        status: x.status,
        trend: x.trend,
        close: x.close,
        revenue: x.revenue,
      })}
      aria-describedby={props.shown ? props.cardId : undefined}
      className={mergeClasses(s.bubble, s[b.deal.status], props.marked && s.active)}
      data-id={b.deal.id}
      data-status={b.deal.status}
      data-active={props.marked || undefined}
      onMouseEnter={() => props.onHover(true)}
      onMouseLeave={() => props.onHover(false)}
      onFocus={() => props.onFocus(true)}
      onBlur={() => props.onFocus(false)}
      onClick={props.onOpen}
      onKeyDown={props.onKeyDown}
    />
  );
}

/** The card by a hovered or focused bubble: on its right, or its left when there is no room. */
function Card(props: { id: string; bubble: Bubble; box: Box; t: Strings; f: Formatter }): React.ReactElement {
  const { bubble: b, box, t, f } = props;
  const s = usePipelineStyles();
  const x = dealTexts(b.deal, t, f);
  const width = 240;
  const right = b.cx + b.r + 8;
  const left = right + width <= box.width ? right : Math.max(0, b.cx - b.r - 8 - width);
  const top = Math.max(0, Math.min(b.cy - 40, box.height - 150));
  return (
    // Placed by the bubble it describes: computed per bubble.
    <div id={props.id} role="tooltip" className={s.card} style={{ left, top }} data-testid="pipeline-card">
      <span className={s.cardName}>{b.deal.name || t("noName")}</span>
      <span>
        {x.score} · {x.status}
      </span>
      <span>
        {b.deal.trend ? `${TREND_ARROW[b.deal.trend]} ` : ""}
        {x.trend}
      </span>
      <span>{x.reason}</span>
      <span className={s.muted}>
        {x.close} · {x.revenue}
      </span>
    </div>
  );
}

/** Score grid lines (the 40 and 60 grade thresholds dashed), month ticks, axis titles and the no-score lane. */
function Axes(props: { box: Box; deals: Deal[]; t: Strings; f: Formatter }): React.ReactElement {
  const { box, t, f } = props;
  const s = usePipelineStyles();
  const pad = maxRadius(box);
  const y = yScale(box, pad);
  const closes = props.deals.map((d) => d.close ?? 0);
  const x = xScale(closes, box, pad);
  const { from, to } = xDomain(closes);
  const ticks = monthTicks(from, to, Math.floor((box.right - box.left) / 70));
  const month = React.useMemo(
    () => new Intl.DateTimeFormat(f.locale, { month: "short", year: "numeric", timeZone: "UTC" }),
    [f.locale],
  );
  return (
    <g aria-hidden="true">
      {box.laneBottom > box.laneTop && (
        <>
          <rect
            x={box.left}
            y={box.laneTop}
            width={box.right - box.left}
            height={box.laneBottom - box.laneTop}
            className={s.lane}
          />
          <text x={box.left - 6} y={box.laneY + 4} textAnchor="end" className={s.axisText}>
            –
          </text>
          <text x={box.left + 6} y={box.laneY + 4} className={s.axisText}>
            {t("noScoreLane")}
          </text>
        </>
      )}
      {SCORE_TICKS.map((v) => (
        <g key={v}>
          <line
            x1={box.left}
            x2={box.right}
            y1={y(v)}
            y2={y(v)}
            className={v === 40 || v === 60 ? s.threshold : s.gridLine}
          />
          <text x={box.left - 6} y={y(v) + 4} textAnchor="end" className={s.axisText}>
            {f.number(v)}
          </text>
        </g>
      ))}
      {ticks.map((tick) => (
        <text key={tick} x={x(tick)} y={box.height - 14} textAnchor="middle" className={s.axisText}>
          {month.format(new Date(tick))}
        </text>
      ))}
      <text x={box.right} y={box.height - 1} textAnchor="end" className={s.axisTitle}>
        {t("axisClose")} →
      </text>
      <text x={4} y={box.top - 4} className={s.axisTitle}>
        ↑ {t("axisHealth")}
      </text>
    </g>
  );
}
