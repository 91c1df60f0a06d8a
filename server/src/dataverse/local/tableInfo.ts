import {
  ALL_TABLES,
  type CollectionNavigation,
  column,
  type ColumnDef,
  isLookup,
  type LookupTarget,
  tableByEntitySet,
  type TableDef,
} from "../model";

/**
 * The model seen from the local endpoint: every table's columns plus the system columns Dataverse keeps
 * on every table (created on, modified on, row version), and the indexes the wire format needs
 * (`_x_value` names, single-valued navigation properties, collection navigations). Built once per table
 * from the model; no column is named here that the model already names.
 */

/** Columns Dataverse maintains on every table; the model lists only the ones Rapport reads or writes. */
export const SYSTEM_COLUMNS: readonly ColumnDef[] = [
  column("createdon", "datetime", "Created On"),
  column("modifiedon", "datetime", "Modified On"),
  // A BigInt on Dataverse (the row version behind @odata.etag); SQLite integers are 64-bit.
  column("versionnumber", "integer", "Version Number"),
];

export interface NavigationInfo {
  column: ColumnDef;
  target: LookupTarget;
}

export interface TableInfo {
  def: TableDef;
  /** Model columns, then the system columns the model does not already hold. */
  columns: readonly ColumnDef[];
  byName: ReadonlyMap<string, ColumnDef>;
  /** By the name used on the wire: `_x_value` for lookups, the logical name otherwise. */
  byWireName: ReadonlyMap<string, ColumnDef>;
  /** Single-valued navigation properties (case-sensitive, as on Dataverse). */
  navigations: ReadonlyMap<string, NavigationInfo>;
  collections: ReadonlyMap<string, CollectionNavigation>;
  primaryId: ColumnDef;
}

/** The wire name of a column: lookups read as `_<name>_value`. */
export const wireName = (c: ColumnDef): string => (isLookup(c) ? `_${c.name}_value` : c.name);

/** The SQL column that holds a lookup's target table (a lookup may point to several tables). */
export const targetColumn = (c: ColumnDef): string => `${c.name}__target`;

/** Quotes an identifier. Only identifiers taken from the model reach SQL, never request text. */
export const q = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

const cache = new Map<string, TableInfo>();

export function tableInfo(def: TableDef): TableInfo {
  const cached = cache.get(def.logicalName);
  if (cached) return cached;
  const names = new Set(def.columns.map((c) => c.name));
  const columns = [...def.columns, ...SYSTEM_COLUMNS.filter((c) => !names.has(c.name))];
  const navigations = new Map<string, NavigationInfo>();
  for (const c of columns)
    for (const target of c.targets ?? []) navigations.set(target.navigationProperty, { column: c, target });
  const primaryId = columns.find((c) => c.name === def.primaryIdColumn);
  if (!primaryId) throw new Error(`Model table ${def.logicalName} lacks its primary id column`);
  const info: TableInfo = {
    def,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    byWireName: new Map(columns.map((c) => [wireName(c), c])),
    navigations,
    collections: new Map((def.collections ?? []).map((n) => [n.name, n])),
    primaryId,
  };
  cache.set(def.logicalName, info);
  return info;
}

export const ALL_INFOS: readonly TableInfo[] = ALL_TABLES.map(tableInfo);

export function infoBySet(entitySetName: string): TableInfo | undefined {
  const def = tableByEntitySet(entitySetName);
  return def ? tableInfo(def) : undefined;
}

export function infoByLogicalName(logicalName: string): TableInfo | undefined {
  const def = ALL_TABLES.find((t) => t.logicalName === logicalName);
  return def ? tableInfo(def) : undefined;
}

/** Every lookup column (in any table) that may point at `logicalName`: what a delete must unlink. */
export function referencesTo(logicalName: string): { info: TableInfo; column: ColumnDef }[] {
  const out: { info: TableInfo; column: ColumnDef }[] = [];
  for (const info of ALL_INFOS)
    for (const c of info.columns)
      if (c.targets?.some((t) => t.table === logicalName)) out.push({ info, column: c });
  return out;
}
