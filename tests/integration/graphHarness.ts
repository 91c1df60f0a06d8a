import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { ingestMbox } from "../../server/src/app/ingest";
import { ingestGraphState } from "../../server/src/app/ingestGraphState";
import { buildState } from "../../server/src/app/pipeline";
import { SAMPLE_DIR } from "../../server/src/app/start";
import { resolveConfig } from "../../server/src/core/config";
import { InteractionStore } from "../../server/src/core/engine/store";
import { computeInsights } from "../../server/src/core/insights";
import type { Interaction } from "../../server/src/core/interaction";
import { type GraphSettings, readGraphSettings } from "../../server/src/sources/graph/graphSettings";
import type { GraphFaultOptions } from "../../server/src/sources/graph/local/faults";
import { sampleTenant } from "../../server/src/sources/graph/local/sampleTenant";
import { type LocalGraph, startLocalGraph } from "../../server/src/sources/graph/local/server";
import { SqliteStateStore } from "../../server/src/sources/graph/sqliteStateStore";

// The Graph sync suites share this: the bundled sample as a local tenant, and how a sync's result is
// compared with the mbox import of the same mail.

export const NOW = Date.UTC(2002, 0, 1);
export const TOKEN = "graph-test-token-0123456789";
export const config = resolveConfig({ orgDomains: ["enron.com"] });

export function tempDir(name: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `rapport-graph-${name}-`));
}

export async function startSampleGraph(faults?: GraphFaultOptions, dir = SAMPLE_DIR): Promise<LocalGraph> {
  const tenant = await sampleTenant(dir, { domains: ["enron.com"] });
  return startLocalGraph({ tenant, token: TOKEN, ...(faults ? { faults } : {}) });
}

/** The environment a `rapport sync` child (or readGraphSettings) gets for a local server. */
export function graphEnv(
  server: LocalGraph,
  dir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const ca = path.join(dir, "ca.pem");
  writeFileSync(ca, server.ca);
  return {
    GRAPH_AUTH: "static",
    GRAPH_TOKEN: server.token,
    GRAPH_BASE_URL: server.baseUrl,
    GRAPH_CA_FILE: ca,
    // The sample's meetings are in 2001: the window covers them.
    GRAPH_WINDOW_MONTHS_BACK: "36",
    ...extra,
  };
}

export function settingsFor(
  server: LocalGraph,
  dir: string,
  extra: Record<string, string> = {},
): GraphSettings {
  return readGraphSettings(graphEnv(server, dir, extra));
}

/**
 * The same interactions in one canonical order. Where two copies of a message differ (the sample has a
 * meeting request whose When line is on one copy only), the store keeps the copy that arrives first, so
 * both sides are fed in the same order: by key, meetings before mail, then time and recipient count.
 */
export function canonical<T extends { interactions: Interaction[] }>(ingested: T): T {
  const rank = (i: Interaction) => (i.kind === "meeting" ? 0 : 1);
  const interactions = [...ingested.interactions].sort(
    (a, b) =>
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
      rank(a) - rank(b) ||
      a.at - b.at ||
      a.recipientCount - b.recipientCount,
  );
  return { ...ingested, interactions };
}

/** Interactions without the fields that name their source (the only part that differs by design). */
export function comparable(interactions: Iterable<Interaction>): unknown[] {
  const store = new InteractionStore();
  for (const i of interactions) store.add({ ...i, to: [...i.to], cc: [...i.cc], bcc: [...i.bcc] });
  return store.sorted().map(({ source: _s, messageId: _m, ...rest }) => ({
    ...rest,
    to: [...rest.to].sort(),
    cc: [...rest.cc].sort(),
  }));
}

export function insightsOf(ingested: Parameters<typeof buildState>[0]) {
  const built = buildState(ingested, config);
  return computeInsights(built.state, built.scopes, NOW);
}

/** The sync's interactions, mailboxes read in the order of the sample's files (as the mbox import reads them). */
export function graphIngest(stateFile: string, server: LocalGraph) {
  const store = new SqliteStateStore(stateFile);
  try {
    return ingestGraphState(store, { config, now: NOW, order: server.tenant.users.map((u) => u.id) });
  } finally {
    store.close();
  }
}

export function mboxIngest() {
  return ingestMbox(SAMPLE_DIR, { config, now: NOW, workers: 1 });
}
