import { createHash } from "node:crypto";

import type { MailboxRef, MessageEnvelope } from "../../../core/interaction";
import type { GraphItem } from "./collection";

/**
 * Graph JSON for the local server's items, in the shapes Graph returns (message, eventMessage, event),
 * made from messages as the mbox reader read them.
 */

/** A stable id in Graph's style (base64url of a hash), for the same input always the same. */
export function graphId(prefix: string, ...parts: (string | number)[]): string {
  return prefix + createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 40);
}

/** A GUID made from a hash (directory object ids are GUIDs). */
export function stableGuid(...parts: string[]): string {
  const h = createHash("sha1").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function recipient(m: MailboxRef): { emailAddress: { name: string; address: string } } {
  return { emailAddress: { name: m.name ?? m.address, address: m.address } };
}

/** Graph's DateTimeOffset: UTC with a Z. */
export const isoUtc = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

/** Graph's dateTimeTimeZone in UTC: seven fractional digits, no offset. */
export const dateTimeTimeZone = (ms: number): { dateTime: string; timeZone: string } => ({
  dateTime: `${new Date(ms).toISOString().slice(0, 23)}0000`,
  timeZone: "UTC",
});

/**
 * The Graph message for a mailbox's copy of a message. A meeting request (the sample's X-Meeting-When)
 * is an eventMessage with its start and end. The Sent Items copy carries no internetMessageHeaders, as
 * in Exchange; the sample has no conversation index, so conversationId is null.
 */
export function messageJson(env: MessageEnvelope, id: string, folder: "inbox" | "sentitems"): GraphItem {
  const sent = isoUtc(env.sentAt);
  const headers: { name: string; value: string }[] = [];
  if (env.automatedHeader) headers.push({ name: "Auto-Submitted", value: env.automatedHeader });
  if (env.autoReplyHeader) headers.push({ name: "X-Autoreply", value: env.autoReplyHeader });
  const item: GraphItem = {
    "@odata.type": env.meeting ? "#microsoft.graph.eventMessage" : "#microsoft.graph.message",
    "@odata.etag": `W/"${graphId("", id, "etag").slice(0, 24)}"`,
    id,
    createdDateTime: sent,
    lastModifiedDateTime: sent,
    receivedDateTime: sent,
    sentDateTime: sent,
    hasAttachments: false,
    internetMessageId: env.messageId ? `<${env.messageId}>` : null,
    subject: env.subject ?? null,
    importance: "normal",
    parentFolderId: graphId("AQMk", folder),
    conversationId: null,
    isRead: true,
    isDraft: false,
    sender: env.sender ? recipient(env.sender) : env.from ? recipient(env.from) : null,
    from: env.from ? recipient(env.from) : null,
    toRecipients: env.to.map(recipient),
    ccRecipients: env.cc.map(recipient),
    bccRecipients: env.bcc.map(recipient),
    replyTo: [],
    internetMessageHeaders: folder === "sentitems" ? null : headers,
  };
  if (env.meeting) {
    item.meetingMessageType = "meetingRequest";
    item.startDateTime = dateTimeTimeZone(env.meeting.start);
    item.endDateTime = dateTimeTimeZone(env.meeting.end);
    item.isAllDay = false;
  }
  return item;
}

/** The calendar event a meeting request put on a calendar (organizer = sender, To required, Cc optional). */
export function eventJson(
  env: MessageEnvelope,
  id: string,
  iCalUId: string,
  ownerAddresses: ReadonlySet<string>,
): GraphItem {
  const meeting = env.meeting as { start: number; end: number };
  const organizer = env.from ?? env.sender;
  const attendee = (type: "required" | "optional") => (m: MailboxRef) => ({
    type,
    status: { response: "none", time: "0001-01-01T00:00:00Z" },
    ...recipient(m),
  });
  return {
    "@odata.type": "#microsoft.graph.event",
    "@odata.etag": `W/"${graphId("", id, "etag").slice(0, 24)}"`,
    id,
    createdDateTime: isoUtc(env.sentAt),
    lastModifiedDateTime: isoUtc(env.sentAt),
    iCalUId,
    subject: env.subject ?? null,
    isAllDay: false,
    isCancelled: false,
    isOrganizer: organizer !== undefined && ownerAddresses.has(organizer.address.toLowerCase()),
    showAs: "busy",
    type: "singleInstance",
    seriesMasterId: null,
    start: dateTimeTimeZone(meeting.start),
    end: dateTimeTimeZone(meeting.end),
    organizer: organizer ? recipient(organizer) : null,
    attendees: [...env.to.map(attendee("required")), ...env.cc.map(attendee("optional"))],
  };
}
