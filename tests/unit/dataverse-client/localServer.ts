import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { getMultipartBoundary, parseMultipart } from "@mjackson/multipart-parser";

import {
  DataverseClient,
  type DataverseClientOptions,
  type RequestEvent,
  type TableCatalog,
} from "../../../server/src/dataverse/client";

/**
 * Small node:http servers on 127.0.0.1 that record every request and answer in the Web API's wire
 * format, so the client is tested over real HTTP (sockets, headers, multipart) without a Dataverse.
 */

export interface Recorded {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: Recorded, res: ServerResponse) => void | Promise<void>;

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  apiRoot: string;
  requests: Recorded[];
  /** Most requests ever in flight at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<LocalServer> {
  const requests: Recorded[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const server = createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec: Recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(rec);
      // A handler that throws (even synchronously) answers 599 rather than leaving the client hanging.
      new Promise<void>((resolve) => resolve(handler(rec, res))).catch((err: unknown) => {
        res.statusCode = 599;
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    apiRoot: `${url}/api/data/v9.2`,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON answer with Dataverse's usual headers. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "Content-Type": "application/json; odata.metadata=minimal",
    "OData-Version": "4.0",
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/**
 * A fake clock whose sleep records each wait and moves time on when the wait ends (a macrotask
 * later, as a timer would), so retries cost no real time and concurrent sleepers overlap.
 */
export function fakeTime() {
  let t = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      const until = t + ms;
      await new Promise((r) => setImmediate(r));
      t = Math.max(t, until);
    },
  };
}

const ENTITY_SETS: Readonly<Record<string, string>> = { account: "accounts", contact: "contacts" };
const ID_COLUMNS: Readonly<Record<string, string>> = { accounts: "accountid", contacts: "contactid" };

/** The standard tables these tests use, described to the client as any caller would (it knows none itself). */
export const STANDARD_TABLES: TableCatalog = {
  entitySetOf: (logicalName) => ENTITY_SETS[logicalName],
  primaryIdOf: (entitySet) => ID_COLUMNS[entitySet],
};

/**
 * A client for a local server with fake time, no jitter spread (random 0.5), recorded events and the
 * standard tables' catalog.
 */
export function clientFor(server: LocalServer, options: Partial<DataverseClientOptions> = {}) {
  const time = fakeTime();
  const events: RequestEvent[] = [];
  const client = new DataverseClient({
    url: server.url,
    token: async () => "test-token",
    now: time.now,
    sleep: time.sleep,
    random: () => 0.5,
    onRequest: (e) => events.push(e),
    tables: STANDARD_TABLES,
    ...options,
  });
  return { client, time, events };
}

/** One operation of a `$batch` request as the server reads it. */
export interface BatchOp {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  contentId: string | undefined;
  /** Index of the change set it belongs to, undefined outside change sets. */
  changeSet: number | undefined;
}

export interface OpAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Reads a multipart `$batch` request body into its operations. */
export function readBatch(rec: Recorded): BatchOp[] {
  const ops: BatchOp[] = [];
  let changeSets = 0;
  const walk = (contentType: string, body: string, changeSet: number | undefined) => {
    const boundary = getMultipartBoundary(contentType);
    if (!boundary) throw new Error("no boundary");
    for (const part of parseMultipart(new TextEncoder().encode(body), { boundary, maxFileSize: 1e9 })) {
      const type = part.headers.get("content-type") ?? "";
      if (type.startsWith("multipart/")) {
        walk(type, part.text, changeSets++);
        continue;
      }
      const [head = "", ...rest] = part.text.split("\r\n\r\n");
      const [line = "", ...headerLines] = head.split("\r\n");
      const [method = "", url = ""] = line.split(" ");
      const headers: Record<string, string> = {};
      for (const h of headerLines) {
        const i = h.indexOf(":");
        headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
      }
      ops.push({
        method,
        url,
        headers,
        body: rest.join("\r\n\r\n").replace(/\r\n$/, ""),
        contentId: part.headers.get("content-id") ?? undefined,
        changeSet,
      });
    }
  };
  walk(String(rec.headers["content-type"]), rec.body, undefined);
  return ops;
}

type Answered = OpAnswer & { contentId?: string };

/**
 * Renders a multipart batch response (CRLF, like Dataverse) answering each operation in order; an
 * array is a change set's answers, nested under their own boundary.
 */
export function batchResponse(answers: Array<Answered | Answered[]>): { contentType: string; body: string } {
  const boundary = `batchresponse_${Math.random().toString(16).slice(2)}`;
  const httpPart = (b: string, a: Answered) => {
    const head = [`HTTP/1.1 ${a.status} ${a.status < 300 ? "OK" : "Error"}`, "OData-Version: 4.0"];
    for (const [k, v] of Object.entries(a.headers ?? {})) head.push(`${k}: ${v}`);
    if (a.body !== undefined) head.push("Content-Type: application/json; odata.metadata=minimal");
    const ids = a.contentId ? `Content-ID: ${a.contentId}\r\n` : "";
    return (
      `--${b}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n${ids}\r\n` +
      `${head.join("\r\n")}\r\n\r\n${a.body === undefined ? "" : JSON.stringify(a.body)}\r\n`
    );
  };
  const parts = answers.map((a) => {
    if (!Array.isArray(a)) return httpPart(boundary, a);
    const cs = `changesetresponse_${Math.random().toString(16).slice(2)}`;
    const inner = a.map((x) => httpPart(cs, x)).join("") + `--${cs}--\r\n`;
    return `--${boundary}\r\nContent-Type: multipart/mixed; boundary=${cs}\r\n\r\n${inner}`;
  });
  return {
    contentType: `multipart/mixed; boundary=${boundary}`,
    body: parts.join("") + `--${boundary}--\r\n`,
  };
}

export function sendBatch(
  res: ServerResponse,
  status: number,
  answer: { contentType: string; body: string },
): void {
  res.writeHead(status, { "Content-Type": answer.contentType, "OData-Version": "4.0" });
  res.end(answer.body);
}

/**
 * A `$batch` endpoint that runs operations one by one like Dataverse: without
 * `Prefer: odata.continue-on-error` it stops at the first failure and answers with that status and
 * the answers so far; with it, it answers every operation with 200 overall. A change set that fails
 * answers for its failing item only. `commit` sees each operation whose effect persists.
 */
export function batchEndpoint(
  run: (op: BatchOp) => OpAnswer,
  commit: (op: BatchOp) => void = () => undefined,
): Handler {
  return (rec, res) => {
    const continueOnError = String(rec.headers["prefer"] ?? "").includes("odata.continue-on-error");
    const ops = readBatch(rec);
    const answers: Array<Answered | Answered[]> = [];
    let status = 200;
    for (let i = 0; i < ops.length;) {
      const op = ops[i] as BatchOp;
      const group = op.changeSet === undefined ? [op] : ops.filter((o) => o.changeSet === op.changeSet);
      i += group.length;
      const answered: Answered[] = [];
      let failure: Answered | undefined;
      for (const o of group) {
        const a = run(o);
        const tagged = o.contentId ? { ...a, contentId: o.contentId } : a;
        if (a.status >= 400) {
          failure = tagged;
          break;
        }
        answered.push(tagged);
      }
      if (!failure) group.forEach(commit);
      if (op.changeSet === undefined) answers.push(failure ?? (answered[0] as Answered));
      else answers.push(failure ? [failure] : answered);
      if (failure && !continueOnError) {
        status = failure.status;
        break;
      }
    }
    sendBatch(res, status, batchResponse(answers));
  };
}
