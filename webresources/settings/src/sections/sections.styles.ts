import { makeStyles, tokens } from "@fluentui/react-components";

/** What the settings sections share: the card, its heading and hint, the field grid. */
export const useSectionStyles = makeStyles({
  section: {
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
  },
  hint: { color: tokens.colorNeutralForeground2 },
  heading: { margin: 0 },
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(190px, 1fr))",
    gap: "12px 24px",
    "& > *": { minWidth: 0 },
  },
  fill: { width: "100%", minWidth: 0 },
});

/** The weight slider with its percentage beside it. */
export const useWeightStyles = makeStyles({
  weight: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  slider: { flexGrow: 1, minWidth: 0 },
  weightValue: { minWidth: "3.5em", textAlign: "end", fontVariantNumeric: "tabular-nums" },
});

/** The privacy fields: opted-out tags above their search, the forget row. */
export const usePrivacyStyles = makeStyles({
  tags: { flexWrap: "wrap", marginBottom: tokens.spacingVerticalS },
  none: { marginBottom: tokens.spacingVerticalS },
  row: { display: "flex", alignItems: "flex-end", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  grow: { flexGrow: 1, minWidth: "240px" },
});
