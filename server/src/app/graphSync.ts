import { mkdirSync } from "node:fs";
import path from "node:path";
import { tokenProviderFor } from "../dataverse/client/auth";
import { createGraphClient } from "../sources/graph/graphHttp";
import type { GraphSettings } from "../sources/graph/graphSettings";
import { SdkGraphPort } from "../sources/graph/sdkGraphPort";
import { SqliteStateStore } from "../sources/graph/sqliteStateStore";
import { syncTenant, type TenantSyncOptions, type TenantSyncResult } from "../sources/graph/tenantSync";

export interface GraphSyncOptions {
  /** The SQLite state file (created when missing). */
  state: string;
  now: number;
  onUsers?: TenantSyncOptions["onUsers"];
  onPage?: TenantSyncOptions["onPage"];
  onMailboxDone?: TenantSyncOptions["onMailboxDone"];
}

/** The calendar window around `now`, in whole calendar months (UTC). */
export function calendarWindow(
  now: number,
  monthsBack: number,
  monthsAhead: number,
): { start: number; end: number } {
  const d = new Date(now);
  const at = (months: number) =>
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + months,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
    );
  return { start: at(-monthsBack), end: at(monthsAhead) };
}

/** Syncs the tenant's mailboxes in scope into the state file, the way production reads Graph. */
export async function runGraphSync(
  settings: GraphSettings,
  options: GraphSyncOptions,
): Promise<TenantSyncResult> {
  mkdirSync(path.dirname(path.resolve(options.state)), { recursive: true });
  const client = createGraphClient({
    baseUrl: settings.baseUrl,
    token: tokenProviderFor({ url: "https://graph.microsoft.com", auth: settings.auth }),
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
