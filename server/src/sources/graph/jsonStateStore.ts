import { gunzipSync, gzipSync } from "node:zlib";

import type { Envelope } from "../../core/interaction";
import type {
  FolderState,
  PageCommit,
  StateStore,
  StoredItem,
  SubscriptionRecord,
  SyncFolder,
} from "./stateStore";

/** The format's version, first in every snapshot: a snapshot of another version is refused, not guessed at. */
const FORMAT = "rapport-graph-state/1";

interface Snapshot {
  format: typeof FORMAT;
  /** [mailbox, folder, link or null, generation, resyncing] */
  folders: [string, SyncFolder, string | null, number, boolean][];
  /** [mailbox, folder, id, generation, envelope as JSON] */
  items: [string, SyncFolder, string, number, string][];
  subscriptions: SubscriptionRecord[];
}

/** A snapshot that is not this store's (another format, or damaged). */
export class StateSnapshotError extends Error {
  override readonly name = "StateSnapshotError";
}

const key = (...parts: string[]): string => parts.join("\u0000");
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The StateStore in memory, saved and loaded whole as gzipped JSON: plain JavaScript, so the Functions
 * package carries no native module (the scale-out keeps one mailbox's state in one blob, read and written
 * whole, so SQLite's random access bought nothing there). Same behaviour as SqliteStateStore: an item is
 * keyed by mailbox, folder and Graph id; a page's items and link are committed together (nothing in
 * between can fail half-way in memory); a clean resync's round drops at its end what it did not see again;
 * `items` comes in (folder, id) order and `mailboxes` sorted. Envelopes are kept as JSON text, as SQLite
 * keeps them, so what is read back is exactly what a JSON round trip gives.
 */
export class JsonStateStore implements StateStore {
  private readonly folders = new Map<
    string,
    { mailbox: string; folder: SyncFolder; link: string | null; generation: number; resyncing: boolean }
  >();
  private readonly itemsByKey = new Map<
    string,
    { mailbox: string; folder: SyncFolder; id: string; generation: number; envelope: string }
  >();
  private readonly subs = new Map<string, SubscriptionRecord>();

  /** Loads a snapshot written by `save()`; no snapshot gives an empty store (a mailbox never synced). */
  static load(data?: Buffer): JsonStateStore {
    const store = new JsonStateStore();
    if (!data) return store;
    let snapshot: Snapshot;
    try {
      snapshot = JSON.parse(gunzipSync(data).toString("utf8")) as Snapshot;
    } catch (err) {
      throw new StateSnapshotError("the Graph sync state is not a gzipped JSON snapshot", { cause: err });
    }
    if (snapshot?.format !== FORMAT)
      throw new StateSnapshotError(`the Graph sync state is not in the format ${FORMAT}`);
    for (const [mailbox, folder, link, generation, resyncing] of snapshot.folders)
      store.folders.set(key(mailbox, folder), { mailbox, folder, link, generation, resyncing });
    for (const [mailbox, folder, id, generation, envelope] of snapshot.items)
      store.itemsByKey.set(key(mailbox, folder, id), { mailbox, folder, id, generation, envelope });
    for (const s of snapshot.subscriptions) store.subs.set(s.id, { ...s });
    return store;
  }

  /** The whole state, gzipped JSON. */
  save(): Buffer {
    const snapshot: Snapshot = {
      format: FORMAT,
      folders: [...this.folders.values()].map((f) => [
        f.mailbox,
        f.folder,
        f.link,
        f.generation,
        f.resyncing,
      ]),
      items: [...this.itemsByKey.values()].map((i) => [i.mailbox, i.folder, i.id, i.generation, i.envelope]),
      subscriptions: [...this.subs.values()],
    };
    return gzipSync(JSON.stringify(snapshot));
  }

  folder(mailbox: string, folder: SyncFolder): FolderState {
    const row = this.folders.get(key(mailbox, folder));
    if (!row) return { generation: 0, resyncing: false };
    return { ...(row.link ? { link: row.link } : {}), generation: row.generation, resyncing: row.resyncing };
  }

  commitPage(mailbox: string, folder: SyncFolder, commit: PageCommit): void {
    const state = this.folder(mailbox, folder);
    for (const { id, envelope } of commit.upserts)
      this.itemsByKey.set(key(mailbox, folder, id), {
        mailbox,
        folder,
        id,
        generation: state.generation,
        envelope: JSON.stringify(envelope),
      });
    for (const id of commit.removals) this.itemsByKey.delete(key(mailbox, folder, id));
    let resyncing = state.resyncing;
    if (commit.complete && resyncing) {
      // The resync's round is complete: what it did not deliver again is gone from the folder.
      for (const [k, item] of this.itemsByKey)
        if (item.mailbox === mailbox && item.folder === folder && item.generation < state.generation)
          this.itemsByKey.delete(k);
      resyncing = false;
    }
    this.folders.set(key(mailbox, folder), {
      mailbox,
      folder,
      link: commit.link,
      generation: state.generation,
      resyncing,
    });
  }

  restartFolder(mailbox: string, folder: SyncFolder): void {
    const state = this.folder(mailbox, folder);
    this.folders.set(key(mailbox, folder), {
      mailbox,
      folder,
      link: null,
      generation: state.generation + 1,
      resyncing: true,
    });
  }

  forgetMailbox(mailbox: string): number {
    let n = 0;
    for (const [k, item] of this.itemsByKey)
      if (item.mailbox === mailbox) {
        this.itemsByKey.delete(k);
        n++;
      }
    for (const [k, f] of this.folders) if (f.mailbox === mailbox) this.folders.delete(k);
    return n;
  }

  mailboxes(): string[] {
    const all = new Set<string>();
    for (const f of this.folders.values()) all.add(f.mailbox);
    for (const i of this.itemsByKey.values()) all.add(i.mailbox);
    return [...all].sort(byText);
  }

  *items(mailbox: string): IterableIterator<StoredItem> {
    const rows = [...this.itemsByKey.values()]
      .filter((i) => i.mailbox === mailbox)
      .sort((a, b) => byText(a.folder, b.folder) || byText(a.id, b.id));
    for (const row of rows)
      yield { folder: row.folder, id: row.id, envelope: JSON.parse(row.envelope) as Envelope };
  }

  subscriptions(): SubscriptionRecord[] {
    return [...this.subs.values()]
      .sort((a, b) => byText(a.mailbox, b.mailbox) || byText(a.resource, b.resource))
      .map((s) => ({ ...s }));
  }

  saveSubscription(record: SubscriptionRecord): void {
    this.subs.set(record.id, { ...record });
  }

  deleteSubscription(id: string): void {
    this.subs.delete(id);
  }

  close(): void {
    // Nothing to release: the state is saved with save().
  }
}
