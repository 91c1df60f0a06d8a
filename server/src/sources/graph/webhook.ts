import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The change-notification endpoint as a pure function from request to response, so that a node:http
 * server (webhookServer.ts) or an Azure Functions HTTP trigger can host it. It answers Graph's
 * validation handshake, checks every notification's clientState in constant time, queues the mailbox's
 * sync and answers 202 at once: the sync runs later, far inside Graph's 3-second limit.
 */

export interface WebhookRequest {
  method: string;
  /** Path and query, e.g. `/notifications?validationToken=...`. */
  url: string;
  body: string;
}

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type SyncReason = "change" | "subscriptionRemoved" | "missed" | "reauthorizationRequired";

export interface WebhookDeps {
  /** The secret given to Graph when subscribing. */
  clientState: string;
  /** Queues a mailbox's sync (and, for lifecycle events, what to do about its subscription). */
  enqueue: (mailbox: string, reason: SyncReason, subscriptionId: string) => void;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Constant-time comparison (of hashes, which have equal length whatever was sent). */
export function sameSecret(sent: unknown, expected: string): boolean {
  return typeof sent === "string" && timingSafeEqual(digest(sent), digest(expected));
}

const text = (status: number, body = ""): WebhookResponse => ({
  status,
  headers: { "Content-Type": "text/plain; charset=utf-8" },
  body,
});

/** The mailbox a notification's resource names: `Users/{id}/Messages/{id}` or `/users/{id}/mailFolders(...)`. */
export function mailboxOfResource(resource: unknown): string | undefined {
  const m = typeof resource === "string" ? /^\/?users\/([^/('"]+)/i.exec(resource) : null;
  return m?.[1] ? decodeURIComponent(m[1]).toLowerCase() : undefined;
}

export function handleNotification(req: WebhookRequest, deps: WebhookDeps): WebhookResponse {
  if (req.method !== "POST") return { ...text(405), headers: { ...text(405).headers, Allow: "POST" } };
  const query = new URL(req.url, "http://local.invalid").searchParams;
  const token = query.get("validationToken");
  // The handshake: the token back, decoded (URLSearchParams decodes), as plain text.
  if (token !== null) return text(200, token);
  const value = notificationsOf(req.body);
  if (!Array.isArray(value)) return value;
  let accepted = 0;
  for (const n of value as Record<string, unknown>[]) if (accept(n, deps)) accepted++;
  // Nothing carried our secret: not from our subscriptions.
  return accepted === 0 && value.length > 0 ? text(403) : text(202);
}

/** The notifications of a request body, or the 400 answer when it is not a notification collection. */
function notificationsOf(body: string): unknown[] | WebhookResponse {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return text(400, "invalid JSON");
  }
  const value = (payload as { value?: unknown } | null)?.value;
  return Array.isArray(value) ? value : text(400, "expected a notification collection");
}

const LIFECYCLE_REASONS: ReadonlySet<unknown> = new Set([
  "subscriptionRemoved",
  "missed",
  "reauthorizationRequired",
]);

/** Queues a sync for one notification that carries our secret and names a mailbox; whether it did. */
function accept(n: Record<string, unknown>, deps: WebhookDeps): boolean {
  if (!sameSecret(n?.clientState, deps.clientState)) return false;
  const mailbox = mailboxOfResource(n.resource);
  if (!mailbox) return false;
  const lifecycle = n.lifecycleEvent;
  const reason = LIFECYCLE_REASONS.has(lifecycle) ? (lifecycle as SyncReason) : "change";
  deps.enqueue(mailbox, reason, String(n.subscriptionId ?? ""));
  return true;
}
