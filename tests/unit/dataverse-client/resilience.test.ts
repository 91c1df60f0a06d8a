import type { AddressInfo } from "node:net";
import { createServer } from "node:net";

import {
  DataverseClient,
  DataverseConfigError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  odataFilter,
  ServerError,
  ThrottledError,
  UnauthorizedError,
} from "../../../server/src/dataverse/client";
import { clientFor, type Handler, json, type LocalServer, startServer } from "./localServer";

/**
 * Service protection: Retry-After honoured and shared, backoff on 502/503, connection failures retried
 * only where safe, the concurrency cap, bounded retries, typed errors.
 */

const servers: LocalServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function serve(handler: Handler, options: Parameters<typeof clientFor>[1] = {}) {
  const server = await startServer(handler);
  servers.push(server);
  return { server, ...clientFor(server, options) };
}

const ok = (res: Parameters<Handler>[1]) => json(res, 200, { value: [] });
const noContent = (res: Parameters<Handler>[1]) => {
  res.writeHead(204, {
    "OData-EntityId": "http://x/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)",
  });
  res.end();
};
const throttled = (res: Parameters<Handler>[1], seconds: number) =>
  json(
    res,
    429,
    {
      error: {
        code: "0x80072322",
        message: "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
      },
    },
    { "Retry-After": String(seconds), "x-ms-service-request-id": "11111111-2222-3333-4444-555555555555" },
  );

describe("throttling (429)", () => {
  test("waits Retry-After seconds, then retries until the request lands", async () => {
    let n = 0;
    const { server, client, time, events } = await serve((_, res) =>
      ++n <= 2 ? throttled(res, 7) : ok(res),
    );
    await client.retrieveAll("accounts");
    expect(server.requests).toHaveLength(3);
    expect(time.waits).toEqual([7000, 7000]);
    expect(events.map((e) => [e.status, e.attempt, e.willRetry])).toEqual([
      [429, 1, true],
      [429, 2, true],
      [200, 3, false],
    ]);
  });

  test("no request of the client is sent while throttled, even one already queued for a permit", async () => {
    let n = 0;
    const sentAt: number[] = [];
    const clock: { now?: () => number } = {};
    const { server, client, time } = await serve((_, res) => (++n === 1 ? throttled(res, 5) : ok(res)), {
      maxConcurrency: 1,
      // Observe when the client sends, on its own clock.
      fetch: (input, init) => {
        sentAt.push(clock.now?.() ?? NaN);
        return fetch(input, init);
      },
    });
    clock.now = time.now;
    const start = time.now();
    await Promise.all([1, 2, 3, 4].map(() => client.retrieveAll("accounts")));
    expect(server.requests).toHaveLength(5);
    expect(sentAt[0]).toBe(start);
    for (const t of sentAt.slice(1)) expect(t).toBeGreaterThanOrEqual(start + 5000);
  });

  test("after the retries, a ThrottledError with the last Retry-After and request id", async () => {
    const { server, client } = await serve((_, res) => throttled(res, 2), { maxRetries: 2 });
    const err: unknown = await client.retrieveAll("accounts").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect(err).toMatchObject({ status: 429, code: "0x80072322", retryAfterMs: 2000 });
    expect((err as ThrottledError).requestId).toBe("11111111-2222-3333-4444-555555555555");
    expect(server.requests).toHaveLength(3);
  });

  test("a Retry-After beyond the time budget is not waited for", async () => {
    const { server, client, time } = await serve((_, res) => throttled(res, 400), {
      maxRetryTimeMs: 300_000,
    });
    await expect(client.retrieveAll("accounts")).rejects.toBeInstanceOf(ThrottledError);
    expect(server.requests).toHaveLength(1);
    expect(time.waits).toEqual([]);
  });
});

describe("transient server errors (502, 503, 504)", () => {
  test("503 is retried with exponential backoff and jitter", async () => {
    let n = 0;
    const { server, client, time } = await serve((_, res) =>
      ++n <= 3 ? json(res, 503, { error: { code: "", message: "Service Unavailable" } }) : noContent(res),
    );
    // A create: a 503 means the service did not take the request, so even a POST is retried.
    await client.create("accounts", { name: "x" });
    expect(server.requests).toHaveLength(4);
    // random() = 0.5: half the ceiling plus a quarter, ceilings 1 s, 2 s, 4 s.
    expect(time.waits).toEqual([750, 1500, 3000]);
  });

  test("the jitter spreads waits between half and all of the ceiling", async () => {
    let n = 0;
    const { client, time } = await serve((_, res) => (++n % 2 ? json(res, 502, {}) : ok(res)), {
      random: () => 0,
    });
    await client.retrieveAll("accounts");
    const high = clientFor(servers[servers.length - 1] as LocalServer, { random: () => 0.999999 });
    await high.client.retrieveAll("accounts");
    expect([time.waits[0], high.time.waits[0]]).toEqual([500, 1000]);
  });

  test("503 after the retries is a ServerError", async () => {
    const { server, client } = await serve((_, res) => json(res, 503, {}), { maxRetries: 1 });
    await expect(client.retrieveAll("accounts")).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(2);
  });

  test("504 (outcome unknown) is retried for an upsert but not for a create", async () => {
    let n = 0;
    const { server, client } = await serve((_, res) =>
      ++n === 1 || n === 2 ? json(res, 504, {}) : noContent(res),
    );
    await expect(client.create("accounts", { name: "x" })).rejects.toBeInstanceOf(ServerError);
    await client.upsert("accounts", { accountnumber: "A1" }, { name: "x" });
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "PATCH", "PATCH"]);
  });
});

describe("connection failures", () => {
  /** A server that drops the connection of its first `drops` requests without answering. */
  const dropping = (drops: number, how: "reset" | "mid-body" = "reset"): Handler => {
    let n = 0;
    return (req, res) => {
      if (++n > drops) return req.method === "GET" ? ok(res) : noContent(res);
      if (how === "mid-body") {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
        res.write('{"value":[');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      res.socket?.destroy();
    };
  };

  test.each([
    ["a GET", (c: DataverseClient) => c.retrieveAll("accounts")],
    [
      "an update",
      (c: DataverseClient) => c.update("accounts", "00000000-0000-0000-0000-000000000001", { name: "x" }),
    ],
    [
      "an upsert by key",
      (c: DataverseClient) => c.upsert("accounts", { accountnumber: "A1" }, { name: "x" }),
    ],
    ["a delete", (c: DataverseClient) => c.delete("accounts", "00000000-0000-0000-0000-000000000001")],
    [
      "a create marked idempotent",
      (c: DataverseClient) => c.create("accounts", { name: "x" }, { idempotent: true }),
    ],
  ])("a reset is retried for %s", async (_, call) => {
    const { server, client, events } = await serve(dropping(2));
    await call(client);
    expect(server.requests).toHaveLength(3);
    expect(events.map((e) => e.status)).toEqual([0, 0, events[2]?.status]);
  });

  test("a reset is not retried for a plain create: the row may exist", async () => {
    const { server, client } = await serve(dropping(1));
    const err: unknown = await client.create("accounts", { name: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toBe("Dataverse POST /api/data/v9.2/accounts failed: no response");
    expect((err as NetworkError).cause).toBeDefined();
    expect(server.requests).toHaveLength(1);
  });

  test("a response cut off mid-body ('terminated') is retried for a GET", async () => {
    const { server, client } = await serve(dropping(1, "mid-body"));
    await client.retrieveAll("accounts");
    expect(server.requests).toHaveLength(2);
  });

  test("a refused connection never reached the server, so even a create is retried", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const events: number[] = [];
    const client = new DataverseClient({
      url: `http://127.0.0.1:${port}`,
      token: async () => "t",
      maxRetries: 2,
      sleep: async () => undefined,
      onRequest: (e) => events.push(e.attempt),
    });
    await expect(client.create("accounts", { name: "x" })).rejects.toBeInstanceOf(NetworkError);
    expect(events).toEqual([1, 2, 3]);
  });
});

describe("concurrency cap", () => {
  test("never more requests in flight than maxConcurrency, across reads, writes and batches", async () => {
    const { server, client } = await serve(
      (req, res) => {
        setTimeout(() => {
          if (req.url.endsWith("$batch")) {
            res.writeHead(200, { "Content-Type": "multipart/mixed; boundary=b" });
            res.end("--b--\r\n");
          } else if (req.method === "GET") ok(res);
          else noContent(res);
        }, 15);
      },
      { maxConcurrency: 4 },
    );
    const work: Array<Promise<unknown>> = [];
    for (let i = 0; i < 12; i++) work.push(client.retrieveAll("accounts"));
    for (let i = 0; i < 12; i++)
      work.push(client.upsert("accounts", { accountnumber: `A${i}` }, { name: "x" }));
    for (let i = 0; i < 6; i++) work.push(client.executeBatch([]));
    await Promise.all(work);
    expect(server.maxInFlight).toBe(4);
    expect(server.requests).toHaveLength(24);
  });

  test.each([0, 53, 2.5])("maxConcurrency %p is refused (Dataverse allows 52 per user)", (n) => {
    expect(
      () =>
        new DataverseClient({
          url: "https://contoso.crm.dynamics.com",
          token: async () => "t",
          maxConcurrency: n,
        }),
    ).toThrow(DataverseConfigError);
  });
});

describe("typed errors", () => {
  test.each([
    [401, UnauthorizedError, "Unauthorized"],
    [403, ForbiddenError, "Forbidden"],
    [404, NotFoundError, "NotFound"],
  ])("%i is a %p with the request id, method and path, no query values", async (status, type, kind) => {
    const { client } = await serve((_, res) =>
      json(
        res,
        status,
        { error: { code: "0x80040217", message: "contact With Id = x Does Not Exist" } },
        { REQ_ID: "req-42" },
      ),
    );
    const err: unknown = await client
      .retrieveAll("contacts", { filter: odataFilter`emailaddress1 eq ${"jane.doe@contoso.com"}` })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({
      kind,
      status,
      code: "0x80040217",
      requestId: "req-42",
      method: "GET",
      path: "/api/data/v9.2/contacts",
    });
    expect(String((err as Error).message)).not.toContain("jane");
    expect((err as Error).message).toBe(
      `Dataverse GET /api/data/v9.2/contacts failed: HTTP ${status} 0x80040217 (request req-42)`,
    );
  });

  test("alternate-key values are masked in the error's path and in request events", async () => {
    const { client, events } = await serve((_, res) =>
      json(res, 404, { error: { code: "", message: "missing" } }),
    );
    const err: unknown = await client
      .upsert(
        "contacts",
        { emailaddress1: "jane.doe@contoso.com" },
        { firstname: "Jane" },
        { mode: "updateOnly" },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).path).toBe("/api/data/v9.2/contacts(emailaddress1='***')");
    expect(events[0]?.path).toBe("/api/data/v9.2/contacts(emailaddress1='***')");
  });
});
