import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import type { Envelope } from "../../../server/src/core/interaction";
import { JsonStateStore, StateSnapshotError } from "../../../server/src/sources/graph/jsonStateStore";
import { SqliteStateStore } from "../../../server/src/sources/graph/sqliteStateStore";
import type { StateStore } from "../../../server/src/sources/graph/stateStore";

const email = (id: string, sentAt: number): Envelope => ({
  kind: "email",
  messageId: `${id}@contoso.com`,
  sentAt,
  from: { address: "ann@contoso.com" },
  to: [{ address: "bob@fabrikam.com" }],
  cc: [],
  bcc: [],
  subject: undefined,
  source: "graph",
  origin: { file: "graph:u1/inbox", index: 0 } as Envelope["origin"],
});

/** The same history of pages, resyncs, opt-outs and subscriptions, applied to a store. */
function play(store: StateStore): void {
  store.commitPage("u2", "inbox", {
    upserts: [{ id: "b", envelope: email("b", 2) }],
    removals: [],
    link: "n1",
    complete: false,
  });
  store.commitPage("u1", "sentitems", {
    upserts: [{ id: "z", envelope: email("z", 3) }],
    removals: [],
    link: "d1",
    complete: true,
  });
  store.commitPage("u1", "inbox", {
    upserts: [
      { id: "c", envelope: email("c", 4) },
      { id: "a", envelope: email("a", 5) },
    ],
    removals: [],
    link: "d2",
    complete: true,
  });
  // A delta expired: the resync sees "a" again and not "c", which is dropped when its round completes.
  store.restartFolder("u1", "inbox");
  store.commitPage("u1", "inbox", {
    upserts: [{ id: "a", envelope: email("a", 6) }],
    removals: [],
    link: "n2",
    complete: false,
  });
  store.commitPage("u1", "inbox", {
    upserts: [{ id: "d", envelope: email("d", 7) }],
    removals: ["zz"],
    link: "d3",
    complete: true,
  });
  store.commitPage("u3", "calendar", {
    upserts: [{ id: "e", envelope: email("e", 8) }],
    removals: [],
    link: "d4",
    complete: true,
  });
  store.commitPage("u3", "calendar", { upserts: [], removals: ["e"], link: "d5", complete: true });
  store.commitPage("u4", "inbox", {
    upserts: [{ id: "f", envelope: email("f", 9) }],
    removals: [],
    link: "d6",
    complete: true,
  });
  store.saveSubscription({ id: "s2", mailbox: "u2", resource: "r", expiresAt: 10 });
  store.saveSubscription({ id: "s1", mailbox: "u1", resource: "r", expiresAt: 11 });
  store.saveSubscription({ id: "s3", mailbox: "u4", resource: "r", expiresAt: 12 });
  store.deleteSubscription("s3");
}

function observe(store: StateStore, forget: number) {
  return {
    mailboxes: store.mailboxes(),
    folders: ["u1", "u2", "u3", "u4"].flatMap((m) =>
      (["inbox", "sentitems", "calendar"] as const).map((f) => [m, f, store.folder(m, f)]),
    ),
    items: store.mailboxes().map((m) => [m, [...store.items(m)]]),
    subscriptions: store.subscriptions(),
    forget,
  };
}

describe("the Graph sync state as gzipped JSON (no native module)", () => {
  test("behaves as the SQLite store over the same history, and reads back what it saved", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rapport-state-"));
    try {
      const sqlite = new SqliteStateStore(path.join(dir, "state.sqlite"));
      const json = new JsonStateStore();
      play(sqlite);
      play(json);
      const expected = observe(sqlite, sqlite.forgetMailbox("u4"));
      const actual = observe(json, json.forgetMailbox("u4"));
      sqlite.close();
      expect(actual).toEqual(expected);
      expect(actual.items).toContainEqual([
        "u1",
        expect.arrayContaining([expect.objectContaining({ id: "d" })]),
      ]);
      expect(JSON.stringify(actual.items)).not.toContain('"id":"c"');
      // The envelope is read back as a JSON round trip gives it (undefined members dropped), as from SQLite.
      expect(Object.keys([...json.items("u1")][0]!.envelope)).not.toContain("subject");

      const reloaded = JsonStateStore.load(json.save());
      expect(observe(reloaded, 0)).toEqual({ ...actual, forget: 0 });
      expect(observe(JsonStateStore.load(undefined), 0).mailboxes).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a snapshot of another format is refused, named, not guessed at", () => {
    expect(() => JsonStateStore.load(Buffer.from("SQLite format 3\u0000"))).toThrow(StateSnapshotError);
    expect(() => JsonStateStore.load(gzipSync(JSON.stringify({ format: "other/9" })))).toThrow(
      "not in the format rapport-graph-state/1",
    );
  });
});
