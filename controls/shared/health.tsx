import { mergeClasses } from "@fluentui/react-components";
import * as React from "react";

import { useHealthStyles } from "./health.styles";
import type { HealthStatus, HealthTrend } from "./insight";

export { STATUS_COLOUR } from "./health.styles";

export function HealthStatusLabel(props: {
  status: HealthStatus | undefined;
  text: string;
}): React.ReactElement {
  const { status } = props;
  const s = useHealthStyles();
  return (
    <span className={s.label} data-status={status ?? ""}>
      {status && <span aria-hidden="true" className={mergeClasses(s.dot, s[status])} />}
      {status === "notEnoughInfo" || status === "notScored" ? (
        <span className={s.muted}>{props.text}</span>
      ) : (
        props.text
      )}
    </span>
  );
}

export const TREND_ARROW: Record<HealthTrend, string> = {
  improving: "↑",
  steady: "→",
  declining: "↓",
  notEnoughInfo: "–",
};

export function TrendLabel(props: { trend: HealthTrend | undefined; text: string }): React.ReactElement {
  const { trend } = props;
  const s = useHealthStyles();
  return (
    <span className={s.trend} data-trend={trend ?? ""}>
      {trend && (
        <span aria-hidden="true" className={s.arrow}>
          {TREND_ARROW[trend]}
        </span>
      )}
      {props.text}
    </span>
  );
}
