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
    const attempt = await fetchPage(port, url, mailbox, first);
    if ("failure" in attempt) {
      const next = recoveryOf(attempt.failure, first !== undefined && "error" in first, result.resyncs);
      if (next === "resync") {
        store.restartFolder(mailbox, folder);
        result.resyncs++;
        url = initialUrl(mailbox, folder, options.window);
      } else if (next !== "retry") {
        result.failed = next.failed;
        return result;
      }
      first = undefined;
      continue;
    }
    first = undefined;
    const page = attempt.page;
    const { upserts, removals } = pageChanges(page, mailbox, folder, result.issues);
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

type GraphFailure = { status: number; code: string };

/** The next page: the one already fetched in a `$batch` (or its error), else asked for now. */
async function fetchPage(
  port: GraphPort,
  url: string,
  mailbox: string,
  first: FolderSyncOptions["first"],
): Promise<{ page: GraphPage } | { failure: unknown }> {
  try {
    if (first && "error" in first) throw Object.assign(new Error("batch"), { graph: first.error });
    return { page: first ? first.page : await port.page(url, mailbox) };
  } catch (e) {
    return { failure: e };
  }
}

/**
 * What to do after a page failed: resync an expired delta (at most three times a round), ask again on its own
 * for a `$batch` sub-request that failed for another reason (with the SDK's retry), or stop the folder.
 */
function recoveryOf(
  e: unknown,
  fromBatch: boolean,
  resyncs: number,
): "resync" | "retry" | { failed: string } {
  const graph = (e as { graph?: GraphFailure }).graph ?? asRequestError(e);
  if (!graph) return { failed: (e as Error).name };
  const expired = graph.status === 410 || /syncstatenotfound|syncstateinvalid/i.test(graph.code);
  if (expired && resyncs < 3) return "resync";
  if (fromBatch && !expired && graph.status !== 403 && graph.status !== 404) return "retry";
  return { failed: `${graph.status} ${graph.code}` };
}

/** A page's items as upserts and removals by id (the last of an id stands); its issues are counted into `issues`. */
function pageChanges(
  page: GraphPage,
  mailbox: string,
  folder: SyncFolder,
  issues: FolderResult["issues"],
): { upserts: Map<string, Envelope>; removals: Set<string> } {
  const upserts = new Map<string, Envelope>();
  const removals = new Set<string>();
  page.value.forEach((value, index) => {
    const item = syncItem(folder, value, { file: `graph:${mailbox}/${folder}`, index });
    if (item.kind === "issue") issues[item.issue.code] = (issues[item.issue.code] ?? 0) + 1;
    else if (item.kind === "removal") {
      removals.add(item.id);
      upserts.delete(item.id);
    } else {
      // The same item twice (a repeat across pages, or an update in the same page): the last one stands.
      upserts.set(item.id, item.envelope);
      removals.delete(item.id);
    }
  });
  return { upserts, removals };
}
