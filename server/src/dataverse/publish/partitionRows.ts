import { createHash } from "node:crypto";

import type { PublishSet } from "./allRows";
import type { DesiredRow } from "./desiredRow";

/**
 * A scale-out partition's rows, each carrying the partition that publishes it (`rp_partition`). The
 * content hash becomes a hash of the row's hash and its partition: still a function of everything
 * written (so a row that moves to another partition is rewritten there, changing owner), without
 * serialising every value again.
 */
export function inPartition(set: PublishSet, partition: number): PublishSet {
  const stamp = (rows: readonly DesiredRow[]): DesiredRow[] =>
    rows.map((r) => ({
      ...r,
      values: { ...r.values, rp_partition: partition },
      hash: createHash("sha1").update(`${r.hash}\nrp_partition=${partition}`).digest("hex"),
    }));
  return {
    insights: stamp(set.insights),
    history: stamp(set.history),
    connections: stamp(set.connections),
  };
}
