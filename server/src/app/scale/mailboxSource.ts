import { createReadStream, promises as fsp } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";

import type { InsightConfig } from "../../core/config";
import type { Interaction } from "../../core/interaction";
import { Normaliser } from "../../core/normalise";
import { messageToEnvelope } from "../../sources/graphJson/graphMessage";
import { ingestMbox } from "../ingest";

/** One mailbox as read by a sync: its judged interactions and how often each address took part. */
export interface MailboxRead {
  interactions: Interaction[];
  participants: Map<string, number>;
  /** Items read and items skipped (counts only: nothing personal). */
  items: number;
  skipped: number;
}

/**
 * The port a sync worker reads one mailbox through. Implemented here for files (one per mailbox: an
 * mbox, or NDJSON of Graph message objects as `rapport generate` writes them); the Microsoft Graph
 * delta sync (issue 7, server/src/sources/graph) plugs in here with the mailbox's user id as its name.
 */
export interface MailboxSource {
  /**
   * Every mailbox the source can read, in name order, leaving out the users who opted out (by id or
   * address): the org's list for this run, added to any the source is configured with.
   */
  list(optedOut?: readonly string[]): Promise<string[]>;
  read(mailbox: string, config: InsightConfig, now: number): Promise<MailboxRead>;
}

const SUFFIXES = [".mbox.gz", ".mbox", ".ndjson.gz", ".ndjson"];

/** A folder with one file per mailbox: `<mailbox>.mbox[.gz]` or `<mailbox>.ndjson[.gz]`. */
export class FolderMailboxSource implements MailboxSource {
  constructor(private readonly folder: string) {}

  async list(): Promise<string[]> {
    const names = await fsp.readdir(this.folder);
    const out = new Set<string>();
    for (const n of names) {
      const suffix = SUFFIXES.find((s) => n.endsWith(s));
      if (suffix) out.add(n.slice(0, -suffix.length));
    }
    return [...out].sort();
  }

  async read(mailbox: string, config: InsightConfig, now: number): Promise<MailboxRead> {
    const file = await this.fileOf(mailbox);
    if (file.includes(".ndjson")) return readGraphNdjson(file, config, now);
    const ingested = await ingestMbox(file, { config, now, workers: 1 });
    const r = ingested.report;
    return {
      interactions: ingested.interactions,
      participants: ingested.participantsByFile.get(file) ?? new Map(),
      items: r.items,
      skipped: r.items - r.interactions,
    };
  }

  private async fileOf(mailbox: string): Promise<string> {
    for (const s of SUFFIXES) {
      const file = path.join(this.folder, `${mailbox}${s}`);
      if (
        await fsp.stat(file).then(
          (st) => st.isFile(),
          () => false,
        )
      )
        return file;
    }
    throw new Error(`no file for mailbox ${JSON.stringify(mailbox)} in the mailbox folder`);
  }
}

/** Reads NDJSON of Graph message objects (plain or gzip), one message a line, as the Graph sync returns them. */
export async function readGraphNdjson(
  file: string,
  config: InsightConfig,
  now: number,
): Promise<MailboxRead> {
  const normaliser = new Normaliser(config, now);
  const input = createReadStream(file);
  const lines = createInterface({
    input: file.endsWith(".gz") ? input.pipe(createGunzip()) : input,
    crlfDelay: Infinity,
  });
  const out: MailboxRead = { interactions: [], participants: new Map(), items: 0, skipped: 0 };
  let line = 0;
  for await (const text of lines) {
    line++;
    if (!text) continue;
    out.items++;
    let item: unknown;
    try {
      item = JSON.parse(text);
    } catch {
      out.skipped++;
      continue;
    }
    const r = messageToEnvelope(item, { file, line });
    if (!("envelope" in r)) {
      out.skipped++;
      continue;
    }
    const n = normaliser.message(r.envelope);
    if (!n.ok) {
      out.skipped++;
      continue;
    }
    const i = n.interaction;
    for (const a of [i.from, ...i.to, ...i.cc]) out.participants.set(a, (out.participants.get(a) ?? 0) + 1);
    out.interactions.push(i);
  }
  return out;
}
