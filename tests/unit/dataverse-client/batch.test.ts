import {
  createOp,
  InvalidValueError,
  NotExecutedError,
  type Operation,
  ThrottledError,
  unboundActionOp,
  upsertOp,
} from "../../../server/src/dataverse/client";
import { buildBatch } from "../../../server/src/dataverse/client/batch";
import {
  batchEndpoint,
  type BatchOp,
  clientFor,
  type Handler,
  json,
  type LocalServer,
  type OpAnswer,
  readBatch,
  startServer,
} from "./localServer";

/** `$batch` execution: splitting at 1,000, throttled items retried alone, stop-at-first-failure. */

const servers: LocalServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function serve(handler: Handler, options: Parameters<typeof clientFor>[1] = {}) {
  const server = await startServer(handler);
  servers.push(server);
  return { server, ...clientFor(server, options) };
}

const upserts = (n: number): Operation[] =>
  Array.from({ length: n }, (_, i) =>
    upsertOp("rp_relationshipinsights", { rp_key: `k${i}` }, { rp_score: i }),
  );

/** The rp_key of a batch operation's URL. */
const keyOf = (op: BatchOp) => /rp_key='([^']*)'/.exec(op.url)?.[1] ?? "?";

const done = (op: BatchOp): OpAnswer => ({
  status: 204,
  headers: {
    "OData-EntityId": `http://x/api/data/v9.2/rp_relationshipinsights(00000000-0000-0000-0000-${keyOf(op).slice(1).padStart(12, "0")})`,
  },
});

describe("batch size", () => {
  test("2,500 operations go as batches of 1,000, 1,000 and 500, results in the caller's order", async () => {
    const { server, client } = await serve(batchEndpoint(done));
    const results = await client.executeBatch(upserts(2500));
    expect(server.requests.map((r) => readBatch(r).length)).toEqual([1000, 1000, 500]);
    expect(results).toHaveLength(2500);
    expect(
      results.every((r, i) => r.ok && r.index === i && r.id?.endsWith(String(i).padStart(12, "0"))),
    ).toBe(true);
  });

  test("a change set is never split: it moves whole to the next batch", async () => {
    const { server, client } = await serve(batchEndpoint(done));
    const changeSet = { changeSet: upserts(5) };
    await client.executeBatch([...upserts(8), changeSet, ...upserts(3)], { maxBatchSize: 10 });
    expect(
      server.requests.map((r) =>
        readBatch(r)
          .map((op) => (op.changeSet === undefined ? "." : "c"))
          .join(""),
      ),
    ).toEqual(["........", "ccccc..."]);
  });

  test.each([0, 1001])("maxBatchSize %p is refused", async (n) => {
    const { client } = await serve(batchEndpoint(done));
    await expect(client.executeBatch(upserts(1), { maxBatchSize: n })).rejects.toBeInstanceOf(
      InvalidValueError,
    );
  });

  test("a change set larger than a batch is refused before anything is sent", async () => {
    const { server, client } = await serve(batchEndpoint(done));
    await expect(client.executeBatch([{ changeSet: upserts(1001) }])).rejects.toBeInstanceOf(
      InvalidValueError,
    );
    expect(server.requests).toHaveLength(0);
  });

  test("a GET inside a change set is refused", async () => {
    const { client } = await serve(batchEndpoint(done));
    const get: Operation = { method: "GET", url: "accounts", headers: {}, idempotent: true };
    await expect(client.executeBatch([{ changeSet: [get] }])).rejects.toThrow(
      "GET is not allowed in a change set",
    );
  });
});

describe("throttled items inside a batch", () => {
  /**
   * A recording endpoint that throttles some items (each time, for their first `times` tries) and
   * counts how often each key was really written.
   */
  function throttlingEndpoint(isThrottled: (key: string, tries: number) => boolean, retryAfter = 3) {
    const tries = new Map<string, number>();
    const written = new Map<string, number>();
    const handler = batchEndpoint(
      (op) => {
        const key = keyOf(op);
        const n = (tries.get(key) ?? 0) + 1;
        tries.set(key, n);
        if (isThrottled(key, n))
          return {
            status: 429,
            headers: { "Retry-After": String(retryAfter) },
            body: { error: { code: "0x80072322", message: "Number of requests exceeded the limit" } },
          };
        return done(op);
      },
      (op) => written.set(keyOf(op), (written.get(keyOf(op)) ?? 0) + 1),
    );
    return { handler, written };
  }

  test("with continue-on-error, only the throttled items are sent again until each lands exactly once", async () => {
    // Every third item is throttled on its first three tries; others land first time.
    const { handler, written } = throttlingEndpoint((key, n) => Number(key.slice(1)) % 3 === 0 && n <= 3);
    const { server, client, time } = await serve(handler);
    const results = await client.executeBatch(upserts(300), { continueOnError: true });

    expect(results.every((r) => r.ok)).toBe(true);
    expect(written.size).toBe(300);
    expect([...written.values()].every((n) => n === 1)).toBe(true);
    // First batch: all 300; then only the 100 throttled ones, three times.
    expect(server.requests.map((r) => readBatch(r).length)).toEqual([300, 100, 100, 100]);
    expect(time.waits).toEqual([3000, 3000, 3000]);
  });

  test("without continue-on-error, a 429 stops the batch and the item and everything after it go again", async () => {
    const { handler, written } = throttlingEndpoint((key, n) => (key === "k4" || key === "k7") && n === 1, 2);
    const { server, client } = await serve(handler);
    const results = await client.executeBatch(upserts(10));
    expect(results.every((r) => r.ok)).toBe(true);
    expect([...written.values()].every((n) => n === 1)).toBe(true);
    expect(written.size).toBe(10);
    expect(server.requests.map((r) => readBatch(r).map(keyOf).join(","))).toEqual([
      "k0,k1,k2,k3,k4,k5,k6,k7,k8,k9",
      "k4,k5,k6,k7,k8,k9",
      "k7,k8,k9",
    ]);
  });

  test("items still throttled when the retries run out carry a ThrottledError; the rest landed once", async () => {
    const { handler, written } = throttlingEndpoint((key) => key === "k1");
    const { server, client } = await serve(handler, { maxRetries: 2 });
    const results = await client.executeBatch(upserts(3), { continueOnError: true });
    expect(results.map((r) => r.error?.constructor ?? "ok")).toEqual(["ok", ThrottledError, "ok"]);
    expect(results[1]?.error?.retryAfterMs).toBe(3000);
    expect(server.requests).toHaveLength(3);
    expect([...written.entries()]).toEqual([
      ["k0", 1],
      ["k2", 1],
    ]);
  });

  test("a throttled change set is sent again whole", async () => {
    const { handler, written } = throttlingEndpoint((key, n) => key === "k1" && n === 1);
    const { server, client } = await serve(handler);
    const results = await client.executeBatch([{ changeSet: upserts(3) }], { continueOnError: true });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.requests.map((r) => readBatch(r).length)).toEqual([3, 3]);
    expect([...written.values()]).toEqual([1, 1, 1]);
  });

  test("a 429 for the whole batch (nothing ran) resends the whole batch", async () => {
    let n = 0;
    const inner = batchEndpoint(done);
    const { server, client, time } = await serve((req, res) =>
      ++n === 1
        ? json(res, 429, { error: { code: "0x80072326", message: "" } }, { "Retry-After": "4" })
        : inner(req, res),
    );
    const results = await client.executeBatch(upserts(5));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(time.waits).toEqual([4000]);
  });
});

describe("failures", () => {
  test("without continue-on-error a failure stops later batches too: their items were not run", async () => {
    const { server, client } = await serve(
      batchEndpoint((op) =>
        keyOf(op) === "k2"
          ? { status: 400, body: { error: { code: "0x80044331", message: "too long" } } }
          : done(op),
      ),
    );
    const results = await client.executeBatch(upserts(6), { maxBatchSize: 3 });
    expect(server.requests).toHaveLength(1);
    expect(results.map((r) => r.status)).toEqual([204, 204, 400, 0, 0, 0]);
    expect(results.slice(3).every((r) => r.error instanceof NotExecutedError)).toBe(true);
  });

  test("a batch of creates is not resent after a connection reset: its items report the network error", async () => {
    const { server, client } = await serve((_, res) => void res.socket?.destroy());
    const results = await client.executeBatch([
      createOp("accounts", { name: "a" }),
      createOp("accounts", { name: "b" }),
    ]);
    expect(server.requests).toHaveLength(1);
    expect(results.map((r) => [r.status, r.error?.kind])).toEqual([
      [0, "Network"],
      [0, "Network"],
    ]);
  });

  test("a batch of upserts is resent after a connection reset", async () => {
    let n = 0;
    const inner = batchEndpoint(done);
    const { server, client } = await serve((req, res) =>
      ++n === 1 ? void res.socket?.destroy() : inner(req, res),
    );
    const results = await client.executeBatch(upserts(2));
    expect(server.requests).toHaveLength(2);
    expect(results.every((r) => r.ok)).toBe(true);
  });
});

describe("the request body", () => {
  // Dataverse cannot read a batch whose lines do not all end in CRLF, the last one included
  // ("Troubleshoot Dataverse Web API client errors", "Stream was not readable").
  test("every line ends with CRLF, the closing delimiter's too", () => {
    const { body } = buildBatch(
      [createOp("accounts", { name: "A\nB" }), { changeSet: [createOp("accounts", { name: "C" })] }],
      "/api/data/v9.2",
    );
    expect(body).toMatch(/--batch_[0-9a-f-]+--\r\n$/);
    expect(body.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  test("an unbound action is posted at the API root; a name that is no identifier is refused", () => {
    const op = unboundActionOp("WinOpportunity", { Status: 3 }, { idempotent: false });
    expect(op).toMatchObject({
      method: "POST",
      url: "WinOpportunity",
      body: { Status: 3 },
      idempotent: false,
    });
    const { body } = buildBatch([op], "/api/data/v9.2");
    expect(body).toContain("POST /api/data/v9.2/WinOpportunity HTTP/1.1");
    expect(() => unboundActionOp("Win/../x", {}, { idempotent: false })).toThrow(InvalidValueError);
  });
});
