import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

/** Series colours of the activity chart (SVG fills and the legend's swatches). */
export const US_COLOUR = tokens.colorBrandBackground;
export const THEM_COLOUR = tokens.colorPaletteMarigoldBorderActive;

export const useChartStyles = makeStyles({
  figure: { ...shorthands.margin(0) },
  svg: { width: "100%", display: "block" },
  activity: { height: "120px" },
  health: { height: "100px" },
  caption: {
    display: "flex",
    justifyContent: "space-between",
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
  },
  swatch: {
    display: "inline-block",
    width: "8px",
    height: "8px",
    marginInlineStart: tokens.spacingHorizontalS,
  },
  us: { backgroundColor: US_COLOUR },
  them: { backgroundColor: THEM_COLOUR },
});

export const useChartTableStyles = makeStyles({
  summary: { cursor: "pointer", fontSize: tokens.fontSizeBase200 },
  table: {
    borderCollapse: "collapse",
    fontSize: tokens.fontSizeBase200,
    marginTop: tokens.spacingVerticalXS,
  },
  caption: { textAlign: "start" },
  cell: {
    ...shorthands.padding(tokens.spacingVerticalXXS, tokens.spacingHorizontalS),
    textAlign: "end",
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  head: { fontWeight: tokens.fontWeightSemibold },
  start: { textAlign: "start" },
  rowHead: { textAlign: "start", fontWeight: tokens.fontWeightRegular },
});
