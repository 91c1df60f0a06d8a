/**
 * The Dataverse tables Rapport reads and writes, described once. The Web API client, the local
 * Dataverse-compatible endpoint, the publisher and the solution packaging all read these definitions,
 * so a column is named in one place only.
 */

/** Dataverse attribute types Rapport uses (AttributeTypeCode names). */
export type ColumnType =
  | "uniqueidentifier"
  | "string"
  | "memo"
  | "integer"
  | "decimal"
  | "double"
  | "money"
  | "boolean"
  | "datetime"
  | "dateonly"
  | "picklist"
  | "state"
  | "status"
  | "lookup"
  | "customer"
  | "owner";

export interface ChoiceOption {
  value: number;
  label: string;
  /** Status reasons (statuscode): the statecode this reason belongs to. */
  state?: number;
}

export interface ColumnDef {
  /** Logical name (lower case), as used in $select and JSON bodies. */
  name: string;
  /** Schema name (the logical name with its original casing), as used in solution XML. */
  schemaName: string;
  type: ColumnType;
  displayName: string;
  description?: string;
  /** Strings: maximum length in characters. */
  maxLength?: number;
  /** Decimals: digits after the point. */
  precision?: number;
  /** Numbers: allowed range. */
  min?: number;
  max?: number;
  /** Choices (picklist, state). */
  options?: readonly ChoiceOption[];
  /** Picklists of Rapport's tables: the CHOICES set (one global choice in the solution) they use. */
  choiceSet?: string;
  /** Boolean labels, false then true. */
  booleanLabels?: readonly [string, string];
  /**
   * Lookups: the tables the lookup may point to, each with the single-valued navigation property used
   * in `$expand` and `@odata.bind` (case-sensitive on Dataverse).
   */
  targets?: readonly LookupTarget[];
  /** Required on create. */
  required?: boolean;
  /** A column Rapport's solution adds to a standard table (the lookup to its insight row). */
  rapport?: boolean;
}

export interface LookupTarget {
  table: string;
  navigationProperty: string;
}

/** A one-to-many relationship seen from the "one" side, expandable as a collection. */
export interface CollectionNavigation {
  name: string;
  /** The related table and its lookup column pointing back here. */
  table: string;
  column: string;
}

export interface AlternateKeyDef {
  schemaName: string;
  displayName: string;
  columns: readonly string[];
}

export interface TableDef {
  logicalName: string;
  schemaName: string;
  entitySetName: string;
  displayName: string;
  displayCollectionName: string;
  description?: string;
  primaryIdColumn: string;
  primaryNameColumn: string;
  ownership: "UserOwned" | "OrganizationOwned" | "None";
  isActivity?: boolean;
  /** Rapport's own tables (shipped in the solution) as opposed to the standard tables it reads. */
  custom: boolean;
  /** The intersect table of a many-to-many relationship: read-only, written by associating records. */
  intersect?: boolean;
  columns: readonly ColumnDef[];
  alternateKeys?: readonly AlternateKeyDef[];
  collections?: readonly CollectionNavigation[];
}

export const column = (
  name: string,
  type: ColumnType,
  displayName: string,
  extra: Partial<ColumnDef> = {},
): ColumnDef => ({ name, schemaName: extra.schemaName ?? name, type, displayName, ...extra });

/** The name a lookup-like column reads as in a Web API row: `_<name>_value` (its id). */
export const lookupValueName = (column: string): string => `_${column}_value`;
