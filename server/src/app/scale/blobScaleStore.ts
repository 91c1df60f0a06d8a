import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";

import { type ContainerClient, RestError } from "@azure/storage-blob";

import type { DirectoryData } from "../../core/directory";
import { decodeShare, encodeShare } from "../../core/engine/snapshot";
import type { InsightsResult } from "../../core/insights";
import type { Interaction } from "../../core/interaction";
import type {
  MailboxCursor,
  MailboxSummary,
  PublishedPart,
  PublishedSummary,
  RunManifest,
  ScaleStore,
  StatePointer,
} from "./scaleStore";

const name = (s: string): string => encodeURIComponent(s);
const num = (p: number): string => String(p).padStart(4, "0");
const part = (run: string, p: number): string => `runs/${name(run)}/parts/${num(p)}/`;
const stateOf = (partitions: number, p: number): string => `state/${partitions}/${num(p)}/`;

/** True for the answers of a conditional write that lost (the blob exists, or its ETag moved). */
const lostRace = (err: unknown): boolean =>
  err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412);

/** A blob operation's result, or undefined when the blob does not exist (404); other errors propagate. */
async function missingAsUndefined<T>(op: Promise<T>): Promise<T | undefined> {
  try {
    return await op;
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return undefined;
    throw err;
  }
}

/** Runs `each(0..n-1)` with at most `width` at once. */
async function inBatches(n: number, width: number, each: (k: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) await each(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, lane));
}

/**
 * The scale-out store on Azure Blob Storage: JSON objects, and each mailbox's share of a partition
 * gzipped, as encodeShare writes it (its addresses once, then one interaction a line).
 */
export class BlobScaleStore implements ScaleStore {
  constructor(private readonly container: ContainerClient) {}

  async init(): Promise<void> {
    await this.container.createIfNotExists();
  }

  async putManifest(m: RunManifest): Promise<boolean> {
    // Created once: a timer firing twice for the same tick must not start the run over.
    try {
      await this.put(`runs/${name(m.run)}/manifest.json`, Buffer.from(JSON.stringify(m)), {
        ifNoneMatch: "*",
      });
    } catch (err) {
      if (err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412)) return false;
      throw err;
    }
    await this.put("latest.json", Buffer.from(JSON.stringify({ run: m.run })));
    return true;
  }
  manifest = (run: string): Promise<RunManifest | undefined> => this.json(`runs/${name(run)}/manifest.json`);
  async latestRun(): Promise<string | undefined> {
    return (await this.json<{ run: string }>("latest.json"))?.run;
  }

  async putPart(
    run: string,
    p: number,
    mailbox: string,
    interactions: readonly Interaction[],
  ): Promise<void> {
    const text = encodeShare(interactions);
    await this.put(`${part(run, p)}${name(mailbox)}.ndjson.gz`, gzipSync(text, { level: 1 }));
  }
  async deletePart(run: string, p: number, mailbox: string): Promise<void> {
    await this.container.getBlobClient(`${part(run, p)}${name(mailbox)}.ndjson.gz`).deleteIfExists();
  }
  async readPartition(run: string, p: number): Promise<Interaction[]> {
    const blobs = await this.list(part(run, p));
    // One share per mailbox: downloaded 16 at a time (one at a time, a partition waits on each round
    // trip), parsed in name order so that the result does not depend on which download finished first.
    const texts: string[] = new Array<string>(blobs.length);
    await inBatches(blobs.length, 16, async (k) => {
      texts[k] = gunzipSync(await this.read(blobs[k]!)).toString("utf8");
    });
    const out: Interaction[] = [];
    for (let k = 0; k < texts.length; k++) {
      const text = texts[k]!;
      texts[k] = "";
      for (const i of decodeShare(text)) out.push(i);
    }
    return out;
  }

  putSummary = (run: string, s: MailboxSummary): Promise<void> =>
    this.putJson(`runs/${name(run)}/mailboxes/${name(s.mailbox)}.json`, s);
  summary = (run: string, mailbox: string): Promise<MailboxSummary | undefined> =>
    this.json(`runs/${name(run)}/mailboxes/${name(mailbox)}.json`);
  async summaries(run: string): Promise<MailboxSummary[]> {
    const blobs = await this.list(`runs/${name(run)}/mailboxes/`);
    return Promise.all(
      blobs.map(async (b) => JSON.parse((await this.read(b)).toString("utf8")) as MailboxSummary),
    );
  }

  async summaryCount(run: string): Promise<number> {
    return (await this.list(`runs/${name(run)}/mailboxes/`)).length;
  }

  async claimPlan(run: string, mailbox: string): Promise<boolean> {
    const blob = `runs/${name(run)}/plan.json`;
    try {
      await this.put(blob, Buffer.from(JSON.stringify({ mailbox })), { ifNoneMatch: "*" });
      return true;
    } catch (err) {
      if (!(err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412))) throw err;
    }
    return (await this.json<{ mailbox: string }>(blob))?.mailbox === mailbox;
  }
  putDirectory = (run: string, d: DirectoryData): Promise<void> =>
    this.putJson(`runs/${name(run)}/directory.json`, d);
  directory = (run: string): Promise<DirectoryData | undefined> =>
    this.json(`runs/${name(run)}/directory.json`);

  async partitionVersion(run: string, p: number): Promise<string> {
    const h = createHash("sha1");
    for await (const b of this.container.listBlobsFlat({ prefix: part(run, p) }))
      h.update(`${b.name} ${b.properties.etag ?? ""}\n`);
    return h.digest("hex");
  }
  async putResult(run: string, p: number, r: InsightsResult, version: string): Promise<void> {
    await this.container
      .getBlockBlobClient(`runs/${name(run)}/results/${num(p)}.json`)
      .uploadData(Buffer.from(JSON.stringify(r)), { metadata: { inputs: version } });
  }
  async resultVersion(run: string, p: number): Promise<string | undefined> {
    const props = await missingAsUndefined(
      this.container.getBlobClient(`runs/${name(run)}/results/${num(p)}.json`).getProperties(),
    );
    return props?.metadata?.["inputs"];
  }
  result = (run: string, p: number): Promise<InsightsResult | undefined> =>
    this.json(`runs/${name(run)}/results/${num(p)}.json`);
  async results(run: string): Promise<InsightsResult[]> {
    const blobs = await this.list(`runs/${name(run)}/results/`);
    return Promise.all(
      blobs.map(async (b) => JSON.parse((await this.read(b)).toString("utf8")) as InsightsResult),
    );
  }
  async resultCount(run: string): Promise<number> {
    return (await this.list(`runs/${name(run)}/results/`)).length;
  }

  putPublishedPart = (s: PublishedPart): Promise<void> =>
    this.putJson(`runs/${name(s.run)}/published/${num(s.partition)}.json`, s);
  publishedPart = (run: string, p: number): Promise<PublishedPart | undefined> =>
    this.json(`runs/${name(run)}/published/${num(p)}.json`);
  async publishedParts(run: string): Promise<PublishedPart[]> {
    const blobs = await this.list(`runs/${name(run)}/published/`);
    return Promise.all(
      blobs.map(async (b) => JSON.parse((await this.read(b)).toString("utf8")) as PublishedPart),
    );
  }
  async publishedPartCount(run: string): Promise<number> {
    return (await this.list(`runs/${name(run)}/published/`)).length;
  }
  putPublished = (s: PublishedSummary): Promise<void> =>
    this.putJson(`runs/${name(s.run)}/published.json`, s);
  published = (run: string): Promise<PublishedSummary | undefined> =>
    this.json(`runs/${name(run)}/published.json`);
  async putRows(run: string, p: number, chunks: readonly string[]): Promise<void> {
    const prefix = `runs/${name(run)}/rows/${num(p)}/`;
    await inBatches(chunks.length, 4, (k) =>
      this.put(`${prefix}${num(k)}.ndjson.gz`, gzipSync(chunks[k]!, { level: 1 })),
    );
    // A rerun that produced fewer chunks leaves none of the earlier ones behind.
    const stale = (await this.list(prefix)).filter(
      (b) => Number(b.slice(prefix.length, -".ndjson.gz".length)) >= chunks.length,
    );
    await Promise.all(stale.map((b) => this.container.getBlobClient(b).deleteIfExists()));
  }
  async rows(run: string, p: number): Promise<string[]> {
    const out: string[] = [];
    for (const blob of await this.list(`runs/${name(run)}/rows/${num(p)}/`))
      out.push(gunzipSync(await this.read(blob)).toString("utf8"));
    return out;
  }

  async putPublishList(run: string, p: number, text: string): Promise<void> {
    await this.put(`runs/${name(run)}/lists/${num(p)}.txt.gz`, gzipSync(text, { level: 1 }));
  }
  async publishList(run: string, p: number): Promise<string | undefined> {
    const data = await missingAsUndefined(this.read(`runs/${name(run)}/lists/${num(p)}.txt.gz`));
    return data && gunzipSync(data).toString("utf8");
  }

  /**
   * A mailbox's Graph sync state (JsonStateStore's gzipped JSON): kept across runs (delta links stay valid
   * from one run to the next). The SQLite file earlier versions kept (`graph/<mailbox>.sqlite`) is not
   * read: that mailbox's next sync starts a fresh delta round, once.
   */
  async mailboxState(mailbox: string): Promise<Buffer | undefined> {
    return missingAsUndefined(this.read(`graph/${name(mailbox)}.json.gz`));
  }
  async putMailboxState(mailbox: string, data: Buffer): Promise<void> {
    await this.put(`graph/${name(mailbox)}.json.gz`, data);
  }
  async deleteMailboxState(mailbox: string): Promise<void> {
    await Promise.all(
      [`graph/${name(mailbox)}.json.gz`, `graph/${name(mailbox)}.sqlite`].map((blob) =>
        this.container.getBlobClient(blob).deleteIfExists(),
      ),
    );
  }

  async partitionState(
    partitions: number,
    p: number,
  ): Promise<{ pointer: StatePointer; etag: string } | undefined> {
    return this.jsonWithEtag<StatePointer>(`${stateOf(partitions, p)}pointer.json`);
  }
  async putSnapshot(partitions: number, p: number, id: string, text: string): Promise<string> {
    const blob = `${stateOf(partitions, p)}${name(id)}.snapshot.gz`;
    await this.put(blob, gzipSync(text, { level: 1 }));
    return blob;
  }
  async readSnapshot(blob: string): Promise<string> {
    return gunzipSync(await this.read(blob)).toString("utf8");
  }
  async deleteSnapshot(blob: string): Promise<void> {
    await this.container.getBlobClient(blob).deleteIfExists();
  }
  switchState(partitions: number, p: number, pointer: StatePointer, etag?: string): Promise<boolean> {
    return this.putIf(`${stateOf(partitions, p)}pointer.json`, pointer, etag);
  }
  mailboxCursor(mailbox: string): Promise<{ cursor: MailboxCursor; etag: string } | undefined> {
    return this.jsonWithEtag<MailboxCursor>(`cursors/${name(mailbox)}.json`).then((r) =>
      r ? { cursor: r.pointer, etag: r.etag } : undefined,
    );
  }
  putMailboxCursor(mailbox: string, cursor: MailboxCursor, etag?: string): Promise<boolean> {
    return this.putIf(`cursors/${name(mailbox)}.json`, cursor, etag);
  }

  /** Writes a JSON blob only if its ETag is still `etag` (undefined: only if it does not exist). */
  private async putIf(blob: string, value: unknown, etag: string | undefined): Promise<boolean> {
    try {
      await this.put(
        blob,
        Buffer.from(JSON.stringify(value)),
        etag ? { ifMatch: etag } : { ifNoneMatch: "*" },
      );
      return true;
    } catch (err) {
      if (lostRace(err)) return false;
      throw err;
    }
  }
  private async jsonWithEtag<T>(blob: string): Promise<{ pointer: T; etag: string } | undefined> {
    const r = await missingAsUndefined(this.container.getBlobClient(blob).download());
    if (!r?.readableStreamBody) return undefined;
    const chunks: Buffer[] = [];
    for await (const c of r.readableStreamBody) chunks.push(Buffer.from(c as Buffer));
    return { pointer: JSON.parse(Buffer.concat(chunks).toString("utf8")) as T, etag: r.etag ?? "" };
  }

  private async put(
    blob: string,
    data: Buffer,
    conditions?: { ifNoneMatch: string } | { ifMatch: string },
  ): Promise<void> {
    await this.container.getBlockBlobClient(blob).uploadData(data, conditions ? { conditions } : {});
  }
  private putJson(blob: string, value: unknown): Promise<void> {
    return this.put(blob, Buffer.from(JSON.stringify(value)));
  }
  private async read(blob: string): Promise<Buffer> {
    return this.container.getBlobClient(blob).downloadToBuffer();
  }
  private async json<T>(blob: string): Promise<T | undefined> {
    const data = await missingAsUndefined(this.read(blob));
    return data ? (JSON.parse(data.toString("utf8")) as T) : undefined;
  }
  /** Blob names under a prefix, in name order (the service lists in that order). */
  private async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const b of this.container.listBlobsFlat({ prefix })) out.push(b.name);
    return out;
  }
}
