import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { type DemoCrm, demoCrm } from "../../server/src/app/demo/demoCrm";
import { type Ingested, ingestMbox } from "../../server/src/app/ingest";
import { buildState } from "../../server/src/app/pipeline";
import { SAMPLE_DIR } from "../../server/src/app/start";
import { resolveConfig } from "../../server/src/core/config";
import { computeInsights } from "../../server/src/core/insights";
import { DataverseClient, staticTokenProvider } from "../../server/src/dataverse/client";
import {
  type FaultOptions,
  type LocalDataverse,
  startLocalDataverse,
} from "../../server/src/dataverse/local";

/**
 * What the Dataverse integration tests share: the bundled real sample read once, the demo CRM derived
 * from it, and local Dataverse endpoints (one SQLite file each) started on demand and closed after.
 */
export const TOKEN = "integration-test-token-0123456789";
export const config = resolveConfig({ orgDomains: ["enron.com"] });
export const NOW = Date.UTC(2002, 0, 1);

export interface SampleOrgs {
  mail: Ingested;
  crm: DemoCrm;
  dir: string;
  /** A fresh local Dataverse (optionally with faults) and a client for it that does not really sleep. */
  org(name: string, faults?: FaultOptions): Promise<{ server: LocalDataverse; client: DataverseClient }>;
  close(): Promise<void>;
}

export async function sampleOrgs(prefix: string): Promise<SampleOrgs> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `rapport-${prefix}-`));
  const mail = await ingestMbox(SAMPLE_DIR, { config, now: NOW });
  const derived = buildState(mail, config);
  const connections = computeInsights(derived.state, [], NOW, { detail: "scores" }).connections;
  const crm = demoCrm(derived.directory.users, connections, config, NOW, mail.interactions);
  const servers: LocalDataverse[] = [];
  return {
    mail,
    crm,
    dir,
    async org(name, faults) {
      const server = await startLocalDataverse({
        db: path.join(dir, `${name}.sqlite`),
        token: TOKEN,
        ...(faults ? { faults } : {}),
      });
      servers.push(server);
      const client = new DataverseClient({
        url: server.url,
        token: staticTokenProvider(TOKEN),
        sleep: async () => {},
      });
      return { server, client };
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
