import { type HttpHandler, HttpRequest, type HttpResponseInit, InvocationContext } from "@azure/functions";

import { type FunctionRegistry, registerFunctions } from "../../../server/src/functions/functionsApp";
import type { ScaleHandlers } from "../../../server/src/functions/handlers";
import { HostSetupError, RetryingSetup } from "../../../server/src/functions/hostSetup";

/** Rejections nobody handled while a test ran (Node 20 would exit the worker on the first). */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  unhandled.length = 0;
  process.on("unhandledRejection", onUnhandled);
});
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
});
const settle = () => new Promise((r) => setTimeout(r, 20));

class StorageDown extends Error {
  override readonly name = "RestError";
  readonly code = "AuthorizationFailure";
  readonly statusCode = 403;
}

describe("the host's setup", () => {
  test("a failed setup is retried after its backoff, not kept for the life of the process", async () => {
    let now = 1_000_000;
    let calls = 0;
    const failures: unknown[] = [];
    const setup = new RetryingSetup(
      async () => {
        calls++;
        if (calls < 3) throw new StorageDown("account rapportstore: this request is not authorized");
        return "ready";
      },
      { clock: () => now, firstDelayMs: 1_000, maxDelayMs: 30_000, onFailure: (e) => failures.push(e) },
    );
    setup.warm();
    await settle();
    expect(calls).toBe(1);
    expect(failures).toEqual([{ attempt: 1, retryInMs: 1_000, error: "RestError AuthorizationFailure 403" }]);

    // Within the backoff: the invocation fails at once, without another attempt.
    await expect(setup.get()).rejects.toThrow(HostSetupError);
    expect(calls).toBe(1);
    now += 1_000;
    const second = setup.get();
    await expect(second).rejects.toMatchObject({ name: "HostSetupError", attempts: 2, retryInMs: 2_000 });
    expect(calls).toBe(2);
    // The error names the class and the code, never the message (it can carry account or blob names).
    await expect(setup.get()).rejects.toThrow(/RestError AuthorizationFailure 403.*next attempt in 2 s/);
    await expect(setup.get()).rejects.not.toThrow(/rapportstore/);

    now += 2_000;
    await expect(setup.get()).resolves.toBe("ready");
    await expect(setup.get()).resolves.toBe("ready");
    expect(calls).toBe(3);
    await settle();
    expect(unhandled).toEqual([]);
  });

  test("the backoff doubles up to its ceiling", async () => {
    let now = 0;
    const delays: number[] = [];
    const setup = new RetryingSetup(() => Promise.reject(new Error("down")), {
      clock: () => now,
      firstDelayMs: 1_000,
      maxDelayMs: 5_000,
      onFailure: (e) => delays.push(e.retryInMs),
    });
    for (let i = 0; i < 5; i++) {
      await setup.get().catch(() => undefined);
      now += 60_000;
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  test("callers during an attempt share it; an open that throws at once is retried too", async () => {
    let calls = 0;
    let now = 0;
    const setup = new RetryingSetup<string>(
      () => {
        calls++;
        if (calls === 1) throw new Error("synchronous failure");
        return new Promise((r) => setTimeout(() => r("ready"), 10));
      },
      { clock: () => now },
    );
    await expect(setup.get()).rejects.toThrow(HostSetupError);
    now += 1_000;
    const [a, b] = [setup.get(), setup.get()];
    expect(await a).toBe("ready");
    expect(await b).toBe("ready");
    expect(calls).toBe(2);
  });

  test("warm() leaves no rejection unhandled when the setup fails", async () => {
    new RetryingSetup(() => Promise.reject(new StorageDown("down"))).warm();
    await settle();
    expect(unhandled).toEqual([]);
  });
});

/** A registry that keeps what the app registers, as the Functions host would. */
function fakeRegistry(): { registry: FunctionRegistry; http: Map<string, HttpHandler> } {
  const http = new Map<string, HttpHandler>();
  const registry: FunctionRegistry = {
    timer: () => undefined,
    storageQueue: () => undefined,
    http: (name, options) => {
      http.set(name, typeof options === "function" ? options : options.handler);
    },
  };
  return { registry, http };
}

const ctx = () => new InvocationContext({ invocationId: "test", functionName: "graphNotifications" });
const validation = (token: string) =>
  new HttpRequest({
    method: "POST",
    url: `https://rapport.example/api/graph/notifications?code=key&validationToken=${encodeURIComponent(token)}`,
  });

describe("Graph's validation handshake", () => {
  test("is answered while the host's setup has not finished", async () => {
    const { registry, http } = fakeRegistry();
    let opened = 0;
    const setup = new RetryingSetup<ScaleHandlers>(() => {
      opened++;
      return new Promise<ScaleHandlers>(() => undefined); // Storage never answers
    });
    setup.warm();
    registerFunctions(registry, () => setup.get(), { schedule: "0 */15 * * * *" });
    const handler = http.get("graphNotifications") as HttpHandler;
    const token = "Validation: Testing client application reachability for subscription Request-Id: 1 &+";
    const res = (await handler(validation(token), ctx())) as HttpResponseInit;
    expect(res.status).toBe(200);
    expect(res.body).toBe(token);
    expect(res.headers).toMatchObject({ "Content-Type": "text/plain; charset=utf-8" });
    expect(opened).toBe(1);
  });

  test("is answered while the setup is failing; a notification then fails its invocation, not the process", async () => {
    const { registry, http } = fakeRegistry();
    const setup = new RetryingSetup<ScaleHandlers>(() => Promise.reject(new StorageDown("down")));
    setup.warm();
    await settle();
    registerFunctions(registry, () => setup.get(), { schedule: "0 */15 * * * *" });
    const handler = http.get("graphNotifications") as HttpHandler;
    expect(((await handler(validation("t-1"), ctx())) as HttpResponseInit).body).toBe("t-1");
    const notification = new HttpRequest({
      method: "POST",
      url: "https://rapport.example/api/graph/notifications?code=key",
      body: { string: JSON.stringify({ value: [] }) },
    });
    await expect(handler(notification, ctx())).rejects.toThrow(HostSetupError);
    await settle();
    expect(unhandled).toEqual([]);
  });
});
