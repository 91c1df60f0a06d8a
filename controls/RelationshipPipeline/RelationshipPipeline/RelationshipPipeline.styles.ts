import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

import type { PipelineStatus } from "./model";

// The controls run on the platform's Fluent 9.46.2, whose makeStyles wants CSS shorthands spelled out
// with `shorthands.*` (newer Griffel accepts them as strings; the platform's may not).

/**
 * Bubble colours as Dynamics 365's pipeline has them: good green, fair amber, poor red, pending blue,
 * not computed grey. The legend, the card and the table say the status in words too (never colour alone).
 */
export const PIPELINE_COLOUR: Record<PipelineStatus, string> = {
  good: tokens.colorPaletteGreenBackground3,
  fair: tokens.colorPaletteMarigoldBackground3,
  poor: tokens.colorPaletteRedBackground3,
  pending: tokens.colorPaletteBlueBorderActive,
  none: tokens.colorNeutralStrokeAccessible,
};

/** Below this width the list of opportunities not on the chart goes under the chart, not beside it. */
export const SIDE_BY_SIDE_MIN = 760;
/** The width of that list when it stands beside the chart (px). */
export const SIDE_WIDTH = 260;

export const usePipelineStyles = makeStyles({
  root: {
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    color: tokens.colorNeutralForeground1,
    display: "grid",
    ...shorthands.gap(tokens.spacingVerticalS),
  },
  body: { display: "grid", ...shorthands.gap(tokens.spacingHorizontalL) },
  beside: { gridTemplateColumns: `minmax(0, 1fr) ${SIDE_WIDTH}px`, alignItems: "start" },
  chartBox: { position: "relative", minWidth: 0 },
  svg: { display: "block", ...shorthands.overflow("visible") },
  gridLine: { stroke: tokens.colorNeutralStroke2, strokeWidth: 1 },
  threshold: { stroke: tokens.colorNeutralStroke1, strokeWidth: 1, strokeDasharray: "4 3" },
  axisText: { fill: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase100 },
  axisTitle: { fill: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  lane: { fill: tokens.colorNeutralBackground3 },
  bubble: {
    cursor: "pointer",
    fillOpacity: 0.78,
    stroke: tokens.colorNeutralBackground1,
    strokeWidth: 1.5,
    ":focus": { outlineStyle: "none" },
    ":hover": { fillOpacity: 1 },
  },
  active: { fillOpacity: 1, stroke: tokens.colorStrokeFocus2, strokeWidth: 3 },
  good: { fill: PIPELINE_COLOUR.good },
  fair: { fill: PIPELINE_COLOUR.fair },
  poor: { fill: PIPELINE_COLOUR.poor },
  pending: { fill: PIPELINE_COLOUR.pending },
  none: { fill: PIPELINE_COLOUR.none },
  card: {
    position: "absolute",
    zIndex: 2,
    width: "240px",
    boxSizing: "border-box",
    pointerEvents: "none",
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM),
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    ...shorthands.border("1px", "solid", tokens.colorNeutralStroke1),
    ...shorthands.borderRadius(tokens.borderRadiusMedium),
    boxShadow: tokens.shadow16,
    display: "grid",
    ...shorthands.gap(tokens.spacingVerticalXXS),
    fontSize: tokens.fontSizeBase200,
  },
  cardName: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300 },
  muted: { color: tokens.colorNeutralForeground2 },
  legend: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    ...shorthands.margin(0),
    ...shorthands.padding(0),
    listStyleType: "none",
  },
  legendItem: { display: "inline-flex", alignItems: "center", ...shorthands.gap(tokens.spacingHorizontalXS) },
  swatch: {
    display: "inline-block",
    width: "10px",
    height: "10px",
    ...shorthands.borderRadius("50%"),
    ...shorthands.flex("none"),
  },
  swatchGood: { backgroundColor: PIPELINE_COLOUR.good },
  swatchFair: { backgroundColor: PIPELINE_COLOUR.fair },
  swatchPoor: { backgroundColor: PIPELINE_COLOUR.poor },
  swatchPending: { backgroundColor: PIPELINE_COLOUR.pending },
  swatchNone: { backgroundColor: PIPELINE_COLOUR.none },
  sizeSvg: { display: "inline-block", verticalAlign: "middle" },
  sizeCircle: { fill: "none", stroke: tokens.colorNeutralForeground2, strokeWidth: 1 },
  side: {
    display: "grid",
    alignContent: "start",
    ...shorthands.gap(tokens.spacingVerticalXS),
    fontSize: tokens.fontSizeBase200,
  },
  sideTitle: {
    ...shorthands.margin(0),
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold,
  },
  sideList: { ...shorthands.margin(0), ...shorthands.padding(0), listStyleType: "none", display: "grid" },
  sideItem: {
    display: "grid",
    ...shorthands.padding(tokens.spacingVerticalXS, 0),
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  sideGroup: { fontWeight: tokens.fontWeightSemibold, marginTop: tokens.spacingVerticalS },
  // With the shared link look (shared/link.styles.ts): wraps, starts at the line's start.
  link: { textAlign: "start" },
  // Seven columns do not fit a phone: the table scrolls sideways inside the control, the page does not.
  tableScroll: { overflowX: "auto", minWidth: 0 },
  asOf: {
    ...shorthands.margin(0),
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
  },
  footer: {
    display: "flex",
    ...shorthands.gap(tokens.spacingHorizontalM),
    alignItems: "center",
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
  },
});
