import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { LocalDataverse } from "../../../server/src/dataverse/local";
import { explainListenFailure, listen, ListenError } from "../../../server/src/net/listen";
import { startPreview } from "../../../server/src/preview/previewServer";
import { startLocalGraph } from "../../../server/src/sources/graph/local/server";
import { LocalTenant } from "../../../server/src/sources/graph/local/tenant";
import { startWebhookServer } from "../../../server/src/sources/graph/webhookServer";

const failure = (code: string, message = `listen ${code}`) => Object.assign(new Error(message), { code });

describe("explainListenFailure", () => {
  test.each([
    ["EADDRINUSE", "port 5555 is already in use"],
    ["EACCES", "port 5555 needs more privileges"],
    ["EADDRNOTAVAIL", "cannot listen on 10.9.8.7:5555: 10.9.8.7 is not an address of this machine"],
    ["EINVAL", "cannot listen on 10.9.8.7:5555: listen EINVAL"],
  ])("%s is one line naming the port", (code, message) => {
    const err = explainListenFailure(failure(code), "10.9.8.7", 5555);
    expect(err).toBeInstanceOf(ListenError);
    expect(err.message).toBe(message);
    expect(err.code).toBe(code);
    expect((err.cause as Error).message).toBe(`listen ${code}`);
  });

  test("an error without a code keeps its message", () => {
    expect(explainListenFailure("odd", "127.0.0.1", 1).message).toBe("cannot listen on 127.0.0.1:1: odd");
  });
});

describe("listen", () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    port = (await listen(taken, 0, "127.0.0.1")).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  test("resolves with the port it got and leaves no error listener behind", async () => {
    const server = createServer();
    const address = await listen(server, 0, "127.0.0.1");
    expect(address.port).toBe((server.address() as AddressInfo).port);
    expect(server.listenerCount("error")).toBe(0);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test("a port in use rejects with one line", async () => {
    await expect(listen(createServer(), port, "127.0.0.1")).rejects.toMatchObject({
      name: "ListenError",
      code: "EADDRINUSE",
      message: `port ${port} is already in use`,
    });
  });

  // Before the shared helper the webhook host never handled the server's error event.
  test("the Graph webhook host reports a port in use instead of failing unhandled", async () => {
    await expect(startWebhookServer({ clientState: "x", enqueue: () => undefined }, port)).rejects.toThrow(
      `port ${port} is already in use`,
    );
  });

  test("the local Graph server reports a port in use in one line", async () => {
    await expect(
      startLocalGraph({ tenant: new LocalTenant(), token: "t".repeat(32), port }),
    ).rejects.toMatchObject({
      name: "ListenError",
      code: "EADDRINUSE",
      message: `port ${port} is already in use`,
    });
  });

  test("the preview keeps its hint for a port in use", async () => {
    const dataverse = { token: "t".repeat(32) } as unknown as LocalDataverse;
    await expect(
      startPreview({
        dataverse,
        assets: { files: new Map(), strings: {} },
        recompute: () => Promise.reject(new Error("not called")),
        port,
      }),
    ).rejects.toThrow(
      `port ${port} is already in use: stop what runs there or choose another with PORT=<port>`,
    );
  });
});
