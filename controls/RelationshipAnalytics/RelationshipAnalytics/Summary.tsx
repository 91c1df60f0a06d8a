import { mergeClasses } from "@fluentui/react-components";
import * as React from "react";

import type { Formatter } from "../../shared/format";
import { HealthStatusLabel, TrendLabel } from "../../shared/health";
import type { Strings } from "../../shared/strings";
import { Card } from "./Card";
import type { InsightView } from "./data";
import { usePanelStyles } from "./RelationshipAnalytics.styles";

/** Whether the insight has no score to show (not enough information, or not scored at all). */
export const isUnscored = (view: InsightView): boolean =>
  view.status === "notEnoughInfo" || view.status === "notScored" || view.score === null;

/** The card at the top: the score, status, trend, the one-line summary and when it was computed. */
export function Summary(props: { view: InsightView; t: Strings; f: Formatter }): React.ReactElement {
  const { view, t, f } = props;
  const s = usePanelStyles();
  const unscored = isUnscored(view);
  return (
    <div className={mergeClasses(s.card, s.summary)}>
      <div className={s.scoreBlock}>
        <div
          className={s.score}
          data-testid="health-score"
          aria-label={unscored ? t("notScored") : t("healthScoreOf", { score: f.number(view.score) })}
        >
          {unscored ? "–" : f.number(view.score)}
        </div>
        <div className={s.small}>{t("healthScore")}</div>
      </div>
      <div className={s.facts}>
        <div className={s.badges}>
          <span data-testid="health-status">
            <HealthStatusLabel status={view.status} text={t(`status_${view.status ?? "notScored"}`)} />
          </span>
          <span data-testid="health-trend">
            <TrendLabel trend={view.trend} text={t(`trend_${view.trend ?? "notEnoughInfo"}`)} />
          </span>
          {view.singleThreaded && <span className={s.muted}>{t("singleThreaded")}</span>}
        </div>
        <p className={s.flat} data-testid="summary">
          {view.summary}
        </p>
        <span className={s.small}>{t("lastUpdated", { date: f.date(view.computedOn) })}</span>
      </div>
    </div>
  );
}

/** Why the score is what it is: each reason marked + (raises it), − (lowers it) or · (neutral). */
export function Reasons(props: { view: InsightView; t: Strings }): React.ReactElement | null {
  const s = usePanelStyles();
  const { reasons } = props.view;
  if (reasons.length === 0) return null;
  return (
    <Card id="reasons" title={props.t("reasons")}>
      <ul className={s.list} data-testid="reasons">
        {reasons.map((r, i) => (
          <li key={i}>
            <span aria-hidden="true" className={r.effect >= 0 ? s.raises : s.lowers}>
              {r.effect > 0 ? "+ " : r.effect < 0 ? "− " : "· "}
            </span>
            {r.text}
          </li>
        ))}
      </ul>
    </Card>
  );
}
