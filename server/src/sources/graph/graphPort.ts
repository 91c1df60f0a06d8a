/**
 * The small port through which the sync reads Graph: pages of JSON items and `$batch`. It hides the SDK
 * so that the sync (and a test) can reason about pages and links only; Graph types never reach the core.
 */
export interface GraphPage {
  value: unknown[];
  nextLink?: string;
  deltaLink?: string;
}

export interface BatchItem {
  id: string;
  /** Relative to the version (`/users/...`) or an absolute link Graph gave. */
  url: string;
  /** The mailbox the request reads (for the per-mailbox concurrency cap). */
  mailbox?: string;
}

/** A sub-request's final outcome: its page, or the error Graph gave after retries. */
export type BatchOutcome = { page: GraphPage } | { error: { status: number; code: string } };

export interface GraphPort {
  /** One page; throws GraphRequestError for a Graph error that retries did not cure. */
  page(url: string, mailbox?: string): Promise<GraphPage>;
  /** Up to 20 GETs in one `$batch`; sub-requests throttled inside it are sent again after their Retry-After. */
  batch(items: readonly BatchItem[]): Promise<Map<string, BatchOutcome>>;
}

/** Reads a page body as Graph sends it. */
export function toPage(body: unknown): GraphPage {
  const o = (body ?? {}) as Record<string, unknown>;
  const page: GraphPage = { value: Array.isArray(o.value) ? o.value : [] };
  if (typeof o["@odata.nextLink"] === "string") page.nextLink = o["@odata.nextLink"];
  if (typeof o["@odata.deltaLink"] === "string") page.deltaLink = o["@odata.deltaLink"];
  return page;
}
