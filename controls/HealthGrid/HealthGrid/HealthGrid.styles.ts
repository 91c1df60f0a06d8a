import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

import { STATUS_COLOUR } from "../../shared/health";

// The controls run on the platform's Fluent 9.46.2, whose makeStyles wants CSS shorthands spelled out
// with `shorthands.*` (newer Griffel accepts them as strings; the platform's may not).

/** The row height the virtual scroll counts in (px). */
export const ROW_HEIGHT = 36;

export const useHealthGridStyles = makeStyles({
  root: {
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    color: tokens.colorNeutralForeground1,
  },
  grid: { display: "grid", ...shorthands.gap(tokens.spacingVerticalSNudge) },
  viewport: {
    ...shorthands.overflow("auto"),
    ...shorthands.border("1px", "solid", tokens.colorNeutralStroke2),
    backgroundColor: tokens.colorNeutralBackground1,
  },
  table: { borderCollapse: "separate", borderSpacing: 0, tableLayout: "fixed", width: "100%" },
  cell: {
    ...shorthands.padding(0, tokens.spacingHorizontalS),
    height: `${ROW_HEIGHT}px`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    whiteSpace: "nowrap",
    ...shorthands.overflow("hidden"),
    textOverflow: "ellipsis",
    textAlign: "start",
    boxSizing: "border-box",
  },
  end: { textAlign: "end" },
  header: {
    position: "sticky",
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground3,
    fontWeight: tokens.fontWeightSemibold,
    ...shorthands.padding(0),
  },
  sortButton: {
    width: "100%",
    justifyContent: "flex-start",
    fontWeight: tokens.fontWeightSemibold,
    minWidth: 0,
  },
  sortButtonEnd: { justifyContent: "flex-end" },
  label: { ...shorthands.overflow("hidden"), textOverflow: "ellipsis" },
  arrow: { marginInlineStart: tokens.spacingHorizontalXS },
  spacer: { ...shorthands.padding(0), ...shorthands.borderWidth(0) },
  // The shared link look (shared/link.styles.ts), fitted to a cell: one line, cut with an ellipsis.
  link: {
    letterSpacing: "inherit",
    textAlign: "inherit",
    maxWidth: "100%",
    ...shorthands.overflow("hidden"),
    textOverflow: "ellipsis",
  },
  footer: {
    display: "flex",
    ...shorthands.gap(tokens.spacingHorizontalM),
    alignItems: "center",
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
  },
  muted: { color: tokens.colorNeutralForeground2 },
  score: { display: "inline-flex", alignItems: "center", ...shorthands.gap(tokens.spacingHorizontalSNudge) },
  bar: { width: "40px" },
  good: { backgroundColor: STATUS_COLOUR.good },
  fair: { backgroundColor: STATUS_COLOUR.fair },
  poor: { backgroundColor: STATUS_COLOUR.poor },
});
