import type { DesiredRow } from "./desiredRow";

/** What the org holds of a row Rapport publishes: just enough to tell whether it changed. */
export interface HeldRow {
  id: string;
  key: string;
  hash: string | null;
  /** The row's version as read (`@odata.etag`): a scoped publish deletes only that version. */
  etag?: string;
}

export interface RowPlan {
  /** New rows and rows whose content changed; `exists` says whether the org already holds them. */
  upserts: { row: DesiredRow; exists: boolean }[];
  /** Rows the org holds that the computation no longer produces. */
  deletes: HeldRow[];
  unchanged: number;
}

/**
 * Compares what should be published with what the org holds, by alternate key and content hash.
 * Pure: the same inputs always give the same plan, in a stable order (desired order, then held order).
 */
export function planRows(desired: readonly DesiredRow[], held: readonly HeldRow[]): RowPlan {
  const heldByKey = new Map(held.map((h) => [h.key, h]));
  const seen = new Set<string>();
  const upserts: RowPlan["upserts"] = [];
  let unchanged = 0;
  for (const row of desired) {
    if (seen.has(row.key)) throw new Error(`Two rows share the key ${row.key} in ${row.table.logicalName}`);
    seen.add(row.key);
    const h = heldByKey.get(row.key);
    if (h && h.hash === row.hash) unchanged++;
    else upserts.push({ row, exists: h !== undefined });
  }
  const deletes = held.filter((h) => !seen.has(h.key));
  return { upserts, deletes, unchanged };
}
