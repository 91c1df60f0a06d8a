import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

// The controls run on the platform's Fluent 9.46.2: CSS shorthands are spelled out with `shorthands.*`.

/** The panel, its cards and their headings, and the summary card at its top. */
export const usePanelStyles = makeStyles({
  root: {
    display: "grid",
    // One column that may shrink below its content's width: the cards reflow instead of running off.
    gridTemplateColumns: "minmax(0, 1fr)",
    ...shorthands.gap(tokens.spacingVerticalM),
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
  },
  card: {
    // Long unbroken text (addresses) wraps inside the card instead of widening the panel.
    minWidth: 0,
    overflowWrap: "anywhere",
    ...shorthands.border("1px", "solid", tokens.colorNeutralStroke2),
    ...shorthands.borderRadius(tokens.borderRadiusMedium),
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM),
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  heading: {
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold,
    ...shorthands.margin(0, 0, tokens.spacingVerticalSNudge),
  },
  muted: { color: tokens.colorNeutralForeground2 },
  small: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  flat: { ...shorthands.margin(0) },
  summary: {
    display: "flex",
    ...shorthands.gap(tokens.spacingHorizontalL),
    alignItems: "center",
    flexWrap: "wrap",
  },
  scoreBlock: { textAlign: "center", minWidth: "72px" },
  score: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: 1.1 },
  facts: {
    display: "grid",
    ...shorthands.gap(tokens.spacingVerticalXS),
    ...shorthands.flex(1),
    minWidth: "180px",
  },
  badges: { display: "flex", ...shorthands.gap(tokens.spacingHorizontalL), flexWrap: "wrap" },
  list: { ...shorthands.margin(0), paddingInlineStart: "18px" },
  raises: { color: tokens.colorPaletteGreenForeground1 },
  lowers: { color: tokens.colorPaletteRedForeground1 },
  marks: { display: "flex", ...shorthands.gap(tokens.spacingHorizontalXXL), flexWrap: "wrap" },
  people: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(min(220px, 100%), 1fr))",
    ...shorthands.gap(tokens.spacingVerticalM),
  },
  keyLine: { ...shorthands.margin(tokens.spacingVerticalS, 0), fontWeight: tokens.fontWeightSemibold },
  subheading: {
    ...shorthands.margin(0, 0, tokens.spacingVerticalXS),
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold,
  },
});

/** The KPI tiles: a grid that reflows, each tile ours against theirs. */
export const useKpiStyles = makeStyles({
  tiles: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fill, minmax(min(150px, 100%), 1fr))",
    ...shorthands.gap(tokens.spacingVerticalS),
  },
  tile: {
    ...shorthands.margin(0),
    ...shorthands.padding(tokens.spacingVerticalS),
    ...shorthands.borderRadius(tokens.borderRadiusMedium),
    backgroundColor: tokens.colorNeutralBackground2,
  },
  label: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXXS },
  side: { ...shorthands.margin(0), display: "flex", justifyContent: "space-between" },
});

/** The interaction history: a table, or on a phone a list of stacked items. */
export const useHistoryStyles = makeStyles({
  scroll: { overflowX: "auto" },
  listCaption: { ...shorthands.margin(0, 0, tokens.spacingVerticalXS) },
  list: { ...shorthands.margin(0), ...shorthands.padding(0), listStyleType: "none" },
  cell: {
    ...shorthands.padding(tokens.spacingVerticalXS, tokens.spacingHorizontalS),
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    textAlign: "start",
    verticalAlign: "top",
  },
  item: {
    display: "grid",
    ...shorthands.gap(tokens.spacingVerticalXXS),
    ...shorthands.padding(tokens.spacingVerticalXS, 0),
  },
  strong: { fontWeight: tokens.fontWeightSemibold },
  // Words stay whole in the table (the card lets long addresses break anywhere, which split "Email" into
  // "Em/ail" in the narrow Type column); the scroll box around it takes a table wider than the card.
  table: {
    borderCollapse: "collapse",
    width: "100%",
    fontSize: tokens.fontSizeBase200,
    overflowWrap: "normal",
  },
  caption: { textAlign: "start" },
});
