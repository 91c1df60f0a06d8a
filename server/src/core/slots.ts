/*
 * Slots of the open-addressing indexes of the store and the state (the key-to-interaction index, the pair
 * and day indexes). A slot is one double: the entry's number + 1 in the low 32 bits (0: empty) and the
 * top 21 bits of the key's 32-bit hash above them. A probe compares the hash bits first and reads the
 * entry itself only when they match: on a table far larger than the CPU caches, each entry read is a
 * memory access, and the slots around a position share a cache line.
 *
 * The tables are plain arrays of unboxed doubles, not typed arrays, on purpose: typed arrays' memory is
 * "external" to V8, and every 64 MB of it allocated sets off a full collection of the whole heap (every
 * interaction held), which costs more than the aggregation itself.
 */

const LOW = 2 ** 32;

/** The slot for entry `entry` (0 to 2^32 - 2) of a key with this 32-bit hash. */
export function slotOf(hash: number, entry: number): number {
  return (hash >>> 11) * LOW + entry + 1;
}

/** The entry a non-empty slot holds. */
export function entryOf(slot: number): number {
  return (slot >>> 0) - 1;
}

/** Whether a slot may hold a key with this hash (its hash bits match). */
export function mayHold(slot: number, hash: number): boolean {
  return slot - (slot >>> 0) === (hash >>> 11) * LOW;
}

/** A zeroed array of `n` unboxed doubles. */
export function doubles(n: number): number[] {
  const a = new Array<number>(n);
  a[0] = 0.5; // makes the elements unboxed doubles before the fill
  return a.fill(0);
}

/** Mixes two small integers into a 32-bit hash (ids and days are dense, so they need spreading). */
export function mix(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  return h ^ (h >>> 15);
}
