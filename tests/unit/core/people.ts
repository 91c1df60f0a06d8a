import type { Interaction } from "../../../server/src/core/interaction";

/** The people of the core tests: colleagues at contoso.com (ours), customers at fabrikam.com (theirs). */
export const ANN = "ann@contoso.com";
export const BOB = "bob@contoso.com";
export const CY = "cy@contoso.com";
export const W = "w@fabrikam.com";
export const X = "x@fabrikam.com";
export const Y = "y@fabrikam.com";
export const Z = "z@fabrikam.com";

/** An interaction with no copies and no blind copies, from Graph: give what matters to the test. */
export function interactionOf(
  i: Pick<Interaction, "key" | "kind" | "at" | "from" | "to"> & Partial<Interaction>,
): Interaction {
  return { cc: [], bcc: [], recipientCount: i.to.length, source: "graph", ...i };
}
