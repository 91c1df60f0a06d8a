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
  /**
   * Only the mail that is new since `cursor` (undefined: everything), and the cursor after it. A source
   * that has this lets runs be incremental (docs/scale-out.md): a sync then stores only new mail.
   */
  readNew?(
    mailbox: string,
    config: InsightConfig,
    now: number,
    cursor: string | undefined,
  ): Promise<{ read: MailboxRead; cursor: string }>;
}

/** A mailbox's mail changed where it was read already: only a full run can take that in exactly. */
export class CursorMovedError extends Error {
  override name = "CursorMovedError";
}

const SUFFIXES = [".mbox.gz", ".mbox", ".ndjson.gz", ".ndjson"];

/**
 * A folder with one file per mailbox: `<mailbox>.mbox[.gz]` or `<mailbox>.ndjson[.gz]`. New mail comes as
 * more files of the same name in subfolders (`<folder>/<batch>/<mailbox>.ndjson.gz`, batches in name
 * order): files are never rewritten, so a mailbox's cursor is the list of its files read, with their sizes.
 */
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
    return (await this.readNew(mailbox, config, now, undefined)).read;
  }

  async readNew(
    mailbox: string,
    config: InsightConfig,
    now: number,
    cursor: string | undefined,
  ): Promise<{ read: MailboxRead; cursor: string }> {
    const files = [await this.fileOf(mailbox), ...(await this.batchFilesOf(mailbox))];
    const sizes: Record<string, number> = {};
    for (const f of files) sizes[path.relative(this.folder, f)] = (await fsp.stat(f)).size;
    const seen = cursor ? (JSON.parse(cursor) as Record<string, number>) : {};
    for (const [f, size] of Object.entries(seen))
      if (sizes[f] !== size)
        throw new CursorMovedError(
          `mailbox file ${JSON.stringify(f)} changed or went since it was read: start a full run`,
        );
    const read: MailboxRead = { interactions: [], participants: new Map(), items: 0, skipped: 0 };
    for (const f of files) {
      if (seen[path.relative(this.folder, f)] !== undefined) continue;
      const r = await this.readFile(f, config, now);
      for (const i of r.interactions) read.interactions.push(i);
      for (const [a, n] of r.participants) read.participants.set(a, (read.participants.get(a) ?? 0) + n);
      read.items += r.items;
      read.skipped += r.skipped;
    }
    return { read, cursor: JSON.stringify(sizes) };
  }

  /** The mailbox's files in the folder's subfolders (batches of new mail), in subfolder name order. */
  private async batchFilesOf(mailbox: string): Promise<string[]> {
    const out: string[] = [];
    const entries = await fsp.readdir(this.folder, { withFileTypes: true });
    for (const d of entries.filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1)))
      for (const s of SUFFIXES) {
        const file = path.join(this.folder, d.name, `${mailbox}${s}`);
        if (await isFile(file)) out.push(file);
      }
    return out;
  }

  private async readFile(file: string, config: InsightConfig, now: number): Promise<MailboxRead> {
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
      if (await isFile(file)) return file;
    }
    throw new Error(`no file for mailbox ${JSON.stringify(mailbox)} in the mailbox folder`);
  }
}

const isFile = (file: string): Promise<boolean> =>
  fsp.stat(file).then(
    (st) => st.isFile(),
    () => false,
  );

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
