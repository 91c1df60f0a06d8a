import { mergeClasses } from "@fluentui/react-components";
import * as React from "react";

import { ActivityChart, HealthHistoryChart, type ScorePoint } from "../../shared/charts";
import type { Formatter } from "../../shared/format";
import type { ActivityMark, PersonCount } from "../../shared/insight";
import { useLoad } from "../../shared/load";
import { StateView } from "../../shared/states";
import type { Strings } from "../../shared/strings";
import { type HostTheme, ThemeRoot } from "../../shared/theme";
import type { WebApi } from "../../shared/webapi";
import { Card, Muted } from "./Card";
import { hasNoActivity, type InsightView, loadHealthHistory, loadInsight } from "./data";
import { History } from "./History";
import { Kpis } from "./Kpis";
import { usePanelStyles } from "./RelationshipAnalytics.styles";
import { SimilarDeals } from "./Similar";
import { isUnscored, Reasons, Summary } from "./Summary";

export { NARROW_WIDTH } from "./History";
export { KPI_TILES } from "./Kpis";

export interface RelationshipAnalyticsProps {
  /** The record's rp_relationshipinsightid, or null when the record has no insight yet. */
  insightId: string | null;
  api: WebApi;
  t: Strings;
  f: Formatter;
  theme: HostTheme | undefined;
  rtl: boolean;
  /** History items shown before "Show more". */
  pageSize?: number;
  /** The width the host gives the control (mode.allocatedWidth), when it says; narrow widths stack the history. */
  width?: number;
}

type Loaded = { view: InsightView; health: ScorePoint[] };

export function RelationshipAnalytics(props: RelationshipAnalyticsProps): React.ReactElement {
  const { insightId, api, t } = props;
  const s = usePanelStyles();
  const { state, retry } = useLoad<Loaded>(
    insightId
      ? () =>
          Promise.all([loadInsight(api, insightId), loadHealthHistory(api, insightId)]).then(
            ([view, health]) => ({ view, health }),
          )
      : null,
    [insightId, api],
    t("noInsight"),
  );

  return (
    <ThemeRoot host={props.theme} rtl={props.rtl} label={t("title")}>
      <div className={s.root}>
        {state.kind === "ready" ? (
          <Panel data={state.data} {...props} />
        ) : (
          <StateView state={state} t={t} onRetry={retry} />
        )}
      </div>
    </ThemeRoot>
  );
}

/** The cards in order; those about activity only when there was some. */
function Panel(props: RelationshipAnalyticsProps & { data: Loaded }): React.ReactElement {
  const { t, f } = props;
  const { view, health } = props.data;
  const active = !hasNoActivity(view);
  return (
    <>
      <Summary view={view} t={t} f={f} />
      {isUnscored(view) && <StateView state={{ kind: "notEnoughInfo" }} t={t} />}
      <Reasons view={view} t={t} />
      {active && (
        <>
          <Kpis view={view} t={t} f={f} />
          <Marks view={view} t={t} f={f} />
          <Card id="activity" title={t("activityChartTitle")}>
            {view.days.length > 0 ? (
              <ActivityChart days={view.days} t={t} f={f} />
            ) : (
              <Muted>{t("noRecentActivity")}</Muted>
            )}
          </Card>
        </>
      )}
      {view.similar && <SimilarDeals similar={view.similar} t={t} f={f} />}
      <Card id="health" title={t("healthChartTitle")}>
        {health.some((p) => p.score !== null) ? (
          <HealthHistoryChart points={health} t={t} f={f} />
        ) : (
          <Muted>{t("healthChartNone")}</Muted>
        )}
      </Card>
      {active && (
        <>
          <MostContacted view={view} t={t} />
          <History {...props} items={view.history} total={view.interactionCount} />
        </>
      )}
    </>
  );
}

/** The last and the next interaction, side by side. */
function Marks(props: { view: InsightView; t: Strings; f: Formatter }): React.ReactElement {
  const { view, t, f } = props;
  const s = usePanelStyles();
  return (
    <section className={mergeClasses(s.card, s.marks)} aria-label={t("interactions")}>
      <Mark label={t("lastInteraction")} mark={view.last} t={t} f={f} id="last" />
      <Mark label={t("nextInteraction")} mark={view.next} t={t} f={f} id="next" />
    </section>
  );
}

function Mark(props: { label: string; mark: ActivityMark | null; t: Strings; f: Formatter; id: string }) {
  const { mark, t, f } = props;
  const s = usePanelStyles();
  return (
    <div data-testid={`${props.id}-interaction`}>
      <div className={s.small}>{props.label}</div>
      <div>
        {mark
          ? t("markText", {
              date: f.dateTime(mark.at),
              kind: t(`kind_${mark.kind}`),
              direction: t(`dir_${mark.direction}`),
            })
          : t("none")}
      </div>
    </div>
  );
}

/** Who wrote most on each side. */
function MostContacted(props: { view: InsightView; t: Strings }): React.ReactElement {
  const { t } = props;
  const s = usePanelStyles();
  const by = props.view.mostContacted.mostContactedBy;
  return (
    <Card id="most" title={t("mostContacted")}>
      <div className={s.people}>
        <People title={t("mostContactedOurs")} list={by.ours} t={t} id="ours" />
        <People title={t("mostContactedTheirs")} list={by.theirs} t={t} id="theirs" />
      </div>
    </Card>
  );
}

function People(props: { title: string; list: PersonCount[]; t: Strings; id: string }) {
  const s = usePanelStyles();
  return (
    <div>
      <h3 className={s.subheading}>{props.title}</h3>
      {props.list.length === 0 ? (
        <Muted flat>{props.t("none")}</Muted>
      ) : (
        <ol className={s.list} data-testid={`most-${props.id}`}>
          {props.list.map((p) => (
            <li key={p.address}>
              {p.address} <span className={s.muted}>({props.t("messages", { count: p.count })})</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
