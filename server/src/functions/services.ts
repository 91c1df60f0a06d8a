import { DefaultAzureCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { resolveConfig } from "../core/config";
import type { DirectoryData } from "../core/directory";
import { readCrm } from "../dataverse/read/readCrm";
import { DataverseClient } from "../dataverse/client";
import { BlobScaleStore } from "../app/scale/blobScaleStore";
import { FolderMailboxSource, type MailboxSource } from "../app/scale/mailboxSource";
import { encodeMessage, poisonQueueOf, QUEUES, type QueueName } from "../app/scale/messages";
import { ScaleService, type Log } from "../app/scale/scaleService";
import { DataverseSink, StoreSink } from "../app/scale/sinks";
import type { ScaleStore } from "../app/scale/scaleStore";
import type { ScaleSettings } from "./settings";

/** What the triggers share: the use cases, the queues (for poison records and status) and the settings. */
export interface ScaleHost {
  service: ScaleService;
  queues: QueueServiceClient;
  store: ScaleStore;
  settings: Readonly<ScaleSettings>;
  /** The CRM directory for a new run, read from Dataverse when it is configured. */
  readCrm?: () => Promise<DirectoryData>;
}

export interface HostOptions {
  log?: Log;
  /** Replaces the store (fault injection in the worker process, see workerMain). */
  wrapStore?: (store: ScaleStore) => ScaleStore;
  source?: MailboxSource;
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
    source: options.source ?? new FolderMailboxSource(settings.mailboxFolder),
    enqueue,
    sink,
    config,
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    service,
    queues,
    store,
    settings,
    ...(client ? { readCrm: async () => (await readCrm(client, config)).directory } : {}),
  };
}
