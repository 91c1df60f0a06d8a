import type { InsightConfig } from "../../core/config";
import { Directory, type DirectoryData } from "../../core/directory";
import type { InsightsResult } from "../../core/insights";
import type { DataverseClient } from "../../dataverse/client";
import { rowsOf } from "../../dataverse/publish/allRows";
import { clientTransport } from "../../dataverse/publish/clientTransport";
import { publish } from "../../dataverse/publish/publisher";
import type { InsightSink } from "./scaleService";
import type { ScaleStore } from "./scaleStore";

/** Keeps the merged result as a blob of the run (tests, benchmarks, and a run without Dataverse). */
export class StoreSink implements InsightSink {
  constructor(private readonly store: ScaleStore) {}
  async publish(run: string, result: InsightsResult): Promise<number> {
    await this.store.putMerged(run, result);
    return 1;
  }
}

/**
 * Publishes to Dataverse with the same publisher as `rapport publish`: only changed rows, by alternate
 * key, in `$batch`es, honouring 429 Retry-After. One writer per run keeps the service inside Dataverse's
 * per-user limits (6,000 requests per 5 minutes), however many workers computed the partitions.
 */
export class DataverseSink implements InsightSink {
  constructor(
    private readonly client: DataverseClient,
    private readonly config: InsightConfig,
  ) {}
  async publish(_run: string, result: InsightsResult, directory: DirectoryData): Promise<number> {
    const rows = rowsOf(result, new Directory(directory, this.config));
    const report = await publish(clientTransport(this.client), rows, { linked: new Set() });
    return report.writes;
  }
}
