import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

import { crossSiteRefusal, type LocalDataverse } from "../dataverse/local";
import { listen, ListenError } from "../net/listen";
import type { PreviewAssets } from "./assets";
import { PreviewKey, sameSecret } from "./session";
import { SignedInUsers } from "./signedIn";

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

const API = "/api/data/v9.2/";

/**
 * Everything the pages load comes from this origin; the settings page is framed by the host page only.
 * Fluent (Griffel) inserts its styles at run time, hence 'unsafe-inline' for styles, never for scripts.
 */
const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "font-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": "application/json; charset=utf-8",
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** A Dataverse-shaped error body, so the pages read every failure the same way. */
const failure = (code: string, message: string) => ({ error: { code, message } });

const NOT_ADMITTED = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rapport preview</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem; max-width: 40rem">
<h1>This preview is private</h1>
<p>Open the link that <code>npm start</code> printed: it carries the key that admits your browser.</p>
</body></html>`;

/**
 * The local preview: plays the model-driven host around Rapport's built controls and pages, with the local
 * Dataverse endpoint on the same origin under /api/data/v9.2/ (as in an org) and "Recompute now" at
 * POST /rapport/recompute. Every request must carry the preview's key (see PreviewKey).
 */
// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const key = new PreviewKey(options.dataverse.token);
  const signedIn = new SignedInUsers(options.dataverse);
  const report =
    options.onError ??
    ((err: unknown, id: string) =>
      process.stderr.write(`preview: request ${id} failed: ${err instanceof Error ? err.name : "error"}\n`));
  let running: Promise<RecomputeSummary> | undefined;
  /** This server's own origin, set once it listens: the Web API's links name it. */
  let origin = "";

  async function recompute(): Promise<RecomputeSummary> {
    const started = Date.now();
    const r = await options.recompute();
    return { ...r, ms: Date.now() - started };
  }

  // eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://preview");
    const method = req.method ?? "GET";
    const launchKey = url.searchParams.get("key");
    if (method === "GET" && url.pathname === "/" && launchKey !== null) {
      // The printed link: trade the key for the cookie and drop it from the address bar.
      if (sameSecret(launchKey, key.key)) {
        res.writeHead(303, { ...SECURITY_HEADERS, "Set-Cookie": key.cookie(), Location: "/" });
        res.end();
        return;
      }
    }
    if (!key.admits(req)) {
      req.resume();
      if (url.pathname.startsWith(API) || url.pathname.startsWith("/rapport/"))
        return json(
          res,
          401,
          failure("0x80040220", "The preview needs its key: open the link npm start printed."),
          {
            "WWW-Authenticate": "Bearer",
          },
        );
      res.writeHead(401, { ...SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8" });
      res.end(NOT_ADMITTED);
      return;
    }
    if (url.pathname.startsWith(API)) {
      // The key admitted the browser; the user chosen in "Signed in as" is who the endpoint sees.
      req.headers.authorization = signedIn.authorization(req);
      options.dataverse.handle(req, res, origin);
      return;
    }
    if (url.pathname === "/rapport/recompute") {
      req.resume();
      if (method !== "POST") return json(res, 405, failure("0x8006088a", "Use POST."), { Allow: "POST" });
      // A JSON content type cannot be sent cross-site without a preflight, which this server never grants,
      // and another localhost page (the same site, so the cookie goes along) is told apart by its origin.
      const refused = crossSiteRefusal(method, url.pathname, req.headers);
      if (refused) return json(res, refused.status, failure(refused.code, refused.message));
      running ??= recompute().finally(() => (running = undefined));
      try {
        return json(res, 200, await running);
      } catch (err) {
        const id = randomUUID();
        report(err, id);
        return json(res, 500, failure("0x80040216", `Recompute failed (request ${id}); see the terminal.`));
      }
    }
    if (url.pathname === "/controls/strings.json" && method === "GET")
      return json(res, 200, options.assets.strings);
    const file = options.assets.files.get(url.pathname);
    if (!file || (method !== "GET" && method !== "HEAD")) {
      req.resume();
      return json(res, 404, failure("0x80060888", `Nothing at ${url.pathname}.`));
    }
    const body = await readFile(file.file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      "Content-Type": file.contentType,
      "Content-Length": body.length,
    });
    res.end(method === "HEAD" ? undefined : body);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      const id = randomUUID();
      report(err, id);
      if (!res.headersSent) json(res, 500, failure("0x80040216", `Unexpected error (request ${id}).`));
      else res.destroy();
    });
  });
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
  origin = url;
  return {
    url,
    launchUrl: `${url}/?key=${encodeURIComponent(key.key)}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
