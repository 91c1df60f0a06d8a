import { keySegment } from "../client";
import { tableByLogicalName, type TableDef } from "../model";
import type { DesiredRow, LookupValue, Scalar } from "./desiredRow";

/** `entityset(id)` or `entityset(key='value')`: how a lookup's target is addressed in @odata.bind. */
export function referenceOf(l: LookupValue): string {
  const target = tableByLogicalName(l.table);
  if (!target) throw new Error(`Unknown lookup target table ${l.table}`);
  return `/${target.entitySetName}${keySegment("id" in l ? l.id : l.key)}`;
}

function navigationOf(table: TableDef, column: string, targetTable: string): string {
  const def = table.columns.find((c) => c.name === column);
  const nav = def?.targets?.find((t) => t.table === targetTable)?.navigationProperty;
  if (!nav) throw new Error(`${table.logicalName}.${column} cannot point to ${targetTable}`);
  return nav;
}

/**
 * The JSON body of an upsert. Lookups are bound through their navigation properties; a lookup that
 * should be empty is cleared (bound to null) only on rows the org already holds.
 */
export function upsertBody(row: DesiredRow, exists: boolean): Record<string, Scalar> {
  const body: Record<string, Scalar> = {
    rp_key: row.key,
    rp_contenthash: row.hash,
    ...row.values,
    ...row.stamp,
  };
  for (const [column, l] of Object.entries(row.lookups)) {
    if (l) body[`${navigationOf(row.table, column, l.table)}@odata.bind`] = referenceOf(l);
    else if (exists) {
      // A single-target lookup clears through its one navigation property.
      const targets = row.table.columns.find((c) => c.name === column)?.targets ?? [];
      if (targets.length === 1) body[`${targets[0]!.navigationProperty}@odata.bind`] = null;
    }
  }
  return body;
}
