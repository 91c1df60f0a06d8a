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
  const ids = (list: readonly string[]): number[] => list.map(id);
  const lines: string[] = [];
  for (const i of snapshot.interactions) {
    const rest: Record<string, unknown> = {};
    let extra = false;
    for (const [k, v] of Object.entries(i))
      if (!POSITIONAL.has(k) && v !== undefined) {
        rest[k] = v;
        extra = true;
      }
    const row = [i.key, i.kind, i.at, id(i.from), ids(i.to), ids(i.cc), ids(i.bcc), i.recipientCount];
    lines.push(JSON.stringify(extra ? [...row, rest] : row));
  }
  const header = { format: SNAPSHOT_FORMAT, input: snapshot.input, addresses };
  return [JSON.stringify(header), ...lines].join("\n");
}

/** Thrown when a stored snapshot cannot be read back (another format, or damaged). */
export class SnapshotFormatError extends Error {
  override name = "SnapshotFormatError";
}

type Row = [string, Interaction["kind"], number, number, number[], number[], number[], number, object?];

/** Decodes what encodeSnapshot wrote; the interactions come back equal, field for field. */
export function decodeSnapshot(text: string): PartitionSnapshot {
  const lines = text.split("\n");
  let header: { format?: unknown; input?: SnapshotInput; addresses?: string[] };
  try {
    header = JSON.parse(lines[0] ?? "") as typeof header;
  } catch (err) {
    throw new SnapshotFormatError("partition snapshot: the header line is not JSON", { cause: err });
  }
  if (header.format !== SNAPSHOT_FORMAT || !header.input || !Array.isArray(header.addresses))
    throw new SnapshotFormatError(`partition snapshot: expected format ${SNAPSHOT_FORMAT}`);
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
  return { input: header.input, interactions };
}

/** The format written by encodeSnapshot (a reader refuses any other). */
export const SNAPSHOT_FORMAT = "rapport-partition-snapshot/1";
