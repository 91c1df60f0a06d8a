import type { Envelope } from "../../core/interaction";
import type { SourceIssueCode } from "../sourceItem";
import { asRequestError } from "./graphHttp";
import type { GraphPage, GraphPort } from "./graphPort";
import type { StateStore, SyncFolder } from "./stateStore";
import { syncItem } from "./syncItems";

const MESSAGE_SELECT = [
  "id",
  "internetMessageId",
  "conversationId",
  "subject",
  "from",
  "sender",
  "toRecipients",
  "ccRecipients",
  "bccRecipients",
  "sentDateTime",
  "receivedDateTime",
  "isDraft",
  "internetMessageHeaders",
].join(",");

/** The first request of a round: metadata only for mail (never body, bodyPreview or attachments). */
export function initialUrl(
  mailbox: string,
  folder: SyncFolder,
  window: { start: number; end: number },
): string {
  const user = encodeURIComponent(mailbox);
  if (folder === "calendar") {
    const iso = (ms: number) => new Date(ms).toISOString();
    return `/users/${user}/calendarView/delta?startDateTime=${iso(window.start)}&endDateTime=${iso(window.end)}`;
  }
  return `/users/${user}/mailFolders/${folder}/messages/delta?$select=${MESSAGE_SELECT}`;
}

export interface FolderResult {
  pages: number;
  stored: number;
  removed: number;
  resyncs: number;
  issues: Partial<Record<SourceIssueCode, number>>;
  /** The error that stopped this folder (the next run resumes from its last committed page). */
  failed?: string;
}

export interface FolderSyncOptions {
  window: { start: number; end: number };
  /** The first page when it was already fetched (in a `$batch`), or the error it got. */
  first?: { page: GraphPage } | { error: { status: number; code: string } };
  onPage?: (items: number) => void;
}

/**
 * One delta round of one folder: follows the stored link (or starts a round), commits each page's items
 * with the next link in one transaction, and resyncs the folder cleanly when its delta has expired.
 */
// eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export async function syncFolder(
  port: GraphPort,
  store: StateStore,
  mailbox: string,
  folder: SyncFolder,
  options: FolderSyncOptions,
): Promise<FolderResult> {
  const result: FolderResult = { pages: 0, stored: 0, removed: 0, resyncs: 0, issues: {} };
  let first = options.first;
  let url = store.folder(mailbox, folder).link ?? initialUrl(mailbox, folder, options.window);
  for (;;) {
    let page: GraphPage;
    try {
      if (first && "error" in first) throw Object.assign(new Error("batch"), { graph: first.error });
      page = first ? first.page : await port.page(url, mailbox);
    } catch (e) {
      const graph = (e as { graph?: { status: number; code: string } }).graph ?? asRequestError(e);
      const expired =
        graph && (graph.status === 410 || /syncstatenotfound|syncstateinvalid/i.test(graph.code));
      if (expired && result.resyncs < 3) {
        store.restartFolder(mailbox, folder);
        result.resyncs++;
        url = initialUrl(mailbox, folder, options.window);
        first = undefined;
        continue;
      }
      if (graph && "error" in (first ?? {}) && !expired && graph.status !== 403 && graph.status !== 404) {
        // A $batch sub-request that failed for another reason: asked again on its own, with the SDK's retry.
        first = undefined;
        continue;
      }
      result.failed = graph ? `${graph.status} ${graph.code}` : (e as Error).name;
      return result;
    }
    first = undefined;
    const upserts = new Map<string, Envelope>();
    const removals = new Set<string>();
    page.value.forEach((value, index) => {
      const item = syncItem(folder, value, { file: `graph:${mailbox}/${folder}`, index });
      if (item.kind === "issue") result.issues[item.issue.code] = (result.issues[item.issue.code] ?? 0) + 1;
      else if (item.kind === "removal") {
        removals.add(item.id);
        upserts.delete(item.id);
      } else {
        // The same item twice (a repeat across pages, or an update in the same page): the last one stands.
        upserts.set(item.id, item.envelope);
        removals.delete(item.id);
      }
    });
    const link = page.deltaLink ?? page.nextLink;
    if (!link) {
      result.failed = "page without nextLink or deltaLink";
      return result;
    }
    store.commitPage(mailbox, folder, {
      upserts: [...upserts].map(([id, envelope]) => ({ id, envelope })),
      removals: [...removals],
      link,
      complete: page.deltaLink !== undefined,
    });
    result.pages++;
    result.stored += upserts.size;
    result.removed += removals.size;
    options.onPage?.(page.value.length);
    if (page.deltaLink) return result;
    url = page.nextLink as string;
  }
}
