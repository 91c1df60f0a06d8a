import { BlobServiceClient } from "@azure/storage-blob";

import { type Azurite, startAzurite } from "../../../scripts/azurite.cjs";
import { BlobScaleStore } from "../../../server/src/app/scale/blobScaleStore";
import type { MailboxCursor, StatePointer } from "../../../server/src/app/scale/scaleStore";

let azurite: Azurite;
let store: BlobScaleStore;

beforeAll(async () => {
  azurite = await startAzurite();
  const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
    "kept",
  );
  store = new BlobScaleStore(container);
  await store.init();
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
});

const pointer = (run: string, snapshot: string): StatePointer => ({
  partition: 0,
  partitions: 2,
  run,
  seq: run === "a" ? 1 : 2,
  version: "v",
  snapshot,
});

describe("kept partition state on Blob Storage (Azurite)", () => {
  it("moves a partition's pointer only from the ETag it read: a second first write and a stale ETag both lose", async () => {
    expect(await store.partitionState(2, 0)).toBeUndefined();
    const a = await store.putSnapshot(2, 0, "a-v", "header\nline");
    expect(await store.readSnapshot(a)).toBe("header\nline");
    expect(await store.switchState(2, 0, pointer("a", a))).toBe(true);
    // Another worker that also saw no pointer loses: If-None-Match: *.
    expect(await store.switchState(2, 0, pointer("a", a))).toBe(false);
    const read = (await store.partitionState(2, 0))!;
    expect(read.pointer.snapshot).toBe(a);
    const b = await store.putSnapshot(2, 0, "b-v", "header\nline\nline");
    expect(await store.switchState(2, 0, pointer("b", b), read.etag)).toBe(true);
    // The ETag read before that move is stale now: If-Match fails, nothing changes.
    expect(await store.switchState(2, 0, pointer("a", a), read.etag)).toBe(false);
    expect((await store.partitionState(2, 0))!.pointer.run).toBe("b");
    await store.deleteSnapshot(a);
    await expect(store.readSnapshot(a)).rejects.toThrow();
  });

  it("moves a mailbox's cursor the same way", async () => {
    const cursor: MailboxCursor = {
      run: "a",
      seq: 1,
      epoch: 1,
      after: { cursor: "{}", participants: {}, externals: [] },
    };
    expect(await store.putMailboxCursor("user0", cursor)).toBe(true);
    expect(await store.putMailboxCursor("user0", cursor)).toBe(false);
    const read = (await store.mailboxCursor("user0"))!;
    expect(read.cursor).toEqual(cursor);
    expect(await store.putMailboxCursor("user0", { ...cursor, run: "b", seq: 2 }, read.etag)).toBe(true);
    expect(await store.putMailboxCursor("user0", cursor, read.etag)).toBe(false);
    expect((await store.mailboxCursor("user0"))!.cursor.run).toBe("b");
  });
});
