import { gunzipSync, gzipSync } from "node:zlib";
import { RestError, type ContainerClient } from "@azure/storage-blob";
import type { DirectoryData } from "../../core/directory";
import type { InsightsResult } from "../../core/insights";
import type { Interaction } from "../../core/interaction";
import type { MailboxSummary, PublishedPart, PublishedSummary, RunManifest, ScaleStore } from "./scaleStore";

const name = (s: string): string => encodeURIComponent(s);
const num = (p: number): string => String(p).padStart(4, "0");
const part = (run: string, p: number): string => `runs/${name(run)}/parts/${num(p)}/`;

/**
 * The scale-out store on Azure Blob Storage: JSON objects, and each mailbox's share of a partition as
 * gzipped NDJSON (one interaction a line; compact, and read as a stream of lines).
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
    const text = interactions.map((i) => JSON.stringify(i)).join("\n");
    await this.put(`${part(run, p)}${name(mailbox)}.ndjson.gz`, gzipSync(text, { level: 1 }));
  }
  async deletePart(run: string, p: number, mailbox: string): Promise<void> {
    await this.container.getBlobClient(`${part(run, p)}${name(mailbox)}.ndjson.gz`).deleteIfExists();
  }
  async readPartition(run: string, p: number): Promise<Interaction[]> {
    const out: Interaction[] = [];
    for (const blob of await this.list(part(run, p))) {
      const text = gunzipSync(await this.read(blob)).toString("utf8");
      if (text) for (const line of text.split("\n")) out.push(JSON.parse(line) as Interaction);
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

  putDirectory = (run: string, d: DirectoryData): Promise<void> =>
    this.putJson(`runs/${name(run)}/directory.json`, d);
  directory = (run: string): Promise<DirectoryData | undefined> =>
    this.json(`runs/${name(run)}/directory.json`);

  putResult = (run: string, p: number, r: InsightsResult): Promise<void> =>
    this.putJson(`runs/${name(run)}/results/${num(p)}.json`, r);
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
  async putRows(run: string, p: number, ndjson: string): Promise<void> {
    await this.put(`runs/${name(run)}/rows/${num(p)}.ndjson.gz`, gzipSync(ndjson, { level: 1 }));
  }
  async rows(run: string, p: number): Promise<string | undefined> {
    try {
      return gunzipSync(await this.read(`runs/${name(run)}/rows/${num(p)}.ndjson.gz`)).toString("utf8");
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  private async put(blob: string, data: Buffer, conditions?: { ifNoneMatch: string }): Promise<void> {
    await this.container.getBlockBlobClient(blob).uploadData(data, conditions ? { conditions } : {});
  }
  private putJson(blob: string, value: unknown): Promise<void> {
    return this.put(blob, Buffer.from(JSON.stringify(value)));
  }
  private async read(blob: string): Promise<Buffer> {
    return this.container.getBlobClient(blob).downloadToBuffer();
  }
  private async json<T>(blob: string): Promise<T | undefined> {
    try {
      return JSON.parse((await this.read(blob)).toString("utf8")) as T;
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }
  /** Blob names under a prefix, in name order (the service lists in that order). */
  private async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const b of this.container.listBlobsFlat({ prefix })) out.push(b.name);
    return out;
  }
}
