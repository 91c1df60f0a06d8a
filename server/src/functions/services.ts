import { DefaultAzureCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";

import { runConfig } from "../app/orgPolicy";
import { BlobScaleStore } from "../app/scale/blobScaleStore";
import { GraphMailboxSource } from "../app/scale/graphMailboxSource";
import { FolderMailboxSource, type MailboxSource } from "../app/scale/mailboxSource";
import { encodeMessage, poisonQueueOf, type QueueName, QUEUES } from "../app/scale/messages";
import { type Log, ScaleService } from "../app/scale/scaleService";
import type { ScaleStore } from "../app/scale/scaleStore";
import { DataverseSink, StoreSink } from "../app/scale/sinks";
import { DataverseTrackedSource } from "../app/scale/trackedSource";
import { resolveConfig } from "../core/config";
import type { DirectoryData } from "../core/directory";
import { DataverseClient } from "../dataverse/client";
import { readOrgSettings } from "../dataverse/read/orgSettings";
import { readCrm } from "../dataverse/read/readCrm";
import type { OrgSettings } from "../dataverse/read/settingsFromRow";
import { tokenProviderFor } from "../net/auth";
import { createGraphClient } from "../sources/graph/graphHttp";
import { SdkGraphPort } from "../sources/graph/sdkGraphPort";
import type { ScaleSettings } from "./settings";

/** What the triggers share: the use cases, the queues (for poison records and status) and the settings. */
export interface ScaleHost {
  service: ScaleService;
  queues: QueueServiceClient;
  store: ScaleStore;
  settings: Readonly<ScaleSettings>;
  /**
   * What a new run starts from, read from Dataverse when it is configured: the org's settings row, and
   * the CRM directory read with the configuration those settings give.
   */
  readOrg?: () => Promise<{ crm: DirectoryData; settings: OrgSettings }>;
}

export interface HostOptions {
  log?: Log;
  /** Replaces the store (fault injection in the worker process, see workerMain). */
  wrapStore?: (store: ScaleStore) => ScaleStore;
  source?: MailboxSource;
}

/** Mail files when a folder is configured; otherwise Microsoft Graph, its sync state kept in blobs. */
function mailboxSource(settings: Readonly<ScaleSettings>, blobs: BlobScaleStore): MailboxSource {
  if (settings.mailboxFolder) return new FolderMailboxSource(settings.mailboxFolder);
  const graph = settings.graph;
  if (!graph) throw new Error("no mailbox source: set RAPPORT_MAILBOX_FOLDER or the GRAPH_* settings");
  const client = createGraphClient({
    baseUrl: graph.baseUrl,
    token: tokenProviderFor(graph.auth, "https://graph.microsoft.com"),
    ...(graph.ca ? { ca: graph.ca } : {}),
  });
  return new GraphMailboxSource(new SdkGraphPort(client, { pageSize: graph.pageSize }), blobs, {
    groups: graph.groups,
    optedOut: graph.optedOut,
    monthsBack: graph.monthsBack,
    monthsAhead: graph.monthsAhead,
  });
}

/** Builds the host's clients once, from the settings: a connection string (Azurite) or the managed identity. */
export async function openScaleHost(
  settings: Readonly<ScaleSettings>,
  options: HostOptions = {},
): Promise<ScaleHost> {
  const credential = settings.storageConnection ? undefined : new DefaultAzureCredential();
  const blobs = settings.storageConnection
    ? BlobServiceClient.fromConnectionString(settings.storageConnection)
    : new BlobServiceClient(`https://${settings.storageAccount}.blob.core.windows.net`, credential);
  const queues = settings.storageConnection
    ? QueueServiceClient.fromConnectionString(settings.storageConnection)
    : new QueueServiceClient(`https://${settings.storageAccount}.queue.core.windows.net`, credential);
  const blobStore = new BlobScaleStore(blobs.getContainerClient(settings.container));
  await blobStore.init();
  for (const q of Object.values(QUEUES)) {
    await queues.getQueueClient(q).createIfNotExists();
    await queues.getQueueClient(poisonQueueOf(q)).createIfNotExists();
  }
  const store = options.wrapStore ? options.wrapStore(blobStore) : blobStore;
  const config = resolveConfig({ orgDomains: settings.orgDomains });
  const client = settings.dataverse ? DataverseClient.fromSettings(settings.dataverse) : undefined;
  const sink = client ? new DataverseSink(client, config) : new StoreSink(store, config);
  const enqueue = async (queue: QueueName, body: unknown): Promise<void> => {
    await queues.getQueueClient(queue).sendMessage(encodeMessage(body));
  };
  const service = new ScaleService({
    store,
    source: options.source ?? mailboxSource(settings, blobStore),
    ...(client ? { tracked: new DataverseTrackedSource(client) } : {}),
    enqueue,
    sink,
    config,
    incremental: settings.incremental,
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    service,
    queues,
    store,
    settings,
    ...(client
      ? {
          readOrg: async () => {
            const settings = await readOrgSettings(client);
            const crm = (await readCrm(client, runConfig(config, settings))).directory;
            return { crm, settings };
          },
        }
      : {}),
  };
}
