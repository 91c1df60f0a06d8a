import { and, type Filter, keySegment, odataFilter, or } from "../client";
import {
  choiceName,
  rp_connection,
  rp_relationshiphistory,
  rp_relationshipinsight,
  tableByLogicalName,
  type TableDef,
} from "../model";
import type { PublishSet } from "./allRows";
import type { DesiredRow } from "./desiredRow";
import { isGuid } from "./desiredRow";
import { type HeldRow, planRows, type RowPlan } from "./plan";
import type { PublishTransport, ReadQuery, WriteOp, WriteOutcome } from "./transport";
import { upsertBody } from "./writeBody";

/**
 * Aim partitions at this many rows, so that one page (Dataverse returns at most 5,000 rows a page)
 * holds each with room for growth, and a whole table reads in one `$batch` of partition queries.
 */
const PARTITION_TARGET = 3000;

export interface TableOutcome {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

export interface PublishFailure {
  table: string;
  operation: "upsert" | "delete" | "link";
  status: number;
  code?: string;
  message?: string;
}

export interface PublishReport {
  tables: Record<string, TableOutcome>;
  linked: number;
  failures: PublishFailure[];
  writes: number;
}

export interface PublishOptions {
  /** Records (by id) whose lookup to their insight row is already set: they are not patched again. */
  linked: ReadonlySet<string>;
  onPhase?: (phase: "read" | "write", total?: number) => void;
  onProgress?: (done: number) => void;
  /**
   * Publish one scale-out partition's rows only (rows carry `rp_partition`): read and remove only what
   * that partition holds, so partitions publish side by side without one process holding every row.
   */
  scope?: PublishScope;
  /**
   * Link only the records whose insight row is written now: one held unchanged had its record linked
   * when it was written. For scale-out partitions, which do not read every record's lookup first.
   */
  linkWrittenOnly?: boolean;
  /**
   * What the org holds of the rows to publish, by table, when the caller knows it (a scale-out partition's
   * list of what it last published): nothing is read. A held row without an id is deleted by its key.
   */
  held?: Readonly<Record<string, readonly HeldRow[]>>;
}

export interface PublishScope {
  partition: number;
  /** The run's partition count: partition 0 also sweeps rows of no partition or of a larger count. */
  partitions: number;
}

/** Hex prefixes splitting a table's keys (sha1 hex) into partitions of about PARTITION_TARGET rows. */
export function partitionsFor(expectedRows: number): string[] {
  if (expectedRows <= PARTITION_TARGET) return [""];
  const digits = Math.ceil(Math.log(expectedRows / PARTITION_TARGET) / Math.log(16));
  const n = 16 ** digits;
  return Array.from({ length: n }, (_, i) => i.toString(16).padStart(digits, "0"));
}

function heldQueries(table: TableDef, expectedRows: number, scope?: PublishScope): ReadQuery[] {
  const query = (filter?: Filter): ReadQuery => ({
    entitySet: table.entitySetName,
    select: [table.primaryIdColumn, "rp_key", "rp_contenthash"],
    ...(filter ? { filter } : {}),
  });
  const mine = scope ? odataFilter`rp_partition eq ${scope.partition}` : undefined;
  const queries = partitionsFor(expectedRows).map((prefix) => {
    const byKey = prefix ? odataFilter`startswith(rp_key,${prefix})` : undefined;
    return query(mine && byKey ? and(mine, byKey) : (mine ?? byKey));
  });
  // Rows no partition of this run owns: published by one process, or under a larger partition count.
  if (scope?.partition === 0)
    queries.push(
      query(or(odataFilter`rp_partition eq null`, odataFilter`rp_partition ge ${scope.partitions}`)),
    );
  return queries;
}

/** A table and the rows this run wants in it. */
type Part = [TableDef, readonly DesiredRow[]];

/** One write and what to count it as. */
interface PlannedWrite {
  op: WriteOp;
  table: string;
  operation: PublishFailure["operation"];
  created?: boolean;
}

/** Reads what the org holds of every table in one request and plans each table's rows against it. */
async function readPlans(
  transport: PublishTransport,
  parts: readonly Part[],
  options: PublishOptions,
): Promise<RowPlan[]> {
  const queries = parts.map(([table, rows]) =>
    heldQueries(table, Math.max(rows.length, 1) * 1.25, options.scope),
  );
  // One request reads every partition: a phase without steps to count.
  options.onPhase?.("read", undefined);
  const results = await transport.readMany(queries.flat());
  const plans: RowPlan[] = [];
  let at = 0;
  for (const [i, [table, rows]] of parts.entries()) {
    const held: HeldRow[] = [];
    for (let q = 0; q < queries[i]!.length; q++)
      for (const r of results[at++] ?? [])
        held.push({
          id: String(r[table.primaryIdColumn]),
          key: String(r["rp_key"]),
          hash: typeof r["rp_contenthash"] === "string" ? r["rp_contenthash"] : null,
          ...(typeof r["@odata.etag"] === "string" ? { etag: r["@odata.etag"] } : {}),
        });
    plans.push(planRows(rows, held));
  }
  return plans;
}

function upsertWrites(parts: readonly Part[], plans: readonly RowPlan[]): PlannedWrite[] {
  return parts.flatMap(([table], i) =>
    plans[i]!.upserts.map(({ row, exists }) => ({
      op: {
        method: "PATCH" as const,
        path: `${table.entitySetName}${keySegment({ rp_key: row.key })}`,
        body: upsertBody(row, exists),
      },
      table: table.logicalName,
      operation: "upsert" as const,
      created: !exists,
    })),
  );
}

/** The patch that links an insight's record to it, when the record is known and not linked yet. */
function linkWrite(row: DesiredRow, linked: ReadonlySet<string>): PlannedWrite | undefined {
  const type = row.values["rp_recordtype"];
  const id = row.values["rp_recordid"];
  if (typeof id !== "string" || !isGuid(id) || linked.has(id.toLowerCase())) return undefined;
  const recordTable = tableByLogicalName(
    choiceName("recordType", typeof type === "number" ? type : null) ?? "",
  );
  if (!recordTable) return undefined;
  return {
    op: {
      method: "PATCH",
      path: `${recordTable.entitySetName}${keySegment(id)}`,
      body: {
        "rp_RelationshipInsightId@odata.bind": `/${rp_relationshipinsight.entitySetName}${keySegment({ rp_key: row.key })}`,
      },
      // Only an existing record is linked: never create a contact from a link.
      headers: { "If-Match": "*" },
    },
    table: recordTable.logicalName,
    operation: "link",
  };
}

function linkWrites(set: PublishSet, insightPlan: RowPlan, options: PublishOptions): PlannedWrite[] {
  const writtenInsights = new Set(insightPlan.upserts.map((u) => u.row.key));
  const ops: PlannedWrite[] = [];
  for (const row of set.insights) {
    if (options.linkWrittenOnly && !writtenInsights.has(row.key)) continue;
    const op = linkWrite(row, options.linked);
    if (op) ops.push(op);
  }
  return ops;
}

/** Removals, the dependent tables first. */
function deleteWrites(
  parts: readonly Part[],
  plans: readonly RowPlan[],
  options: PublishOptions,
): PlannedWrite[] {
  const ops: PlannedWrite[] = [];
  for (const [i, [table]] of [...parts.entries()].reverse())
    for (const h of plans[i]!.deletes)
      ops.push({
        op: {
          method: "DELETE",
          path: `${table.entitySetName}${h.id ? keySegment(h.id) : keySegment({ rp_key: h.key })}`,
          // Scoped: the row is removed only as it was read. When another partition's publish has
          // rewritten it since (it belongs there now), the version differs and the row stays.
          ...(options.scope && h.etag ? { headers: { "If-Match": h.etag } } : {}),
        },
        table: table.logicalName,
        operation: "delete",
      });
  return ops;
}

/**
 * The writes in dependency order: insight rows first (history and record links bind to them by key),
 * then history and connections, then the records' links, then removals.
 */
function planWrites(
  parts: readonly Part[],
  plans: readonly RowPlan[],
  set: PublishSet,
  options: PublishOptions,
): PlannedWrite[] {
  return [
    ...upsertWrites(parts, plans),
    ...linkWrites(set, plans[0]!, options),
    ...deleteWrites(parts, plans, options),
  ];
}

/**
 * Whether a write reached its goal. A delete of a row that is already gone (404) did: a rerun after a
 * kill sees that. A scoped delete refused as changed (412) left a row another partition owns now: also.
 */
function reachedGoal(o: PlannedWrite, r: WriteOutcome | undefined, options: PublishOptions): boolean {
  if (r?.ok === true) return true;
  return (
    o.operation === "delete" && (r?.status === 404 || (options.scope !== undefined && r?.status === 412))
  );
}

function failureOf(o: PlannedWrite, r: WriteOutcome | undefined): PublishFailure {
  return {
    table: o.table,
    operation: o.operation,
    status: r?.status ?? 0,
    ...(r?.code ? { code: r.code } : {}),
    ...(r?.message ? { message: r.message } : {}),
  };
}

function countDone(t: TableOutcome | undefined, o: PlannedWrite): void {
  if (!t) return;
  if (o.operation === "delete") t.deleted++;
  else if (o.created) t.created++;
  else t.updated++;
}

/** Counts each table's outcomes and names the writes that failed. */
function tally(
  parts: readonly Part[],
  plans: readonly RowPlan[],
  ops: readonly PlannedWrite[],
  outcomes: readonly (WriteOutcome | undefined)[],
  options: PublishOptions,
): Omit<PublishReport, "writes"> {
  const tables: Record<string, TableOutcome> = {};
  for (const [i, [table]] of parts.entries())
    tables[table.logicalName] = {
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: plans[i]!.unchanged,
      failed: 0,
    };
  const failures: PublishFailure[] = [];
  let linked = 0;
  for (const [i, o] of ops.entries()) {
    const r = outcomes[i];
    const t = tables[o.table];
    if (!reachedGoal(o, r, options)) {
      failures.push(failureOf(o, r));
      if (t) t.failed++;
    } else if (o.operation === "link") linked++;
    else countDone(t, o);
  }
  return { tables, linked, failures };
}

/**
 * Publishes a computation: reads what the org holds (keys and content hashes, all tables in one
 * `$batch`), then writes only new and changed rows (upsert by alternate key), links records to their
 * insight row once, and removes rows no longer produced. Every write is an idempotent upsert or delete
 * by key, so a publish killed at any point and run again converges to the same rows.
 */
export async function publish(
  transport: PublishTransport,
  set: PublishSet,
  options: PublishOptions,
): Promise<PublishReport> {
  const parts: Part[] = [
    [rp_relationshipinsight, set.insights],
    [rp_relationshiphistory, set.history],
    [rp_connection, set.connections],
  ];
  const held = options.held;
  const plans = held
    ? parts.map(([table, rows]) => planRows(rows, held[table.logicalName] ?? []))
    : await readPlans(transport, parts, options);
  const ops = planWrites(parts, plans, set, options);
  options.onPhase?.("write", ops.length);
  const outcomes = ops.length
    ? await transport.write(
        ops.map((o) => o.op),
        options.onProgress,
      )
    : [];
  return { ...tally(parts, plans, ops, outcomes, options), writes: ops.length };
}
