import { Directory, type DirectoryData } from "../../core/directory";
import type { ConnectionInsight, InsightsResult, RecordInsight } from "../../core/insights";
import type { PublishSet } from "../../dataverse/publish/allRows";
import { companyConnectionRows, personConnectionRow } from "../../dataverse/publish/connectionRows";
import type { DesiredRow } from "../../dataverse/publish/desiredRow";
import { historyRows, insightRow } from "../../dataverse/publish/insightRows";
import { inPartition } from "../../dataverse/publish/partitionRows";
import type { HeldRow } from "../../dataverse/publish/plan";
import type { RunPolicy } from "./scaleService";

/**
 * What a partition published, kept after each publish succeeded (ScaleStore.putPublishList): for every
 * row, the result item it was built from (its group: a record, or a person's connection), its table,
 * alternate key and content hash; and the basis the rows were built on. The next run of the same basis
 * builds rows only for the items it computed again (an item reused from the last result publishes the
 * rows it published then) and compares them with the list: no read of the partition's rows back.
 */
export interface PublishList {
  /** Digest of what rows depend on besides their item: directory, policy, clock, partitioning. */
  basis: string;
  rows: ListedRow[];
}

export interface ListedRow {
  group: string;
  table: string;
  key: string;
  hash: string;
}

/** The format written by listText (a reader refuses any other). */
export const PUBLISH_LIST_FORMAT = "rapport-publish-list/1";

/** Thrown when a stored list cannot be read back. */
export class PublishListError extends Error {
  override name = "PublishListError";
}

/** A header line, then one row a line: group, table, key and hash separated by tabs (none holds one). */
export function listText(list: PublishList): string {
  const lines = [JSON.stringify({ format: PUBLISH_LIST_FORMAT, basis: list.basis })];
  for (const r of list.rows) lines.push(`${r.group}\t${r.table}\t${r.key}\t${r.hash}`);
  return lines.join("\n");
}

/** Reads what listText wrote. */
export function parseList(text: string): PublishList {
  const lines = text.split("\n");
  let header: { format?: unknown; basis?: unknown };
  try {
    header = JSON.parse(lines[0] ?? "") as typeof header;
  } catch (err) {
    throw new PublishListError("publish list: the header line is not JSON", { cause: err });
  }
  if (header.format !== PUBLISH_LIST_FORMAT || typeof header.basis !== "string")
    throw new PublishListError(`publish list: expected format ${PUBLISH_LIST_FORMAT}`);
  const rows: ListedRow[] = new Array<ListedRow>(lines.length - 1);
  for (let k = 1; k < lines.length; k++) {
    const [group, table, key, hash] = (lines[k] as string).split("\t");
    if (hash === undefined) throw new PublishListError(`publish list: line ${k + 1} has fewer than 4 fields`);
    rows[k - 1] = { group: group!, table: table!, key: key!, hash };
  }
  return { basis: header.basis, rows };
}

const recordGroup = (r: RecordInsight): string => `r:${r.record.type}:${r.record.id}`;
const connectionGroup = (c: ConnectionInsight): string => `c:${c.colleague}|${c.external}`;

/** A partition's rows (see partitionRowSet), each listed with its group; only the items `include` takes. */
export function groupedRows(
  result: InsightsResult,
  directory: DirectoryData,
  policy: RunPolicy,
  partition: number,
  include: { record(r: RecordInsight): boolean; connection(c: ConnectionInsight): boolean } = ALL,
): { set: PublishSet; listed: ListedRow[] } {
  const dir = new Directory(directory, policy.config);
  const analytics = policy.features.analytics;
  const set: PublishSet = { insights: [], history: [], connections: [] };
  const groups: { [K in keyof PublishSet]: string[] } = { insights: [], history: [], connections: [] };
  const add = (part: keyof PublishSet, group: string, rows: readonly DesiredRow[]): void => {
    for (const row of rows) {
      set[part].push(row);
      groups[part].push(group);
    }
  };
  for (const r of result.records) {
    if (!include.record(r)) continue;
    const group = recordGroup(r);
    // Relationship analytics off: no insight or history rows (as featuredRows).
    if (analytics) {
      add("insights", group, [insightRow(r, result.computedAt)]);
      add("history", group, historyRows(r));
    }
    add("connections", group, companyConnectionRows(r, dir));
  }
  for (const c of result.connections)
    if (include.connection(c)) add("connections", connectionGroup(c), [personConnectionRow(c, dir)]);
  const stamped = inPartition(set, partition);
  const listed: ListedRow[] = [];
  for (const part of ["insights", "history", "connections"] as const)
    stamped[part].forEach((row, k) =>
      listed.push({ group: groups[part][k]!, table: row.table.logicalName, key: row.key, hash: row.hash }),
    );
  return { set: stamped, listed };
}

const ALL = { record: (): boolean => true, connection: (): boolean => true };

/**
 * The rows to publish when `previous` is the result the list was published from: the rows of the items
 * computed again (those not reused as they were from `previous`), what the org holds of them and of items
 * gone (from the list: no id, deleted by key), and the list once they are published.
 */
export function changedRows(
  result: InsightsResult,
  previous: InsightsResult,
  list: PublishList,
  { directory, policy, partition }: { directory: DirectoryData; policy: RunPolicy; partition: number },
): { set: PublishSet; held: Record<string, HeldRow[]>; list: PublishList } {
  const keptRecords = new Set(previous.records);
  const keptConnections = new Set(previous.connections);
  const { set, listed } = groupedRows(result, directory, policy, partition, {
    record: (r) => !keptRecords.has(r),
    connection: (c) => !keptConnections.has(c),
  });
  const present = new Set([...result.records.map(recordGroup), ...result.connections.map(connectionGroup)]);
  const changed = new Set(listed.map((l) => l.group));
  const held: Record<string, HeldRow[]> = {};
  const rows: ListedRow[] = [];
  for (const l of list.rows)
    if (changed.has(l.group) || !present.has(l.group))
      (held[l.table] ??= []).push({ id: "", key: l.key, hash: l.hash });
    else rows.push(l);
  // Not push(...listed): a large partition lists more rows than a call has argument slots.
  return { set, held, list: { basis: list.basis, rows: rows.concat(listed) } };
}
