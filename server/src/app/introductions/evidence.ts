import type { RelationshipState } from "../../core/engine/state";
import type { Interaction } from "../../core/interaction";

const involves = (i: Interaction, address: string): boolean =>
  i.from === address || i.to.includes(address) || i.cc.includes(address) || i.bcc.includes(address);

/**
 * A person's interactions as evidence of an introduction's outcome: those in the state (mail and tracked
 * activities, through its index of external people) and the mail read after the insights' as-of instant
 * (`later`: the preview's demo computes as of its sample's date while introductions are asked today).
 */
export function interactionsOfPerson(
  state: RelationshipState,
  later: readonly Interaction[] = [],
): (address: string) => Interaction[] {
  return (address) => [
    ...state.interactionsWith([address]).map((r) => r.interaction),
    ...later.filter((i) => involves(i, address)),
  ];
}
