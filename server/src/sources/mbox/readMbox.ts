import { constants as fsConstants, promises as fsp } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { constants as zlibConstants, gunzipSync } from "node:zlib";

import type { Origin } from "../../core/interaction";
import type { SourceIssue, SourceItem } from "../sourceItem";
import { type CopySet, HeaderScan, isCopy, scanDate, scanToEnvelope } from "./headerBlock";
import { decompressed, queuedChunks } from "./streamedChunks";

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
  /** Caps on hostile input (tests pass small ones); the defaults are MBOX_LIMITS. */
  limits?: Partial<MboxLimits>;
}

/** What one file may make the reader hold; a message beyond a header cap is skipped and counted. */
export interface MboxLimits {
  /** Longest header line, in bytes without its line break (`oversizedHeader` beyond it). */
  headerLine: number;
  /** Longest header block, from its first header line to the end of its last, in bytes. */
  headerBlock: number;
  /** Largest file (inflated size for gzip) read whole into memory; a larger one is streamed. */
  wholeFile: number;
}

const MIB = 1024 * 1024;

/**
 * The bundled sample's longest header line is 68 KB and its longest header block 93 KB; 4 MiB holds about
 * 150,000 addresses. Streaming holds at most one header block (or one line) plus a few chunks.
 */
export const MBOX_LIMITS: Readonly<MboxLimits> = Object.freeze({
  headerLine: MIB,
  headerBlock: 4 * MIB,
  wholeFile: 256 * MIB,
});

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Files of a folder and the entries passed over with a reason (links and special files, counted). */
export interface MboxListing {
  files: string[];
  skipped: SourceIssue[];
}

/** What a directory entry that is not a regular file is, in words for its issue. */
function specialKind(d: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean }): string {
  if (d.isFIFO()) return "a named pipe";
  if (d.isSocket()) return "a socket";
  if (d.isCharacterDevice()) return "a character device";
  return "a block device";
}

/**
 * Lists the mbox files of a path: the path itself, or every regular, non-hidden file of a folder (sorted).
 * In a folder, symbolic links are not followed (one could lead out of the folder or to a device) and
 * named pipes, sockets and devices are not read: each is skipped with a `notRegularFile` issue.
 * Sub-folders are not read.
 */
export async function listMboxEntries(target: string): Promise<MboxListing> {
  const stat = await fsp.stat(target);
  if (!stat.isDirectory()) return { files: [target], skipped: [] };
  const entries = (await fsp.readdir(target, { withFileTypes: true }))
    .filter((d) => !d.name.startsWith(".") && !d.isDirectory())
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  const skipped: SourceIssue[] = [];
  for (const d of entries) {
    const file = path.join(target, d.name);
    if (d.isFile()) files.push(file);
    else
      skipped.push({
        code: "notRegularFile",
        message: d.isSymbolicLink()
          ? "a symbolic link: not followed (give its target as --mbox, or copy the file into the folder)"
          : `${specialKind(d)}: not read`,
        origin: { file },
      });
  }
  return { files, skipped };
}

/** Lists the mbox files of a path: the file itself, or every regular, non-hidden file of a folder (sorted). */
export async function listMboxFiles(target: string): Promise<string[]> {
  return (await listMboxEntries(target)).files;
}

async function isGzip(handle: FileHandle): Promise<boolean> {
  const buf = Buffer.alloc(2);
  const { bytesRead } = await handle.read(buf, 0, 2, 0);
  return bytesRead === 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
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
  // Bytes not parsed yet: an unfinished line, or an unfinished header block (read again once complete).
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  // What the pending bytes wait for: a line break, or a blank line that ends the header block.
  private waitFor: "line" | "block" = "line";
  // The last two bytes pending (a blank line can straddle chunks) and the line breaks in them.
  private tail1 = -1;
  private tail2 = -1;
  private pendingLines = 0;
  // Dropping the rest of an overlong line, up to its line break.
  private skipping = false;
  private readonly limits: MboxLimits;
  readonly items: SourceItem[] = [];

  constructor(
    private readonly file: string,
    private readonly options: MboxReadOptions,
  ) {
    this.limits = { ...MBOX_LIMITS, ...options.limits };
  }

  /**
   * Streaming: adds a chunk. Bytes that cannot be parsed yet (a header block cut by the chunk's end, or
   * an unfinished line) wait, unscanned, until a chunk brings what completes them, so each byte is parsed
   * a bounded number of times; past the header caps they are dropped and the message counted.
   */
  push(chunk: Buffer): void {
    let data = chunk;
    if (this.skipping) {
      const eol = data.indexOf(10);
      if (eol < 0) return;
      this.skipping = false;
      data = data.subarray(eol + 1);
      if (data.length === 0) return;
    }
    if (this.pendingBytes > 0 && !this.completes(data)) {
      this.hold(data);
      return;
    }
    const all = this.pendingBytes ? Buffer.concat([...this.pending, data]) : data;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingLines = 0;
    const stop = this.feed(all, false);
    let rest: Buffer;
    if (this.inHeaders && this.scan.lines > 0) {
      this.pendingLines = this.lineNo - this.blockLineNo;
      this.lineNo = this.blockLineNo;
      this.scan.reset();
      this.waitFor = "block";
      rest = all.subarray(this.blockPos);
    } else {
      this.waitFor = "line";
      rest = all.subarray(stop);
    }
    // A copy, so that the chunk is not kept alive by a small remainder.
    if (rest.length) this.hold(Buffer.from(rest));
  }

  /** Keeps bytes until what they wait for arrives; past the cap, the line or block is dropped. */
  private hold(data: Buffer): void {
    this.pending.push(data);
    this.pendingBytes += data.length;
    const n = data.length;
    this.tail2 = n >= 2 ? (data[n - 2] as number) : this.tail1;
    this.tail1 = data[n - 1] as number;
    const cap = this.waitFor === "block" ? this.limits.headerBlock : this.limits.headerLine;
    if (this.pendingBytes > cap) this.overflow();
  }

  /** Whether `data` completes what the pending bytes wait for (counting its line breaks meanwhile). */
  private completes(data: Buffer): boolean {
    if (this.waitFor === "line") return data.indexOf(10) >= 0;
    for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) {
      const p1 = i >= 1 ? data[i - 1] : this.tail1;
      const p2 = i >= 2 ? data[i - 2] : i === 1 ? this.tail1 : this.tail2;
      if (p1 === 10 || (p1 === 13 && p2 === 10)) return true;
      this.pendingLines++;
    }
    return false;
  }

  /** The pending line or header block is over its cap: drop it and the rest of its line. */
  private overflow(): void {
    const block = this.waitFor === "block";
    this.lineNo += (block ? this.pendingLines : 0) + 1;
    this.skipping = this.tail1 !== 10;
    if (!this.skipping) this.lineNo--;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingLines = 0;
    this.tail1 = this.tail2 = -1;
    if (block) this.oversized("block", this.limits.headerBlock);
    else if (this.inHeaders) this.oversized("line", this.limits.headerLine);
    else if (!this.sawSeparator && this.lineNo === 1) {
      // The first line of a file without a separator: a message file whose first header is too long.
      this.startLine = 1;
      this.sawSeparator = true;
      this.oversized("line", this.limits.headerLine);
    }
    // An overlong body line is passed over: it is never a separator.
  }

  /** Skips the message whose header is too long, counted with where it starts. */
  private oversized(what: "line" | "block", cap: number): void {
    this.items.push({
      type: "issue",
      issue: {
        code: "oversizedHeader",
        message: `header ${what} longer than ${cap} bytes; the message was skipped`,
        origin: { file: this.file, line: this.startLine },
      },
    });
    this.scan.reset();
    this.inHeaders = false;
    // Accounted for: the separator's message is this issue.
    this.openMessage = false;
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
    if (complete && this.pendingBytes) this.feed(Buffer.concat(this.pending), true);
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
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

  /** One line of the file: a separator opens a message; header lines go to the scan until the empty line. */
  private line(text: Buffer, s: number, e: number): void {
    const c0 = s < e ? (text[s] as number) : -1;
    if (c0 === 70 && this.isSeparator(text, s, e)) {
      this.flush();
      this.open(this.lineNo);
      return;
    }
    if (!this.sawSeparator && !this.startsWithoutSeparator(text, s, e)) return;
    if (!this.inHeaders) return;
    if (s === e) {
      this.inHeaders = false;
      this.flush();
      return;
    }
    if (this.overLimit(s, e)) return;
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

  /** A "From " line (the caller checked the "F") that separates messages here, not a header line. */
  private isSeparator(text: Buffer, s: number, e: number): boolean {
    return (
      e - s >= 5 &&
      e - s <= this.limits.headerLine &&
      text[s + 1] === 114 &&
      text[s + 2] === 111 &&
      text[s + 3] === 109 &&
      text[s + 4] === 32 &&
      (!this.inHeaders || this.scan.lines === 0 || this.lineNo === 1)
    );
  }

  /** Starts the headers of a message at `line`. */
  private open(line: number): void {
    this.sawSeparator = true;
    this.openMessage = true;
    this.inHeaders = true;
    this.startLine = line;
  }

  /**
   * Content before any separator: on the first line, not an mbox but a single message file (.eml), read as
   * one message (returns true); blank or later lines before a separator are passed over (false).
   */
  private startsWithoutSeparator(text: Buffer, s: number, e: number): boolean {
    if (this.lineNo !== 1 || text.toString("latin1", s, e).trim() === "") return false;
    this.items.push({
      type: "issue",
      issue: {
        code: "notMbox",
        message: "no mbox separator before the first line; read as one message",
        origin: { file: this.file, line: 1 },
      },
    });
    this.open(1);
    return true;
  }

  /** A header line or block over the limits: the message is skipped (returns true). */
  private overLimit(s: number, e: number): boolean {
    if (e - s > this.limits.headerLine) {
      this.oversized("line", this.limits.headerLine);
      return true;
    }
    if (this.scan.lines > 0 && e - this.blockPos > this.limits.headerBlock) {
      this.oversized("block", this.limits.headerBlock);
      return true;
    }
    return false;
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

/** Deflate's best case: 258-byte matches in about two bits each, just over 1,032 to 1. */
const DEFLATE_MAX_RATIO = 1033;

/**
 * The output buffer for inflating a whole gzip file: the trailer's stated size (mod 2^32), so one buffer is
 * neither grown nor joined. The trailer is only a claim: a damaged or crafted one must not make a few bytes
 * allocate 256 MiB (found by the fuzz test), so it is believed up to what deflate can reach from this many
 * bytes. A claim past the limit is most likely true (a bomb): small chunks then stop near the limit, where
 * one chunk of the limit's size would be followed by a second one before zlib gives up.
 */
export function gunzipChunkSize(raw: Buffer, limit = MBOX_LIMITS.wholeFile): number {
  const stated = raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : 0;
  const claimed = Math.min(stated, raw.length * DEFLATE_MAX_RATIO);
  return claimed < limit ? Math.max(64 * 1024, claimed + 1) : 64 * 1024;
}

/** Reads and decompresses a whole file, or returns undefined where streaming must take over. */
interface WholeText {
  text: Buffer;
  compressedBytes: number;
  /** Set when the gzip data is damaged: `text` is what the longest readable prefix decompresses to. */
  damage?: unknown;
}

/** zlib's refusal to inflate past `maxOutputLength` (by code: `instanceof` fails across realms). */
const tooLarge = (err: unknown): boolean =>
  typeof err === "object" && err !== null && (err as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE";

/** Reads and decompresses a whole file, or returns undefined where streaming must take over. */
async function readWhole(handle: FileHandle, gz: boolean, limit: number): Promise<WholeText | undefined> {
  const stat = await handle.stat();
  if (stat.size > (gz ? limit / 8 : limit)) return undefined;
  const raw = await handle.readFile();
  // Read as bytes: latin1 maps bytes to characters one to one, and only wanted header values become strings;
  // values with 8-bit bytes are re-read as UTF-8 where they are used (see headerBlock).
  if (!gz) return { text: raw, compressedBytes: raw.length };
  const chunkSize = gunzipChunkSize(raw, limit);
  // A small file may inflate to anything (a gzip bomb): past the limit, zlib stops and streaming reads it.
  const maxOutputLength = Math.max(limit, 1);
  try {
    const plain = gunzipSync(raw, { chunkSize, maxOutputLength });
    return { text: plain, compressedBytes: raw.length };
  } catch (damage) {
    if (tooLarge(damage)) return undefined;
    // Truncated or corrupt: read what the longest prefix that still inflates gives (binary search).
    let lo = 0;
    let hi = raw.length;
    let best: Buffer = Buffer.alloc(0);
    try {
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        try {
          best = gunzipSync(raw.subarray(0, mid), {
            finishFlush: zlibConstants.Z_SYNC_FLUSH,
            maxOutputLength,
          });
          lo = mid;
        } catch (err) {
          if (tooLarge(err)) throw err;
          hi = mid - 1;
        }
      }
      if (lo > 0 && best.length === 0) {
        try {
          best = gunzipSync(raw.subarray(0, lo), {
            finishFlush: zlibConstants.Z_SYNC_FLUSH,
            maxOutputLength,
          });
        } catch (err) {
          if (tooLarge(err)) throw err;
          best = Buffer.alloc(0);
        }
      }
    } catch (err) {
      if (tooLarge(err)) return undefined;
      throw err;
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

/** Opens a file for reading without blocking on a named pipe (no writer) or following it into a device. */
async function openRegular(file: string): Promise<{ handle: FileHandle } | { issue: SourceIssue }> {
  let handle: FileHandle;
  try {
    handle = await fsp.open(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { issue: streamIssue(err, file, 0, false) };
  }
  try {
    const stat = await handle.stat();
    if (stat.isFile()) return { handle };
    await handle.close();
    const kind = stat.isDirectory() ? "a folder" : specialKind(stat);
    return { issue: { code: "notRegularFile", message: `${kind}: not read`, origin: { file } } };
  } catch (err) {
    await handle.close();
    return { issue: streamIssue(err, file, 0, false) };
  }
}

/**
 * Reads one mbox file, plain or gzip, yielding envelopes and named issues in file order, a batch per
 * chunk read (batches keep the per-item cost of async iteration off the hot path). What is not a regular
 * file (a device, a named pipe) is one `notRegularFile` issue, never read.
 */
export async function* readMboxFileBatches(
  file: string,
  options: MboxReadOptions = {},
): AsyncGenerator<SourceItem[]> {
  const opened = await openRegular(file);
  if ("issue" in opened) {
    yield [{ type: "issue", issue: opened.issue }];
    return;
  }
  const handle = opened.handle;
  let raw: Readable | undefined;
  try {
    let gz: boolean;
    try {
      gz = await isGzip(handle);
    } catch (err) {
      yield [{ type: "issue", issue: streamIssue(err, file, 0, false) }];
      return;
    }
    const parser = new MboxParser(file, options);
    // Whole-file decompression on this thread is several times faster than a stream for the sizes mail
    // exports have; a damaged or very large file takes the streaming path, which reads up to the damage.
    const whole = await readWhole(handle, gz, options.limits?.wholeFile ?? MBOX_LIMITS.wholeFile);
    if (whole !== undefined) {
      options.onBytes?.(whole.compressedBytes);
      yield* wholeFileBatches(parser, whole, file);
      return;
    }
    raw = handle.createReadStream({ highWaterMark: 1 << 21, start: 0, autoClose: false });
    if (options.onBytes) {
      const report = options.onBytes;
      raw.on("data", (chunk) => report(chunk.length));
    }
    yield* streamedBatches(parser, decompressed(raw, gz), file, gz);
  } finally {
    raw?.destroy();
    await handle.close();
  }
}

/** A file read whole: parsed in place, a few thousand items at a time. */
function* wholeFileBatches(parser: MboxParser, whole: WholeText, file: string): Generator<SourceItem[]> {
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
}

/** A file read as a stream: parsed chunk by chunk; a stream error ends it with an issue. */
async function* streamedBatches(
  parser: MboxParser,
  stream: Readable,
  file: string,
  gz: boolean,
): AsyncGenerator<SourceItem[]> {
  const chunks = queuedChunks(stream);
  let next = await chunks.next();
  for (; !next.done; next = await chunks.next()) {
    parser.push(next.value);
    if (parser.items.length) yield parser.items.splice(0);
  }
  const error = next.value;
  let failure: SourceIssue | undefined;
  if (error === undefined) {
    parser.end(true);
  } else {
    failure = streamIssue(error, file, parser.lineCount, gz);
    parser.end(false);
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
  let listing: MboxListing;
  try {
    listing = await listMboxEntries(target);
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
  if (listing.skipped.length) yield listing.skipped.map((issue): SourceItem => ({ type: "issue", issue }));
  for (const file of listing.files) yield* readMboxFileBatches(file, options);
}

/** Reads an mbox file or a folder of them, one item at a time. */
export async function* readMbox(target: string, options: MboxReadOptions = {}): AsyncGenerator<SourceItem> {
  for await (const batch of readMboxBatches(target, options)) yield* batch;
}
