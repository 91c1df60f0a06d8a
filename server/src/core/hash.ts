/**
 * A fast, well-distributed 53-bit string hash (the public-domain "cyrb53" construction), as 14 hex digits.
 * Used for de-duplication fingerprints and thread keys, where a collision among millions of messages is
 * far less likely than a duplicate copy; it is not a cryptographic hash.
 */
export function hash53(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex53(2097151 & h2, h1 >>> 0);
}

const HEX_DIGIT = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const hd = (n: number, shift: number): number => HEX_DIGIT[(n >>> shift) & 15] as number;

/** `(hi * 2^32 + lo).toString(16).padStart(14, "0")` for a 21-bit `hi` and 32-bit `lo`, in one flat string. */
function hex53(hi: number, lo: number): string {
  return String.fromCharCode(
    hd(hi, 20),
    hd(hi, 16),
    hd(hi, 12),
    hd(hi, 8),
    hd(hi, 4),
    hd(hi, 0),
    hd(lo, 28),
    hd(lo, 24),
    hd(lo, 20),
    hd(lo, 16),
    hd(lo, 12),
    hd(lo, 8),
    hd(lo, 4),
    hd(lo, 0),
  );
}

/** Two independent 32-bit hashes of a string (FNV-1a with two offsets), for order-independent set hashing. */
export function hashPair(text: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 0x01000193);
    h2 = Math.imul(h2 ^ ch, 0x01000193) ^ (h2 >>> 15);
  }
  return [h1 | 0, h2 | 0];
}

/**
 * hash53 of a text fed in parts, without building the text: `new Hash53().text(a).int(n).text(b).hex()`
 * equals `hash53(`${a}${n}${b}`)`. Reusable after `hex()` (which resets it).
 */
export class Hash53 {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  private readonly digits: number[] = [];

  text(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  char(ch: number): this {
    this.h1 = Math.imul(this.h1 ^ ch, 2654435761);
    this.h2 = Math.imul(this.h2 ^ ch, 1597334677);
    return this;
  }

  /** A number as `${n}` writes it. */
  int(n: number): this {
    if (!Number.isSafeInteger(n)) return this.text(String(n));
    let m = n;
    if (m < 0) {
      this.char(45);
      m = -m;
    }
    if (m < 1e8) return this.digitsOf(m, 0);
    // Two parts that small-integer arithmetic handles: the leading digits, then exactly eight more.
    const high = Math.floor(m / 1e8);
    this.digitsOf(high, 0);
    return this.digitsOf(m - high * 1e8, 8);
  }

  /** The decimal digits of `m` (below 1e8), zero-padded to `width`. */
  private digitsOf(m: number, width: number): this {
    const d = this.digits;
    let k = 0;
    let v = m | 0;
    do {
      d[k++] = 48 + (v % 10);
      v = (v / 10) | 0;
    } while (v > 0);
    while (k < width) d[k++] = 48;
    while (k > 0) this.char(d[--k] as number);
    return this;
  }

  hex(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    this.h1 = 0xdeadbeef;
    this.h2 = 0x41c6ce57;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return hex53(2097151 & h2, h1 >>> 0);
  }
}
