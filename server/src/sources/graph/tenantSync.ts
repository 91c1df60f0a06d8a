import type { SourceIssueCode } from "../sourceItem";
import type { BatchItem, BatchOutcome, GraphPort } from "./graphPort";
import { type FolderResult, initialUrl, syncFolder } from "./mailboxSync";
import { type StateStore, SYNC_FOLDERS, type SyncFolder } from "./stateStore";
import { listUsers, type SyncUser } from "./syncUsers";

export interface TenantSyncOptions {
  groups: readonly string[];
  /** Ids or addresses (lower case) of users who opted out: their mail is never read, and what was kept is dropped. */
  optedOut: readonly string[];
  /** The calendarView window (epoch ms). */
  window: { start: number; end: number };
  /** Mailboxes synced at the same time (each keeps at most 3 requests in flight, under Outlook's 4). */
  parallelMailboxes?: number;
  onUsers?: (total: number) => void;
  onPage?: (items: number) => void;
  onMailboxDone?: () => void;
}

export interface TenantSyncResult {
  users: SyncUser[];
  /** Mailboxes in scope and synced. */
  mailboxes: number;
  skipped: { optedOut: number; disabled: number; noMailbox: number };
  forgotten: number;
  pages: number;
  stored: number;
  removed: number;
  resyncs: number;
  issues: Partial<Record<SourceIssueCode, number>>;
  /** Folders that stopped on an error, by "status code" (the next run resumes them). */
  failures: Record<string, number>;
}

/** Runs tasks with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * The first page of every folder of every mailbox in `$batch`es of 20 (fewer requests, each sub-request
 * throttled on its own and sent again by the port), keyed `mailbox/folder`.
 */
async function firstPages(
  port: GraphPort,
  store: StateStore,
  users: readonly SyncUser[],
  window: TenantSyncOptions["window"],
): Promise<Map<string, BatchOutcome>> {
  const items: BatchItem[] = users.flatMap((u) =>
    SYNC_FOLDERS.map((f) => ({
      id: `${u.id}/${f}`,
      url: store.folder(u.id, f).link ?? initialUrl(u.id, f, window),
      mailbox: u.id,
    })),
  );
  const out = new Map<string, BatchOutcome>();
  for (let i = 0; i < items.length; i += 20) {
    for (const [id, outcome] of await port.batch(items.slice(i, i + 20))) out.set(id, outcome);
  }
  return out;
}

function addInto(result: TenantSyncResult, folder: FolderResult): void {
  result.pages += folder.pages;
  result.stored += folder.stored;
  result.removed += folder.removed;
  result.resyncs += folder.resyncs;
  for (const [code, n] of Object.entries(folder.issues) as [SourceIssueCode, number][])
    result.issues[code] = (result.issues[code] ?? 0) + n;
  if (folder.failed) result.failures[folder.failed] = (result.failures[folder.failed] ?? 0) + 1;
}

/**
 * Syncs every mailbox in scope: users from the directory (security groups, enabled accounts, not opted
 * out), then a delta round of Inbox, Sent Items and the calendar window of each.
 */
export async function syncTenant(
  port: GraphPort,
  store: StateStore,
  options: TenantSyncOptions,
): Promise<TenantSyncResult> {
  const users = await listUsers(port, options.groups);
  const optedOut = new Set(options.optedOut.map((s) => s.toLowerCase()));
  const result: TenantSyncResult = {
    users,
    mailboxes: 0,
    skipped: { optedOut: 0, disabled: 0, noMailbox: 0 },
    forgotten: 0,
    pages: 0,
    stored: 0,
    removed: 0,
    resyncs: 0,
    issues: {},
    failures: {},
  };
  const inScope: SyncUser[] = [];
  for (const u of users) {
    if (optedOut.has(u.id.toLowerCase()) || u.emails.some((e) => optedOut.has(e))) {
      result.skipped.optedOut++;
      result.forgotten += store.forgetMailbox(u.id);
    } else if (!u.enabled) result.skipped.disabled++;
    else if (!u.emails.length) result.skipped.noMailbox++;
    else inScope.push(u);
  }
  result.mailboxes = inScope.length;
  options.onUsers?.(inScope.length);
  const first = await firstPages(port, store, inScope, options.window);
  await pool(inScope, options.parallelMailboxes ?? 4, async (user) => {
    const folders = await Promise.all(
      SYNC_FOLDERS.map((folder: SyncFolder) => {
        const outcome = first.get(`${user.id}/${folder}`);
        return syncFolder(port, store, user.id, folder, {
          window: options.window,
          ...(outcome ? { first: outcome } : {}),
          ...(options.onPage ? { onPage: options.onPage } : {}),
        });
      }),
    );
    for (const f of folders) addInto(result, f);
    options.onMailboxDone?.();
  });
  return result;
}
