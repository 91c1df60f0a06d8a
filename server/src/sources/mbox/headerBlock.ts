import { addressParser, decodeWords } from "postal-mime";

import type { MailboxRef, MessageEnvelope, Origin } from "../../core/interaction";
import type { SourceIssue } from "../sourceItem";
import { parseMeetingWhen } from "./meetingWhen";

/** The headers Rapport reads, by slot; everything else in a header block is passed over. */
export const WANTED_HEADERS = [
  "message-id",
  "date",
  "from",
  "sender",
  "to",
  "cc",
  "bcc",
  "subject",
  "auto-submitted",
  "precedence",
  "list-id",
  "list-unsubscribe",
  "x-auto-response-suppress",
  "x-autoreply",
  "x-autorespond",
  "x-meeting-when",
] as const;

export type WantedHeader = (typeof WANTED_HEADERS)[number];

const H_MESSAGE_ID = 0;
const H_DATE = 1;
const H_FROM = 2;
const H_SENDER = 3;
const H_TO = 4;
const H_CC = 5;
const H_BCC = 6;
const H_SUBJECT = 7;
const H_AUTO_SUBMITTED = 8;
const H_PRECEDENCE = 9;
const H_LIST_ID = 10;
const H_LIST_UNSUBSCRIBE = 11;
const H_X_AUTOREPLY = 13;
const H_X_AUTORESPOND = 14;
const H_X_MEETING_WHEN = 15;

const SLOT_OF = new Map<string, number>(WANTED_HEADERS.map((n, i) => [n, i]));

// Wanted names by their first letter (lower case), for the allocation-free name check.
const BY_FIRST: (number[] | undefined)[] = [];
WANTED_HEADERS.forEach((name, slot) => {
  const c = name.charCodeAt(0);
  (BY_FIRST[c] ??= []).push(slot);
});

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

// Bytes that String#trim removes, in the latin1 range (one character per byte).
const TRIM = new Uint8Array(256);
for (const c of [9, 10, 11, 12, 13, 32, 160]) TRIM[c] = 1;

const EMPTY = Buffer.alloc(0);

/**
 * The slot of the header named by the latin1 bytes `buf[start, end)` (case-insensitive, surrounding blanks
 * ignored), or -1 when Rapport does not read it. Compares bytes: no string is built for the many unwanted names.
 */
export function wantedSlotBytes(buf: Buffer, start: number, end: number): number {
  let s = start;
  let e = end;
  while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
  while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
  if (s === e) return -1;
  if (!isLetter(buf[s] as number) || !isLetter(buf[e - 1] as number)) {
    // Odd characters at the ends (other blanks, controls, 8-bit): let String#trim decide, as the reference does.
    return SLOT_OF.get(buf.toString("latin1", start, end).trim().toLowerCase()) ?? -1;
  }
  const candidates = BY_FIRST[(buf[s] as number) | 0x20];
  if (!candidates) return -1;
  for (const slot of candidates) if (nameAt(WANTED_HEADERS[slot] as string, buf, s, e - s)) return slot;
  return -1;
}

/** Whether the `len` bytes at `s` spell the lower-case `name` in any case (its first letter already matched). */
function nameAt(name: string, buf: Buffer, s: number, len: number): boolean {
  if (name.length !== len) return false;
  for (let i = 1; i < len; i++) {
    const want = name.charCodeAt(i);
    const got = buf[s + i] as number;
    if (got !== want && !(want >= 97 && got === want - 32)) return false;
  }
  return true;
}

/**
 * The wanted headers of one header block, read in place from the latin1 bytes of the mailbox (first
 * occurrence wins, as in the sample's converter and most mail readers), with a running hash of everything
 * but the per-copy Message-ID. A value becomes a string only when asked for (exact copies never are).
 * One instance is reused for every block of a file; `buf` is the buffer the current block's lines are in.
 */
export class HeaderScan {
  /** Slots in the order their headers appeared. */
  readonly order: number[] = [];
  /** Lines without a header name (no colon, or a colon first). */
  malformed = 0;
  /** Logical (unfolded) header lines seen. */
  lines = 0;
  private buf: Buffer = EMPTY;
  // Per slot: 0 absent, 1 byte segments of `buf`, 2 a string in `strs`.
  private readonly state = new Uint8Array(WANTED_HEADERS.length);
  private readonly strs: (string | undefined)[] = new Array<string | undefined>(WANTED_HEADERS.length).fill(
    undefined,
  );
  private readonly segFirst = new Int32Array(WANTED_HEADERS.length);
  private readonly segCount = new Int32Array(WANTED_HEADERS.length);
  // Byte ranges (start, end pairs) of the values being read: the first line after the colon, then each
  // continuation line already trimmed; the value is their join by one blank, trimmed.
  private segs = new Int32Array(256);
  private nSegs = 0;
  private ws: number[] = [];
  private h1 = 0;
  private h2 = 0;
  private cur = -1;
  private pending: string | undefined;

  reset(): void {
    for (const slot of this.order) {
      this.state[slot] = 0;
      this.strs[slot] = undefined;
    }
    this.order.length = 0;
    this.malformed = 0;
    this.lines = 0;
    this.nSegs = 0;
    this.h1 = 0x6a09e667;
    this.h2 = 0x3c6ef372;
    this.cur = -1;
    this.pending = undefined;
  }

  constructor() {
    this.reset();
  }

  private addSeg(s: number, e: number): void {
    if (this.nSegs * 2 + 2 > this.segs.length) {
      const bigger = new Int32Array(this.segs.length * 2);
      bigger.set(this.segs);
      this.segs = bigger;
    }
    this.segs[this.nSegs * 2] = s;
    this.segs[this.nSegs * 2 + 1] = e;
    this.nSegs++;
  }

  /** Starts a logical header line: the latin1 bytes `buf[start, end)` without the line break. */
  startLine(buf: Buffer, start: number, end: number): void {
    this.endLine();
    this.buf = buf;
    this.lines++;
    let colon = start;
    while (colon < end && buf[colon] !== 58) colon++;
    if (colon === end) {
      // No colon yet: a folded continuation may still bring one; decide when the line is complete.
      this.pending = buf.toString("latin1", start, end);
      return;
    }
    if (colon === start) {
      this.malformed++;
      return;
    }
    const slot = wantedSlotBytes(buf, start, colon);
    if (slot >= 0 && this.state[slot] === 0) {
      this.cur = slot;
      this.segFirst[slot] = this.nSegs;
      this.addSeg(colon + 1, end);
    }
  }

  /** A folded continuation of the current header: `buf[start, end)`, starting with a blank. */
  continueLine(buf: Buffer, start: number, end: number): void {
    if (this.cur >= 0) {
      let s = start;
      let e = end;
      while (s < e && TRIM[buf[s] as number] === 1) s++;
      while (e > s && TRIM[buf[e - 1] as number] === 1) e--;
      this.addSeg(s, e);
    } else if (this.pending !== undefined) this.pending += " " + buf.toString("latin1", start, end).trim();
  }

  /** Adds one complete (already unfolded) header line. */
  addLine(line: string): void {
    this.endLine();
    const before = this.order.length;
    this.startLine(Buffer.from(line, "latin1"), 0, line.length);
    this.endLine();
    // The line's own buffer is not kept: read the value now.
    if (this.order.length > before) this.value(this.order[before] as number);
  }

  /** Completes the current logical line. */
  endLine(): void {
    if (this.cur >= 0) {
      const slot = this.cur;
      this.cur = -1;
      this.segCount[slot] = this.nSegs - (this.segFirst[slot] as number);
      this.state[slot] = 1;
      this.order.push(slot);
      if (slot !== H_MESSAGE_ID) this.hashSegs(slot);
    } else if (this.pending !== undefined) {
      const line = this.pending;
      this.pending = undefined;
      const colon = line.indexOf(":");
      if (colon <= 0) {
        this.malformed++;
        return;
      }
      const slot = SLOT_OF.get(line.slice(0, colon).trim().toLowerCase());
      if (slot !== undefined && this.state[slot] === 0) {
        const value = line.slice(colon + 1).trim();
        this.state[slot] = 2;
        this.strs[slot] = value;
        this.order.push(slot);
        if (slot !== H_MESSAGE_ID) this.hashString(slot, value);
      }
    }
  }

  /** Hashes the trimmed join of a slot's segments, byte for byte what its string value would give. */
  private hashSegs(slot: number): void {
    const buf = this.buf;
    const segs = this.segs;
    const ws = this.ws;
    let h1 = Math.imul(this.h1 ^ (slot + 0x100), 2654435761);
    let h2 = Math.imul(this.h2 ^ (slot + 0x100), 1597334677);
    let started = false;
    let nWs = 0;
    const first = this.segFirst[slot] as number;
    const last = first + (this.segCount[slot] as number);
    if (last === first + 1) {
      // One line (the common case): trim its ends, then every byte between counts.
      let s = segs[2 * first] as number;
      let e = segs[2 * first + 1] as number;
      while (s < e && TRIM[buf[s] as number] === 1) s++;
      while (e > s && TRIM[buf[e - 1] as number] === 1) e--;
      for (let i = s; i < e; i++) {
        const ch = buf[i] as number;
        h1 = Math.imul(h1 ^ ch, 2654435761);
        h2 = Math.imul(h2 ^ ch, 1597334677);
      }
      this.h1 = Math.imul(h1 ^ 0x1ff, 2654435761);
      this.h2 = Math.imul(h2 ^ 0x1ff, 1597334677);
      return;
    }
    for (let k = first; k < last; k++) {
      if (k > first) {
        // The blank that joins a continuation.
        if (started) ws[nWs++] = 32;
      }
      const e = segs[2 * k + 1] as number;
      for (let i = segs[2 * k] as number; i < e; i++) {
        const ch = buf[i] as number;
        if (TRIM[ch] === 1) {
          if (started) ws[nWs++] = ch;
          continue;
        }
        started = true;
        for (let w = 0; w < nWs; w++) {
          const c = ws[w] as number;
          h1 = Math.imul(h1 ^ c, 2654435761);
          h2 = Math.imul(h2 ^ c, 1597334677);
        }
        nWs = 0;
        h1 = Math.imul(h1 ^ ch, 2654435761);
        h2 = Math.imul(h2 ^ ch, 1597334677);
      }
    }
    // A separator outside the byte range, so "a" + "bc" and "ab" + "c" differ.
    this.h1 = Math.imul(h1 ^ 0x1ff, 2654435761);
    this.h2 = Math.imul(h2 ^ 0x1ff, 1597334677);
  }

  private hashString(slot: number, value: string): void {
    let h1 = Math.imul(this.h1 ^ (slot + 0x100), 2654435761);
    let h2 = Math.imul(this.h2 ^ (slot + 0x100), 1597334677);
    for (let i = 0; i < value.length; i++) {
      const ch = value.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    this.h1 = Math.imul(h1 ^ 0x1ff, 2654435761);
    this.h2 = Math.imul(h2 ^ 0x1ff, 1597334677);
  }

  /** Whether the block has the header of `slot`. */
  has(slot: number): boolean {
    return this.state[slot] !== 0;
  }

  /** The trimmed value of a slot as read (latin1: one character per byte), or undefined. */
  value(slot: number): string | undefined {
    const state = this.state[slot];
    if (state === 0) return undefined;
    if (state === 2) return this.strs[slot];
    const first = this.segFirst[slot] as number;
    const count = this.segCount[slot] as number;
    const buf = this.buf;
    let s = this.segs[2 * first] as number;
    let e = this.segs[2 * first + 1] as number;
    let value: string;
    if (count === 1) {
      while (s < e && TRIM[buf[s] as number] === 1) s++;
      while (e > s && TRIM[buf[e - 1] as number] === 1) e--;
      value = buf.toString("latin1", s, e);
    } else {
      value = buf.toString("latin1", s, e);
      for (let k = first + 1; k < first + count; k++)
        value += " " + buf.toString("latin1", this.segs[2 * k] as number, this.segs[2 * k + 1] as number);
      value = value.trim();
    }
    this.state[slot] = 2;
    this.strs[slot] = value;
    return value;
  }

  /** Number of wanted headers found. */
  get size(): number {
    return this.order.length;
  }

  get(name: WantedHeader): string | undefined {
    return this.value(SLOT_OF.get(name) as number);
  }

  /**
   * The identity of the block for exact copies: a 53-bit hash of every wanted header but the per-copy
   * Message-ID, in order. Two blocks with the same copy key produce the same interaction.
   */
  copyKey(): number {
    return 4294967296 * this.copyHi() + this.copyLo();
  }

  /** The high 21 bits of the copy key. */
  copyHi(): number {
    const h1 = this.mixed1();
    return (
      2097151 & (Math.imul(this.h2 ^ (this.h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909))
    );
  }

  /** The low 32 bits of the copy key. */
  copyLo(): number {
    return this.mixed1() >>> 0;
  }

  private mixed1(): number {
    const h1 = this.h1;
    const h2 = this.h2;
    return Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  }
}

interface ParsedAddress {
  name?: string;
  address?: string;
  group?: ParsedAddress[];
}

// Distribution lists repeat the same To/Cc text thousands of times: parse each distinct text once.
const addressCache = new Map<string, MailboxRef[]>();
const ADDRESS_CACHE_LIMIT = 100_000;

/*
 * Most distinct texts occur once (one message's own set of recipients). Cached, they would only be
 * copied by the garbage collector until promoted, and on a large mailbox that copying cost more than
 * parsing: the cache held most of what a reader keeps alive. So a text is cached at its second sighting;
 * the first is remembered by a fingerprint in a direct-mapped table outside the JavaScript heap. A
 * fingerprint clash only decides whether a text is cached, never what it parses to.
 */
const SEEN_BITS = 18;
const seenOnce = new Int32Array(1 << SEEN_BITS);

/** A cheap fingerprint of a text: its length and up to about 32 of its characters, spread over it. */
function fingerprint(value: string): number {
  const n = value.length;
  let h = Math.imul(n, 0x9e3779b1);
  const step = (n >> 5) + 1;
  for (let i = n - 1; i >= 0; i -= step) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) | 1;
}

/** True when the text was seen before (by fingerprint); remembers it otherwise. */
function seenBefore(value: string): boolean {
  const h = fingerprint(value);
  const at = h >>> (32 - SEEN_BITS);
  if (seenOnce[at] === h) return true;
  seenOnce[at] = h;
  return false;
}

function flatten(list: ParsedAddress[], out: MailboxRef[]): void {
  for (const a of list) {
    if (a.group) {
      // An empty group ("undisclosed-recipients:;") stands for hidden recipients: keep it visible as such.
      if (a.group.length === 0) out.push({ name: a.name ?? "", address: a.name ?? "" });
      else flatten(a.group, out);
    } else {
      out.push({ name: a.name ?? "", address: a.address ?? "" });
    }
  }
}

// Characters of a bare addr-spec that no reading of RFC 5322 (nor postal-mime's) treats specially: letters,
// digits and ". _ - + ' &". Everything else (blanks inside, quotes, angle brackets, parentheses, colons,
// semicolons, backslashes, "=" and "?" of encoded words, controls, 8-bit) takes the full parser.
const PLAIN_ADDR = new Uint8Array(128);
for (let c = 48; c <= 57; c++) PLAIN_ADDR[c] = 1;
for (let c = 65; c <= 90; c++) PLAIN_ADDR[c] = 1;
for (let c = 97; c <= 122; c++) PLAIN_ADDR[c] = 1;
for (const ch of "._-+'&") PLAIN_ADDR[ch.charCodeAt(0)] = 1;

/**
 * The mailboxes of a header that is only a comma-separated list of bare addr-specs ("a@x.com, b@y.com"),
 * each with one "@" between non-empty parts and optional blanks around it; undefined for anything else.
 * Gives exactly what addressParser gives for such a list (each address with an empty name), without its
 * tokens and intermediate objects.
 */
export function plainAddressList(value: string): MailboxRef[] | undefined {
  const out: MailboxRef[] = [];
  const n = value.length;
  let i = 0;
  while (i < n) {
    const start = skipBlanks(value, i);
    const end = addrSpecEnd(value, start);
    i = skipBlanks(value, end);
    if (i < n && value.charCodeAt(i) !== 44) return undefined;
    i++; // past the comma
    // An empty item between commas: the parser has no token for it either.
    if (end === start) continue;
    if (!oneAtInside(value, start, end)) return undefined;
    out.push({ name: "", address: value.slice(start, end) });
  }
  return out;
}

/** The first position from `i` that is not a space or a tab. */
function skipBlanks(value: string, i: number): number {
  let k = i;
  for (let c = value.charCodeAt(k); c === 32 || c === 9; c = value.charCodeAt(++k));
  return k;
}

/** The end of the run of addr-spec characters (PLAIN_ADDR and "@") from `i`. */
function addrSpecEnd(value: string, i: number): number {
  let k = i;
  for (let c = value.charCodeAt(k); c === 64 || (c < 128 && PLAIN_ADDR[c] === 1); c = value.charCodeAt(++k));
  return k;
}

/** Exactly one "@" in value[start, end), with something on either side of it. */
function oneAtInside(value: string, start: number, end: number): boolean {
  const at = value.indexOf("@", start);
  if (at <= start || at >= end - 1) return false;
  const again = value.indexOf("@", at + 1);
  return again === -1 || again >= end;
}

/**
 * Parses an address header (RFC 5322, with RFC 2047 encoded display names) into mailboxes. The result is
 * frozen, and from a text's second sighting on shared by every caller with the same text.
 */
export function parseAddressHeader(value: string | undefined): MailboxRef[] {
  if (!value) return [];
  const cached = addressCache.get(value);
  if (cached) return cached;
  let out = plainAddressList(value);
  if (out === undefined) {
    out = [];
    flatten(addressParser(value, { flatten: false }) as ParsedAddress[], out);
  }
  // Frozen, so that consumers may judge the shared list once (see Normaliser).
  Object.freeze(out);
  if (!seenBefore(value)) return out;
  if (addressCache.size >= ADDRESS_CACHE_LIMIT) addressCache.clear();
  addressCache.set(value, out);
  return out;
}

const MONTH_BY_CODE = new Map<number, number>(
  ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map((m, i) => [
    (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2),
    i,
  ]),
);

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

/** The number written by the `count` decimal digits at `i` (no array per date: this runs per message); -1 if any is not one. */
function digits(s: string, i: number, count: number): number {
  let n = 0;
  for (let k = i; k < i + count; k++) {
    const d = digit(s, k);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The common form "Mon, 14 May 2001 16:39:00 -0700 (PDT)" read without regular expressions; undefined for
 * anything else (the general parser decides those). Gives exactly what Date.parse gives for this form.
 */
// eslint-disable-next-line complexity -- one function reads the date left to right as the grammar of its one form does; split into steps, each would have to return a position and a value
function fastMailDate(v: string): number | undefined {
  let i = 0;
  const n = v.length;
  if (n > 5 && v.charCodeAt(3) === 44 && v.charCodeAt(4) === 32) {
    // "Mon, ": a three-letter day name, which the date does not depend on.
    if (!isLetter(v.charCodeAt(0)) || !isLetter(v.charCodeAt(1)) || !isLetter(v.charCodeAt(2)))
      return undefined;
    i = 5;
  }
  const d1 = digit(v, i);
  if (d1 < 0) return undefined;
  let day = d1;
  i++;
  const d2 = digit(v, i);
  if (d2 >= 0) {
    day = day * 10 + d2;
    i++;
  }
  if (v.charCodeAt(i) !== 32) return undefined;
  const month = MONTH_BY_CODE.get(
    ((v.charCodeAt(i + 1) | 0x20) << 16) | ((v.charCodeAt(i + 2) | 0x20) << 8) | (v.charCodeAt(i + 3) | 0x20),
  );
  if (month === undefined || v.charCodeAt(i + 4) !== 32) return undefined;
  i += 5;
  const year = digits(v, i, 4);
  if (year < 1000 || v.charCodeAt(i + 4) !== 32) return undefined;
  i += 5;
  const hour = digits(v, i, 2);
  const minute = digits(v, i + 3, 2);
  const second = digits(v, i + 6, 2);
  if (hour < 0 || minute < 0 || second < 0 || v.charCodeAt(i + 2) !== 58 || v.charCodeAt(i + 5) !== 58)
    return undefined;
  if (hour > 23 || minute > 59 || second > 59 || day < 1 || day > 31) return undefined;
  i += 8;
  if (v.charCodeAt(i) !== 32) return undefined;
  const sign = v.charCodeAt(i + 1);
  if (sign !== 43 && sign !== 45) return undefined;
  const zh = digits(v, i + 2, 2);
  const zm = digits(v, i + 4, 2);
  if (zh < 0 || zm < 0) return undefined;
  if (zh > 23 || zm > 59) return undefined;
  i += 6;
  // The rest may only be a zone comment "(PDT)".
  if (i < n) {
    if (v.charCodeAt(i) !== 32 || v.charCodeAt(i + 1) !== 40 || v.charCodeAt(n - 1) !== 41) return undefined;
    for (let k = i + 2; k < n - 1; k++) {
      const c = v.charCodeAt(k) | 0x20;
      if (c < 97 || c > 122) return undefined;
    }
  }
  const offset = (sign === 45 ? -1 : 1) * (zh * 60 + zm);
  return Date.UTC(year, month, day, hour, minute, second) - offset * 60_000;
}

/** RFC 5322 date, tolerating the zone comment "(PDT)" and obsolete zone names that mail tools write. */
export function parseMailDate(value: string | undefined): number {
  if (!value) return Number.NaN;
  const fast = fastMailDate(value);
  if (fast !== undefined) return fast;
  const cleaned = value
    .replace(/\([^)]*\)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return Date.parse(cleaned);
}

/**
 * Collects the wanted headers of one block; lines are already unfolded (continuations joined).
 * Counts malformed lines (no colon) so the caller can report them.
 */
export function collectHeaders(lines: readonly string[]): {
  headers: Map<string, string>;
  malformed: number;
} {
  const scan = new HeaderScan();
  for (const line of lines) scan.addLine(line);
  scan.endLine();
  const headers = new Map<string, string>();
  for (const slot of scan.order)
    headers.set(WANTED_HEADERS[slot] as string, utf8(scan.value(slot) as string));
  return { headers, malformed: scan.malformed };
}

/** The exact-copy identity of a set of unfolded header lines (see HeaderScan.copyKey). */
export function copyKey(lines: readonly string[]): number {
  const scan = new HeaderScan();
  for (const line of lines) scan.addLine(line);
  scan.endLine();
  return scan.copyKey();
}

function automatedSignal(scan: HeaderScan): string | undefined {
  const auto = scan.value(H_AUTO_SUBMITTED);
  if (auto && !/^no$/i.test(auto) && !/auto-replied/i.test(auto)) return `auto-submitted`;
  const precedence = scan.value(H_PRECEDENCE);
  if (precedence && /^(bulk|list|junk)$/i.test(precedence)) return "precedence";
  if (scan.has(H_LIST_ID) || scan.has(H_LIST_UNSUBSCRIBE)) return "list";
  return undefined;
}

function autoReplySignal(scan: HeaderScan): string | undefined {
  if (/auto-replied/i.test(scan.value(H_AUTO_SUBMITTED) ?? "")) return "auto-submitted";
  if (scan.has(H_X_AUTOREPLY) || scan.has(H_X_AUTORESPOND)) return "x-autoreply";
  return undefined;
}

/**
 * Text is read as latin1 (one character per byte); raw 8-bit header values are UTF-8 in practice.
 * Not valid UTF-8 (a legacy 8-bit charset): keep the latin1 reading rather than replacement characters.
 */
export function utf8(value: string): string {
  let high = false;
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0x7f) {
      high = true;
      break;
    }
  }
  if (!high) return value;
  const decoded = Buffer.from(value, "latin1").toString("utf8");
  return decoded.includes("\ufffd") ? value : decoded;
}

const text = (v: string | undefined): string | undefined => (v === undefined ? undefined : utf8(v));

/**
 * A set of copy keys (53-bit numbers as two 32-bit halves) in one open-addressing table: no heap number
 * or hash-table entry object per message, as a `Set<number>` of keys above 2^31 has.
 */
export class CopySet {
  private table = new Int32Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds the key; true when it was there already. `hi` has 21 bits, `lo` 32 (well mixed). */
  add(hi: number, lo: number): boolean {
    const mask = (this.table.length >>> 1) - 1;
    let i = lo & mask;
    const t = this.table;
    const h = hi + 1; // 0 marks an empty slot
    while (true) {
      const at = t[2 * i] as number;
      if (at === 0) break;
      if (at === h && t[2 * i + 1] === (lo | 0)) return true;
      i = (i + 1) & mask;
    }
    t[2 * i] = h;
    t[2 * i + 1] = lo | 0;
    if (++this.count * 2 > mask) this.grow();
    return false;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i] as number;
      if (h !== 0) this.add(h - 1, old[i + 1] as number);
    }
  }
}

/** Whether the block has a copy already read; records it otherwise. Blocks without wanted headers never are. */
export function isCopy(scan: HeaderScan, seenCopies: Set<unknown> | CopySet | undefined): boolean {
  if (!seenCopies || scan.size === 0) return false;
  if (seenCopies instanceof CopySet) return seenCopies.add(scan.copyHi(), scan.copyLo());
  const key = scan.copyKey();
  if (seenCopies.has(key)) return true;
  seenCopies.add(key);
  return false;
}

/** The Date header of a scanned block, as epoch milliseconds (NaN when missing or unreadable). */
export function scanDate(scan: HeaderScan): number {
  return parseMailDate(scan.value(H_DATE));
}

/**
 * Turns a scanned header block into an envelope, or a named issue when it has no header or no date.
 * `sentAt` is the block's scanDate when the caller has read it already.
 */
export function scanToEnvelope(
  scan: HeaderScan,
  origin: Origin,
  sentAt = scanDate(scan),
): { envelope: MessageEnvelope } | { issue: SourceIssue } {
  if (scan.size === 0) {
    return { issue: { code: "malformedHeader", message: "no readable header in this message", origin } };
  }
  const rawDate = scan.value(H_DATE);
  if (!Number.isFinite(sentAt)) {
    return {
      issue: {
        code: "invalidDate",
        message: rawDate ? "Date header is not an RFC 5322 date" : "Date header missing",
        origin,
      },
    };
  }
  const rawSubject = text(scan.value(H_SUBJECT));
  const subject = rawSubject && rawSubject.includes("=?") ? decodeWords(rawSubject) : rawSubject;
  const [from] = parseAddressHeader(text(scan.value(H_FROM)));
  const [sender] = parseAddressHeader(text(scan.value(H_SENDER)));
  const envelope: MessageEnvelope = {
    kind: "email",
    sentAt,
    to: parseAddressHeader(text(scan.value(H_TO))),
    cc: parseAddressHeader(text(scan.value(H_CC))),
    bcc: parseAddressHeader(text(scan.value(H_BCC))),
    source: "mbox",
    origin,
  };
  if (from) envelope.from = from;
  if (sender) envelope.sender = sender;
  if (subject !== undefined) envelope.subject = subject;
  const messageId = text(scan.value(H_MESSAGE_ID))?.replace(/^<|>$/g, "").trim();
  if (messageId) envelope.messageId = messageId;
  const automated = automatedSignal(scan);
  if (automated) envelope.automatedHeader = automated;
  const autoReply = autoReplySignal(scan);
  if (autoReply) envelope.autoReplyHeader = autoReply;
  const meeting = parseMeetingWhen(text(scan.value(H_X_MEETING_WHEN)));
  if (meeting) envelope.meeting = meeting;
  return { envelope };
}

/** Turns one header block (unfolded lines) into an envelope, or a named issue when its date cannot be read. */
export function headerBlockToEnvelope(
  lines: readonly string[],
  origin: Origin,
  seenCopies?: Set<unknown>,
): { envelope: MessageEnvelope; malformed: number } | { issue: SourceIssue } | { copy: true } {
  const scan = new HeaderScan();
  for (const line of lines) scan.addLine(line);
  scan.endLine();
  if (isCopy(scan, seenCopies)) return { copy: true };
  const r = scanToEnvelope(scan, origin);
  return "issue" in r ? r : { envelope: r.envelope, malformed: scan.malformed };
}
