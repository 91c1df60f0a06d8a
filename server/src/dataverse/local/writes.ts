import { randomUUID } from "node:crypto";

import type { CollectionNavigation } from "../model";
import { addReciprocal, checkNewConnection, reciprocalChanges, reciprocalOf } from "./connections";
import { badPayload, DataverseHttpError, ERROR_CODES, recordNotFound } from "./errors";
import { findByKey, resolveKey } from "./keys";
import { parseReference } from "./resourcePath";
import { type Access, demand, userOwned } from "./security";
import { deleteShares } from "./shares";
import type { SqlStore } from "./sqlStore";
import { settleState } from "./stateRules";
import {
  infoByLogicalName,
  infoBySet,
  q,
  referencesTo,
  SYSTEM_COLUMNS,
  type TableInfo,
  targetColumn,
} from "./tableInfo";
import { isoSeconds, type Row, toSql } from "./values";

/**
 * Create, update and delete with Dataverse's payload rules: columns by logical name, lookups only through
 * `<navigation property>@odata.bind` (case-sensitive), deep insert of collection navigations on create,
 * system columns maintained here. Every write gets a new row version.
 */

export interface WriteContext {
  store: SqlStore;
  now: () => number;
  /** In a change set, `$1` stands for the record created by the request with Content-ID 1. */
  contentIds?: ReadonlyMap<string, string>;
  /** The caller's privileges, checked on every write; absent for the endpoint's own seeding. */
  access?: Access;
}

/** Intersect rows are written only by associating records, as on Dataverse. */
function refuseIntersect(ctx: WriteContext, info: TableInfo, action: string): void {
  if (ctx.access && info.def.intersect)
    throw new DataverseHttpError(
      405,
      ERROR_CODES.query,
      `The '${action}' method does not support entities of type '${info.def.logicalName}': associate the two records instead.`,
    );
}

/** Setting a lookup relates two records: Append on the one written, AppendTo on the one it points at. */
function demandBind(ctx: WriteContext, info: TableInfo, target: TableInfo, targetId: string): void {
  if (!ctx.access) return;
  demand(ctx.access, info, "Append");
  demand(ctx.access, target, "AppendTo", ctx.store.getById(target, targetId));
}

const SYSTEM = new Set(SYSTEM_COLUMNS.map((c) => c.name));

interface Payload {
  row: Row;
  id?: string;
  deep: { nav: CollectionNavigation; items: Record<string, unknown>[] }[];
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Resolves a reference (`/accounts(id)`, an alternate-key form or `$n`) to a record of `table`. */
export function resolveReference(
  ctx: WriteContext,
  table: string,
  ref: unknown,
  property: string,
): { id: string; table: string } {
  if (typeof ref !== "string") throw badPayload(`The value of '${property}' must be a record URL.`);
  const text = ctx.contentIds?.get(ref.trim()) ?? ref;
  const parsed = parseReference(text);
  const target = parsed ? infoBySet(parsed.segment) : undefined;
  if (!parsed || !target)
    throw badPayload(`'${ref}' in '${property}' is not a valid record URL such as '/accounts(<id>)'.`);
  if (target.def.logicalName !== table)
    throw badPayload(
      `'${property}' points to '${table}' records, not to '${target.def.logicalName}' ('${ref}').`,
    );
  const key = resolveKey(target, parsed.key);
  const row = findByKey(ctx.store, target, key);
  if (!row) throw recordNotFound(table, key.text);
  return { id: String(row[target.primaryId.name]), table };
}

/** `<navigation property>@odata.bind`: the lookup's id and target table, or both emptied for null. */
function bind(ctx: WriteContext, info: TableInfo, row: Row, key: string, value: unknown): void {
  const navName = key.slice(0, key.indexOf("@"));
  const nav = info.navigations.get(navName);
  if (!nav)
    throw badPayload(
      `'${navName}' is not a single-valued navigation property of 'Microsoft.Dynamics.CRM.${info.def.logicalName}' (navigation property names are case-sensitive).`,
    );
  if (value === null) {
    row[nav.column.name] = null;
    row[targetColumn(nav.column)] = null;
    return;
  }
  const ref = resolveReference(ctx, nav.target.table, value, key);
  const target = infoByLogicalName(ref.table);
  // Setting the owner is an assignment (prvAssign, checked by the create or update), not an append.
  if (target && nav.column.type !== "owner") demandBind(ctx, info, target, ref.id);
  row[nav.column.name] = ref.id;
  row[targetColumn(nav.column)] = ref.table;
}

function readPayload(
  ctx: WriteContext,
  info: TableInfo,
  body: Record<string, unknown>,
  mode: "create" | "update",
): Payload {
  const payload: Payload = { row: {}, deep: [] };
  const logical = info.def.logicalName;
  for (const [key, value] of Object.entries(body)) {
    const at = key.indexOf("@");
    if (at >= 0) {
      // Other annotations (@odata.type, @odata.etag) carry no data.
      if (key.endsWith("@odata.bind")) bind(ctx, info, payload.row, key, value);
      continue;
    }
    const collection = info.collections.get(key);
    if (collection) {
      if (mode !== "create")
        throw badPayload(`Deep insert of '${key}' is only possible when the '${logical}' record is created.`);
      if (!Array.isArray(value) || !value.every(isRecord))
        throw badPayload(`'${key}' must be an array of records to create.`);
      payload.deep.push({ nav: collection, items: value });
      continue;
    }
    const c = info.byName.get(key);
    if (!c)
      throw badPayload(
        `The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.${logical}'. Make sure to only use property names that are defined by the type.`,
      );
    if (SYSTEM.has(c.name)) continue; // maintained by the service, as on Dataverse
    const v = toSql(logical, c, value);
    if (c === info.primaryId) {
      if (typeof v !== "string") throw badPayload(`'${key}' must be a GUID.`);
      payload.id = v;
      continue;
    }
    payload.row[c.name] = v;
  }
  return payload;
}

/** Columns the model marks required, enforced for Rapport's own tables (their solution requires them). */
function checkRequired(info: TableInfo, row: Row): void {
  if (!info.def.custom) return;
  for (const c of info.columns)
    if (c.required && (row[c.name] === undefined || row[c.name] === null))
      throw new DataverseHttpError(
        400,
        ERROR_CODES.validation,
        `A validation error occurred. The value for '${c.name}' of '${info.def.logicalName}' is required.`,
      );
}

/**
 * Dataverse composes `fullname` of contacts and leads from the name parts (the default format
 * "First Last"), over any value sent for it. `row` is the record as it will be; returns the column to write.
 */
function composedFullName(info: TableInfo, row: Row): Row {
  if (!info.byName.has("fullname") || !info.byName.has("firstname") || !info.byName.has("lastname"))
    return {};
  const parts = [row["firstname"], row["lastname"]].filter((p) => typeof p === "string" && p.trim() !== "");
  // A record given only a fullname keeps it (seed data, older callers); see docs/local-dataverse.md.
  if (!parts.length) return {};
  return { fullname: parts.map((p) => String(p).trim()).join(" ") };
}

/** The row a create inserts: the payload's columns, the URL's key columns, the id and the system columns. */
function newRow(ctx: WriteContext, info: TableInfo, payload: Payload, preset: Preset): Row {
  const id = preset.id ?? payload.id ?? randomUUID();
  if (payload.id !== undefined && preset.id !== undefined && payload.id !== preset.id)
    throw badPayload(`The id in the payload does not match the id in the URL.`);
  const now = isoSeconds(ctx.now());
  const row: Row = {
    ...payload.row,
    ...preset.row,
    [info.primaryId.name]: id,
    // Data migration: Dataverse takes createdon from overriddencreatedon when a create sets it.
    createdon:
      typeof payload.row["overriddencreatedon"] === "string" ? payload.row["overriddencreatedon"] : now,
    modifiedon: now,
    versionnumber: ctx.store.nextVersion(),
  };
  // As Dataverse does: a new row is in its first state (Active; Open for activities, i.e. a draft email).
  if (info.byName.has("statecode") && (row["statecode"] === undefined || row["statecode"] === null))
    row["statecode"] = 0;
  Object.assign(row, settleState(info, row, payload.row, preset.byMessage));
  Object.assign(row, composedFullName(info, row));
  ownByCreator(ctx, info, row);
  return row;
}

/** A user-owned record is owned by its creator unless the payload names an owner, as on Dataverse. */
function ownByCreator(ctx: WriteContext, info: TableInfo, row: Row): void {
  if (!ctx.access || ctx.access.caller.administrator) return;
  if (info.def.ownership !== "UserOwned" || row["ownerid"]) return;
  row["ownerid"] = ctx.access.caller.userId;
  row[targetColumn(info.byName.get("ownerid")!)] = "systemuser";
}

/** Deep insert: the children in the payload, each created with its lookup set to the new record. */
function createChildren(ctx: WriteContext, info: TableInfo, id: string, deep: Payload["deep"]): void {
  for (const { nav, items } of deep) {
    const child = infoByLogicalName(nav.table);
    const lookup = child?.byName.get(nav.column);
    if (!child || !lookup) throw badPayload(`'${nav.name}' cannot be created here.`);
    demandBind(ctx, child, info, id);
    for (const item of items)
      createRecord(ctx, child, item, {
        row: { [lookup.name]: id, [targetColumn(lookup)]: info.def.logicalName },
      });
  }
}

/**
 * What a create takes besides its payload: the id and key columns from the URL, columns a message sets
 * (an opportunity close is created completed), and whether a message (not a plain create) writes it.
 */
export interface Preset {
  id?: string;
  row?: Row;
  byMessage?: boolean;
}

/**
 * A user-owned record created for another owner is created, then assigned to them: Dataverse demands
 * prvAssign on the table besides prvCreate (at any depth: the caller owns the new record until then).
 */
function demandOwner(access: Access | undefined, info: TableInfo, row: Row): void {
  if (!access || !userOwned(info) || row["ownerid"] === access.caller.userId) return;
  demand(access, info, "Assign");
}

/** Changing a user-owned record's owner is an assignment: prvAssign reaching the record. */
function demandAssign(access: Access | undefined, info: TableInfo, existing: Row, changes: Row): void {
  if (!access || !userOwned(info) || !("ownerid" in changes)) return;
  if (changes["ownerid"] === existing["ownerid"]) return;
  demand(access, info, "Assign", existing);
}

/** Creates a record (and its deep-inserted children); returns its id. */
export function createRecord(
  ctx: WriteContext,
  info: TableInfo,
  body: Record<string, unknown>,
  preset: Preset = {},
): string {
  refuseIntersect(ctx, info, "Create");
  demand(ctx.access, info, "Create");
  const payload = readPayload(ctx, info, body, "create");
  const row = newRow(ctx, info, payload, preset);
  const id = String(row[info.primaryId.name]);
  demandOwner(ctx.access, info, row);
  checkRequired(info, row);
  checkNewConnection(info, row);
  ctx.store.insert(info, row);
  addReciprocal(ctx.store, info, row);
  createChildren(ctx, info, id, payload.deep);
  return id;
}

export function updateRecord(
  ctx: WriteContext,
  info: TableInfo,
  existing: Row,
  body: Record<string, unknown>,
): void {
  refuseIntersect(ctx, info, "Update");
  demand(ctx.access, info, "Write", existing);
  const payload = readPayload(ctx, info, body, "update");
  const id = String(existing[info.primaryId.name]);
  if (payload.id !== undefined && payload.id !== id)
    throw badPayload(`The id in the payload does not match the id in the URL.`);
  // Valid for create only (data migration): an update leaves it and createdon as they are.
  delete payload.row["overriddencreatedon"];
  demandAssign(ctx.access, info, existing, payload.row);
  const changes: Row = {
    ...payload.row,
    modifiedon: isoSeconds(ctx.now()),
    versionnumber: ctx.store.nextVersion(),
  };
  // Emptying both name parts empties the composed name too.
  if (("firstname" in payload.row || "lastname" in payload.row) && info.byName.has("fullname"))
    changes["fullname"] = composedFullName(info, { ...existing, ...changes })["fullname"] ?? null;
  if ("statecode" in payload.row || "statuscode" in payload.row)
    Object.assign(changes, settleState(info, { ...existing, ...changes }, payload.row));
  checkRequired(info, { ...existing, ...changes });
  const mirror = reciprocalChanges(info, existing, changes);
  ctx.store.update(info, id, changes);
  if (mirror)
    ctx.store.update(info, mirror.id, { ...mirror.changes, versionnumber: ctx.store.nextVersion() });
}

/**
 * Deletes a record. Activity parties go with their activity (a parental relationship on Dataverse);
 * every other lookup that pointed at the record is emptied.
 */
export function deleteRecord(ctx: WriteContext, info: TableInfo, id: string): void {
  refuseIntersect(ctx, info, "Delete");
  if (ctx.access) demand(ctx.access, info, "Delete", ctx.store.getById(info, id));
  for (const ref of referencesTo(info.def.logicalName)) {
    const table = q(ref.info.def.logicalName);
    const where = `${q(ref.column.name)} = ? AND ${q(targetColumn(ref.column))} = ?`;
    const parental = ref.info.def.logicalName === "activityparty" && ref.column.name === "activityid";
    if (parental) ctx.store.statement(`DELETE FROM ${table} WHERE ${where}`).run(id, info.def.logicalName);
    else
      ctx.store
        .statement(
          `UPDATE ${table} SET ${q(ref.column.name)} = NULL, ${q(targetColumn(ref.column))} = NULL WHERE ${where}`,
        )
        .run(id, info.def.logicalName);
  }
  const reciprocal = reciprocalOf(info, ctx.store.getById(info, id));
  if (!ctx.store.delete(info, id)) throw recordNotFound(info.def.logicalName, id);
  if (reciprocal) ctx.store.delete(info, reciprocal);
  deleteShares(ctx.store, info.def.logicalName, id);
}

export function parseJsonBody(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text === "" ? "{}" : text);
  } catch (err) {
    throw badPayload(`The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (!isRecord(parsed)) throw badPayload("The request body must be a JSON object.");
  return parsed;
}
