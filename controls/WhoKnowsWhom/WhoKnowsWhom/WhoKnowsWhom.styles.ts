import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

// The controls run on the platform's Fluent 9.46.2: CSS shorthands are spelled out with `shorthands.*`.

export const useWhoKnowsWhomStyles = makeStyles({
  root: {
    display: "grid",
    ...shorthands.gap(tokens.spacingVerticalS),
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    color: tokens.colorNeutralForeground1,
  },
  search: { maxWidth: "360px" },
  muted: { color: tokens.colorNeutralForeground2 },
  small: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  list: {
    listStyleType: "none",
    ...shorthands.margin(0),
    ...shorthands.padding(0),
    display: "grid",
    ...shorthands.gap(tokens.spacingVerticalS),
  },
  card: {
    ...shorthands.border("1px", "solid", tokens.colorNeutralStroke2),
    ...shorthands.borderRadius(tokens.borderRadiusMedium),
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalM),
    backgroundColor: tokens.colorNeutralBackground1,
    display: "grid",
    alignItems: "center",
  },
  // Facts and the button side by side; on a narrow form the button goes under the facts.
  row: { gridTemplateColumns: "minmax(0, 1fr) auto", ...shorthands.gap(tokens.spacingVerticalXS) },
  stacked: {
    gridTemplateColumns: "minmax(0, 1fr)",
    ...shorthands.gap(tokens.spacingVerticalS),
    justifyItems: "start",
  },
  facts: { minWidth: 0 },
  rank: { marginInlineEnd: tokens.spacingHorizontalSNudge },
  email: { overflowWrap: "anywhere" },
  strength: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    ...shorthands.gap(tokens.spacingHorizontalS),
    marginTop: tokens.spacingVerticalXS,
  },
  bar: { width: "120px", ...shorthands.flex("none") },
  strong: { backgroundColor: tokens.colorPaletteGreenBackground3 },
  moderate: { backgroundColor: tokens.colorPaletteMarigoldBackground3 },
  weak: { backgroundColor: tokens.colorNeutralStrokeAccessible },
  evidence: { marginTop: tokens.spacingVerticalXXS },
  status: { fontWeight: tokens.fontWeightSemibold, marginTop: tokens.spacingVerticalXXS },
  requests: { display: "grid", ...shorthands.gap(tokens.spacingVerticalS) },
  heading: {
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
    ...shorthands.margin(0),
  },
  actions: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    ...shorthands.gap(tokens.spacingHorizontalS),
  },
});
