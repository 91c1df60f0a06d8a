import { randomUUID } from "node:crypto";

import { MANY_TO_MANY, type ManyToManyDef } from "../model";
import { badPayload, badQuery, DataverseHttpError, ERROR_CODES, methodNotAllowed } from "./errors";
import type { SqlFragment } from "./filterToSql";
import { mustFind, type ResolvedKey } from "./keys";
import type { RouteCall, RouteContext } from "./router";
import { demand } from "./security";
import { infoByLogicalName, q, type TableInfo } from "./tableInfo";
import type { Row } from "./values";
import { type DvResponse, noContent } from "./wire";
import { parseJsonBody, resolveReference } from "./writes";

/**
 * Many-to-many relationships (users-roles, teams-roles, users-teams): the collection-valued navigation
 * property named as the relationship lists the related records, and `…/<relationship>/$ref` associates
 * (POST `{"@odata.id": "<set>(id)"}`) or disassociates (DELETE `?$id=<set>(id)`, or
 * `…/<relationship>(id)/$ref`) a pair, as in Microsoft's "Associate and disassociate table rows using the
 * Web API". Each side needs Append and AppendTo, Dataverse's rule for relating two records.
 */

export interface ManyToManyNav {
  rel: ManyToManyDef;
  near: { table: string; column: string };
  far: { table: string; column: string };
  farInfo: TableInfo;
  /** `rel(id)` form of the segment: the far record's id. */
  farId?: string;
}

const intersectInfo = (rel: ManyToManyDef): TableInfo => {
  const info = infoByLogicalName(rel.intersect);
  if (!info) throw new Error(`Model lacks intersect table ${rel.intersect}`);
  return info;
};

/** The many-to-many navigation `segment` names on `info`, or undefined when it names none. */
export function manyToManyOf(info: TableInfo, segment: string): ManyToManyNav | undefined {
  const m = /^([A-Za-z_]+)(?:\(([0-9a-fA-F-]{36})\))?$/.exec(segment);
  const rel = m && MANY_TO_MANY.find((r) => r.name === m[1]);
  if (!m || !rel) return undefined;
  const at = rel.sides.findIndex((s) => s.table === info.def.logicalName);
  const near = rel.sides[at];
  const far = rel.sides[1 - at];
  const farInfo = far && infoByLogicalName(far.table);
  if (!near || !far || !farInfo) return undefined;
  return { rel, near, far, farInfo, ...(m[2] ? { farId: m[2].toLowerCase() } : {}) };
}

/** The records related to `row`: a condition on the far table for the list handler. */
export function relatedScope(nav: ManyToManyNav, nearId: string): SqlFragment {
  return {
    sql: `${q(nav.farInfo.primaryId.name)} IN (SELECT ${q(nav.far.column)} FROM ${q(nav.rel.intersect)} WHERE ${q(nav.near.column)} = ?)`,
    params: [nearId],
  };
}

function demandBoth(ctx: RouteContext, near: TableInfo, nearRow: Row, far: TableInfo, farRow: Row): void {
  for (const [info, row] of [
    [near, nearRow],
    [far, farRow],
  ] as const) {
    demand(ctx.access, info, "Append", row);
    demand(ctx.access, info, "AppendTo", row);
  }
}

/** `…/<relationship>/$ref`: POST associates, DELETE disassociates. */
export function manyToManyReference(
  call: RouteCall,
  info: TableInfo,
  key: ResolvedKey,
  nav: ManyToManyNav,
): DvResponse {
  const { ctx, req, params } = call;
  const row = mustFind(ctx.store, info, key);
  const nearId = String(row[info.primaryId.name]);
  let ref: unknown;
  if (req.method === "POST") {
    if (nav.farId)
      throw badQuery(`POST to '${nav.rel.name}(…)/$ref' is not valid; POST to '${nav.rel.name}/$ref'.`);
    ref = parseJsonBody(req.body)["@odata.id"];
  } else if (req.method === "DELETE") {
    ref = nav.farId ? `${nav.farInfo.def.entitySetName}(${nav.farId})` : params.get("$id");
    if (ref === null) throw badQuery(`DELETE of '${nav.rel.name}/$ref' needs '?$id=<record URL>'.`);
  } else throw methodNotAllowed(req.method);
  const far = resolveReference(ctx, nav.far.table, ref, req.method === "POST" ? "@odata.id" : "$id");
  const farRow = ctx.store.getById(nav.farInfo, far.id);
  if (!farRow) throw badPayload(`'${String(ref)}' does not exist.`);
  demandBoth(ctx, info, row, nav.farInfo, farRow);
  const intersect = intersectInfo(nav.rel);
  const pair = ctx.store.getByColumns(intersect, [
    [nav.near.column, nearId],
    [nav.far.column, far.id],
  ]);
  if (req.method === "DELETE") {
    if (pair) ctx.store.delete(intersect, String(pair[intersect.primaryId.name]));
    return noContent();
  }
  if (pair) throw new DataverseHttpError(400, ERROR_CODES.duplicateRecord, "Cannot insert duplicate key.");
  ctx.store.insert(intersect, {
    [intersect.primaryId.name]: randomUUID(),
    [nav.near.column]: nearId,
    [nav.far.column]: far.id,
    versionnumber: ctx.store.nextVersion(),
  });
  return noContent();
}
