import Database from "better-sqlite3";

import type { Envelope } from "../../core/interaction";
import type {
  FolderState,
  PageCommit,
  StateStore,
  StoredItem,
  SubscriptionRecord,
  SyncFolder,
} from "./stateStore";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS items (
  mailbox TEXT NOT NULL, folder TEXT NOT NULL, id TEXT NOT NULL,
  generation INTEGER NOT NULL, envelope TEXT NOT NULL,
  PRIMARY KEY (mailbox, folder, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS folders (
  mailbox TEXT NOT NULL, folder TEXT NOT NULL, link TEXT, generation INTEGER NOT NULL, resyncing INTEGER NOT NULL,
  PRIMARY KEY (mailbox, folder)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS subscriptions (
  id TEXT PRIMARY KEY, mailbox TEXT NOT NULL, resource TEXT NOT NULL, expires_at INTEGER NOT NULL
);
`;

/**
 * The StateStore over SQLite (better-sqlite3, synchronous): WAL journal, one transaction per page. An
 * item is keyed by mailbox, folder and Graph id, so the same item delivered twice is stored once.
 */
export class SqliteStateStore implements StateStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(SCHEMA);
    const db = this.db;
    this.stmts = {
      folder: db.prepare<[string, string], { link: string | null; generation: number; resyncing: number }>(
        "SELECT link, generation, resyncing FROM folders WHERE mailbox = ? AND folder = ?",
      ),
      upsertFolder: db.prepare(
        "INSERT INTO folders (mailbox, folder, link, generation, resyncing) VALUES (?, ?, ?, ?, ?) " +
          "ON CONFLICT (mailbox, folder) DO UPDATE SET link = excluded.link, generation = excluded.generation, resyncing = excluded.resyncing",
      ),
      upsertItem: db.prepare(
        "INSERT INTO items (mailbox, folder, id, generation, envelope) VALUES (?, ?, ?, ?, ?) " +
          "ON CONFLICT (mailbox, folder, id) DO UPDATE SET generation = excluded.generation, envelope = excluded.envelope",
      ),
      removeItem: db.prepare("DELETE FROM items WHERE mailbox = ? AND folder = ? AND id = ?"),
      dropStale: db.prepare("DELETE FROM items WHERE mailbox = ? AND folder = ? AND generation < ?"),
      items: db.prepare<[string], { folder: string; id: string; envelope: string }>(
        "SELECT folder, id, envelope FROM items WHERE mailbox = ? ORDER BY folder, id",
      ),
      mailboxes: db.prepare<[], { mailbox: string }>(
        "SELECT mailbox FROM folders UNION SELECT mailbox FROM items ORDER BY mailbox",
      ),
      forgetItems: db.prepare("DELETE FROM items WHERE mailbox = ?"),
      forgetFolders: db.prepare("DELETE FROM folders WHERE mailbox = ?"),
      subscriptions: db.prepare<[], { id: string; mailbox: string; resource: string; expires_at: number }>(
        "SELECT id, mailbox, resource, expires_at FROM subscriptions ORDER BY mailbox, resource",
      ),
      saveSubscription: db.prepare(
        "INSERT OR REPLACE INTO subscriptions (id, mailbox, resource, expires_at) VALUES (?, ?, ?, ?)",
      ),
      deleteSubscription: db.prepare("DELETE FROM subscriptions WHERE id = ?"),
    };
  }

  folder(mailbox: string, folder: SyncFolder): FolderState {
    const row = this.stmts.folder.get(mailbox, folder);
    if (!row) return { generation: 0, resyncing: false };
    return {
      ...(row.link ? { link: row.link } : {}),
      generation: row.generation,
      resyncing: row.resyncing === 1,
    };
  }

  commitPage(mailbox: string, folder: SyncFolder, commit: PageCommit): void {
    this.db.transaction(() => {
      const state = this.folder(mailbox, folder);
      for (const { id, envelope } of commit.upserts)
        this.stmts.upsertItem.run(mailbox, folder, id, state.generation, JSON.stringify(envelope));
      for (const id of commit.removals) this.stmts.removeItem.run(mailbox, folder, id);
      let resyncing = state.resyncing;
      if (commit.complete && resyncing) {
        // The resync's round is complete: what it did not deliver again is gone from the folder.
        this.stmts.dropStale.run(mailbox, folder, state.generation);
        resyncing = false;
      }
      this.stmts.upsertFolder.run(mailbox, folder, commit.link, state.generation, resyncing ? 1 : 0);
    })();
  }

  restartFolder(mailbox: string, folder: SyncFolder): void {
    const state = this.folder(mailbox, folder);
    this.stmts.upsertFolder.run(mailbox, folder, null, state.generation + 1, 1);
  }

  forgetMailbox(mailbox: string): number {
    return this.db.transaction(() => {
      const n = this.stmts.forgetItems.run(mailbox).changes;
      this.stmts.forgetFolders.run(mailbox);
      return n;
    })();
  }

  mailboxes(): string[] {
    return this.stmts.mailboxes.all().map((r) => r.mailbox);
  }

  *items(mailbox: string): IterableIterator<StoredItem> {
    for (const row of this.stmts.items.iterate(mailbox)) {
      yield { folder: row.folder as SyncFolder, id: row.id, envelope: JSON.parse(row.envelope) as Envelope };
    }
  }

  subscriptions(): SubscriptionRecord[] {
    return this.stmts.subscriptions
      .all()
      .map((r) => ({ id: r.id, mailbox: r.mailbox, resource: r.resource, expiresAt: r.expires_at }));
  }

  saveSubscription(r: SubscriptionRecord): void {
    this.stmts.saveSubscription.run(r.id, r.mailbox, r.resource, r.expiresAt);
  }

  deleteSubscription(id: string): void {
    this.stmts.deleteSubscription.run(id);
  }

  close(): void {
    this.db.close();
  }
}
