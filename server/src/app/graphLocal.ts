import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import type { InsightConfig } from "../core/config";
import { readGraphSettings } from "../sources/graph/graphSettings";
import { sampleTenant } from "../sources/graph/local/sampleTenant";
import { startLocalGraph } from "../sources/graph/local/server";
import { SqliteStateStore } from "../sources/graph/sqliteStateStore";
import { type GraphSyncOptions, runGraphSync } from "./graphSync";
import type { Ingested } from "./ingest";
import { ingestGraphState } from "./ingestGraphState";

/**
 * The embedded default read through Graph: the mail is served by the local Graph-compatible server
 * (HTTPS, self-signed certificate made now) and read by the same sync production runs, into a fresh
 * state file, then judged like any other source.
 */
export async function ingestThroughLocalGraph(
  mbox: string,
  options: {
    config: InsightConfig;
    now: number;
    stateDir: string;
    onUsers?: GraphSyncOptions["onUsers"];
    onMailboxDone?: GraphSyncOptions["onMailboxDone"];
  },
): Promise<Ingested> {
  const tenant = await sampleTenant(mbox, { domains: options.config.orgDomains });
  const token = randomBytes(24).toString("base64url");
  const server = await startLocalGraph({ tenant, token });
  mkdirSync(options.stateDir, { recursive: true });
  const state = path.join(options.stateDir, "graph-local.sqlite");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(state + suffix, { force: true });
  const ca = path.join(options.stateDir, "graph-local-ca.pem");
  writeFileSync(ca, server.ca);
  try {
    const settings = readGraphSettings({
      GRAPH_AUTH: "static",
      GRAPH_TOKEN: token,
      GRAPH_BASE_URL: server.baseUrl,
      GRAPH_CA_FILE: ca,
      // The bundled sample is from 2000-2001: the calendar window reaches back to it.
      GRAPH_WINDOW_MONTHS_BACK: "600",
    });
    await runGraphSync(settings, {
      state,
      now: options.now,
      ...(options.onUsers ? { onUsers: options.onUsers } : {}),
      ...(options.onMailboxDone ? { onMailboxDone: options.onMailboxDone } : {}),
    });
  } finally {
    await server.close();
  }
  const store = new SqliteStateStore(state);
  try {
    return ingestGraphState(store, {
      config: options.config,
      now: options.now,
      order: tenant.users.map((u) => u.id),
    });
  } finally {
    store.close();
  }
}
