import { makeStyles, tokens } from "@fluentui/react-components";

/** The page shell: background, the centred column, the title. */
export const useAppStyles = makeStyles({
  page: {
    minHeight: "100vh",
    boxSizing: "border-box",
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXL} 0`,
  },
  main: { maxWidth: "920px", margin: "0 auto", display: "flex", flexDirection: "column", gap: "16px" },
  intro: { color: tokens.colorNeutralForeground2 },
  heading: { margin: 0 },
});
