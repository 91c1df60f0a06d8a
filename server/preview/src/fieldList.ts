import { makeStyles, tokens } from "@fluentui/react-components";

/** A form's read-only fields as a definition list: labels in one column, values in the other. */
export const useFieldListStyles = makeStyles({
  fields: {
    display: "grid",
    gridTemplateColumns: "max-content 1fr",
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground3 },
  def: { margin: 0 },
});
