/*
 * Slots of the open-addressing indexes of the store and the state (the key-to-interaction index, the pair
 * and day indexes). A slot is one double: the entry's number + 1 in the low 32 bits (0: empty) and a
 * 21-bit tag of the key's 32-bit hash above them (mixed again, so that it does not repeat the bits that
 * chose the position). A probe compares the tags first and reads the entry itself only when they match:
 * on a table far larger than the CPU caches, each entry read is a memory access, and the slots around a
 * position share a cache line.
 *
 * The tables are plain arrays of unboxed doubles, not typed arrays, on purpose: typed arrays' memory is
 * "external" to V8, and every 64 MB of it allocated sets off a full collection of the whole heap (every
 * interaction held), which costs more than the aggregation itself.
 */

const LOW = 2 ** 32;

/** The 21-bit tag of a 32-bit hash. */
export function tag(hash: number): number {
  return Math.imul(hash ^ (hash >>> 16), 0x45d9f3b) >>> 11;
}

/** The slot for entry `entry` (0 to 2^32 - 2) of a key with this 32-bit hash. */
export function slotOf(hash: number, entry: number): number {
  return tag(hash) * LOW + entry + 1;
}

/** The entry a non-empty slot holds. */
export function entryOf(slot: number): number {
  return (slot >>> 0) - 1;
}

/**
 * Whether a slot may hold a key with this hash (its hash bits match). A hot probe loop better compares
 * `slot - (slot >>> 0)` with `tag(hash) * 2^32` worked out once: a slot passed to a call the compiler
 * did not inline is boxed, a heap number per probe.
 */
export function mayHold(slot: number, hash: number): boolean {
  return slot - (slot >>> 0) === tag(hash) * LOW;
}

/**
 * A zeroed array of `n` (at least 1) unboxed doubles. Grown from a one-double literal: `new Array(n)`
 * holds tagged values, and its first double would copy it all into a second array of doubles, which for a
 * large table doubled the pages to fault in.
 */
export function doubles(n: number): number[] {
  const a = [0.5];
  a.length = n;
  return a.fill(0);
}

/** Mixes two small integers into a 32-bit hash (ids and days are dense, so they need spreading). */
export function mix(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  return h ^ (h >>> 15);
}
