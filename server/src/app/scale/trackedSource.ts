import type { InsightConfig } from "../../core/config";
import type { Interaction } from "../../core/interaction";
import type { DataverseClient } from "../../dataverse/client";
import { readCrm } from "../../dataverse/read/readCrm";
import { ingestDataverse } from "../ingestDataverse";
import type { MailboxRead } from "./mailboxSource";

/**
 * The name the activities tracked in Dataverse go by in a run: one more share of each partition, synced by
 * a sync message of its own. It sorts before every mailbox name (Graph user ids, file names), so a
 * partition reads the tracked copies first, as `rapport publish` adds them first.
 */
export const TRACKED_SHARE = "!dataverse";

/** The port the sync reads the tracked activities through (emails, appointments, phone calls). */
export interface TrackedSource {
  read(config: InsightConfig, now: number): Promise<MailboxRead>;
}

/**
 * Reads every tracked activity of the org with `rapport publish`'s own reader: the CRM first (the
 * addresses of the activities' party records), then the activities, judged by the same normaliser as mail.
 */
export class DataverseTrackedSource implements TrackedSource {
  constructor(private readonly client: DataverseClient) {}

  async read(config: InsightConfig, now: number): Promise<MailboxRead> {
    const crm = await readCrm(this.client, config);
    const interactions: Interaction[] = [];
    const report = await ingestDataverse(this.client, crm.addressOf, {
      config,
      now,
      sink: (list) => {
        for (const i of list) interactions.push(i);
      },
    });
    return {
      interactions,
      // Only for finding mailbox owners without a CRM; tracked activities come with one.
      participants: new Map(),
      items: report.items,
      skipped: report.items - report.interactions,
    };
  }
}
