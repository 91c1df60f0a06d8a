import type { InsightConfig } from "../core/config";
import { Directory } from "../core/directory";
import { computeInsights, type InsightsResult } from "../core/insights";
import type { Interaction } from "../core/interaction";
import type { DataverseClient } from "../dataverse/client";
import { rowsOf } from "../dataverse/publish/allRows";
import { clientTransport } from "../dataverse/publish/clientTransport";
import { publish, type PublishReport } from "../dataverse/publish/publisher";
import { readCrm, type CrmRead } from "../dataverse/read/readCrm";
import { ingestDataverse } from "./ingestDataverse";
import type { IngestReport } from "./ingestReport";
import { StateBuilder } from "./pipeline";

export interface DataverseComputeOptions {
  config: InsightConfig;
  now: number;
  /** Mail already read (from Graph, an export or mbox): merged with the tracked activities. */
  mail?: {
    interactions: readonly Interaction[];
    participantsByFile: ReadonlyMap<string, ReadonlyMap<string, number>>;
  };
  onPhase?: (
    phase: "read CRM" | "read activities" | "compute" | "publish: read" | "publish: write",
    total?: number,
  ) => void;
  onProgress?: (done: number) => void;
}

export interface DataverseRun {
  crm: CrmRead;
  tracked: IngestReport;
  result: InsightsResult;
  published: PublishReport;
}

/**
 * The main job against an org: read the directory and the tracked activities from Dataverse, merge the
 * mail, compute every record's insights and every connection, and publish what changed.
 * Tracked activities are read first so that, for a message both tracked and in a mailbox, the tracked
 * copy (with its regarding record) is the one kept.
 */
export async function computeAndPublish(
  client: DataverseClient,
  options: DataverseComputeOptions,
): Promise<DataverseRun> {
  const { config, now } = options;
  options.onPhase?.("read CRM");
  const crm = await readCrm(client, config);
  const builder = new StateBuilder(config, crm.directory);
  options.onPhase?.("read activities");
  const tracked = await ingestDataverse(client, crm.addressOf, { config, now, sink: builder.add });
  if (options.mail) builder.add(options.mail.interactions);
  const built = builder.finish(options.mail?.participantsByFile ?? new Map());
  options.onPhase?.("compute");
  const result = computeInsights(built.state, built.scopes, now, { detail: "full" });
  const set = rowsOf(result, new Directory(crm.directory, config));
  const published = await publish(clientTransport(client), set, {
    linked: crm.linked,
    onPhase: (phase, total) =>
      options.onPhase?.(phase === "read" ? "publish: read" : "publish: write", total),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { crm, tracked, result, published };
}
