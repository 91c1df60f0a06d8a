import type { Client } from "@microsoft/microsoft-graph-client";

import { asRequestError } from "./graphHttp";
import type { StateStore } from "./stateStore";

/** Outlook resources: the longest a subscription without resource data lives (4,230 minutes). */
export const SUBSCRIPTION_MINUTES = 4230;
/** Renewed when less than this is left, so a daily run never lets one lapse. */
export const RENEW_MARGIN_MS = 36 * 3600_000;

/** The resources watched per mailbox: the two synced folders and the calendar. */
export function resourcesOf(mailbox: string): string[] {
  return [
    `/users/${mailbox}/mailFolders('inbox')/messages`,
    `/users/${mailbox}/mailFolders('sentitems')/messages`,
    `/users/${mailbox}/events`,
  ];
}

export interface SubscriptionSettings {
  notificationUrl: string;
  clientState: string;
}

/**
 * Creates the missing subscriptions of each mailbox and renews those that expire within the margin
 * (recreating one Graph no longer knows). Returns what was created and renewed.
 */
export async function ensureSubscriptions(
  client: Client,
  store: StateStore,
  mailboxes: readonly string[],
  settings: SubscriptionSettings,
  now: number,
): Promise<{ created: number; renewed: number }> {
  const held = new Map(store.subscriptions().map((s) => [`${s.mailbox} ${s.resource}`, s]));
  const expiresAt = now + SUBSCRIPTION_MINUTES * 60_000 - 60_000;
  const expirationDateTime = new Date(expiresAt).toISOString();
  let created = 0;
  let renewed = 0;
  for (const mailbox of mailboxes) {
    for (const resource of resourcesOf(mailbox)) {
      const existing = held.get(`${mailbox} ${resource}`);
      if (existing && existing.expiresAt - now > RENEW_MARGIN_MS) continue;
      if (existing) {
        try {
          await client.api(`/subscriptions/${existing.id}`).patch({ expirationDateTime });
          store.saveSubscription({ ...existing, expiresAt });
          renewed++;
          continue;
        } catch (e) {
          if (asRequestError(e)?.status !== 404) throw e;
          store.deleteSubscription(existing.id);
        }
      }
      const sub = (await client.api("/subscriptions").post({
        changeType: "created,updated,deleted",
        notificationUrl: settings.notificationUrl,
        lifecycleNotificationUrl: settings.notificationUrl,
        resource,
        expirationDateTime,
        clientState: settings.clientState,
      })) as { id: string };
      store.saveSubscription({ id: sub.id, mailbox, resource, expiresAt });
      created++;
    }
  }
  return { created, renewed };
}
