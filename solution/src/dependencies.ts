import { ALL_TABLES, RAPPORT_TABLES, type TableDef } from "@rapport/model";

import { formId, RECORD_TABLES, recordFormDef } from "./forms";
import { lookupRelationships } from "./relationships";
import { roleId, ROLES } from "./roles";
import { allViews, viewId } from "./views";
import { el, type XNode } from "./xml";

/**
 * The Dynamics 365 Sales tables Rapport touches and the first-party solution that brings each, with
 * the version as exports from Sales orgs name it (`<name> (<version>)`; the version is the one the
 * exporting org had, informational for the import wizard). Opportunity: msdynce_Sales, as in a real
 * export's `<MissingDependency>` (docs/solution.md, "Dependencies on Dynamics 365 Sales"); lead: its
 * own Sales solution, msdynce_LeadManagement.
 */
export const SALES_TABLES: Record<string, string> = {
  lead: "msdynce_LeadManagement (9.0.4.0066)",
  opportunity: "msdynce_Sales (9.0.4.0076)",
};

/** Component type codes of the dependents written here (solutioncomponent.componenttype). */
const TYPE = { entity: 1, attribute: 2, relationship: 10, role: 20, savedQuery: 26, systemForm: 60 } as const;

export interface Dependent {
  type: (typeof TYPE)[keyof typeof TYPE];
  schemaName?: string;
  displayName: string;
  parentSchemaName?: string;
  parentDisplayName?: string;
  id?: string;
}

export interface MissingDependency {
  /** The Sales table required. */
  table: TableDef;
  solution: string;
  dependent: Dependent;
}

const salesTable = (logicalName: string): TableDef | undefined =>
  SALES_TABLES[logicalName] !== undefined ? ALL_TABLES.find((t) => t.logicalName === logicalName) : undefined;

/** Columns the solution writes: every column of Rapport's tables, the Rapport columns of standard ones. */
function solutionColumns(): { table: TableDef; column: TableDef["columns"][number] }[] {
  const standard = ALL_TABLES.filter((t) => !t.custom);
  return [
    ...RAPPORT_TABLES.flatMap((table) => table.columns.map((column) => ({ table, column }))),
    ...standard.flatMap((table) =>
      table.columns.filter((c) => c.rapport).map((column) => ({ table, column })),
    ),
  ];
}

/** Every component of the solution that cannot exist without a Sales table, paired with that table. */
function dependentsOf(sales: TableDef): Dependent[] {
  const name = sales.logicalName;
  const out: Dependent[] = [];
  if (ALL_TABLES.some((t) => !t.custom && t.logicalName === name && t.columns.some((c) => c.rapport))) {
    // The shell the solution includes to add its column, form and views (root component behavior 2).
    out.push({ type: TYPE.entity, schemaName: name, displayName: sales.displayName });
  }
  for (const { table, column } of solutionColumns()) {
    const onSales = table.logicalName === name;
    const toSales = column.type === "lookup" && (column.targets ?? []).some((t) => t.table === name);
    if (!onSales && !toSales) continue;
    out.push({
      type: TYPE.attribute,
      schemaName: column.name,
      displayName: column.displayName,
      parentSchemaName: table.logicalName,
      parentDisplayName: table.displayName,
    });
  }
  for (const r of lookupRelationships()) {
    if (r.referenced.logicalName !== name && r.referencing.logicalName !== name) continue;
    out.push({
      type: TYPE.relationship,
      schemaName: r.name,
      displayName: r.name,
      parentSchemaName: name,
      parentDisplayName: sales.displayName,
    });
  }
  for (const role of ROLES) {
    if (!role.grants.some((g) => g.tables.includes(name))) continue;
    out.push({ type: TYPE.role, displayName: role.name, id: roleId(role) });
  }
  for (const v of allViews().filter((x) => x.table === name)) {
    out.push({
      type: TYPE.savedQuery,
      displayName: v.name,
      parentSchemaName: name,
      parentDisplayName: sales.displayName,
      id: viewId(v),
    });
  }
  if (RECORD_TABLES.includes(name)) {
    const form = recordFormDef(name);
    out.push({
      type: TYPE.systemForm,
      displayName: form.name,
      parentDisplayName: sales.displayName,
      id: formId(form),
    });
  }
  return out;
}

/** The solution's dependencies on Dynamics 365 Sales, ordered by required table, then dependent type. */
export function salesDependencies(): MissingDependency[] {
  return Object.keys(SALES_TABLES)
    .sort()
    .flatMap((name) => {
      const table = salesTable(name);
      if (!table) throw new Error(`SALES_TABLES names ${name}, which the model does not have`);
      const solution = SALES_TABLES[name]!;
      return dependentsOf(table)
        .sort((a, b) => a.type - b.type)
        .map((dependent) => ({ table, solution, dependent }));
    });
}

/** `<MissingDependency>` as exports write it: the required Sales table, then the dependent component. */
export const missingDependencyNode = (d: MissingDependency): XNode =>
  el(
    "MissingDependency",
    null,
    el("Required", {
      type: TYPE.entity,
      schemaName: d.table.logicalName,
      displayName: d.table.displayName,
      solution: d.solution,
    }),
    el("Dependent", {
      type: d.dependent.type,
      schemaName: d.dependent.schemaName,
      displayName: d.dependent.displayName,
      parentSchemaName: d.dependent.parentSchemaName,
      parentDisplayName: d.dependent.parentDisplayName,
      id: d.dependent.id,
    }),
  );
