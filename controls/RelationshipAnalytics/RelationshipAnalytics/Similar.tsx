import { tokens } from "@fluentui/react-components";
import * as React from "react";

import { US_COLOUR } from "../../shared/charts";
import { ComparisonChart, type ComparisonRow } from "../../shared/ComparisonChart";
import type { Formatter } from "../../shared/format";
import { SIMILAR_METRICS, type SimilarDealsJson, type SimilarMetric } from "../../shared/insight";
import type { Strings } from "../../shared/strings";
import { Card, Muted } from "./Card";
import { usePanelStyles } from "./RelationshipAnalytics.styles";

const TIME: readonly SimilarMetric[] = ["timeByTeamMin", "timeByCustomerMin"];
const HOURS: readonly SimilarMetric[] = ["responseHoursByUs", "responseHoursByThem"];
const RATES: readonly SimilarMetric[] = ["responseRateByUs", "responseRateByThem"];
/** Measures whose phrase has a singular (`similarValue_<metric>_one`): "1 meeting set up by us". */
const ONE: readonly SimilarMetric[] = SIMILAR_METRICS.filter(
  (m) => !RATES.includes(m) && m !== "peopleOurs" && m !== "peopleTheirs",
);

/** A measure's value as read: time in hours, response times in hours, rates as percentages, counts. */
export function similarValue(metric: SimilarMetric, v: number | null, f: Formatter): string {
  if (v === null) return f.number(null);
  if (TIME.includes(metric)) return f.number(v / 60, 1);
  if (HOURS.includes(metric)) return f.number(v, 1);
  if (RATES.includes(metric)) return f.percent(v);
  return f.number(v, 1);
}

/** The basis line: what this deal was compared with, or why nothing was. */
export function basisText(s: SimilarDealsJson, t: Strings, f: Formatter): string {
  return t(`similarBasis_${s.basis}`, {
    won: f.number(s.basis === "tooFew" ? s.closedWon : s.wonCount),
    lost: f.number(s.basis === "tooFew" ? s.closedLost : s.lostCount),
    minimum: f.number(s.minimum),
    day: f.number(s.ageDays),
  });
}

/** The difference that matters most, in the user's language; null when there is no comparison. */
export function keyText(s: SimilarDealsJson, t: Strings, f: Formatter): string | null {
  if (s.basis === "tooFew") return null;
  const k = s.key;
  if (!k) return t(`similarNoKey_${s.basis}`, { day: f.number(s.ageDays) });
  const counted = !TIME.includes(k.metric) && !HOURS.includes(k.metric) && !RATES.includes(k.metric);
  const read = (v: number) => (counted ? f.number(Math.round(v)) : similarValue(k.metric, v, f));
  const phrase = (v: number) => {
    const n = read(v);
    return t(`similarValue_${k.metric}${n === "1" && ONE.includes(k.metric) ? "_one" : ""}`, { n });
  };
  const mine = counted && Math.round(k.this) === 0 ? t("similarNone") : phrase(k.this);
  return t(`similarKey_${s.basis}`, { won: phrase(k.won), day: f.number(k.day), this: mine });
}

/** Series colours: this deal in the brand colour, won deals green, lost deals red (tokens follow the theme). */
const SERIES_COLOURS = [US_COLOUR, tokens.colorPaletteGreenBorderActive, tokens.colorPaletteRedBorderActive];

/** The "Similar won deals" card of an open opportunity: basis, key difference, and each measure compared. */
export function SimilarDeals(props: { similar: SimilarDealsJson; t: Strings; f: Formatter }) {
  const { similar, t, f } = props;
  const s = usePanelStyles();
  const key = keyText(similar, t, f);
  const compared = similar.basis !== "tooFew";
  const rows: ComparisonRow[] = similar.metrics
    .filter((m) => m.won !== null || m.lost !== null)
    .map((m) => ({
      key: m.metric,
      label: t(`similarMetric_${m.metric}`),
      values: [m.this, m.won, m.lost],
      text: [m.this, m.won, m.lost].map((v) => similarValue(m.metric, v, f)),
    }));
  const labels = [t("similarThis"), t("similarWon"), t("similarLost")];
  return (
    <Card id="similar" title={t("similarTitle")}>
      <p className={s.flat} data-testid="similar-basis">
        {basisText(similar, t, f)}
      </p>
      {key && (
        <p className={s.keyLine} data-testid="similar-key">
          {key}
        </p>
      )}
      {compared && rows.length > 0 ? (
        <ComparisonChart
          title={t("similarTitle")}
          desc={t("similarChartDesc", { day: f.number(similar.ageDays) })}
          measure={t("similarMeasure")}
          series={labels.map((label, i) => ({
            key: ["this", "won", "lost"][i] ?? "",
            label,
            colour: SERIES_COLOURS[i] ?? "",
          }))}
          rows={rows}
          t={t}
          testId="similar-chart"
        />
      ) : (
        compared && <Muted>{t("similarNoMeasures")}</Muted>
      )}
    </Card>
  );
}
