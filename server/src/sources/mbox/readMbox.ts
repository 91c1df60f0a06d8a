import { createReadStream, promises as fsp } from "node:fs";
import type { Readable } from "node:stream";
import path from "node:path";
import { constants as zlibConstants, createGunzip, gunzipSync } from "node:zlib";
import type { Origin } from "../../core/interaction";
import type { SourceIssue, SourceItem } from "../sourceItem";
import { type CopySet, HeaderScan, isCopy, scanDate, scanToEnvelope } from "./headerBlock";

export interface MboxReadOptions {
  /** Called as compressed bytes are consumed, for progress bars. */
  onBytes?: (bytes: number) => void;
  /**
   * Exact copies already read (shared across files): a header block identical to one read before (the same
   * message filed in another folder) is counted in `stats.copies` and not parsed again.
   */
  seenCopies?: Set<unknown> | CopySet;
  /**
   * A cutoff (a backtest's as-of date): a message dated at or after it is counted in `stats.late` and read
   * no further. Past a cutoff early in a long history, most messages are late, and their address headers
   * are most of the reading work.
   */
  before?: number;
  stats?: { copies: number; late?: number };
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Lists the mbox files of a path: the file itself, or every regular, non-hidden file of a folder (sorted). */
export async function listMboxFiles(target: string): Promise<string[]> {
  const stat = await fsp.stat(target);
  if (!stat.isDirectory()) return [target];
  const names = (await fsp.readdir(target, { withFileTypes: true }))
    .filter((d) => d.isFile() && !d.name.startsWith("."))
    .map((d) => d.name)
    .sort();
  return names.map((n) => path.join(target, n));
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await fsp.open(file, "r");
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/**
 * A line-oriented state machine over one mbox: separator lines start messages, the header block runs
 * to the first empty line, and the body (absent from header-only exports) is passed over. Lines are
 * read in place (offsets into the text); only the values of wanted headers become strings.
 */
class MboxParser {
  private readonly scan = new HeaderScan();
  private inHeaders = false;
  private startLine = 0;
  private sawSeparator = false;
  // A separator was read and its message not yet accounted for (yielded, skipped or counted).
  private openMessage = false;
  private lineNo = 0;
  // Where the current block's first header line starts, and the line count before it (for re-reading).
  private blockPos = 0;
  private blockLineNo = 0;
  private carry: Buffer = Buffer.alloc(0);
  readonly items: SourceItem[] = [];

  constructor(
    private readonly file: string,
    private readonly options: MboxReadOptions,
  ) {}

  /** Streaming: adds a chunk; a header block cut by the chunk's end is read again with the next one. */
  push(chunk: Buffer): void {
    const all = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const stop = this.feed(all, false);
    if (this.inHeaders && this.scan.lines > 0) {
      this.lineNo = this.blockLineNo;
      this.scan.reset();
      this.carry = Buffer.from(all.subarray(this.blockPos));
    } else {
      this.carry = Buffer.from(all.subarray(stop));
    }
  }

  /**
   * Parses a whole file's text from `pos`, stopping once a few thousand items are ready so that they are
   * handed over (and freed) while still young; returns where to go on (`text.length` at the end).
   */
  pushSome(text: Buffer, pos: number): number {
    return this.feed(text, true, pos, 4096);
  }

  /** Ends the file. `complete` is false when the stream broke off: a message cut short is not yielded. */
  end(complete: boolean): void {
    if (complete && this.carry.length) this.feed(this.carry, true);
    this.carry = Buffer.alloc(0);
    if (complete) this.flush();
    else this.scan.reset();
  }

  get lineCount(): number {
    return this.lineNo;
  }

  /** Reads the lines of `text`; without `final`, stops before a last line that has no line break yet. */
  private feed(text: Buffer, final: boolean, from = 0, limit = Infinity): number {
    let pos = from;
    const n = text.length;
    while (pos < n) {
      let eol = text.indexOf(10, pos);
      let next = eol + 1;
      if (eol < 0) {
        if (!final) break;
        eol = n;
        next = n;
      }
      const end = eol > pos && text[eol - 1] === 13 ? eol - 1 : eol;
      this.lineNo++;
      this.line(text, pos, end);
      pos = next;
      if (this.items.length >= limit) break;
    }
    return pos;
  }

  private line(text: Buffer, s: number, e: number): void {
    const c0 = s < e ? (text[s] as number) : -1;
    if (
      c0 === 70 &&
      e - s >= 5 &&
      text[s + 1] === 114 &&
      text[s + 2] === 111 &&
      text[s + 3] === 109 &&
      text[s + 4] === 32 &&
      (!this.inHeaders || this.scan.lines === 0 || this.lineNo === 1)
    ) {
      this.flush();
      this.sawSeparator = true;
      this.openMessage = true;
      this.inHeaders = true;
      this.startLine = this.lineNo;
      return;
    }
    if (!this.sawSeparator) {
      // Not an mbox: no "From " line before the first content. Read it as a single message file (.eml).
      if (this.lineNo === 1 && text.toString("latin1", s, e).trim() !== "") {
        this.items.push({
          type: "issue",
          issue: {
            code: "notMbox",
            message: "no mbox separator before the first line; read as one message",
            origin: { file: this.file, line: 1 },
          },
        });
        this.sawSeparator = true;
        this.openMessage = true;
        this.inHeaders = true;
        this.startLine = 1;
      } else {
        return;
      }
    }
    if (!this.inHeaders) return;
    if (s === e) {
      this.inHeaders = false;
      this.flush();
      return;
    }
    if ((c0 === 32 || c0 === 9) && this.scan.lines > 0) {
      // RFC 5322 folding: a continuation line belongs to the header above it.
      this.scan.continueLine(text, s, e);
      return;
    }
    if (this.scan.lines === 0) {
      this.blockPos = s;
      this.blockLineNo = this.lineNo - 1;
    }
    this.scan.startLine(text, s, e);
  }

  private flush(): void {
    const scan = this.scan;
    const open = this.openMessage;
    this.openMessage = false;
    if (scan.lines === 0) {
      // A separator with no header line after it (found by the fuzz test): skipped, but counted.
      if (open) {
        this.items.push({
          type: "issue",
          issue: {
            code: "malformedHeader",
            message: "no header lines after the separator",
            origin: { file: this.file, line: this.startLine },
          },
        });
      }
      return;
    }
    scan.endLine();
    if (isCopy(scan, this.options.seenCopies)) {
      if (this.options.stats) this.options.stats.copies++;
      scan.reset();
      return;
    }
    const origin: Origin = { file: this.file, line: this.startLine };
    const sentAt = scanDate(scan);
    const before = this.options.before;
    const late = before !== undefined && scan.size > 0 && sentAt >= before;
    const result = late ? undefined : scanToEnvelope(scan, origin, sentAt);
    const malformed = scan.malformed;
    scan.reset();
    if (result === undefined) {
      if (this.options.stats) this.options.stats.late = (this.options.stats.late ?? 0) + 1;
    } else if ("issue" in result) {
      this.items.push({ type: "issue", issue: result.issue });
      return;
    }
    if (malformed > 0) {
      this.items.push({
        type: "issue",
        issue: {
          code: "malformedHeader",
          message: `${malformed} header line(s) without a name were passed over`,
          origin,
        },
      });
    }
    if (result !== undefined) this.items.push({ type: "envelope", envelope: result.envelope });
  }
}

const WHOLE_FILE_LIMIT = 256 * 1024 * 1024;
const GZIP_SLICE = 64;
/** Deflate's best case: 258-byte matches in about two bits each, just over 1,032 to 1. */
const DEFLATE_MAX_RATIO = 1033;

/**
 * The output buffer for inflating a whole gzip file: the trailer's stated size (mod 2^32), so one buffer is
 * neither grown nor joined. The trailer is only a claim: a damaged or crafted one must not make a few bytes
 * allocate 256 MiB (found by the fuzz test), so it is believed up to what deflate can reach from this many bytes.
 */
export function gunzipChunkSize(raw: Buffer): number {
  const stated = raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : 0;
  const reachable = raw.length * DEFLATE_MAX_RATIO;
  return Math.min(Math.max(64 * 1024, Math.min(stated, reachable) + 1), WHOLE_FILE_LIMIT);
}

/** Reads and decompresses a whole file, or returns undefined where streaming must take over. */
interface WholeText {
  text: Buffer;
  compressedBytes: number;
  /** Set when the gzip data is damaged: `text` is what the longest readable prefix decompresses to. */
  damage?: unknown;
}

/** Reads and decompresses a whole file, or returns undefined where streaming must take over. */
async function readWhole(file: string, gz: boolean): Promise<WholeText | undefined> {
  const stat = await fsp.stat(file);
  if (stat.size > (gz ? WHOLE_FILE_LIMIT / 8 : WHOLE_FILE_LIMIT)) return undefined;
  const raw = await fsp.readFile(file);
  // Read as bytes: latin1 maps bytes to characters one to one, and only wanted header values become strings;
  // values with 8-bit bytes are re-read as UTF-8 where they are used (see headerBlock).
  if (!gz) return { text: raw, compressedBytes: raw.length };
  const chunkSize = gunzipChunkSize(raw);
  try {
    const plain = gunzipSync(raw, { chunkSize });
    if (plain.length > WHOLE_FILE_LIMIT) return undefined;
    return { text: plain, compressedBytes: raw.length };
  } catch (damage) {
    // Truncated or corrupt: read what the longest prefix that still inflates gives (binary search).
    let lo = 0;
    let hi = raw.length;
    let best: Buffer = Buffer.alloc(0);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      try {
        best = gunzipSync(raw.subarray(0, mid), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    if (lo > 0 && best.length === 0) {
      try {
        best = gunzipSync(raw.subarray(0, lo), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      } catch {
        best = Buffer.alloc(0);
      }
    }
    return { text: best, compressedBytes: raw.length, damage };
  }
}

function streamIssue(err: unknown, file: string, line: number, gz: boolean): SourceIssue {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (gz && (code === "Z_BUF_ERROR" || /unexpected end of file/i.test(message))) {
    return {
      code: "truncatedGzip",
      message: "gzip stream ends early; the messages before the cut were read",
      origin: { file, line },
    };
  }
  if (gz && (code === "Z_DATA_ERROR" || /incorrect header check|invalid/i.test(message))) {
    return {
      code: "corruptGzip",
      message: `gzip data is corrupt (${code ?? "error"}); the messages before it were read`,
      origin: { file, line },
    };
  }
  return { code: "unreadableFile", message: `cannot read file (${code ?? message})`, origin: { file, line } };
}

/**
 * Reads one mbox file, plain or gzip, yielding envelopes and named issues in file order, a batch per
 * chunk read (batches keep the per-item cost of async iteration off the hot path).
 */
export async function* readMboxFileBatches(
  file: string,
  options: MboxReadOptions = {},
): AsyncGenerator<SourceItem[]> {
  let gz: boolean;
  try {
    gz = await isGzip(file);
  } catch (err) {
    yield [{ type: "issue", issue: streamIssue(err, file, 0, false) }];
    return;
  }
  const parser = new MboxParser(file, options);
  // Whole-file decompression on this thread is several times faster than a stream for the sizes mail
  // exports have; a damaged or very large file takes the streaming path, which reads up to the damage.
  const whole = await readWhole(file, gz);
  if (whole !== undefined) {
    options.onBytes?.(whole.compressedBytes);
    const text = whole.text;
    for (let pos = 0; pos < text.length;) {
      pos = parser.pushSome(text, pos);
      if (parser.items.length) yield parser.items.splice(0);
    }
    if (whole.damage === undefined) parser.end(true);
    else {
      // A message cut by the damage is not yielded.
      parser.end(false);
      parser.items.push({ type: "issue", issue: streamIssue(whole.damage, file, parser.lineCount, true) });
    }
    if (parser.items.length) yield parser.items.splice(0);
    return;
  }
  const raw = createReadStream(file, { highWaterMark: 1 << 21 });
  if (options.onBytes) {
    const report = options.onBytes;
    raw.on("data", (chunk) => report(chunk.length));
  }
  let stream: Readable = raw;
  if (gz) {
    // Small writes, so that what precedes damaged data is decompressed and handed over before the error.
    const gunzip = createGunzip();
    raw.on("data", (chunk: string | Buffer) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk;
      for (let i = 0; i < bytes.length; i += GZIP_SLICE) gunzip.write(bytes.subarray(i, i + GZIP_SLICE));
    });
    raw.on("end", () => gunzip.end());
    raw.on("error", (err) => gunzip.destroy(err));
    stream = gunzip;
  }
  // Events rather than `for await`: an async iterator throws on an error before handing over the data
  // already decompressed, and the messages before the damage must be read.
  const chunks: Buffer[] = [];
  let ended = false;
  let error: unknown;
  let wake: (() => void) | undefined;
  stream.on("data", (c: Buffer) => {
    chunks.push(c);
    wake?.();
  });
  stream.on("end", () => {
    ended = true;
    wake?.();
  });
  stream.on("error", (err: Error) => {
    error ??= err;
    ended = true;
    wake?.();
  });
  let failure: SourceIssue | undefined;
  while (true) {
    const chunk = chunks.shift();
    if (chunk) {
      parser.push(chunk);
      if (parser.items.length) yield parser.items.splice(0);
      continue;
    }
    if (ended) break;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  if (error === undefined) {
    parser.end(true);
  } else {
    failure = streamIssue(error, file, parser.lineCount, gz);
    parser.end(false);
    raw.destroy();
  }
  const rest = parser.items.splice(0);
  if (failure) rest.push({ type: "issue", issue: failure });
  if (rest.length) yield rest;
}

/** Reads an mbox file or a folder of them, in batches. A missing path is one named issue, not an exception. */
export async function* readMboxBatches(
  target: string,
  options: MboxReadOptions = {},
): AsyncGenerator<SourceItem[]> {
  let files: string[];
  try {
    files = await listMboxFiles(target);
  } catch (err) {
    const code = (err as { code?: string }).code;
    yield [
      {
        type: "issue",
        issue: {
          code: code === "ENOENT" ? "fileNotFound" : "unreadableFile",
          message: `cannot open (${code ?? "error"})`,
          origin: { file: target },
        },
      },
    ];
    return;
  }
  for (const file of files) yield* readMboxFileBatches(file, options);
}

/** Reads an mbox file or a folder of them, one item at a time. */
export async function* readMbox(target: string, options: MboxReadOptions = {}): AsyncGenerator<SourceItem> {
  for await (const batch of readMboxBatches(target, options)) yield* batch;
}
