import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

/**
 * A button that looks like a link (opens a record in a list): the button's own look reset (font, box,
 * background), link colour, underlined.
 */
export const useLinkStyles = makeStyles({
  link: {
    appearance: "none",
    display: "inline",
    ...shorthands.margin(0),
    ...shorthands.padding(0),
    ...shorthands.borderStyle("none"),
    backgroundColor: "transparent",
    fontFamily: "inherit",
    fontSize: "inherit",
    fontWeight: "inherit",
    lineHeight: "inherit",
    cursor: "pointer",
    color: tokens.colorBrandForegroundLink,
    textDecorationLine: "underline",
  },
});
