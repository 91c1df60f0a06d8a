import type { Envelope, Origin } from "../../core/interaction";
import { dateTimeTimeZone, eventToEnvelope } from "../graphJson/graphEvent";
import { asObject, ItemProblem, messageToEnvelope, text } from "../graphJson/graphMessage";
import type { SourceIssue } from "../sourceItem";
import type { SyncFolder } from "./stateStore";

/** What one page item is for the store: an item to keep, a removal, or a counted problem. */
export type SyncItem =
  | { kind: "upsert"; id: string; envelope: Envelope }
  | { kind: "removal"; id: string }
  | { kind: "issue"; issue: SourceIssue };

/**
 * The meeting an eventMessage (a meeting request) announces, as the mbox reader takes it from the
 * request's "When" line; undefined for other messages or when the times are missing or unreadable.
 */
function meetingOf(item: Record<string, unknown>): { start: number; end: number } | undefined {
  if (!/eventmessage/i.test(text(item["@odata.type"]) ?? "")) return undefined;
  try {
    const start = dateTimeTimeZone(item.startDateTime, "startDateTime");
    const end = dateTimeTimeZone(item.endDateTime, "endDateTime");
    return Number.isFinite(start) && Number.isFinite(end) ? { start, end } : undefined;
  } catch (e) {
    if (e instanceof ItemProblem) return undefined;
    throw e;
  }
}

/** Maps one item of a delta page with the graphJson mappers (the same judgement as a Graph export). */
export function syncItem(folder: SyncFolder, value: unknown, origin: Origin): SyncItem {
  const result = folder === "calendar" ? eventToEnvelope(value, origin) : messageToEnvelope(value, origin);
  if ("issue" in result) return { kind: "issue", issue: result.issue };
  if ("removed" in result) return { kind: "removal", id: result.removed };
  const item = asObject(value) as Record<string, unknown>;
  const id = text(item.id);
  if (!id) return { kind: "issue", issue: { code: "badItem", message: "item has no id", origin } };
  const envelope = result.envelope;
  if (envelope.kind === "email") {
    const meeting = meetingOf(item);
    if (meeting) envelope.meeting = meeting;
  }
  return { kind: "upsert", id, envelope };
}
