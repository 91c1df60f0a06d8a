import { createServer } from "node:http";

import type { LocalDataverse } from "../dataverse/local";
import { listen, ListenError } from "../net/listen";
import type { PreviewAssets } from "./assets";
import { PreviewHandler } from "./previewHandler";

/** What "Recompute now" reports back to the page: counts only, never names or addresses. */
export interface RecomputeSummary {
  records: number;
  connections: number;
  writes: number;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
  ms: number;
}

export interface PreviewOptions {
  dataverse: LocalDataverse;
  assets: PreviewAssets;
  /** Reruns the pipeline against the local org (StartSession.recompute, summarised). */
  recompute: () => Promise<Omit<RecomputeSummary, "ms">>;
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1: the preview is for this machine. */
  host?: string;
  /** Unexpected failures of a handler, reported without request data. */
  onError?: (err: unknown, requestId: string) => void;
}

export interface Preview {
  /** `http://localhost:<port>` */
  url: string;
  /** The URL to open: it carries the key that admits the browser. */
  launchUrl: string;
  port: number;
  close(): Promise<void>;
}

export class PreviewStartError extends Error {
  override readonly name = "PreviewStartError";
}

/**
 * The local preview: plays the model-driven host around Rapport's built controls and pages, with the local
 * Dataverse endpoint on the same origin under /api/data/v9.2/ (as in an org) and "Recompute now" at
 * POST /rapport/recompute. Every request must carry the preview's key (see PreviewKey).
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const handler = new PreviewHandler(options);
  const server = createServer((req, res) => handler.serve(req, res));
  const host = options.host ?? "127.0.0.1";
  let port: number;
  try {
    ({ port } = await listen(server, options.port ?? 0, host));
  } catch (err) {
    if (!(err instanceof ListenError)) throw err;
    throw new PreviewStartError(
      err.code === "EADDRINUSE"
        ? `${err.message}: stop what runs there or choose another with PORT=<port>`
        : err.message,
      { cause: err.cause },
    );
  }
  const url = `http://localhost:${port}`;
  handler.origin = url;
  return {
    url,
    launchUrl: `${url}/?key=${encodeURIComponent(handler.key.key)}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
