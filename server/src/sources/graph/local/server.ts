import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:https";

import { listen } from "../../../net/listen";
import { type GraphFaultOptions, GraphFaults } from "./faults";
import { GraphHandler, type LocalGraphStats } from "./graphHandler";
import type { LocalSubscriptions } from "./localSubscriptions";
import { errorBody } from "./requests";
import type { LocalTenant } from "./tenant";

export type { LocalGraphStats } from "./graphHandler";

/**
 * The local Graph-compatible server: HTTPS with a self-signed certificate made at start (the Graph SDK
 * sends tokens only to https hosts), bearer-token authentication compared in constant time, the read
 * routes, `$batch` (at most 20 sub-requests, each throttled on its own), subscriptions, and fault
 * injection. It counts what a test or benchmark needs to check: requests, pages, throttles, retries that
 * came before their Retry-After, and the most requests in flight per mailbox.
 */

export interface LocalGraphOptions {
  tenant: LocalTenant;
  token: string;
  port?: number;
  faults?: GraphFaultOptions;
}

export interface LocalGraph {
  /** `https://localhost:<port>/` — the SDK's baseUrl. */
  baseUrl: string;
  /** The certificate (PEM) to trust. */
  ca: string;
  token: string;
  tenant: LocalTenant;
  stats: LocalGraphStats;
  subscriptions: LocalSubscriptions;
  /** Changes the fault options (a test lets a storm start or stop). */
  setFaults(faults: GraphFaultOptions | undefined): void;
  close(): Promise<void>;
}

export async function startLocalGraph(options: LocalGraphOptions): Promise<LocalGraph> {
  // Loaded here, not with the module: selfsigned and its X.509 library were 0.3 s of every CLI command's start-up.
  const { generate } = await import("selfsigned");
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: false },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  const handler = new GraphHandler(options.tenant, options.token, options.faults);
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    handler.onRequest(req, res).catch((e: unknown) => {
      process.stderr.write(`local graph: unexpected ${e instanceof Error ? e.name : "error"}\n`);
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(
          JSON.stringify(
            errorBody("InternalServerError", "An internal server error occurred.", randomUUID()),
          ),
        );
      } else res.destroy();
    });
  });
  const { port } = await listen(server, options.port ?? 0, "127.0.0.1");
  handler.base = `https://localhost:${port}/v1.0`;
  return {
    baseUrl: `https://localhost:${port}/`,
    ca: pems.cert,
    token: options.token,
    tenant: options.tenant,
    stats: handler.stats,
    subscriptions: handler.subscriptions,
    setFaults: (f) => {
      handler.faults = f ? new GraphFaults(f) : undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
