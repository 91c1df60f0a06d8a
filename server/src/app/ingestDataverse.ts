import type { InsightConfig } from "../core/config";
import type { Interaction } from "../core/interaction";
import { Normaliser } from "../core/normalise";
import type { DataverseClient } from "../dataverse/client";
import type { AddressOf } from "../dataverse/read/activityEnvelopes";
import { readActivities } from "../dataverse/read/readActivities";
import { addCounts, emptyReport, type IngestReport } from "./ingestReport";

/**
 * Reads the activities tracked in Dataverse (emails, appointments, phone calls) into judged
 * interactions, through the same normaliser as mail, so exclusions, opt-outs, the date window and
 * de-duplication apply alike. Each keeps what only Dataverse knows: the activity id, its subject (shown
 * only to users who may read the activity) and the record it is regarding.
 */
export async function ingestDataverse(
  client: DataverseClient,
  addressOf: AddressOf,
  options: { config: InsightConfig; now: number; sink: (interactions: readonly Interaction[]) => void },
): Promise<IngestReport> {
  const report = emptyReport();
  const normaliser = new Normaliser(options.config, options.now);
  for await (const item of readActivities(client, addressOf)) {
    report.items++;
    if (item.kind === "phonecall" && item.cancelled) {
      report.skipped["cancelledCall"] = (report.skipped["cancelledCall"] ?? 0) + 1;
      continue;
    }
    if (item.kind === "email" && item.unsent) {
      // An introduction request drafted from who-knows-whom is not an interaction until it is sent.
      report.skipped["unsentEmail"] = (report.skipped["unsentEmail"] ?? 0) + 1;
      continue;
    }
    const r =
      item.kind === "appointment" ? normaliser.event(item.envelope) : normaliser.message(item.envelope);
    if (!r.ok) {
      report.skipped[r.reason] = (report.skipped[r.reason] ?? 0) + 1;
      continue;
    }
    const i: Interaction = { ...r.interaction, activityId: item.tracked.activityId };
    if (item.tracked.subject) i.subject = item.tracked.subject;
    if (item.tracked.regarding) i.regarding = item.tracked.regarding;
    if (item.kind === "phonecall") {
      // Read as a message from the caller to the called party; it is a call, with its own key.
      i.kind = "call";
      i.key = `dv:phonecall:${item.tracked.activityId.toLowerCase()}`;
      delete i.thread;
      delete i.isReply;
      if (item.durationMin !== undefined) i.durationMin = item.durationMin;
    }
    report.interactions++;
    options.sink([i]);
  }
  addCounts(report.dropped, normaliser.dropped);
  return report;
}
