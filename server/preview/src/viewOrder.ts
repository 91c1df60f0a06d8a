import type { ViewSpec } from "./spec";

// Row as webApi.ts has it, restated so this module stays free of the DOM (the server tests import it).
type Row = Record<string, unknown>;
type Key = number | string | null;

function keyOf(row: Row, sort: NonNullable<ViewSpec["sort"]>): Key {
  const holder = row[sort.expand] as Row | null | undefined;
  const v = holder?.[sort.property];
  return typeof v === "number" || typeof v === "string" ? v : null;
}

/**
 * The loaded rows in the view's order (spec.ts `sort`): ascending on the linked value, the rows
 * without one last, as the view's FetchXML orders them in Dataverse. Stable: rows with equal keys keep
 * the order the query returned.
 */
export function inViewOrder(rows: readonly Row[], sort: ViewSpec["sort"]): Row[] {
  if (!sort) return [...rows];
  return rows
    .map((row, index) => ({ row, index, key: keyOf(row, sort) }))
    .sort((a, b) => {
      if (a.key === null || b.key === null) {
        if (a.key === b.key) return a.index - b.index;
        return a.key === null ? 1 : -1;
      }
      if (a.key < b.key) return -1;
      if (a.key > b.key) return 1;
      return a.index - b.index;
    })
    .map((x) => x.row);
}
