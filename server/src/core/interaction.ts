/**
 * The one model every source is normalised into. Addresses are lower-case SMTP addresses; times are
 * epoch milliseconds (UTC). Bodies never enter Rapport; subjects only for activities tracked in Dataverse.
 */
export type InteractionKind = "email" | "meeting" | "call" | "task";

export const INTERACTION_KINDS: readonly InteractionKind[] = ["email", "meeting", "call", "task"];

export type SourceKind = "mbox" | "graph" | "dataverse";

/** A CRM record an activity is "regarding" in Dataverse. */
export interface RecordRef {
  type: RecordType;
  id: string;
}

export type RecordType = "contact" | "lead" | "account" | "opportunity";

export interface Interaction {
  /**
   * Content key: the same message from several folders, mailboxes or sources has one key (a fingerprint
   * of sender, time, recipients and subject for mail; the iCalUId and start for meetings).
   */
  key: string;
  /** The RFC 5322 Message-ID, a second de-duplication key where it identifies the message across copies. */
  messageId?: string;
  kind: InteractionKind;
  /** Sent time for email, start for meetings and calls. */
  at: number;
  /**
   * When the interaction became known, where that differs from `at`: a meeting request is sent (observed)
   * before the meeting takes place. A backtest "as of T" keeps what was observed before T.
   */
  observedAt?: number;
  /** Minutes for meetings and calls; absent for email (KPIs use the read/write estimates). */
  durationMin?: number;
  /** Sender, organiser or caller. */
  from: string;
  /** Recipients, required attendees, or the called party. */
  to: string[];
  /** Copied recipients or optional attendees. */
  cc: string[];
  bcc: string[];
  /** Invited attendees who declined: kept out of the meeting's participants. */
  declined?: string[];
  /** Number of recipients as sent (before any are dropped as unresolvable): mass mail is down-weighted by it. */
  recipientCount: number;
  /** Conversation key used to match replies: Graph conversationId, or a hash of the normalised subject. */
  thread?: string;
  /** The message presents itself as an answer (a "RE:" subject). */
  isReply?: boolean;
  /** Activity tracked in Dataverse and regarding a record: always counts for that record. */
  regarding?: RecordRef;
  /** Only for activities tracked in Dataverse, which users see subject to their own read access. */
  subject?: string;
  /** Dataverse activity id, when the interaction is a tracked activity. */
  activityId?: string;
  source: SourceKind;
}

/** A parsed mailbox as it appears in a header or a Graph `emailAddress`. */
export interface MailboxRef {
  name?: string;
  address: string;
}

/** Where an item came from, so an error can name it. Never holds personal data. */
export interface Origin {
  /** File path (or page file) the item was read from. */
  file: string;
  /** 1-based line of the item's first line in the file (mbox), when known. */
  line?: number;
  /** 0-based index in a Graph page's `value` array, when known. */
  index?: number;
}

/**
 * An e-mail as a source read it, before Rapport's judgement (automated senders, date window, identity).
 * Sources fill what their format has; core/normalise turns it into an Interaction or a counted skip.
 */
export interface MessageEnvelope {
  kind: "email";
  /** Message-ID / internetMessageId, without angle brackets. */
  messageId?: string;
  /** Whether messageId identifies the message across copies (Graph, most mail) or only this copy (the Enron sample). */
  messageIdIsPerCopy?: boolean;
  /** NaN when the date was missing or unreadable. */
  sentAt: number;
  from?: MailboxRef;
  sender?: MailboxRef;
  to: MailboxRef[];
  cc: MailboxRef[];
  bcc: MailboxRef[];
  subject?: string;
  conversationId?: string;
  /** Signals of machine-sent mail, from headers (Auto-Submitted, Precedence, List-Id, ...). */
  automatedHeader?: string;
  /** Signals of an auto-reply (Auto-Submitted: auto-replied, X-Autoreply, ...). */
  autoReplyHeader?: string;
  /** Outlook meeting request carried as mail: its start and end (epoch ms). */
  meeting?: { start: number; end: number };
  source: SourceKind;
  origin: Origin;
}

export type AttendeeType = "required" | "optional" | "resource";
export type ResponseStatus =
  "none" | "organizer" | "tentativelyAccepted" | "accepted" | "declined" | "notResponded";

export interface Attendee {
  mailbox: MailboxRef;
  type: AttendeeType;
  response: ResponseStatus;
}

/** A calendar event as a source read it. */
export interface EventEnvelope {
  kind: "meeting";
  id?: string;
  /** Shared by every copy of the event in every attendee's calendar: the de-duplication key. */
  iCalUId?: string;
  organizer?: MailboxRef;
  attendees: Attendee[];
  /** Epoch ms; NaN when unreadable. */
  start: number;
  end: number;
  isCancelled: boolean;
  isAllDay: boolean;
  type?: "singleInstance" | "occurrence" | "exception" | "seriesMaster";
  seriesMasterId?: string;
  subject?: string;
  source: SourceKind;
  origin: Origin;
}

export type Envelope = MessageEnvelope | EventEnvelope;
