import { randomBytes, randomUUID } from "node:crypto";

import { GraphHttpError } from "./requests";

/** Outlook resources: the longest a subscription without resource data may live (4,230 minutes). */
export const MAX_SUBSCRIPTION_MINUTES = 4230;

export interface LocalSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState?: string;
  expirationDateTime: string;
}

/**
 * Subscriptions of the local Graph server: created only after the notification URL answers the
 * validation handshake (the token echoed as text/plain within 10 s), renewed by PATCH, and used to post
 * change and lifecycle notifications in Graph's shape.
 */
export class LocalSubscriptions {
  readonly all = new Map<string, LocalSubscription>();

  constructor(private readonly now: () => number = Date.now) {}

  async create(body: Record<string, unknown>): Promise<LocalSubscription> {
    const text = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : undefined);
    const resource = text("resource");
    const notificationUrl = text("notificationUrl");
    const changeType = text("changeType");
    const expiration = Date.parse(text("expirationDateTime") ?? "");
    if (!resource || !notificationUrl || !changeType || !Number.isFinite(expiration))
      throw new GraphHttpError(
        400,
        "InvalidRequest",
        "resource, notificationUrl, changeType and expirationDateTime are required.",
      );
    this.checkExpiration(expiration);
    const lifecycle = text("lifecycleNotificationUrl");
    await validate(notificationUrl);
    if (lifecycle) await validate(lifecycle);
    const sub: LocalSubscription = {
      id: randomUUID(),
      resource,
      changeType,
      notificationUrl,
      expirationDateTime: new Date(expiration).toISOString(),
      ...(lifecycle ? { lifecycleNotificationUrl: lifecycle } : {}),
      ...(text("clientState") ? { clientState: text("clientState") } : {}),
    };
    this.all.set(sub.id, sub);
    return sub;
  }

  renew(id: string, body: Record<string, unknown>): LocalSubscription {
    const sub = this.all.get(id);
    if (!sub) throw new GraphHttpError(404, "ResourceNotFound", "The object was not found.");
    const expiration = Date.parse(String(body["expirationDateTime"] ?? ""));
    if (!Number.isFinite(expiration))
      throw new GraphHttpError(400, "InvalidRequest", "expirationDateTime is required.");
    this.checkExpiration(expiration);
    sub.expirationDateTime = new Date(expiration).toISOString();
    return sub;
  }

  remove(id: string): void {
    if (!this.all.delete(id)) throw new GraphHttpError(404, "ResourceNotFound", "The object was not found.");
  }

  /** Posts a change notification to every live subscription on a resource of this user. */
  async notifyChange(userId: string, changeType = "created"): Promise<number> {
    let sent = 0;
    for (const sub of this.live()) {
      if (!sub.resource.toLowerCase().startsWith(`/users/${userId.toLowerCase()}/`)) continue;
      await post(sub.notificationUrl, {
        value: [
          {
            subscriptionId: sub.id,
            subscriptionExpirationDateTime: sub.expirationDateTime,
            changeType,
            resource: `Users/${userId}/Messages/${randomBytes(12).toString("base64url")}`,
            resourceData: {
              "@odata.type": "#Microsoft.Graph.Message",
              id: randomBytes(12).toString("base64url"),
            },
            clientState: sub.clientState ?? null,
            tenantId: "00000000-0000-0000-0000-000000000000",
          },
        ],
      });
      sent++;
    }
    return sent;
  }

  /** Posts a lifecycle notification (subscriptionRemoved, missed, reauthorizationRequired). */
  async notifyLifecycle(id: string, lifecycleEvent: string): Promise<void> {
    const sub = this.all.get(id);
    if (!sub?.lifecycleNotificationUrl) throw new RangeError(`no lifecycle URL for subscription ${id}`);
    if (lifecycleEvent === "subscriptionRemoved") this.all.delete(id);
    await post(sub.lifecycleNotificationUrl, {
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: sub.expirationDateTime,
          lifecycleEvent,
          resource: sub.resource,
          clientState: sub.clientState ?? null,
          tenantId: "00000000-0000-0000-0000-000000000000",
        },
      ],
    });
  }

  private *live(): IterableIterator<LocalSubscription> {
    for (const s of this.all.values()) if (Date.parse(s.expirationDateTime) > this.now()) yield s;
  }

  private checkExpiration(expiration: number): void {
    if (expiration > this.now() + MAX_SUBSCRIPTION_MINUTES * 60_000 + 60_000)
      throw new GraphHttpError(
        400,
        "InvalidRequest",
        `Subscription expiration can only be ${MAX_SUBSCRIPTION_MINUTES} minutes in the future.`,
      );
  }
}

/** The validation handshake: Graph posts a token and wants it back, as text, within 10 seconds. */
async function validate(url: string): Promise<void> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const target = `${url}${url.includes("?") ? "&" : "?"}validationToken=${encodeURIComponent(token)}`;
  let answer: Response;
  try {
    answer = await fetch(target, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw new GraphHttpError(
      400,
      "InvalidRequest",
      `Subscription validation request failed: ${(e as Error).name}`,
    );
  }
  const body = await answer.text();
  const type = answer.headers.get("content-type") ?? "";
  if (answer.status !== 200 || body !== token || !type.startsWith("text/plain"))
    throw new GraphHttpError(
      400,
      "InvalidRequest",
      "Subscription validation request failed. Response must exactly match validationToken query parameter.",
    );
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`notification answered ${res.status}`);
}
