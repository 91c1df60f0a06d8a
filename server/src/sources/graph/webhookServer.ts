import { createServer, type Server } from "node:http";

import { listen } from "../../net/listen";
import { handleNotification, type WebhookDeps } from "./webhook";

const MAX_BODY = 1024 * 1024;

/** A node:http host for the notification handler; bodies above 1 MiB are refused. */
export async function startWebhookServer(
  deps: WebhookDeps,
  port = 0,
): Promise<{ url: string; close: () => Promise<void>; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      if (res.headersSent) return;
      const out = handleNotification(
        { method: req.method ?? "GET", url: req.url ?? "/", body: Buffer.concat(chunks).toString("utf8") },
        deps,
      );
      res.writeHead(out.status, out.headers).end(out.body);
    });
  });
  const url = `http://127.0.0.1:${(await listen(server, port, "127.0.0.1")).port}/notifications`;
  return {
    url,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
