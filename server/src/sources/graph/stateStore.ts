import type { Envelope } from "../../core/interaction";

/**
 * The sync's durable state, behind a small port so that SQLite (local) and Azure storage (later) are
 * interchangeable: each mailbox's items per folder, and each folder's link (next or delta). A page's
 * items and the link after it are committed together, so a sync stopped anywhere resumes from the last
 * committed page and reaches the same state.
 */

/** The tracked collections of a mailbox. */
export const SYNC_FOLDERS = ["inbox", "sentitems", "calendar"] as const;
export type SyncFolder = (typeof SYNC_FOLDERS)[number];

export interface FolderState {
  /** The link to follow next: a nextLink mid-round, a deltaLink between rounds; none before the first. */
  link?: string;
  /** Raised by each clean resync; items not seen again in the resync's round are dropped at its end. */
  generation: number;
  resyncing: boolean;
}

export interface PageCommit {
  upserts: readonly { id: string; envelope: Envelope }[];
  /** Ids reported `@removed`. */
  removals: readonly string[];
  link: string;
  /** The page carried the deltaLink: the round is complete. */
  complete: boolean;
}

export interface StoredItem {
  folder: SyncFolder;
  id: string;
  envelope: Envelope;
}

export interface SubscriptionRecord {
  id: string;
  mailbox: string;
  resource: string;
  expiresAt: number;
}

export interface StateStore {
  folder(mailbox: string, folder: SyncFolder): FolderState;
  /** Stores a page's items and its link in one transaction. */
  commitPage(mailbox: string, folder: SyncFolder, commit: PageCommit): void;
  /** Starts a clean resync of a folder (its delta expired): link cleared, generation raised. */
  restartFolder(mailbox: string, folder: SyncFolder): void;
  /** Drops everything of a mailbox (an opted-out user); returns the items removed. */
  forgetMailbox(mailbox: string): number;
  mailboxes(): string[];
  items(mailbox: string): IterableIterator<StoredItem>;
  subscriptions(): SubscriptionRecord[];
  saveSubscription(record: SubscriptionRecord): void;
  deleteSubscription(id: string): void;
  close(): void;
}
