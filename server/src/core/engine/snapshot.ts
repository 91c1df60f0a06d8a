import type { Interaction } from "../interaction";

/**
 * What a partition's state has absorbed (its input version): the runs whose shares were added, the
 * digest of those shares, and the partition it is. Kept beside the state, so that a run can tell
 * whether its shares are in already (a retried recompute) and which runs are still to add.
 */
export interface SnapshotInput {
  partition: number;
  partitions: number;
  /** The last run absorbed and its place in the chain of runs (RunManifest.seq). */
  run: string;
  seq: number;
  /** Digest of that run's shares of the partition, as absorbed (see ScaleStore.partitionVersion). */
  version: string;
}

/** A partition's relationship state between runs: its de-duplicated interactions and what it absorbed. */
export interface PartitionSnapshot {
  input: SnapshotInput;
  interactions: Interaction[];
}

/** The fields written positionally (addresses by number); any other field goes in the line's last slot. */
const POSITIONAL = new Set(["key", "kind", "at", "from", "to", "cc", "bcc", "recipientCount"]);

/**
 * Encodes a partition's interactions as text: a header line (format, input version, every address once)
 * then one JSON array per interaction, its addresses as numbers into the header's list. Several times
 * smaller than one JSON object per interaction, and decoded without parsing each address again.
 * Interactions are written in canonical order (time, then key) when given so; the order is kept.
 *
 * @example encodeSnapshot({ input, interactions: state.store.sorted() })
 */
export function encodeSnapshot(snapshot: PartitionSnapshot): string {
  return encodeLines(snapshot.interactions, { format: SNAPSHOT_FORMAT, input: snapshot.input });
}

/** Thrown when a stored snapshot cannot be read back (another format, or damaged). */
export class SnapshotFormatError extends Error {
  override name = "SnapshotFormatError";
}

type Row = [string, Interaction["kind"], number, number, number[], number[], number[], number, object?];

/** Decodes what encodeSnapshot wrote; the interactions come back equal, field for field. */
export function decodeSnapshot(text: string): PartitionSnapshot {
  const { header, interactions } = decodeLines<{ input?: SnapshotInput }>(text, SNAPSHOT_FORMAT, "snapshot");
  if (!header.input) throw new SnapshotFormatError(`partition snapshot: expected format ${SNAPSHOT_FORMAT}`);
  return { input: header.input, interactions };
}

/**
 * Encodes one mailbox's share of a partition (the interactions a sync routed there) as a snapshot is
 * encoded, without an input: addresses once in the header, one array a line.
 */
export function encodeShare(interactions: readonly Interaction[]): string {
  return encodeLines(interactions, { format: SHARE_FORMAT });
}

/**
 * Decodes a share: what encodeShare wrote, or one JSON object per interaction a line (the shares of
 * runs synced before encodeShare, read when a later run adds them to a kept state).
 */
export function decodeShare(text: string): Interaction[] {
  if (!text) return [];
  if (!text.startsWith(`{"format":`)) return text.split("\n").map((line) => JSON.parse(line) as Interaction);
  return decodeLines(text, SHARE_FORMAT, "share").interactions;
}

/** The header and lines of a snapshot or a share (see encodeSnapshot). */
function encodeLines(interactions: readonly Interaction[], head: Record<string, unknown>): string {
  const numbers = new Map<string, number>();
  const addresses: string[] = [];
  const id = (a: string): number => {
    let n = numbers.get(a);
    if (n === undefined) {
      n = addresses.length;
      numbers.set(a, n);
      addresses.push(a);
    }
    return n;
  };
  // Lists of numbers are written by hand: JSON.stringify of a whole row per interaction was most of the
  // encoding's time (docs/benchmarks.md, "Issue 18"). Strings still go through JSON.stringify (escaping).
  const ids = (list: readonly string[]): string => {
    let out = "[";
    for (let k = 0; k < list.length; k++) out += (k ? "," : "") + id(list[k] as string);
    return out + "]";
  };
  const lines: string[] = new Array<string>(interactions.length);
  for (let k = 0; k < interactions.length; k++) {
    const i = interactions[k] as Interaction;
    let rest: Record<string, unknown> | undefined;
    for (const f in i) {
      const v = (i as unknown as Record<string, unknown>)[f];
      if (v !== undefined && !POSITIONAL.has(f)) (rest ??= {})[f] = v;
    }
    const line =
      `[${JSON.stringify(i.key)},${JSON.stringify(i.kind)},${JSON.stringify(i.at)},${id(i.from)},` +
      `${ids(i.to)},${ids(i.cc)},${ids(i.bcc)},${JSON.stringify(i.recipientCount)}`;
    lines[k] = rest ? `${line},${JSON.stringify(rest)}]` : `${line}]`;
  }
  const header = JSON.stringify({ ...head, addresses });
  return lines.length ? `${header}\n${lines.join("\n")}` : header;
}

function decodeLines<H>(
  text: string,
  format: string,
  what: string,
): { header: H & { addresses: string[] }; interactions: Interaction[] } {
  const lines = text.split("\n");
  let header: H & { format?: unknown; addresses?: string[] };
  try {
    header = JSON.parse(lines[0] ?? "") as typeof header;
  } catch (err) {
    throw new SnapshotFormatError(`partition ${what}: the header line is not JSON`, { cause: err });
  }
  if (header.format !== format || !Array.isArray(header.addresses))
    throw new SnapshotFormatError(`partition ${what}: expected format ${format}`);
  const addresses = header.addresses;
  const names = (list: number[]): string[] => list.map((n) => addresses[n] as string);
  const interactions: Interaction[] = new Array<Interaction>(lines.length - 1);
  for (let k = 1; k < lines.length; k++) {
    const r = JSON.parse(lines[k] as string) as Row;
    const i = {
      key: r[0],
      kind: r[1],
      at: r[2],
      from: addresses[r[3]] as string,
      to: names(r[4]),
      cc: names(r[5]),
      bcc: names(r[6]),
      recipientCount: r[7],
    } as Interaction;
    interactions[k - 1] = r[8] ? Object.assign(i, r[8]) : i;
  }
  return { header: header as H & { addresses: string[] }, interactions };
}

/** The format written by encodeSnapshot (a reader refuses any other). */
export const SNAPSHOT_FORMAT = "rapport-partition-snapshot/1";

/** The format written by encodeShare. */
export const SHARE_FORMAT = "rapport-partition-share/1";
