import type { InsightConfig } from "../../core/config";
import type { DirectoryData } from "../../core/directory";
import type { Interaction } from "../../core/interaction";
import type { DataverseClient } from "../../dataverse/client";
import { addressesOf, readCrm } from "../../dataverse/read/readCrm";
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
  /** `crm`: the directory the run started with, which gives the parties' addresses (read again when absent). */
  read(config: InsightConfig, now: number, crm?: DirectoryData): Promise<MailboxRead>;
}

/**
 * Reads every tracked activity of the org with `rapport publish`'s own reader, judged by the same
 * normaliser as mail. A party that names a record without the address used gets the record's address from
 * the run's directory, read from Dataverse when the run started: the CRM is read once per run, and every
 * step sees the same one.
 */
export class DataverseTrackedSource implements TrackedSource {
  constructor(private readonly client: DataverseClient) {}

  async read(config: InsightConfig, now: number, crm?: DirectoryData): Promise<MailboxRead> {
    const addressOf = crm ? addressesOf(crm) : (await readCrm(this.client, config)).addressOf;
    const interactions: Interaction[] = [];
    const report = await ingestDataverse(this.client, addressOf, {
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
