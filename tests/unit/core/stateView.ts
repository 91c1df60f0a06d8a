import type { RelationshipState } from "../../../server/src/core/engine/state";

/** A state's aggregates in a comparable form (pairs sorted, day maps as sorted entries). */
export function view(
  state: RelationshipState,
  withOf: readonly string[] = ["x@fabrikam.com", "y@fabrikam.com"],
) {
  return {
    pairs: [...state.pairAggregates()]
      .map((p) => ({ ...p, days: [...p.days.entries()].sort((a, b) => a[0] - b[0]) }))
      .sort((a, b) => (a.internal + a.external < b.internal + b.external ? -1 : 1)),
    externals: [...state.externals()].sort(),
    notRelationship: state.notRelationship,
    withX: state.interactionsWith(withOf).map((r) => r.interaction.key),
  };
}
