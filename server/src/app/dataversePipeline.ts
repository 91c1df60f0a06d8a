import type { InsightConfig } from "../core/config";
import { Directory } from "../core/directory";
import { applyExclusions } from "../core/exclusions";
import { computeInsights, type InsightsResult } from "../core/insights";
import type { Interaction } from "../core/interaction";
import type { DataverseClient } from "../dataverse/client";
import { rowsOf } from "../dataverse/publish/allRows";
import { clientTransport } from "../dataverse/publish/clientTransport";
import { publish, type PublishReport } from "../dataverse/publish/publisher";
import { readOrgSettings } from "../dataverse/read/orgSettings";
import { type CrmRead, readCrm } from "../dataverse/read/readCrm";
import type { OrgSettings } from "../dataverse/read/settingsFromRow";
import { ingestDataverse } from "./ingestDataverse";
import type { IngestReport } from "./ingestReport";
import { interactionsOfPerson } from "./introductions/evidence";
import { followIntroductions, type IntroductionsReport } from "./introductions/followIntroductions";
import { featuredRows, runConfig, withFeatures, withOptedOut } from "./orgPolicy";
import { StateBuilder } from "./pipeline";

export interface DataverseComputeOptions {
  config: InsightConfig;
  now: number;
  /** Mail already read (from Graph, an export or mbox): merged with the tracked activities. */
  mail?: {
    interactions: readonly Interaction[];
    participantsByFile: ReadonlyMap<string, ReadonlyMap<string, number>>;
    /** Mail observed at or after `now`: not in the insights, only evidence of introductions' outcomes. */
    later?: readonly Interaction[];
  };
  /** The instant introductions are followed at (default `now`; the demo's insights are as of an older date). */
  followedAt?: number;
  onPhase?: (
    phase: "read CRM" | "read activities" | "compute" | "publish: read" | "publish: write",
    total?: number,
  ) => void;
  onProgress?: (done: number) => void;
}

export interface DataverseRun {
  /** The configuration the run used: the host's, with the org's rp_settings over it. */
  config: Readonly<InsightConfig>;
  settings: OrgSettings;
  crm: CrmRead;
  tracked: IngestReport;
  result: InsightsResult;
  published: PublishReport;
  introductions: IntroductionsReport;
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
  const { now } = options;
  options.onPhase?.("read CRM");
  const settings = await readOrgSettings(client);
  const config = runConfig(options.config, settings);
  const crm = await readCrm(client, config);
  // Colleagues who opted out: their mail is not read and they are never shown as introducers.
  crm.directory = withOptedOut(crm.directory, settings.optedOutUsers);
  const builder = new StateBuilder(config, crm.directory);
  options.onPhase?.("read activities");
  const tracked = await ingestDataverse(client, crm.addressOf, { config, now, sink: builder.add });
  // Microsoft 365 data off: the mail passed in is not used at all, only the tracked activities.
  const mail = settings.features.m365 ? options.mail : undefined;
  // Mail read earlier was judged by the exclusions of that time; the org's may have grown since.
  if (mail)
    builder.add(
      mail.interactions
        .map((i) => applyExclusions(i, config))
        .filter((i): i is Interaction => i !== undefined),
    );
  const built = builder.finish(mail?.participantsByFile ?? new Map());
  options.onPhase?.("compute");
  const result = withFeatures(
    computeInsights(built.state, built.scopes, now, { detail: "full", similarDeals: true }),
    settings.features,
  );
  const all = rowsOf(result, new Directory(crm.directory, config));
  // A feature turned off publishes no rows: the publisher then removes the ones it published before.
  const set = featuredRows(all, settings.features);
  const published = await publish(clientTransport(client), set, {
    linked: crm.linked,
    onPhase: (phase, total) =>
      options.onPhase?.(phase === "read" ? "publish: read" : "publish: write", total),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  // Introductions: followed to their outcome from the same mail and CRM, and each colleague's open requests.
  const introductions = await followIntroductions(client, {
    directory: crm.directory,
    interactionsOf: interactionsOfPerson(built.state, mail?.later),
    now: options.followedAt ?? now,
  });
  return { config, settings, crm, tracked, result, published, introductions };
}
