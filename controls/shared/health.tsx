import { tokens } from "@fluentui/react-components";
import * as React from "react";

import type { HealthStatus, HealthTrend } from "./insight";

/** Status colours; the text next to the dot carries the meaning (never colour alone). */
export const STATUS_COLOUR: Record<HealthStatus, string> = {
  good: tokens.colorPaletteGreenBackground3,
  fair: tokens.colorPaletteMarigoldBackground3,
  poor: tokens.colorPaletteRedBackground3,
  notEnoughInfo: tokens.colorNeutralStrokeAccessible,
  notScored: tokens.colorNeutralStrokeAccessible,
};

const dot: React.CSSProperties = {
  display: "inline-block",
  width: 10,
  height: 10,
  borderRadius: "50%",
  marginInlineEnd: 6,
  flex: "none",
};

export function HealthStatusLabel(props: {
  status: HealthStatus | undefined;
  text: string;
}): React.ReactElement {
  const { status } = props;
  return (
    <span style={{ display: "inline-flex", alignItems: "center" }} data-status={status ?? ""}>
      {status && <span aria-hidden="true" style={{ ...dot, background: STATUS_COLOUR[status] }} />}
      {status === "notEnoughInfo" || status === "notScored" ? (
        <span style={{ color: tokens.colorNeutralForeground2 }}>{props.text}</span>
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
  return (
    <span style={{ display: "inline-flex", alignItems: "center", gap: 4 }} data-trend={trend ?? ""}>
      {trend && (
        <span aria-hidden="true" style={{ fontWeight: 600, width: "1em", textAlign: "center" }}>
          {TREND_ARROW[trend]}
        </span>
      )}
      {props.text}
    </span>
  );
}
