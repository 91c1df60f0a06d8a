import { makeStyles, shorthands, tokens } from "@fluentui/react-components";

/**
 * A small horizontal meter (a score, a connection's strength): the grey track, and the fill whose length is
 * set inline per datum and whose colour is the caller's class. The caller's class gives the track's width.
 */
export const useMeterStyles = makeStyles({
  track: {
    height: "6px",
    backgroundColor: tokens.colorNeutralBackground4,
    ...shorthands.borderRadius("3px"),
    ...shorthands.overflow("hidden"),
  },
  fill: { display: "block", height: "100%" },
});
