/**
 * Reading a PCF dataset (ComponentFramework.PropertyTypes.DataSet) the way the dataset controls do: the
 * parts they use, a linked column's own name, and a cell's number or choice whatever form the host gives.
 */

/** The parts of a PCF dataset the dataset controls read. */
export type DataSetLike = Pick<
  ComponentFramework.PropertyTypes.DataSet,
  | "columns"
  | "records"
  | "sortedRecordIds"
  | "loading"
  | "error"
  | "errorMessage"
  | "paging"
  | "getTargetEntityType"
>;

/** The column's own name without a link-entity alias: `insight.<column>` → `<column>`. */
export const baseName = (name: string): string => name.slice(name.lastIndexOf(".") + 1);

/** A number cell's value (a number or a numeric string), else null. */
export function numberOf(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** The raw choice value of a status or trend cell, whichever form the host gives it in. */
export function choiceRaw(v: unknown): unknown {
  if (Array.isArray(v)) return v[0];
  if (typeof v === "object" && v !== null && "value" in v) return (v as { value: unknown }).value;
  return v;
}
