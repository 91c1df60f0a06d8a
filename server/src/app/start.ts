import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";

import { computeInsights } from "../core/insights";
import type { Interaction } from "../core/interaction";
import { DAY_MS } from "../core/time";
import { DataverseClient, staticTokenProvider } from "../dataverse/client";
import { type LocalDataverse, startLocalDataverse } from "../dataverse/local";
import { computeAndPublish, type DataverseComputeOptions, type DataverseRun } from "./dataversePipeline";
import { demoCrm } from "./demo/demoCrm";
import { SERVICE_USER } from "./demo/demoRoles";
import { demoSummary } from "./demo/demoSummary";
import { seedDemo } from "./demo/seedDemo";
import { ingestThroughLocalGraph } from "./graphLocal";
import { ingestMbox } from "./ingest";
import { buildState } from "./pipeline";
import { readSettings } from "./settingsFile";

/** The bundled sample of real mail (see server/data/PROVENANCE.md). */
export const SAMPLE_DIR = path.resolve(__dirname, "..", "..", "data", "sample");

export type StartPhase =
  "read mail" | "seed CRM" | NonNullable<Parameters<NonNullable<DataverseComputeOptions["onPhase"]>>[0]>;

export interface StartOptions {
  mbox: string;
  domains: string[];
  /** The local Dataverse database file (created when missing; kept between runs). */
  db: string;
  settings?: string;
  now?: number;
  onStart?: (totalBytes: number) => void;
  onBytes?: (bytes: number) => void;
  onPhase?: (phase: StartPhase, total?: number) => void;
  onProgress?: (done: number) => void;
  /** Read the mail through the local Graph server and the Graph sync instead of from mbox directly. */
  graphLocal?: boolean;
}

/** The embedded default once it has run: the local org, still serving, and the pipeline to run again. */
export interface StartSession {
  /** The summary of the first run, read back through the Web API. */
  summary: string;
  /** The local Dataverse-compatible endpoint holding the demo CRM and the insights. */
  dataverse: LocalDataverse;
  /** The as-of instant every run uses. */
  now: number;
  /**
   * Runs the pipeline again on the mail read at start, with the org's settings, CRM and tracked activities
   * as they are now (what "Recompute now" does). Runs one at a time: a call made during a run waits for it.
   */
  recompute(): Promise<DataverseRun>;
  close(): Promise<void>;
}

/**
 * The embedded default end to end: read the mail, derive a demo CRM from it and seed it into a local
 * Dataverse-compatible endpoint (SQLite), read the CRM back through the Web API client, compute,
 * publish, and summarise from what Dataverse now holds. Running it again updates in place: the seed is
 * an upsert and the publish writes only what changed. The endpoint keeps serving until close().
 */
export async function openStart(options: StartOptions): Promise<StartSession> {
  const config = readSettings(options.settings, options.domains);
  options.onPhase?.("read mail");
  // Read again by every recompute, so that mail added since (a meeting, say) moves introductions on.
  const readMail = (first: boolean) =>
    options.graphLocal
      ? ingestThroughLocalGraph(options.mbox, {
          config,
          now: options.now ?? Date.now(),
          stateDir: path.dirname(path.resolve(options.db)),
        })
      : ingestMbox(options.mbox, {
          config,
          now: options.now ?? Date.now(),
          ...(options.now !== undefined ? { before: options.now } : {}),
          ...(first && options.onStart ? { onStart: options.onStart } : {}),
          ...(first && options.onBytes ? { onBytes: options.onBytes } : {}),
        });
  const ingested = await readMail(true);
  const newest = ingested.interactions.reduce((m, i) => Math.max(m, i.observedAt ?? i.at), 0);
  const now = options.now ?? (Math.floor(newest / DAY_MS) + 1) * DAY_MS;

  // The demo CRM comes from the mail itself: who the mailbox owners correspond with, both ways.
  const derived = buildState(ingested, config);
  const scores = computeInsights(derived.state, [], now, { detail: "scores" });
  const crm = demoCrm(derived.directory.users, scores.connections, config, now, ingested.interactions);

  mkdirSync(path.dirname(path.resolve(options.db)), { recursive: true });
  const token = randomBytes(24).toString("base64url");
  const server = await startLocalDataverse({ db: options.db, token });
  try {
    // The org is seeded as its System Administrator would import data; Rapport then runs as its own
    // application user with the Rapport Service role only, as in a customer's org.
    const client = new DataverseClient({ url: server.url, token: staticTokenProvider(token) });
    const service = new DataverseClient({
      url: server.url,
      token: staticTokenProvider(server.tokenFor(String(SERVICE_USER["systemuserid"]))),
    });
    const seedRows =
      crm.systemusers.length +
      crm.accounts.length +
      crm.contacts.length +
      crm.leads.length +
      crm.connectionroles.length +
      crm.opportunities.length +
      crm.connections.length +
      crm.closes.length;
    options.onPhase?.("seed CRM", seedRows);
    await seedDemo(client, crm, (done) => options.onProgress?.(done));
    const run = (progress: boolean, mail: DataverseComputeOptions["mail"] = ingested) =>
      computeAndPublish(service, {
        config,
        now,
        mail,
        // Introductions are asked today, whatever the date the demo's insights are computed as of.
        followedAt: Date.now(),
        ...(progress && options.onPhase ? { onPhase: options.onPhase } : {}),
        ...(progress && options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    const first = await run(true);
    const summary = await demoSummary(service, first, now);
    let queue: Promise<unknown> = Promise.resolve();
    return {
      summary,
      dataverse: server,
      now,
      recompute() {
        // Through the local Graph the mail is read once (a sync of the whole sample); from mbox, each time.
        const again = async () =>
          run(false, options.graphLocal ? ingested : asOf(await readMail(false), now));
        const next = queue.then(again, again);
        queue = next.catch(() => undefined);
        return next;
      },
      close: () => server.close(),
    };
  } catch (err) {
    await server.close();
    throw err;
  }
}

/**
 * Mail read again: what was observed before the run's as-of instant feeds the insights, as at start; what
 * came later is kept apart, as evidence of introductions only.
 */
export function asOf(
  mail: {
    interactions: readonly Interaction[];
    participantsByFile: ReadonlyMap<string, ReadonlyMap<string, number>>;
  },
  now: number,
): NonNullable<DataverseComputeOptions["mail"]> {
  const before: Interaction[] = [];
  const later: Interaction[] = [];
  for (const i of mail.interactions) ((i.observedAt ?? i.at) < now ? before : later).push(i);
  return { interactions: before, participantsByFile: mail.participantsByFile, later };
}

/** openStart, summarised and closed: the run without the preview. */
export async function runStart(options: StartOptions): Promise<string> {
  const session = await openStart(options);
  try {
    return session.summary;
  } finally {
    await session.close();
  }
}
