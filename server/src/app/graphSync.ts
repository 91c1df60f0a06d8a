import { mkdirSync } from "node:fs";
import path from "node:path";

import { tokenProviderFor } from "../net/auth";
import { createGraphClient } from "../sources/graph/graphHttp";
import type { GraphSettings } from "../sources/graph/graphSettings";
import { SdkGraphPort } from "../sources/graph/sdkGraphPort";
import { SqliteStateStore } from "../sources/graph/sqliteStateStore";
import { syncTenant, type TenantSyncOptions, type TenantSyncResult } from "../sources/graph/tenantSync";
import { calendarWindow } from "./calendarWindow";

export { calendarWindow };

export interface GraphSyncOptions {
  /** The SQLite state file (created when missing). */
  state: string;
  now: number;
  onUsers?: TenantSyncOptions["onUsers"];
  onPage?: TenantSyncOptions["onPage"];
  onMailboxDone?: TenantSyncOptions["onMailboxDone"];
}

/** Syncs the tenant's mailboxes in scope into the state file, the way production reads Graph. */
export async function runGraphSync(
  settings: GraphSettings,
  options: GraphSyncOptions,
): Promise<TenantSyncResult> {
  mkdirSync(path.dirname(path.resolve(options.state)), { recursive: true });
  const client = createGraphClient({
    baseUrl: settings.baseUrl,
    token: tokenProviderFor(settings.auth, "https://graph.microsoft.com"),
    ...(settings.ca ? { ca: settings.ca } : {}),
  });
  const port = new SdkGraphPort(client, { pageSize: settings.pageSize });
  const store = new SqliteStateStore(options.state);
  try {
    return await syncTenant(port, store, {
      groups: settings.groups,
      optedOut: settings.optedOut,
      window: calendarWindow(options.now, settings.monthsBack, settings.monthsAhead),
      ...(options.onUsers ? { onUsers: options.onUsers } : {}),
      ...(options.onPage ? { onPage: options.onPage } : {}),
      ...(options.onMailboxDone ? { onMailboxDone: options.onMailboxDone } : {}),
    });
  } finally {
    store.close();
  }
}
