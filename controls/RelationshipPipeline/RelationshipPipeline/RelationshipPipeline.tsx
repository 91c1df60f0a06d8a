import { mergeClasses } from "@fluentui/react-components";
import * as React from "react";

import { ChartTable } from "../../shared/ChartTable";
import type { Formatter } from "../../shared/format";
import { useLinkStyles } from "../../shared/link.styles";
import { LoadMore } from "../../shared/loadMore";
import { StateView } from "../../shared/states";
import type { Strings } from "../../shared/strings";
import { type HostTheme, ThemeRoot } from "../../shared/theme";
import { Chart, dealTexts, isoDay } from "./Chart";
import { keyboardOrder, maxRadius, plotBox, sizeLegend, splitDeals } from "./layout";
import { type Deal, PIPELINE_STATUSES, type PipelineModel, type PipelineStatus } from "./model";
import { SIDE_BY_SIDE_MIN, SIDE_WIDTH, usePipelineStyles } from "./RelationshipPipeline.styles";

export interface RelationshipPipelineProps {
  model: PipelineModel;
  t: Strings;
  f: Formatter;
  theme: HostTheme | undefined;
  rtl: boolean;
  /** The width the host gives the control (px). */
  width: number;
  /** Today: the UTC midnight of the user's calendar day (ms). */
  today: number;
  /** The day past and coming close dates are split at (layout.ts referenceDay): today, or the scores' day. */
  asOf: number;
  onOpen: (deal: Deal) => void;
  onLoadMore: () => void;
}

export function RelationshipPipeline(props: RelationshipPipelineProps): React.ReactElement {
  const { model, t } = props;
  const s = usePipelineStyles();
  let body: React.ReactElement;
  if (model.error !== null) body = <StateView state={{ kind: "error", message: model.error }} t={t} />;
  else if (model.loading && model.deals.length === 0) body = <StateView state={{ kind: "loading" }} t={t} />;
  else if (model.deals.length === 0)
    body = <StateView state={{ kind: "empty", message: t("empty") }} t={t} />;
  else body = <Pipeline {...props} />;
  return (
    <ThemeRoot host={props.theme} rtl={props.rtl} label={t("title")}>
      <div className={s.root} data-testid="relationship-pipeline">
        {body}
      </div>
    </ThemeRoot>
  );
}

function Pipeline(props: RelationshipPipelineProps): React.ReactElement {
  const { model, t, f } = props;
  const s = usePipelineStyles();
  const split = React.useMemo(() => splitDeals(model.deals, props.asOf), [model.deals, props.asOf]);
  const beside = props.width >= SIDE_BY_SIDE_MIN;
  const chartWidth = Math.max(280, beside ? props.width - SIDE_WIDTH - 24 : props.width);
  const lane = split.onChart.some((d) => d.score === null);
  const box = React.useMemo(
    () => plotBox(chartWidth, chartWidth < 480 ? 300 : 380, lane),
    [chartWidth, lane],
  );
  return (
    <>
      <Legend deals={split.onChart} maxR={maxRadius(box)} t={t} f={f} />
      {props.asOf < props.today && (
        <p className={s.asOf} data-testid="pipeline-as-of">
          {t("asOf", { date: f.day(isoDay(props.asOf)) })}
        </p>
      )}
      <div className={mergeClasses(s.body, beside && s.beside)}>
        {split.onChart.length > 0 ? (
          <Chart deals={split.onChart} box={box} t={t} f={f} onOpen={props.onOpen} />
        ) : (
          <StateView state={{ kind: "empty", message: t("noneOnChart") }} t={t} />
        )}
        <OffChart past={split.past} missing={split.missing} t={t} f={f} onOpen={props.onOpen} />
      </div>
      <DealTable deals={model.deals} t={t} f={f} />
      <Footer {...props} />
    </>
  );
}

const SWATCH: Record<
  PipelineStatus,
  "swatchGood" | "swatchFair" | "swatchPoor" | "swatchPending" | "swatchNone"
> = {
  good: "swatchGood",
  fair: "swatchFair",
  poor: "swatchPoor",
  pending: "swatchPending",
  none: "swatchNone",
};

/**
 * Colour by status (with the count of each on the chart) and two reference bubbles drawn at the chart's
 * own scale: the largest revenue (radius maxR) and a quarter of it (half the radius).
 */
function Legend(props: { deals: Deal[]; maxR: number; t: Strings; f: Formatter }): React.ReactElement {
  const { t, f } = props;
  const s = usePipelineStyles();
  const count = (st: PipelineStatus) => props.deals.filter((d) => d.status === st).length;
  const maxRevenue = Math.max(0, ...props.deals.map((d) => d.revenue ?? 0));
  const sizes = sizeLegend(maxRevenue);
  return (
    <ul className={s.legend} aria-label={t("legendStatus")} data-testid="pipeline-legend">
      {PIPELINE_STATUSES.map((st) => (
        <li key={st} className={s.legendItem} data-status={st}>
          <span aria-hidden="true" className={mergeClasses(s.swatch, s[SWATCH[st]])} />
          {t(`pipe_${st}`)} ({f.number(count(st))})
        </li>
      ))}
      {sizes.length > 0 && (
        <li className={s.legendItem}>
          {t("legendSize")}:
          {sizes.map((v, i) => (
            <span key={i} className={s.legendItem}>
              <SizeMark r={i === 0 ? props.maxR / 2 : props.maxR} />
              {f.number(v)}
            </span>
          ))}
        </li>
      )}
    </ul>
  );
}

/** A reference bubble of the size legend, radius `r` as on the chart. */
function SizeMark(props: { r: number }): React.ReactElement {
  const s = usePipelineStyles();
  const side = 2 * props.r + 2;
  return (
    <svg aria-hidden="true" width={side} height={side} className={s.sizeSvg}>
      <circle cx={props.r + 1} cy={props.r + 1} r={props.r} className={s.sizeCircle} />
    </svg>
  );
}

/** The opportunities Dynamics 365 leaves out silently: a past close date or none, with links. */
function OffChart(props: {
  past: Deal[];
  missing: Deal[];
  t: Strings;
  f: Formatter;
  onOpen: (d: Deal) => void;
}): React.ReactElement {
  const { t, f } = props;
  const s = usePipelineStyles();
  const none = props.past.length + props.missing.length === 0;
  return (
    <section className={s.side} aria-label={t("offChartTitle")} data-testid="pipeline-off-chart">
      <h2 className={s.sideTitle}>
        {none
          ? t("offChartNone")
          : t("offChartSummary", {
              past: f.number(props.past.length),
              missing: f.number(props.missing.length),
            })}
      </h2>
      <OffList title={t("pastClose")} deals={props.past} t={t} f={f} onOpen={props.onOpen} />
      <OffList title={t("noClose")} deals={props.missing} t={t} f={f} onOpen={props.onOpen} />
    </section>
  );
}

function OffList(props: {
  title: string;
  deals: Deal[];
  t: Strings;
  f: Formatter;
  onOpen: (d: Deal) => void;
}): React.ReactElement | null {
  const { t, f } = props;
  const s = usePipelineStyles();
  const l = useLinkStyles();
  if (props.deals.length === 0) return null;
  return (
    <>
      <span className={s.sideGroup}>{props.title}</span>
      <ul className={s.sideList} aria-label={props.title}>
        {keyboardOrder(props.deals).map((d) => {
          const x = dealTexts(d, t, f);
          return (
            <li key={d.id} className={s.sideItem} data-id={d.id}>
              <button type="button" className={mergeClasses(l.link, s.link)} onClick={() => props.onOpen(d)}>
                {d.name || t("noName")}
              </button>
              <span className={s.muted}>
                {x.score} · {x.status}
                {d.close !== null ? ` · ${t("closedOn", { date: f.day(isoDay(d.close)) })}` : ""}
              </span>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** Every opportunity of the view (on the chart or not) as a table, in keyboard order. */
function DealTable(props: { deals: Deal[]; t: Strings; f: Formatter }): React.ReactElement {
  const { t, f } = props;
  const s = usePipelineStyles();
  return (
    <div className={s.tableScroll}>
      <ChartTable
        caption={t("tableCaption")}
        columns={[
          t("colName"),
          t("colClose"),
          t("colRevenue"),
          t("colScore"),
          t("colStatus"),
          t("colTrend"),
          t("colReason"),
        ]}
        rows={keyboardOrder(props.deals).map((d) => ({
          key: d.id,
          head: d.name || t("noName"),
          cells: [
            d.close === null ? t("noClose") : f.day(isoDay(d.close)),
            d.revenue === null ? "" : d.revenueText || f.number(d.revenue),
            d.score === null ? t("noScore") : f.number(d.score),
            t(`pipe_${d.status}`),
            d.trend ? d.trendText || t(`trend_${d.trend}`) : "",
            d.reason,
          ],
        }))}
        t={t}
      />
    </div>
  );
}

/** Opportunities loaded of the view's total, and "Load more" while it has more. */
function Footer(props: RelationshipPipelineProps): React.ReactElement | null {
  const { model, t, f } = props;
  const s = usePipelineStyles();
  const total = Math.max(model.totalCount, model.deals.length);
  if (!model.hasNextPage && total === model.deals.length) return null;
  return (
    <div className={s.footer}>
      <span role="status">
        {t("rowCount", { loaded: f.number(model.deals.length), total: f.number(total) })}
      </span>
      <LoadMore hasNextPage={model.hasNextPage} loading={model.loading} onLoadMore={props.onLoadMore} t={t} />
    </div>
  );
}
