import type { PublishSet } from "./allRows";
import { desiredRow, type DesiredRow } from "./desiredRow";

/**
 * A scale-out partition's rows, each carrying the partition that publishes it (`rp_partition`, part of
 * the content hash: a row that moves to another partition is rewritten there and so changes owner).
 */
export function inPartition(set: PublishSet, partition: number): PublishSet {
  const stamp = (rows: readonly DesiredRow[]): DesiredRow[] =>
    rows.map((r) => desiredRow(r.table, r.key, { ...r.values, rp_partition: partition }, r.lookups, r.stamp));
  return { insights: stamp(set.insights), history: stamp(set.history), connections: stamp(set.connections) };
}
