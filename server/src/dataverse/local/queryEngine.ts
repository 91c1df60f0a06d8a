import { badQuery } from "./errors";
import type { SqlFragment } from "./filterToSql";
import type { OrderTerm, QueryPlan } from "./queryOptions";
import type { SqlStore } from "./sqlStore";
import { q, type TableInfo } from "./tableInfo";
import type { Row, SqlValue } from "./values";

/**
 * Runs a query plan against the store. Pages are keyset pages: rows are ordered by the requested
 * `$orderby` then by the primary id, and the skip token carries the last row's sort values, so the next
 * page starts exactly after it even when rows were added or removed meanwhile.
 */

/** Dataverse never returns more than this many rows per page, nor counts beyond it. */
export const MAX_PAGE_SIZE = 5000;

export interface SkipToken {
  values: SqlValue[];
  id: string;
}

export interface PageRequest {
  size: number;
  after?: SkipToken;
  /** FetchXML paging (page and count) is by position. */
  offset?: number;
}

export interface QueryResult {
  rows: Row[];
  /** Set when more rows follow: where the next page starts. */
  next?: SkipToken;
  more: boolean;
}

export function encodeSkipToken(token: SkipToken): string {
  return Buffer.from(JSON.stringify([token.values, token.id]), "utf8").toString("base64url");
}

export function decodeSkipToken(text: string, terms: number): SkipToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      Array.isArray(parsed[0]) &&
      parsed[0].length === terms &&
      typeof parsed[1] === "string" &&
      (parsed[0] as unknown[]).every((v) => v === null || typeof v === "string" || typeof v === "number")
    )
      return { values: parsed[0] as SqlValue[], id: parsed[1] };
  } catch (err) {
    throw badQuery(`Invalid $skiptoken: ${(err as Error).message}`);
  }
  throw badQuery("Invalid $skiptoken: it does not belong to this query.");
}

const direction = (t: OrderTerm) => (t.desc ? "DESC" : "ASC");

export function orderBySql(info: TableInfo, terms: readonly OrderTerm[]): string {
  return [...terms.map((t) => `${q(t.column.name)} ${direction(t)}`), `${q(info.primaryId.name)} ASC`].join(
    ", ",
  );
}

/** Rows strictly after `token` in the order (NULLs sort first ascending, last descending, as on SQL Server). */
function afterSql(info: TableInfo, terms: readonly OrderTerm[], token: SkipToken): SqlFragment {
  const alternatives: string[] = [];
  const params: SqlValue[] = [];
  const prefix: string[] = [];
  const prefixParams: SqlValue[] = [];
  terms.forEach((t, i) => {
    const col = q(t.column.name);
    const v = token.values[i] ?? null;
    let after: string;
    const own: SqlValue[] = [];
    if (!t.desc) {
      after = v === null ? `${col} IS NOT NULL` : `${col} > ?`;
      if (v !== null) own.push(v);
    } else {
      after = v === null ? "0" : `(${col} < ? OR ${col} IS NULL)`;
      if (v !== null) own.push(v);
    }
    alternatives.push([...prefix, after].join(" AND "));
    params.push(...prefixParams, ...own);
    prefix.push(`${col} IS ?`);
    prefixParams.push(v);
  });
  alternatives.push([...prefix, `${q(info.primaryId.name)} > ?`].join(" AND "));
  params.push(...prefixParams, token.id);
  return { sql: alternatives.map((a) => `(${a})`).join(" OR "), params };
}

export function runQuery(store: SqlStore, plan: QueryPlan, page: PageRequest): QueryResult {
  const { info } = plan;
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (plan.where) {
    where.push(`(${plan.where.sql})`);
    params.push(...plan.where.params);
  }
  if (page.after) {
    const after = afterSql(info, plan.orderBy, page.after);
    where.push(`(${after.sql})`);
    params.push(...after.params);
  }
  const sql =
    `SELECT * FROM ${q(info.def.logicalName)}` +
    (where.length ? ` WHERE ${where.join(" AND ")}` : "") +
    ` ORDER BY ${orderBySql(info, plan.orderBy)} LIMIT ? OFFSET ?`;
  const rows = store.all(sql, [...params, page.size + 1, page.offset ?? 0]);
  const more = rows.length > page.size;
  if (!more) return { rows, more };
  rows.length = page.size;
  const last = rows[rows.length - 1] as Row;
  return {
    rows,
    more,
    next: {
      values: plan.orderBy.map((t) => last[t.column.name] ?? null),
      id: String(last[info.primaryId.name]),
    },
  };
}

/** `@odata.count` and `/$count`: the matching rows, at most 5,000 as on Dataverse. */
export function countRows(store: SqlStore, info: TableInfo, where?: SqlFragment): number {
  const row = store.get(
    `SELECT count(*) AS n FROM (SELECT 1 FROM ${q(info.def.logicalName)}${where ? ` WHERE ${where.sql}` : ""} LIMIT ${MAX_PAGE_SIZE})`,
    where?.params ?? [],
  );
  return Number(row?.n ?? 0);
}
