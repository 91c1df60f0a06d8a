import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";

import { crossSiteRefusal } from "../dataverse/local";
import type { PreviewOptions, RecomputeSummary } from "./previewServer";
import { PreviewKey, sameSecret } from "./session";
import { SignedInUsers } from "./signedIn";

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
 * The preview's requests: the launch link, the key check, the local Dataverse endpoint under /api/data/v9.2/,
 * "Recompute now" at POST /rapport/recompute, and the built pages and controls.
 */
export class PreviewHandler {
  readonly key: PreviewKey;
  /** This server's own origin, set once it listens: the Web API's links name it. */
  origin = "";
  private readonly signedIn: SignedInUsers;
  private readonly report: (err: unknown, requestId: string) => void;
  private running: Promise<RecomputeSummary> | undefined;

  constructor(private readonly options: PreviewOptions) {
    this.key = new PreviewKey(options.dataverse.token);
    this.signedIn = new SignedInUsers(options.dataverse);
    this.report =
      options.onError ??
      ((err: unknown, id: string) =>
        process.stderr.write(
          `preview: request ${id} failed: ${err instanceof Error ? err.name : "error"}\n`,
        ));
  }

  /** Answers a request; an unexpected failure is reported (without request data) and answered 500. */
  serve(req: IncomingMessage, res: ServerResponse): void {
    this.onRequest(req, res).catch((err: unknown) => {
      const id = randomUUID();
      this.report(err, id);
      if (!res.headersSent) json(res, 500, failure("0x80040216", `Unexpected error (request ${id}).`));
      else res.destroy();
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://preview");
    const method = req.method ?? "GET";
    if (this.launched(url, method, res)) return;
    if (!this.key.admits(req)) return notAdmitted(req, res, url.pathname);
    if (url.pathname.startsWith(API)) {
      // The key admitted the browser; the user chosen in "Signed in as" is who the endpoint sees.
      req.headers.authorization = this.signedIn.authorization(req);
      this.options.dataverse.handle(req, res, this.origin);
      return;
    }
    if (url.pathname === "/rapport/recompute") return this.recomputeRoute(req, res, url.pathname);
    if (url.pathname === "/controls/strings.json" && method === "GET")
      return json(res, 200, this.options.assets.strings);
    return this.asset(req, res, url.pathname);
  }

  /** The printed link (GET /?key=...): trades the key for the cookie and drops it from the address bar. */
  private launched(url: URL, method: string, res: ServerResponse): boolean {
    const launchKey = url.searchParams.get("key");
    if (
      method !== "GET" ||
      url.pathname !== "/" ||
      launchKey === null ||
      !sameSecret(launchKey, this.key.key)
    )
      return false;
    res.writeHead(303, { ...SECURITY_HEADERS, "Set-Cookie": this.key.cookie(), Location: "/" });
    res.end();
    return true;
  }

  /** POST /rapport/recompute: one run at a time (a second request waits for the same run). */
  private async recomputeRoute(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const method = req.method ?? "GET";
    req.resume();
    if (method !== "POST") return json(res, 405, failure("0x8006088a", "Use POST."), { Allow: "POST" });
    // A JSON content type cannot be sent cross-site without a preflight, which this server never grants,
    // and another localhost page (the same site, so the cookie goes along) is told apart by its origin.
    const refused = crossSiteRefusal(method, pathname, req.headers);
    if (refused) return json(res, refused.status, failure(refused.code, refused.message));
    this.running ??= this.recompute().finally(() => (this.running = undefined));
    try {
      return json(res, 200, await this.running);
    } catch (err) {
      const id = randomUUID();
      this.report(err, id);
      return json(res, 500, failure("0x80040216", `Recompute failed (request ${id}); see the terminal.`));
    }
  }

  private async recompute(): Promise<RecomputeSummary> {
    const started = Date.now();
    const r = await this.options.recompute();
    return { ...r, ms: Date.now() - started };
  }

  /** A built page, control or script (GET or HEAD). */
  private async asset(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const method = req.method ?? "GET";
    const file = this.options.assets.files.get(pathname);
    if (!file || (method !== "GET" && method !== "HEAD")) {
      req.resume();
      return json(res, 404, failure("0x80060888", `Nothing at ${pathname}.`));
    }
    const body = await readFile(file.file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      "Content-Type": file.contentType,
      "Content-Length": body.length,
    });
    res.end(method === "HEAD" ? undefined : body);
  }
}

/** A request without the key: a Dataverse-shaped 401 for the API and the app's routes, a page otherwise. */
function notAdmitted(req: IncomingMessage, res: ServerResponse, pathname: string): void {
  req.resume();
  if (pathname.startsWith(API) || pathname.startsWith("/rapport/"))
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
}
