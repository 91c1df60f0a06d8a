/**
 * manifest.json, generated at build time from the solution's own definitions (solution/src/previewManifest.ts):
 * the tables the preview navigates, their health-grid views as Web API queries, and their form fields. The
 * preview plays the host with what the solution ships, so a view changed there changes here.
 */

/** A grid column of a view, as the PCF dataset describes it, and where its value sits in a Web API row. */
export interface ColumnSpec {
  /** Dataset column name: the attribute, or `alias.attribute` for a linked table's column. */
  name: string;
  displayName: string;
  /** PCF data type, e.g. "SingleLine.Text", "Whole.None", "DateAndTime.DateAndTime", "OptionSet". */
  dataType: string;
  width: number;
  isPrimary: boolean;
  /** The property in the row JSON (`_x_value` for lookups). */
  property: string;
  /** For a linked column: the navigation property whose expanded object holds it. */
  expand?: string;
  /** Loaded for a control (the pipeline's close date, revenue, reasons), not a column of the view's grid. */
  hidden?: boolean;
}

export interface ViewSpec {
  /** The savedquery id the solution gives the view. */
  id: string;
  name: string;
  description: string;
  /**
   * The query after the entity set: `?$select=...&$expand=...&$filter=...`. `{userid}` stands for the
   * signed-in user's id (FetchXML's eq-userid).
   */
  query: string;
  columns: ColumnSpec[];
  /** The view offers the RelationshipPipeline control besides its grid (solution/src/views.ts). */
  pipeline?: boolean;
  /**
   * The view's order when the query cannot express it (the Web API orders on the table's own columns
   * only): ascending on `property` of the row expanded as `expand`, rows where it is null last. The page
   * sorts the loaded rows so.
   */
  sort?: { expand: string; property: string };
}

export interface FieldSpec {
  name: string;
  displayName: string;
  property: string;
  /** Lookups: the table the value points to, when it is one the preview can open. */
  lookupTable?: string;
}

export interface TableSpec {
  logicalName: string;
  entitySet: string;
  displayName: string;
  displayCollectionName: string;
  primaryIdColumn: string;
  primaryNameColumn: string;
  views: ViewSpec[];
  /** What the record's main form shows above Rapport's controls. */
  fields: FieldSpec[];
}

export interface PreviewManifest {
  /** Record tables in navigation order. */
  tables: TableSpec[];
  /** Entity set of every table the controls may name (for context.webAPI). */
  entitySets: Record<string, string>;
  /** The settings web resource, as an org serves it. */
  settingsPage: string;
}
