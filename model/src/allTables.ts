import { CRM_TABLES } from "./crmTables";
import { RAPPORT_TABLES } from "./rapportTables";
import { SECURITY_TABLES } from "./securityTables";
import type { ColumnDef, TableDef } from "./types";

/** Every table Rapport knows, read or written. */
export const ALL_TABLES: readonly TableDef[] = [...CRM_TABLES, ...SECURITY_TABLES, ...RAPPORT_TABLES];

const byLogical = new Map(ALL_TABLES.map((t) => [t.logicalName, t]));
const bySet = new Map(ALL_TABLES.map((t) => [t.entitySetName, t]));

export const tableByLogicalName = (name: string): TableDef | undefined => byLogical.get(name);
export const tableByEntitySet = (set: string): TableDef | undefined => bySet.get(set);

export function columnOf(table: TableDef, name: string): ColumnDef | undefined {
  return table.columns.find((c) => c.name === name);
}

/** Lookup-like columns (lookup, customer, owner): on the wire they read as `_<name>_value`. */
export const isLookup = (c: ColumnDef): boolean =>
  c.type === "lookup" || c.type === "customer" || c.type === "owner";
