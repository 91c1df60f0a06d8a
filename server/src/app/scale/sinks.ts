import type { InsightConfig } from "../../core/config";
import { Directory, type DirectoryData } from "../../core/directory";
import type { InsightsResult } from "../../core/insights";
import type { DataverseClient } from "../../dataverse/client";
import { type PublishSet, rowsOf } from "../../dataverse/publish/allRows";
import { clientTransport } from "../../dataverse/publish/clientTransport";
import { inPartition } from "../../dataverse/publish/partitionRows";
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

/**
 * Without Dataverse (tests, benchmarks): the rows a partition would publish, built as for Dataverse and
 * kept as a blob of the run (table, key, content hash and values, one row a line).
 */
export class StoreSink implements InsightSink {
  constructor(
    private readonly store: ScaleStore,
    private readonly config: InsightConfig,
  ) {}
  async publishPartition({ run, partition, result, directory, policy }: PartitionOutput): Promise<number> {
    const set = partitionRowSet(
      result,
      directory,
      policy?.config ?? this.config,
      partition,
      policy?.features,
    );
    const rows = [...set.insights, ...set.history, ...set.connections];
    const chunks: string[] = [];
    for (let at = 0; at < rows.length; at += ROWS_PER_CHUNK)
      chunks.push(
        rows
          .slice(at, at + ROWS_PER_CHUNK)
          .map((r) =>
            JSON.stringify({ table: r.table.logicalName, key: r.key, hash: r.hash, values: r.values }),
          )
          .join("\n"),
      );
    await this.store.putRows(run, partition, chunks);
    return rows.length;
  }
}

/**
 * Publishes a partition to Dataverse with the same publisher as `rapport publish`, scoped to the rows
 * of that partition (`rp_partition`): only changed rows, by alternate key, in `$batch`es, honouring 429
 * Retry-After. Partitions publish in parallel, each holding only its own rows in memory.
 */
export class DataverseSink implements InsightSink {
  constructor(
    private readonly client: DataverseClient,
    private readonly config: InsightConfig,
  ) {}
  async publishPartition({
    partition,
    partitions,
    result,
    directory,
    policy,
  }: PartitionOutput): Promise<number> {
    const rows = partitionRowSet(
      result,
      directory,
      policy?.config ?? this.config,
      partition,
      policy?.features,
    );
    const report = await publish(clientTransport(this.client), rows, {
      linked: new Set(),
      linkWrittenOnly: true,
      scope: { partition, partitions },
    });
    if (report.failures.length)
      throw new Error(
        `partition ${partition}: ${report.failures.length} Dataverse writes failed (first: ${report.failures[0]!.table} ${report.failures[0]!.operation} ${report.failures[0]!.status})`,
      );
    return report.writes;
  }
}
