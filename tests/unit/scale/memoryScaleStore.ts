import { createHash } from "node:crypto";

import type {
  MailboxCursor,
  MailboxSummary,
  PublishedPart,
  PublishedSummary,
  RunManifest,
  ScaleStore,
  StatePointer,
} from "../../../server/src/app/scale/scaleStore";
import type { DirectoryData } from "../../../server/src/core/directory";
import { decodeShare, encodeShare } from "../../../server/src/core/engine/snapshot";
import type { InsightsResult } from "../../../server/src/core/insights";
import type { Interaction } from "../../../server/src/core/interaction";

/**
 * ScaleStore in memory, for fast tests of the service's logic: every object is stored as JSON text with
 * an ETag that changes on each write (as Blob Storage's does), and conditional writes behave as its do.
 * `fail` lets a test make one named write throw once (a worker dying there).
 */
export class MemoryScaleStore implements ScaleStore {
  readonly blobs = new Map<string, { text: string; etag: string; meta?: string }>();
  private writes = 0;
  /** Write operations to fail, by name (the method's name): each entry fails once, then is removed. */
  readonly fail = new Set<string>();

  private put(name: string, text: string, meta?: string): void {
    this.blobs.set(name, { text, etag: `"${++this.writes}"`, ...(meta !== undefined ? { meta } : {}) });
  }
  private get<T>(name: string): T | undefined {
    const b = this.blobs.get(name);
    return b ? (JSON.parse(b.text) as T) : undefined;
  }
  private list(prefix: string): string[] {
    return [...this.blobs.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
  private crash(op: string): void {
    if (this.fail.delete(op)) throw new Error(`injected failure: ${op}`);
  }

  async putManifest(m: RunManifest): Promise<boolean> {
    if (this.blobs.has(`runs/${m.run}/manifest`)) return false;
    this.put(`runs/${m.run}/manifest`, JSON.stringify(m));
    this.put("latest", JSON.stringify(m.run));
    return true;
  }
  manifest = async (run: string): Promise<RunManifest | undefined> => this.get(`runs/${run}/manifest`);
  latestRun = async (): Promise<string | undefined> => this.get("latest");
  async putPart(run: string, p: number, mailbox: string, list: readonly Interaction[]): Promise<void> {
    this.crash("putPart");
    // Encoded as the blob store encodes shares, so the tests over this store cover the codec.
    this.put(`runs/${run}/parts/${String(p).padStart(4, "0")}/${mailbox}`, encodeShare(list));
  }
  async deletePart(run: string, p: number, mailbox: string): Promise<void> {
    this.blobs.delete(`runs/${run}/parts/${String(p).padStart(4, "0")}/${mailbox}`);
  }
  async readPartition(run: string, p: number): Promise<Interaction[]> {
    return this.list(`runs/${run}/parts/${String(p).padStart(4, "0")}/`).flatMap((k) =>
      decodeShare(this.blobs.get(k)?.text ?? ""),
    );
  }
  putSummary = async (run: string, s: MailboxSummary): Promise<void> =>
    this.put(`runs/${run}/mailboxes/${s.mailbox}`, JSON.stringify(s));
  summary = async (run: string, mailbox: string): Promise<MailboxSummary | undefined> =>
    this.get(`runs/${run}/mailboxes/${mailbox}`);
  summaries = async (run: string): Promise<MailboxSummary[]> =>
    this.list(`runs/${run}/mailboxes/`).map((k) => this.get<MailboxSummary>(k)!);
  summaryCount = async (run: string): Promise<number> => this.list(`runs/${run}/mailboxes/`).length;
  async claimPlan(run: string, mailbox: string): Promise<boolean> {
    const claimed = this.get<string>(`runs/${run}/plan`);
    if (claimed === undefined) this.put(`runs/${run}/plan`, JSON.stringify(mailbox));
    return claimed === undefined || claimed === mailbox;
  }
  putDirectory = async (run: string, d: DirectoryData): Promise<void> =>
    this.put(`runs/${run}/directory`, JSON.stringify(d));
  directory = async (run: string): Promise<DirectoryData | undefined> => this.get(`runs/${run}/directory`);
  async partitionVersion(run: string, p: number): Promise<string> {
    const h = createHash("sha1");
    for (const k of this.list(`runs/${run}/parts/${String(p).padStart(4, "0")}/`))
      h.update(`${k} ${this.blobs.get(k)!.etag}\n`);
    return h.digest("hex");
  }
  async putResult(run: string, p: number, r: InsightsResult, version: string): Promise<void> {
    this.crash("putResult");
    this.put(`runs/${run}/results/${p}`, JSON.stringify(r), version);
  }
  result = async (run: string, p: number): Promise<InsightsResult | undefined> =>
    this.get(`runs/${run}/results/${p}`);
  resultVersion = async (run: string, p: number): Promise<string | undefined> =>
    this.blobs.get(`runs/${run}/results/${p}`)?.meta;
  results = async (run: string): Promise<InsightsResult[]> =>
    this.list(`runs/${run}/results/`).map((k) => this.get<InsightsResult>(k)!);
  resultCount = async (run: string): Promise<number> => this.list(`runs/${run}/results/`).length;
  putPublishedPart = async (s: PublishedPart): Promise<void> => {
    this.crash("putPublishedPart");
    this.put(`runs/${s.run}/published/${String(s.partition).padStart(4, "0")}`, JSON.stringify(s));
  };
  publishedPart = async (run: string, p: number): Promise<PublishedPart | undefined> =>
    this.get(`runs/${run}/published/${String(p).padStart(4, "0")}`);
  publishedParts = async (run: string): Promise<PublishedPart[]> =>
    this.list(`runs/${run}/published/`).map((k) => this.get<PublishedPart>(k)!);
  publishedPartCount = async (run: string): Promise<number> => this.list(`runs/${run}/published/`).length;
  putPublished = async (s: PublishedSummary): Promise<void> =>
    this.put(`runs/${s.run}/published.json`, JSON.stringify(s));
  published = async (run: string): Promise<PublishedSummary | undefined> =>
    this.get(`runs/${run}/published.json`);
  putRows = async (run: string, p: number, chunks: readonly string[]): Promise<void> => {
    this.crash("putRows");
    this.put(`runs/${run}/rows/${p}`, JSON.stringify(chunks));
  };
  rows = async (run: string, p: number): Promise<string[]> => this.get(`runs/${run}/rows/${p}`) ?? [];
  putPublishList = async (run: string, p: number, text: string): Promise<void> => {
    this.crash("putPublishList");
    this.put(`runs/${run}/lists/${p}`, text);
  };
  publishList = async (run: string, p: number): Promise<string | undefined> =>
    this.blobs.get(`runs/${run}/lists/${p}`)?.text;
  mailboxState = async (): Promise<Buffer | undefined> => undefined;
  putMailboxState = async (): Promise<void> => undefined;
  deleteMailboxState = async (): Promise<void> => undefined;

  partitionState = async (
    partitions: number,
    p: number,
  ): Promise<{ pointer: StatePointer; etag: string } | undefined> =>
    this.withEtag(`state/${partitions}/${p}`);
  async putSnapshot(partitions: number, p: number, id: string, text: string): Promise<string> {
    this.crash("putSnapshot");
    const name = `state/${partitions}/${p}/${id}.snapshot`;
    this.blobs.set(name, { text, etag: `"${++this.writes}"` });
    return name;
  }
  async readSnapshot(name: string): Promise<string> {
    const b = this.blobs.get(name);
    if (!b) throw new Error(`no snapshot ${name}`);
    return b.text;
  }
  deleteSnapshot = async (name: string): Promise<void> => void this.blobs.delete(name);
  async switchState(partitions: number, p: number, pointer: StatePointer, etag?: string): Promise<boolean> {
    this.crash("switchState");
    return this.putIf(`state/${partitions}/${p}`, pointer, etag);
  }
  mailboxCursor = async (mailbox: string): Promise<{ cursor: MailboxCursor; etag: string } | undefined> =>
    this.withEtag<MailboxCursor>(`cursors/${mailbox}`).then((r) => r && { cursor: r.pointer, etag: r.etag });
  async putMailboxCursor(mailbox: string, cursor: MailboxCursor, etag?: string): Promise<boolean> {
    this.crash("putMailboxCursor");
    return this.putIf(`cursors/${mailbox}`, cursor, etag);
  }

  private putIf(name: string, value: unknown, etag: string | undefined): boolean {
    const b = this.blobs.get(name);
    if (etag === undefined ? b !== undefined : b?.etag !== etag) return false;
    this.put(name, JSON.stringify(value));
    return true;
  }
  private async withEtag<T>(name: string): Promise<{ pointer: T; etag: string } | undefined> {
    const b = this.blobs.get(name);
    return b ? { pointer: JSON.parse(b.text) as T, etag: b.etag } : undefined;
  }
}
