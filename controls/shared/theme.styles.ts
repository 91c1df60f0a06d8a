import { makeStyles } from "@fluentui/react-components";

// The form's own background shows through the control (FluentProvider paints the theme's by default).
export const useThemeRootStyles = makeStyles({ root: { backgroundColor: "transparent" } });
