import { makeStyles, tokens } from "@fluentui/react-components";

/** The sticky save bar and its status lines (one colour per action state). */
export const useSaveBarStyles = makeStyles({
  footer: {
    position: "sticky",
    bottom: 0,
    marginTop: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalM} 0`,
    backgroundColor: tokens.colorNeutralBackground2,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  footerInner: {
    maxWidth: "920px",
    margin: "0 auto",
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    flexWrap: "wrap",
  },
  status: { flexGrow: 1, minHeight: "20px" },
  pending: { color: tokens.colorNeutralForeground2 },
  done: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
});
