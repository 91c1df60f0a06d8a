import type { Envelope, Origin } from "../core/interaction";

/** Named problems a source reports for one bad item or file; each is counted, none stops the run. */
export type SourceIssueCode =
  | "fileNotFound"
  | "unreadableFile"
  | "truncatedGzip"
  | "corruptGzip"
  | "notMbox"
  | "malformedHeader"
  | "oversizedHeader"
  | "notRegularFile"
  | "invalidDate"
  | "invalidJson"
  | "notGraphPage"
  | "badItem"
  | "duplicateId";

export interface SourceIssue {
  code: SourceIssueCode;
  /** What was wrong, naming the field or header; never personal data (no addresses or subjects). */
  message: string;
  origin: Origin;
}

/** What a source yields: envelopes for good items, issues for bad ones, in reading order. */
export type SourceItem = { type: "envelope"; envelope: Envelope } | { type: "issue"; issue: SourceIssue };

/** Formats an origin as `file:line` or `file[index]` for messages. */
export function formatOrigin(origin: Origin): string {
  if (origin.line !== undefined) return `${origin.file}:${origin.line}`;
  if (origin.index !== undefined) return `${origin.file}[${origin.index}]`;
  return origin.file;
}
