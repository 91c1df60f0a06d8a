import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

import type { HealthStatus } from "./insight";

/** Status colours; the text next to the dot carries the meaning (never colour alone). */
export const STATUS_COLOUR: Record<HealthStatus, string> = {
  good: tokens.colorPaletteGreenBackground3,
  fair: tokens.colorPaletteMarigoldBackground3,
  poor: tokens.colorPaletteRedBackground3,
  notEnoughInfo: tokens.colorNeutralStrokeAccessible,
  notScored: tokens.colorNeutralStrokeAccessible,
};

export const useHealthStyles = makeStyles({
  label: { display: "inline-flex", alignItems: "center" },
  dot: {
    display: "inline-block",
    width: "10px",
    height: "10px",
    ...shorthands.borderRadius("50%"),
    marginInlineEnd: tokens.spacingHorizontalSNudge,
    ...shorthands.flex("none"),
  },
  good: { backgroundColor: STATUS_COLOUR.good },
  fair: { backgroundColor: STATUS_COLOUR.fair },
  poor: { backgroundColor: STATUS_COLOUR.poor },
  notEnoughInfo: { backgroundColor: STATUS_COLOUR.notEnoughInfo },
  notScored: { backgroundColor: STATUS_COLOUR.notScored },
  muted: { color: tokens.colorNeutralForeground2 },
  trend: { display: "inline-flex", alignItems: "center", ...shorthands.gap(tokens.spacingHorizontalXS) },
  arrow: { fontWeight: tokens.fontWeightSemibold, width: "1em", textAlign: "center" },
});
