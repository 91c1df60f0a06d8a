import type { InsightConfig } from "../../core/config";
import { Directory, type DirectoryData } from "../../core/directory";
import type { InsightsResult } from "../../core/insights";
import type { DataverseClient } from "../../dataverse/client";
import { type PublishSet, rowsOf } from "../../dataverse/publish/allRows";
import { clientTransport } from "../../dataverse/publish/clientTransport";
import type { DesiredRow } from "../../dataverse/publish/desiredRow";
import { inPartition } from "../../dataverse/publish/partitionRows";
import { planRows } from "../../dataverse/publish/plan";
import { publish } from "../../dataverse/publish/publisher";
import { ALL_FEATURES, type Features } from "../../dataverse/read/settingsFromRow";
import { featuredRows } from "../orgPolicy";
import type { InsightSink, PartitionOutput } from "./scaleService";
import type { ScaleStore } from "./scaleStore";

/**
 * The rows one partition publishes: its records' insight, history and company rows, and its people's
 * connections; without the insight and history rows when the org turned relationship analytics off.
 */
export function partitionRowSet(
  result: InsightsResult,
  directory: DirectoryData,
  config: InsightConfig,
  partition: number,
  features: Features = ALL_FEATURES,
): PublishSet {
  return featuredRows(inPartition(rowsOf(result, new Directory(directory, config)), partition), features);
}

/** Rows per stored chunk: a few MB of NDJSON. */
const ROWS_PER_CHUNK = 20_000;

/** The rows an output publishes: those the service built, or built here from its result. */
function rowSetOf(output: PartitionOutput, config: InsightConfig): PublishSet {
  const { rows, result, directory, policy, partition } = output;
  return rows ?? partitionRowSet(result, directory, policy?.config ?? config, partition, policy?.features);
}

/** A stored row line: its table, key, content hash and values. */
const rowLine = (r: DesiredRow): string =>
  JSON.stringify({ table: r.table.logicalName, key: r.key, hash: r.hash, values: r.values });

/**
 * Without Dataverse (tests, benchmarks): the rows a partition would publish, built as for Dataverse and
 * kept as a blob of the run (table, key, content hash and values, one row a line). Given what the org
 * holds of them (`held`, from the partition's publish list), the blob holds what Dataverse would be
 * written, as a change to the base run's rows: a `{"base"}` line, the rows new or changed, and a
 * `{"table","key","delete":true}` line per row removed (storedRows reads a run's rows whole).
 */
export class StoreSink implements InsightSink {
  constructor(
    private readonly store: ScaleStore,
    private readonly config: InsightConfig,
  ) {}
  async publishPartition(output: PartitionOutput): Promise<number> {
    const { run, partition, held, base } = output;
    const set = rowSetOf(output, this.config);
    const parts = [set.insights, set.history, set.connections];
    let lines: string[];
    let written: number;
    if (held && base) {
      lines = [JSON.stringify({ base })];
      written = 0;
      for (const rows of parts) {
        const table = rows[0]?.table.logicalName;
        const plan = planRows(rows, (table && held[table]) || []);
        for (const u of plan.upserts) lines.push(rowLine(u.row));
        written += plan.upserts.length;
      }
      // Rows gone: held, in no table's rows (a table without rows now has its held rows all gone).
      const keys = new Set(parts.flatMap((rows) => rows.map((r) => r.key)));
      for (const [table, rows] of Object.entries(held))
        for (const h of rows)
          if (!keys.has(h.key)) {
            lines.push(JSON.stringify({ table, key: h.key, delete: true }));
            written++;
          }
    } else {
      lines = parts.flat().map(rowLine);
      written = lines.length;
    }
    const chunks: string[] = [];
    for (let at = 0; at < lines.length; at += ROWS_PER_CHUNK)
      chunks.push(lines.slice(at, at + ROWS_PER_CHUNK).join("\n"));
    await this.store.putRows(run, partition, chunks);
    return written;
  }
}

/** A row line's table and key (a row or a delete line: both start with them). */
function lineKey(line: string): string {
  const m = /^\{"table":"([^"]+)","key":"([^"]+)"/.exec(line);
  if (!m) throw new Error("a partition's row line does not start with its table and key");
  return `${m[1]}\t${m[2]}`;
}

/**
 * A run's rows of a partition as StoreSink stored them, whole: a change to a base run applied to that
 * run's rows (read the same way). Sorted by table and key: the rows are a set, as in Dataverse.
 */
export async function storedRows(store: ScaleStore, run: string, partition: number): Promise<string[]> {
  const lines = (await store.rows(run, partition)).join("\n").split("\n").filter(Boolean);
  const rows = new Map<string, string>();
  if (lines[0]?.startsWith('{"base":')) {
    const { base } = JSON.parse(lines.shift()!) as { base: string };
    for (const line of await storedRows(store, base, partition)) rows.set(lineKey(line), line);
  }
  for (const line of lines)
    if (line.endsWith(',"delete":true}')) rows.delete(lineKey(line));
    else rows.set(lineKey(line), line);
  return [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, line]) => line);
}

/**
 * Publishes a partition to Dataverse with the same publisher as `rapport publish`, scoped to the rows
 * of that partition (`rp_partition`): only changed rows, by alternate key, in `$batch`es, honouring 429
 * Retry-After. Partitions publish in parallel, each holding only its own rows in memory. Given what the
 * org holds of the rows (`held`, from the partition's publish list), nothing is read back first.
 */
export class DataverseSink implements InsightSink {
  constructor(
    private readonly client: DataverseClient,
    private readonly config: InsightConfig,
  ) {}
  async publishPartition(output: PartitionOutput): Promise<number> {
    const { partition, partitions, held } = output;
    const report = await publish(clientTransport(this.client), rowSetOf(output, this.config), {
      linked: new Set(),
      linkWrittenOnly: true,
      scope: { partition, partitions },
      ...(held ? { held } : {}),
    });
    if (report.failures.length)
      throw new Error(
        `partition ${partition}: ${report.failures.length} Dataverse writes failed (first: ${report.failures[0]!.table} ${report.failures[0]!.operation} ${report.failures[0]!.status})`,
      );
    return report.writes;
  }
}
