import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

const PHONE = "@media (max-width: 600px)";

export const useAppStyles = makeStyles({
  provider: { height: "100%" },
  shell: { display: "grid", gridTemplateRows: "auto 1fr", height: "100%" },
  top: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    minHeight: "48px",
    gap: tokens.spacingHorizontalM,
    padding: `0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  spacer: { flexGrow: 1 },
  topLabel: { color: tokens.colorNeutralForegroundOnBrand },
  body: {
    display: "grid",
    gridTemplateColumns: "200px minmax(0, 1fr)",
    minHeight: 0,
    // A phone: the site map becomes a row of links above the page, as the mobile app's.
    [PHONE]: { gridTemplateColumns: "minmax(0, 1fr)", gridTemplateRows: "auto 1fr" },
  },
  nav: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    [PHONE]: {
      flexDirection: "row",
      overflowX: "auto",
      padding: tokens.spacingVerticalXS,
      borderRight: "none",
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    },
  },
  navLink: {
    display: "block",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: "none",
    ":hover": { backgroundColor: tokens.colorNeutralBackground3Hover, textDecorationLine: "none" },
    [PHONE]: { whiteSpace: "nowrap", flexShrink: 0 },
  },
  current: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    fontWeight: tokens.fontWeightSemibold,
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
  },
  main: {
    overflow: "auto",
    padding: tokens.spacingHorizontalXL,
    [PHONE]: { padding: tokens.spacingHorizontalM },
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  // The preview badge on the brand bar takes the bar's text colour.
  badge: { color: "inherit", ...shorthands.borderColor("currentColor") },
  frame: {
    width: "100%",
    height: "calc(100vh - 48px - 48px)",
    border: "none",
    backgroundColor: tokens.colorNeutralBackground1,
  },
});
