import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { listen, ListenError } from "../../net/listen";
import { LocalDataverseStartError } from "./errors";
import { FaultInjector, type FaultOptions } from "./faults";
import { Identities } from "./identity";
import { type Endpoint, serve } from "./requests";
import { BASE_PATH } from "./router";
import { ensureRoles } from "./security";
import { SqlStore } from "./sqlStore";
import { infoBySet } from "./tableInfo";
import { createRecord, type WriteContext } from "./writes";

/**
 * The local Dataverse-compatible endpoint: node:http in front of the SQLite store. Every request is
 * authenticated by its bearer token, which signs in a caller whose roles' privileges every request is
 * checked against (security.ts), may be faulted (tests), and is answered by the synchronous router;
 * `$batch` goes through the batch runner.
 */

export interface LocalDataverseOptions {
  /** SQLite file (created when missing) or ":memory:". */
  db: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the endpoint is for this machine. */
  host?: string;
  /**
   * The origin clients reach the endpoint at, named in its links (`@odata.context`, `@odata.nextLink`,
   * `Location`, `OData-EntityId`). Default `http://<host>:<port>`; set it when listening on 0.0.0.0.
   */
  origin?: string;
  /** The bearer token of the local administrator: System Administrator, every privilege. */
  token: string;
  /**
   * Further bearer tokens, each signing in a user (token → systemuserid): such a caller may do what the
   * roles associated with that user (systemuserroles, or teamroles through teammembership) allow.
   */
  users?: Readonly<Record<string, string>>;
  /** Fault injection for tests; off when absent. */
  faults?: FaultOptions;
  /** Request bodies above this get 413 (default 64 MiB). */
  maxBodyBytes?: number;
  /** Clock for createdon/modifiedon (tests). */
  now?: () => number;
  /** Unexpected errors (bugs) are reported here; default: one line on stderr with the request id. */
  onUnexpected?: (err: unknown, requestId: string) => void;
}

export interface LocalDataverseStats {
  requests: number;
  byMethod: Record<string, number>;
  /** Requests inside $batch bodies. */
  batchRequests: number;
  unauthorized: number;
  faults: { throttle: number; unavailable: number; reset: number; slow: number };
}

/** Records to insert per entity set, as Web API create payloads (lookups by `nav@odata.bind`). */
export type SeedData = Record<string, readonly Record<string, unknown>[]>;

export interface LocalDataverse {
  /** Origin, e.g. `http://127.0.0.1:5555`. */
  url: string;
  /** `${url}/api/data/v9.2/` */
  serviceRoot: string;
  token: string;
  /** Signs a user in: returns a new bearer token whose requests run as that systemuser, with its roles. */
  tokenFor(systemuserid: string): string;
  /** Live counters. */
  stats: LocalDataverseStats;
  /** Inserts records directly (no HTTP), all in one transaction; returns the new ids per entity set. */
  seed(data: SeedData): Record<string, string[]>;
  /**
   * Answers one request as the endpoint's own server would (token check included), so a host can serve
   * the Web API on its own origin under /api/data/v9.2/ (the local preview does). `origin` is that host's
   * origin (`http://localhost:4280`): the links in the answers name it. Never the request's Host header,
   * which any client may set.
   */
  handle(req: IncomingMessage, res: ServerResponse, origin?: string): void;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

function identitiesOf(options: LocalDataverseOptions): Identities {
  try {
    return new Identities(options.token, options.users);
  } catch (err) {
    throw new LocalDataverseStartError(`users: ${(err as Error).message}`, { cause: err });
  }
}

const newStats = (): LocalDataverseStats => ({
  requests: 0,
  byMethod: {},
  batchRequests: 0,
  unauthorized: 0,
  faults: { throttle: 0, unavailable: 0, reset: 0, slow: 0 },
});

/** The default report of an unexpected error: one line on stderr with the request id. */
function reportOnStderr(err: unknown, id: string): void {
  // The error's name and where it was thrown; never its message, which could quote request data.
  const where =
    err instanceof Error ? (err.stack?.split("\n").find((l) => l.trim().startsWith("at ")) ?? "") : "";
  process.stderr.write(
    `local dataverse: request ${id} failed unexpectedly: ${err instanceof Error ? err.name : "error"} ${where.trim()}\n`,
  );
}

/** Listens; the store is closed again when that fails. */
async function listenOrClose(
  server: Server,
  store: SqlStore,
  port: number,
  host: string,
): Promise<AddressInfo> {
  try {
    return await listen(server, port, host);
  } catch (err) {
    store.close();
    if (err instanceof ListenError) throw new LocalDataverseStartError(err.message, { cause: err.cause });
    throw err;
  }
}

/** Inserts records directly (no HTTP), all in one transaction; returns the new ids per entity set. */
function seed(ctx: WriteContext, data: SeedData): Record<string, string[]> {
  return ctx.store.transaction(() => {
    const ids: Record<string, string[]> = {};
    for (const [set, records] of Object.entries(data)) {
      const info = infoBySet(set);
      if (!info) throw new Error(`seed: unknown entity set '${set}'`);
      ids[set] = records.map((r) => createRecord(ctx, info, r));
    }
    return ids;
  });
}

function closeServer(server: Server, store: SqlStore): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => {
      store.close();
      if (err) reject(err);
      else resolve();
    });
    server.closeAllConnections();
  });
}

export async function startLocalDataverse(options: LocalDataverseOptions): Promise<LocalDataverse> {
  if (!options.token)
    throw new LocalDataverseStartError("a token is required to start the local Dataverse endpoint");
  const identities = identitiesOf(options);
  const store = SqlStore.open(options.db);
  ensureRoles(store);
  const host = options.host ?? "127.0.0.1";
  const ep: Endpoint = {
    store,
    identities,
    maxBody: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    now: options.now ?? Date.now,
    ...(options.faults ? { faults: new FaultInjector(options.faults) } : {}),
    stats: newStats(),
    report: options.onUnexpected ?? reportOnStderr,
  };
  let origin = "";
  const listener = (req: IncomingMessage, res: ServerResponse, linkOrigin = origin): void =>
    serve(ep, req, res, linkOrigin);
  const server = createServer((req, res) => listener(req, res));
  const address = await listenOrClose(server, store, options.port ?? 0, host);
  origin =
    options.origin?.replace(/\/+$/, "") ??
    `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;

  const writeContext: WriteContext = { store, now: ep.now };
  return {
    url: origin,
    serviceRoot: `${origin}${BASE_PATH}`,
    token: options.token,
    tokenFor: (systemuserid) => identities.signIn(systemuserid),
    stats: ep.stats,
    seed: (data) => seed(writeContext, data),
    handle: listener,
    close: () => closeServer(server, store),
  };
}
