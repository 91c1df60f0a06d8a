import { STATUS_CODES } from "node:http";

import { type ColumnDef, isLookup } from "../model";
import { DataverseHttpError } from "./errors";
import { formattedValue } from "./formatted";
import { wantsAnnotation } from "./prefer";
import { orderBySql } from "./queryEngine";
import type { CollectionExpand, ExpandPlan, SingleExpand } from "./queryOptions";
import type { SqlStore } from "./sqlStore";
import { infoByLogicalName, q, type TableInfo, targetColumn, wireName } from "./tableInfo";
import { type Row, type SqlValue, toWire } from "./values";

/**
 * The Dataverse wire format: response objects, headers, and records written as Dataverse writes them
 * (`@odata.etag`, `_x_value` lookups, annotations before the value they describe, the primary id last
 * when it was not selected).
 */

export interface DvResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export const JSON_TYPE = "application/json; odata.metadata=minimal";
export const FORMATTED = "OData.Community.Display.V1.FormattedValue";
export const LOOKUP_LOGICAL_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname";
export const ASSOCIATED_NAVIGATION = "Microsoft.Dynamics.CRM.associatednavigationproperty";

export const statusLine = (status: number): string => `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}`;

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): DvResponse {
  return {
    status,
    headers: { "Content-Type": JSON_TYPE, "OData-Version": "4.0", ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(err: DataverseHttpError): DvResponse {
  return jsonResponse(err.status, { error: { code: err.code, message: err.message } }, err.headers);
}

export const noContent = (headers: Record<string, string> = {}): DvResponse => ({
  status: 204,
  headers: { "OData-Version": "4.0", ...headers },
});

export const etagOf = (row: Row): string => `W/"${String(row.versionnumber ?? 0)}"`;

export interface WireContext {
  store: SqlStore;
  /** The `Prefer: odata.include-annotations` patterns, if any. */
  annotations?: string;
  /** FetchXML results leave out empty columns. */
  omitNulls?: boolean;
  /** The primary names of lookup targets read so far in this response (table:id → name). */
  names: Map<string, string | null>;
}

/** The primary name of a lookup's target, read once per response and target. */
function targetName(ctx: WireContext, table: string, id: string) {
  const cache = ctx.names;
  const key = `${table}:${id}`;
  if (cache.has(key)) return cache.get(key) ?? undefined;
  const info = infoByLogicalName(table);
  const row = info
    ? ctx.store.get(
        `SELECT ${q(info.def.primaryNameColumn)} AS name FROM ${q(table)} WHERE ${q(info.primaryId.name)} = ?`,
        [id],
      )
    : undefined;
  const name = row?.name === undefined || row.name === null ? null : String(row.name);
  cache.set(key, name);
  return name ?? undefined;
}

/** A lookup's annotations (the target's name, navigation property and table), as the caller asked for them. */
function writeLookupAnnotations(
  ctx: WireContext,
  out: Record<string, unknown>,
  c: ColumnDef,
  row: Row,
): void {
  const wire = wireName(c);
  const table = String(row[targetColumn(c)] ?? c.targets?.[0]?.table ?? "");
  const nav = c.targets?.find((t) => t.table === table)?.navigationProperty;
  if (wantsAnnotation(ctx.annotations, FORMATTED)) {
    const name = targetName(ctx, table, String(row[c.name]));
    if (name !== undefined) out[`${wire}@${FORMATTED}`] = name;
  }
  if (nav && wantsAnnotation(ctx.annotations, ASSOCIATED_NAVIGATION))
    out[`${wire}@${ASSOCIATED_NAVIGATION}`] = nav;
  if (wantsAnnotation(ctx.annotations, LOOKUP_LOGICAL_NAME)) out[`${wire}@${LOOKUP_LOGICAL_NAME}`] = table;
}

function writeColumn(ctx: WireContext, out: Record<string, unknown>, c: ColumnDef, row: Row): void {
  const value: SqlValue = row[c.name] ?? null;
  const wire = wireName(c);
  if (value === null && ctx.omitNulls) return;
  if (value !== null && isLookup(c)) writeLookupAnnotations(ctx, out, c, row);
  else if (value !== null && wantsAnnotation(ctx.annotations, FORMATTED)) {
    const f = formattedValue(c, value);
    if (f !== undefined) out[`${wire}@${FORMATTED}`] = f;
  }
  out[wire] = toWire(c, value);
}

/** A record as Dataverse returns it. `select` undefined means every column. */
export function entityJson(
  ctx: WireContext,
  info: TableInfo,
  row: Row,
  select: readonly ColumnDef[] | undefined,
  expands: readonly ExpandPlan[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = { "@odata.etag": etagOf(row) };
  const columns = select ?? info.columns;
  for (const c of columns) writeColumn(ctx, out, c, row);
  if (!columns.includes(info.primaryId)) writeColumn(ctx, out, info.primaryId, row);
  for (const e of expands)
    out[e.name] = e.kind === "single" ? expandSingle(ctx, e, row) : expandCollection(ctx, info, e, row);
  return out;
}

function expandSingle(ctx: WireContext, e: SingleExpand, row: Row) {
  const id = row[e.nav.column.name];
  const table = row[targetColumn(e.nav.column)] ?? e.nav.target.table;
  if (id === null || id === undefined || table !== e.nav.target.table) return null;
  const target = ctx.store.getById(e.target, String(id));
  return target ? entityJson(ctx, e.target, target, e.select) : null;
}

function expandCollection(ctx: WireContext, info: TableInfo, e: CollectionExpand, row: Row) {
  const t = e.target;
  const lookup = t.byName.get(e.nav.column);
  if (!lookup) return [];
  const where = [`${q(lookup.name)} = ?`, `${q(targetColumn(lookup))} = ?`];
  const params: SqlValue[] = [String(row[info.primaryId.name]), info.def.logicalName];
  if (e.where) {
    where.push(`(${e.where.sql})`);
    params.push(...e.where.params);
  }
  const rows = ctx.store.all(
    `SELECT * FROM ${q(t.def.logicalName)} WHERE ${where.join(" AND ")} ORDER BY ${orderBySql(t, e.orderBy)} LIMIT ?`,
    [...params, e.top ?? 5000],
  );
  return rows.map((r) => entityJson(ctx, t, r, e.select));
}

/** The `(a,b,nav(c))` part of `@odata.context` for a selection. */
export function contextSelection(
  select: readonly ColumnDef[] | undefined,
  expands: readonly ExpandPlan[],
): string {
  const parts = (select ?? []).map(wireName);
  for (const e of expands) parts.push(`${e.name}(${(e.select ?? []).map(wireName).join(",")})`);
  return parts.length ? `(${parts.join(",")})` : "";
}
