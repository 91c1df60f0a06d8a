import * as React from "react";

import type { Formatter } from "../../shared/format";
import type { Strings } from "../../shared/strings";
import { Card } from "./Card";
import type { InsightView, Pair } from "./data";
import { useKpiStyles, usePanelStyles } from "./RelationshipAnalytics.styles";

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

/** The KPIs card: one tile per KPI, by us and by them. */
export function Kpis(props: { view: InsightView; t: Strings; f: Formatter }): React.ReactElement {
  const { view, t, f } = props;
  const s = useKpiStyles();
  return (
    <Card id="kpis" title={t("kpis", { count: f.number(view.interactionCount) })}>
      <div className={s.tiles} data-testid="kpis">
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
    </Card>
  );
}

function Tile(props: {
  label: string;
  pair: Pair;
  fmt: (v: number | null) => string;
  t: Strings;
  id: string;
}) {
  const { pair, t } = props;
  const s = useKpiStyles();
  const p = usePanelStyles();
  return (
    <dl className={s.tile} data-kpi={props.id}>
      <dt className={s.label}>{props.label}</dt>
      <dd className={s.side}>
        <span className={p.muted}>{t("byUs")}</span> <span data-side="us">{props.fmt(pair.us)}</span>
      </dd>
      <dd className={s.side}>
        <span className={p.muted}>{t("byThem")}</span> <span data-side="them">{props.fmt(pair.them)}</span>
      </dd>
    </dl>
  );
}
