import { Button, tokens } from "@fluentui/react-components";
import * as React from "react";

import { ActivityChart, HealthHistoryChart, type ScorePoint } from "../../shared/charts";
import type { Formatter } from "../../shared/format";
import { HealthStatusLabel, TrendLabel } from "../../shared/health";
import type { ActivityMark, HistoryItem, PersonCount } from "../../shared/insight";
import { bareId } from "../../shared/insight";
import { useLoad } from "../../shared/load";
import { StateView } from "../../shared/states";
import type { Strings } from "../../shared/strings";
import { type HostTheme, ThemeRoot } from "../../shared/theme";
import type { WebApi } from "../../shared/webapi";
import {
  hasNoActivity,
  type InsightView,
  loadHealthHistory,
  loadInsight,
  type Pair,
  readableSubjects,
} from "./data";

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

/** Below this width (a phone, a narrow form column) the history table becomes a list of stacked items. */
export const NARROW_WIDTH = 560;

type Loaded = { view: InsightView; health: ScorePoint[] };

const card: React.CSSProperties = {
  // Long unbroken text (addresses) wraps inside the card instead of widening the panel.
  minWidth: 0,
  overflowWrap: "anywhere",
  border: `1px solid ${tokens.colorNeutralStroke2}`,
  borderRadius: tokens.borderRadiusMedium,
  padding: "8px 12px",
  background: tokens.colorNeutralBackground1,
  color: tokens.colorNeutralForeground1,
};
const h3: React.CSSProperties = { fontSize: tokens.fontSizeBase300, fontWeight: 600, margin: "0 0 6px" };
const muted: React.CSSProperties = { color: tokens.colorNeutralForeground2 };

export function RelationshipAnalytics(props: RelationshipAnalyticsProps): React.ReactElement {
  const { insightId, api, t } = props;
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
      <div
        style={{
          display: "grid",
          // One column that may shrink below its content's width: the cards reflow instead of running off.
          gridTemplateColumns: "minmax(0, 1fr)",
          gap: 12,
          fontFamily: tokens.fontFamilyBase,
          fontSize: tokens.fontSizeBase300,
        }}
      >
        {state.kind === "ready" ? (
          <Panel data={state.data} {...props} />
        ) : (
          <StateView state={state} t={t} onRetry={retry} />
        )}
      </div>
    </ThemeRoot>
  );
}

// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function Panel(props: RelationshipAnalyticsProps & { data: Loaded }): React.ReactElement {
  const { t, f } = props;
  const { view, health } = props.data;
  const unscored = view.status === "notEnoughInfo" || view.status === "notScored" || view.score === null;
  return (
    <>
      <div style={{ ...card, display: "flex", gap: 16, alignItems: "center", flexWrap: "wrap" }}>
        <div style={{ textAlign: "center", minWidth: 72 }}>
          <div
            style={{ fontSize: tokens.fontSizeHero700, fontWeight: 600, lineHeight: 1.1 }}
            data-testid="health-score"
            aria-label={unscored ? t("notScored") : t("healthScoreOf", { score: f.number(view.score) })}
          >
            {unscored ? "–" : f.number(view.score)}
          </div>
          <div style={{ ...muted, fontSize: tokens.fontSizeBase200 }}>{t("healthScore")}</div>
        </div>
        <div style={{ display: "grid", gap: 4, flex: 1, minWidth: 180 }}>
          <div style={{ display: "flex", gap: 16, flexWrap: "wrap" }}>
            <span data-testid="health-status">
              <HealthStatusLabel status={view.status} text={t(`status_${view.status ?? "notScored"}`)} />
            </span>
            <span data-testid="health-trend">
              <TrendLabel trend={view.trend} text={t(`trend_${view.trend ?? "notEnoughInfo"}`)} />
            </span>
            {view.singleThreaded && <span style={muted}>{t("singleThreaded")}</span>}
          </div>
          <p style={{ margin: 0 }} data-testid="summary">
            {view.summary}
          </p>
          <span style={{ ...muted, fontSize: tokens.fontSizeBase200 }}>
            {t("lastUpdated", { date: f.date(view.computedOn) })}
          </span>
        </div>
      </div>

      {unscored && <StateView state={{ kind: "notEnoughInfo" }} t={t} />}

      {view.reasons.length > 0 && (
        <section style={card} aria-labelledby="ra-reasons">
          <h2 id="ra-reasons" style={h3}>
            {t("reasons")}
          </h2>
          <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="reasons">
            {view.reasons.map((r, i) => (
              <li key={i}>
                <span
                  aria-hidden="true"
                  style={{
                    color:
                      r.effect >= 0 ? tokens.colorPaletteGreenForeground1 : tokens.colorPaletteRedForeground1,
                  }}
                >
                  {r.effect > 0 ? "+ " : r.effect < 0 ? "− " : "· "}
                </span>
                {r.text}
              </li>
            ))}
          </ul>
        </section>
      )}

      {!hasNoActivity(view) && (
        <>
          <section style={card} aria-labelledby="ra-kpis">
            <h2 id="ra-kpis" style={h3}>
              {t("kpis", { count: f.number(view.interactionCount) })}
            </h2>
            <div
              style={{
                display: "grid",
                gridTemplateColumns: "repeat(auto-fill, minmax(min(150px, 100%), 1fr))",
                gap: 8,
              }}
              data-testid="kpis"
            >
              {KPI_TILES.map((k) => (
                <Tile
                  key={k.id}
                  label={t(k.label)}
                  pair={k.pair(view.kpis)}
                  fmt={(v) => f[k.format](v)}
                  t={t}
                  id={k.id}
                />
              ))}
            </div>
          </section>

          <section
            style={{ ...card, display: "flex", gap: 24, flexWrap: "wrap" }}
            aria-label={t("interactions")}
          >
            <Mark label={t("lastInteraction")} mark={view.last} t={t} f={f} id="last" />
            <Mark label={t("nextInteraction")} mark={view.next} t={t} f={f} id="next" />
          </section>

          <section style={card} aria-labelledby="ra-activity">
            <h2 id="ra-activity" style={h3}>
              {t("activityChartTitle")}
            </h2>
            {view.days.length > 0 ? (
              <ActivityChart days={view.days} t={t} f={f} />
            ) : (
              <p style={muted}>{t("noRecentActivity")}</p>
            )}
          </section>
        </>
      )}

      <section style={card} aria-labelledby="ra-health">
        <h2 id="ra-health" style={h3}>
          {t("healthChartTitle")}
        </h2>
        {health.some((p) => p.score !== null) ? (
          <HealthHistoryChart points={health} t={t} f={f} />
        ) : (
          <p style={muted}>{t("healthChartNone")}</p>
        )}
      </section>

      {!hasNoActivity(view) && (
        <>
          <section style={card} aria-labelledby="ra-most">
            <h2 id="ra-most" style={h3}>
              {t("mostContacted")}
            </h2>
            <div
              style={{
                display: "grid",
                gridTemplateColumns: "repeat(auto-fit, minmax(min(220px, 100%), 1fr))",
                gap: 12,
              }}
            >
              <People
                title={t("mostContactedOurs")}
                list={view.mostContacted.mostContactedBy.ours}
                t={t}
                id="ours"
              />
              <People
                title={t("mostContactedTheirs")}
                list={view.mostContacted.mostContactedBy.theirs}
                t={t}
                id="theirs"
              />
            </div>
          </section>
          <History {...props} items={view.history} total={view.interactionCount} />
        </>
      )}
    </>
  );
}

/** The KPI tiles in display order: each `id` is the tile's data-kpi (the e2e tests and the docs name them). */
export const KPI_TILES: readonly {
  id: string;
  /** Resource key of the tile's label. */
  label: string;
  pair: (kpis: InsightView["kpis"]) => Pair;
  format: "number" | "minutes" | "hours" | "percent";
}[] = [
  { id: "emails", label: "emails", pair: (k) => k.emails, format: "number" },
  { id: "meetings", label: "meetings", pair: (k) => k.meetings, format: "number" },
  { id: "calls", label: "calls", pair: (k) => k.calls, format: "number" },
  { id: "time", label: "timeSpent", pair: (k) => k.timeSpentMin, format: "minutes" },
  { id: "replies", label: "replies", pair: (k) => k.replies, format: "number" },
  { id: "responsetime", label: "responseTime", pair: (k) => k.firstResponseHours, format: "hours" },
  { id: "responserate", label: "responseRate", pair: (k) => k.responseRate, format: "percent" },
];

function Tile(props: {
  label: string;
  pair: Pair;
  fmt: (v: number | null) => string;
  t: Strings;
  id: string;
}) {
  const { pair, t } = props;
  return (
    <dl
      style={{
        margin: 0,
        padding: 8,
        borderRadius: tokens.borderRadiusMedium,
        background: tokens.colorNeutralBackground2,
      }}
      data-kpi={props.id}
    >
      <dt style={{ fontWeight: 600, marginBottom: 2 }}>{props.label}</dt>
      <dd style={{ margin: 0, display: "flex", justifyContent: "space-between" }}>
        <span style={muted}>{t("byUs")}</span> <span data-side="us">{props.fmt(pair.us)}</span>
      </dd>
      <dd style={{ margin: 0, display: "flex", justifyContent: "space-between" }}>
        <span style={muted}>{t("byThem")}</span> <span data-side="them">{props.fmt(pair.them)}</span>
      </dd>
    </dl>
  );
}

function Mark(props: { label: string; mark: ActivityMark | null; t: Strings; f: Formatter; id: string }) {
  const { mark, t, f } = props;
  return (
    <div data-testid={`${props.id}-interaction`}>
      <div style={{ ...muted, fontSize: tokens.fontSizeBase200 }}>{props.label}</div>
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

function People(props: { title: string; list: PersonCount[]; t: Strings; id: string }) {
  return (
    <div>
      <h3 style={{ margin: "0 0 4px", fontSize: tokens.fontSizeBase300, fontWeight: 600 }}>{props.title}</h3>
      {props.list.length === 0 ? (
        <p style={{ ...muted, margin: 0 }}>{props.t("none")}</p>
      ) : (
        <ol style={{ margin: 0, paddingInlineStart: 18 }} data-testid={`most-${props.id}`}>
          {props.list.map((p) => (
            <li key={p.address}>
              {p.address} <span style={muted}>({props.t("messages", { count: p.count })})</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function History(props: RelationshipAnalyticsProps & { items: HistoryItem[]; total: number }) {
  const { t, f, api, items } = props;
  const pageSize = props.pageSize ?? 15;
  const [shown, setShown] = React.useState(pageSize);
  const [subjects, setSubjects] = React.useState<Map<string, string>>(new Map());
  const visible = items.slice(0, shown);
  const trackedKey = visible.map((i) => i.activityId ?? "").join(",");
  React.useEffect(() => {
    let live = true;
    void readableSubjects(api, visible).then((m) => live && setSubjects(m));
    return () => {
      live = false;
    };
    // Re-read when the tracked ids on screen change, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, trackedKey]);
  const narrow = props.width !== undefined && props.width < NARROW_WIDTH;
  const rows = visible.map((i, k) => ({
    key: `${i.at}-${k}`,
    at: f.dateTime(i.at),
    kind: t(`kind_${i.kind}`),
    direction: t(`dir_${i.direction}`),
    people:
      i.direction === "out"
        ? t("fromTo", { from: i.ours.join(", "), to: i.theirs.join(", ") })
        : t("fromTo", { from: i.theirs.join(", "), to: i.ours.join(", ") }),
    subject: <Subject item={i} subjects={subjects} t={t} />,
    subjectState: subjectState(i, subjects),
  }));
  const caption = t("historyCaption", {
    shown: f.number(visible.length),
    total: f.number(Math.max(props.total, items.length)),
  });
  const cell: React.CSSProperties = {
    padding: "4px 8px",
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    textAlign: "start",
    verticalAlign: "top",
  };
  return (
    <section style={card} aria-labelledby="ra-history">
      <h2 id="ra-history" style={h3}>
        {t("history")}
      </h2>
      {items.length === 0 ? (
        <p style={muted}>{t("none")}</p>
      ) : (
        <div style={{ overflowX: "auto" }}>
          {narrow ? (
            // On a phone the five columns do not fit: each interaction is a stacked item with the same facts.
            <>
              <p style={{ ...muted, margin: "0 0 4px", fontSize: tokens.fontSizeBase200 }}>{caption}</p>
              <ol
                style={{ margin: 0, padding: 0, listStyle: "none" }}
                data-testid="history"
                data-layout="list"
              >
                {rows.map((r) => (
                  <li key={r.key} style={{ ...cell, display: "grid", gap: 2, paddingInline: 0 }}>
                    <span style={{ fontWeight: 600 }}>{r.at}</span>
                    <span style={muted}>
                      {r.kind} · {r.direction}
                    </span>
                    <span>{r.people}</span>
                    <span data-subject={r.subjectState}>{r.subject}</span>
                  </li>
                ))}
              </ol>
            </>
          ) : (
            <table
              style={{ borderCollapse: "collapse", width: "100%", fontSize: tokens.fontSizeBase200 }}
              data-testid="history"
              data-layout="table"
            >
              <caption style={{ textAlign: "start", ...muted }}>{caption}</caption>
              <thead>
                <tr>
                  {(["date", "type", "direction", "people", "subject"] as const).map((c) => (
                    <th key={c} scope="col" style={cell}>
                      {t(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key}>
                    <td style={cell}>{r.at}</td>
                    <td style={cell}>{r.kind}</td>
                    <td style={cell}>{r.direction}</td>
                    <td style={cell}>{r.people}</td>
                    <td style={cell} data-subject={r.subjectState}>
                      {r.subject}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {shown < items.length && (
            <Button appearance="subtle" size="small" onClick={() => setShown((s) => s + pageSize)}>
              {t("showMore")}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}

/** Whether an item's subject is shown, hidden from this user, or not tracked in Dataverse at all. */
function subjectState(item: HistoryItem, subjects: Map<string, string>): "shown" | "hidden" | "untracked" {
  if (item.activityId && subjects.has(bareId(item.activityId))) return "shown";
  return item.activityId ? "hidden" : "untracked";
}

function Subject(props: {
  item: HistoryItem;
  subjects: Map<string, string>;
  t: Strings;
}): React.ReactElement {
  const { item, t } = props;
  const subject = item.activityId ? props.subjects.get(bareId(item.activityId)) : undefined;
  if (subject !== undefined) return <>{subject}</>;
  return item.activityId ? (
    <span style={muted}>{t("subjectHidden")}</span>
  ) : (
    <span style={muted} title={t("subjectUntracked")}>
      —
    </span>
  );
}
