import type { DirectoryData } from "../../core/directory";
import type { SnapshotInput } from "../../core/engine/snapshot";
import type { InsightsResult } from "../../core/insights";
import type { Interaction } from "../../core/interaction";
import type { OrgSettings } from "../../dataverse/read/settingsFromRow";

/** A scale-out run: one full pass of sync, recompute and publish over every opted-in mailbox. */
export interface RunManifest {
  run: string;
  /** The run's clock (epoch ms): every worker computes as of it, so retries give the same result. */
  now: number;
  partitions: number;
  mailboxes: string[];
  orgDomains: string[];
  /** Set when the CRM directory came with the run; otherwise it is derived from the mail once synced. */
  crm?: DirectoryData;
  /**
   * The org's settings row as the run started (weights, cadence, thresholds, exclusions, opt-outs,
   * features): kept with the run, so every step and every retry of it computes with the same settings.
   */
  settings?: OrgSettings;
  /**
   * The run's place in the chain of runs (the previous run's seq + 1; 1 for the first). Set when
   * partition state is kept between runs (incremental runs; see docs/scale-out.md).
   */
  seq?: number;
  /**
   * Set on an incremental run: the run it builds on (the latest run when it started). Its syncs store only
   * the mail that is new since each mailbox's last sync, and its recomputes add that to each partition's
   * kept state. Absent: a full run (every mailbox read whole, every partition built from nothing).
   */
  base?: string;
  /**
   * The seq of the full run the chain of incremental runs started from. A mailbox's cursor is used only
   * within its epoch: a mailbox listed again after a full run left it out is read whole.
   */
  epoch?: number;
}

/** Where a partition's kept state is: its snapshot blob, and what it absorbed (its input version). */
export interface StatePointer extends SnapshotInput {
  snapshot: string;
  /** The blob of the records and connections last computed from that state (see KeptResult), if any. */
  computed?: string;
}

/** What a mailbox's syncs have read so far (see MailboxSource.readNew), kept between runs. */
export interface MailboxCursor {
  /** The run of the sync that last moved the cursor, its seq, and the cursor before and after it. */
  run: string;
  seq: number;
  /** The epoch of that run (RunManifest.epoch). */
  epoch: number;
  before?: CursorPoint;
  after: CursorPoint;
}

/** The source's cursor and what deriving a directory needs, over every sync up to that point. */
export interface CursorPoint {
  cursor: string;
  participants: Record<string, number>;
  externals: string[];
}

/** What a mailbox's sync left: where its interactions went, and what deriving a directory needs. */
export interface MailboxSummary {
  mailbox: string;
  partitions: number[];
  interactions: number;
  /** How often each organisation address took part: the mailbox owner takes part in nearly all. */
  participants: Record<string, number>;
  /** External people in its relationship interactions (for a directory derived from the mail). */
  externals: string[];
}

/** What publishing one partition (or, summed, the whole run) wrote. */
export interface PublishedSummary {
  run: string;
  records: number;
  connections: number;
  written: number;
}

export interface PublishedPart extends PublishedSummary {
  partition: number;
  /** The version of the result published (see ScaleStore.resultVersion). */
  version: string;
}

/**
 * The scale-out state store: per-mailbox partial inputs partitioned by external party, each partition's
 * result, and the run's manifest and directory. Every write replaces a whole object by name, so a step
 * run twice leaves the same state (idempotent); readers list by prefix. Azure Blob Storage in the cloud.
 */
/** Where each mailbox's Graph sync state lives between syncs (a blob per mailbox in Azure). */
export interface MailboxStateBlobs {
  mailboxState(mailbox: string): Promise<Buffer | undefined>;
  putMailboxState(mailbox: string, data: Buffer): Promise<void>;
  /** Drops what was kept of a mailbox (its user opted out). */
  deleteMailboxState(mailbox: string): Promise<void>;
}

export interface ScaleStore extends MailboxStateBlobs {
  putManifest(m: RunManifest): Promise<boolean>;
  manifest(run: string): Promise<RunManifest | undefined>;
  latestRun(): Promise<string | undefined>;
  putPart(
    run: string,
    partition: number,
    mailbox: string,
    interactions: readonly Interaction[],
  ): Promise<void>;
  deletePart(run: string, partition: number, mailbox: string): Promise<void>;
  /** Every mailbox's interactions of a partition, mailboxes in name order. */
  readPartition(run: string, partition: number): Promise<Interaction[]>;
  putSummary(run: string, s: MailboxSummary): Promise<void>;
  summary(run: string, mailbox: string): Promise<MailboxSummary | undefined>;
  summaries(run: string): Promise<MailboxSummary[]>;
  /** How many mailboxes are synced (names listed, nothing downloaded). */
  summaryCount(run: string): Promise<number>;
  /**
   * Claims the planning of a run for the sync of one mailbox: true for the first claimer, and again for
   * that same mailbox's sync (its message retried); false for any other.
   */
  claimPlan(run: string, mailbox: string): Promise<boolean>;
  putDirectory(run: string, d: DirectoryData): Promise<void>;
  directory(run: string): Promise<DirectoryData | undefined>;
  /**
   * The version of a partition's inputs: a digest of its shares' names and blob versions (ETags).
   * Listing only: nothing is downloaded.
   */
  partitionVersion(run: string, partition: number): Promise<string>;
  /** Stores a partition's result with the version of the inputs it was computed from. */
  putResult(run: string, partition: number, r: InsightsResult, version: string): Promise<void>;
  result(run: string, partition: number): Promise<InsightsResult | undefined>;
  /** The input version the stored result was computed from; undefined when there is none. */
  resultVersion(run: string, partition: number): Promise<string | undefined>;
  /**
   * Every partition's result at once: for tests and small organisations only (a large organisation's
   * results do not fit one process; the service itself never calls this).
   */
  results(run: string): Promise<InsightsResult[]>;
  resultCount(run: string): Promise<number>;
  putPublishedPart(s: PublishedPart): Promise<void>;
  publishedPart(run: string, partition: number): Promise<PublishedPart | undefined>;
  publishedParts(run: string): Promise<PublishedPart[]>;
  publishedPartCount(run: string): Promise<number>;
  /** Written once every partition is published: the run's totals. */
  putPublished(s: PublishedSummary): Promise<void>;
  published(run: string): Promise<PublishedSummary | undefined>;
  /**
   * The rows a partition would publish (the store sink: no Dataverse configured), as chunks of NDJSON
   * (a chunk a blob: a large partition's rows would make one blob too large to build or upload at once).
   */
  putRows(run: string, partition: number, chunks: readonly string[]): Promise<void>;
  rows(run: string, partition: number): Promise<string[]>;
  /** What a run published of a partition (publishList.ts's text), written once that publish succeeded. */
  putPublishList(run: string, partition: number, text: string): Promise<void>;
  publishList(run: string, partition: number): Promise<string | undefined>;

  /** A partition's kept state (incremental runs): its pointer and the pointer's ETag, if any. */
  partitionState(
    partitions: number,
    partition: number,
  ): Promise<{ pointer: StatePointer; etag: string } | undefined>;
  /** Writes a snapshot (encodeSnapshot's text) under a new name; returns the name. */
  putSnapshot(partitions: number, partition: number, id: string, text: string): Promise<string>;
  readSnapshot(name: string): Promise<string>;
  deleteSnapshot(name: string): Promise<void>;
  /**
   * Points a partition's state at a new snapshot, only if the pointer is still the one read (its ETag;
   * undefined: only if there is none). False when another writer moved it first: nothing changed.
   */
  switchState(partitions: number, partition: number, pointer: StatePointer, etag?: string): Promise<boolean>;
  mailboxCursor(mailbox: string): Promise<{ cursor: MailboxCursor; etag: string } | undefined>;
  /** Writes a mailbox's cursor, only if it is still the one read (as switchState). */
  putMailboxCursor(mailbox: string, cursor: MailboxCursor, etag?: string): Promise<boolean>;
}
