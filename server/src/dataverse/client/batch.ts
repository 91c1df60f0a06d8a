import { randomUUID } from "node:crypto";

import { getMultipartBoundary, parseMultipart } from "@mjackson/multipart-parser";

import {
  DataverseError,
  errorForStatus,
  InvalidValueError,
  NotExecutedError,
  parseErrorBody,
  ThrottledError,
} from "./errors";
import { requestIdOf, retryAfterMs, safePath } from "./http";
import { entityIdFrom, type Operation } from "./requests";

/**
 * The `$batch` wire format (OData 4.0 §11.7, Dataverse "Execute batch operations using the Web API"):
 * building a multipart/mixed request body as text, and reading the multipart response back into one
 * result per operation, in request order.
 */

/** Operations that succeed or fail together (a change set: no GETs). */
export interface ChangeSet {
  changeSet: readonly ChangeSetItem[];
}

/** A change-set operation; `contentId` lets later items refer to it as `$<contentId>`. */
export type ChangeSetItem = Operation & { contentId?: string };

export type BatchPart = Operation | ChangeSet;

export const isChangeSet = (part: BatchPart): part is ChangeSet => "changeSet" in part;

/** What became of one operation of a batch. */
export interface BatchItemResult {
  /** Position in the caller's list of operations (change sets flattened). */
  index: number;
  /** 2xx. */
  ok: boolean;
  /** The operation's HTTP status; 0 when Dataverse sent no answer for it (see `error`). */
  status: number;
  /** Response headers, names lower-cased. */
  headers: Readonly<Record<string, string>>;
  /** Parsed JSON body (a row, a page of rows), text for other content, undefined when empty. */
  body: unknown;
  /** The row id from `OData-EntityId`, for creates and upserts. */
  id?: string;
  /** Typed error when not ok: NotExecutedError when Dataverse never ran it (or rolled it back). */
  error?: DataverseError;
}

const CRLF = "\r\n";

export interface BuiltBatch {
  contentType: string;
  body: string;
}

/**
 * The request body. `basePath` is the API root's path (`/api/data/v9.2`), prefixed to each operation
 * URL except `$n` references. Change-set items without a `contentId` are numbered from 1 across the
 * batch, unique as OData requires.
 */
export function buildBatch(parts: readonly BatchPart[], basePath: string, newId = randomUUID): BuiltBatch {
  const boundary = `batch_${newId()}`;
  const out: string[] = [];
  let contentId = 0;
  for (const part of parts) {
    out.push(`--${boundary}${CRLF}`);
    if (!isChangeSet(part)) {
      out.push(renderOperation(part, basePath, undefined));
      continue;
    }
    const cs = `changeset_${newId()}`;
    out.push(`Content-Type: multipart/mixed; boundary=${cs}${CRLF}${CRLF}`);
    for (const item of part.changeSet) {
      if (item.method === "GET")
        throw new InvalidValueError("change set", "GET is not allowed in a change set");
      contentId++;
      out.push(`--${cs}${CRLF}`);
      out.push(renderOperation(item, basePath, item.contentId ?? String(contentId)));
    }
    // The blank line after the change set's terminator is as in Microsoft's change-set example.
    out.push(`--${cs}--${CRLF}${CRLF}`);
  }
  out.push(`--${boundary}--${CRLF}`);
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: out.join("") };
}

function renderOperation(op: Operation, basePath: string, contentId: string | undefined): string {
  const url = op.url.startsWith("$") ? op.url : `${basePath}/${op.url}`;
  const lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"];
  if (contentId !== undefined) lines.push(`Content-ID: ${headerValue(contentId)}`);
  lines.push("", `${op.method} ${url} HTTP/1.1`);
  if (op.body !== undefined) lines.push("Content-Type: application/json; type=entry");
  for (const [name, value] of Object.entries(op.headers))
    lines.push(`${headerName(name)}: ${headerValue(value)}`);
  lines.push("", op.body === undefined ? "" : JSON.stringify(op.body));
  return lines.join(CRLF) + CRLF;
}

// A CR or LF in a header would let a value start a new header or a new part.
function headerName(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name))
    throw new InvalidValueError("batch header name", "not a token");
  return name;
}
function headerValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new InvalidValueError("batch header value", "holds a line break");
  return value;
}

/** One HTTP response inside a batch response. */
export interface PartResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  contentId: string | undefined;
}

/** A top-level entry of a batch response: one response, or a change set's responses. */
export type ResponseEntry =
  { kind: "single"; response: PartResponse } | { kind: "changeSet"; responses: PartResponse[] };

/** Parses a multipart batch response into its entries, in order. */
export function parseBatchResponse(contentType: string, body: string): ResponseEntry[] {
  return parts(contentType, body).map((part) => {
    const type = part.headers.get("content-type") ?? "";
    if (type.startsWith("multipart/"))
      return { kind: "changeSet", responses: parts(type, part.text).map(toResponse) } as const;
    return { kind: "single", response: toResponse(part) } as const;
  });
}

interface RawPart {
  headers: { get(name: string): string | null };
  text: string;
}

function parts(contentType: string, body: string): RawPart[] {
  const boundary = getMultipartBoundary(contentType);
  if (!boundary) throw new InvalidValueError("batch response", "Content-Type has no boundary");
  // Real responses use CRLF; tolerate a server (or a fixture) that writes bare LF.
  const text = body.includes(CRLF) ? body : body.replace(/\n/g, CRLF);
  const out: RawPart[] = [];
  const message = new TextEncoder().encode(text);
  for (const part of parseMultipart(message, { boundary, maxFileSize: Number.MAX_SAFE_INTEGER }))
    out.push({ headers: part.headers, text: part.text });
  return out;
}

function toResponse(part: RawPart): PartResponse {
  const text = part.text;
  const headerEnd = text.indexOf(CRLF + CRLF);
  const head = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const rawBody = headerEnd < 0 ? "" : text.slice(headerEnd + 4);
  const [statusLine = "", ...headerLines] = head.split(CRLF);
  const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  if (!Number.isInteger(status)) throw new InvalidValueError("batch response part", "no HTTP status line");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status,
    headers,
    body: parseBody(rawBody.trim(), headers["content-type"]),
    contentId: part.headers.get("content-id") ?? undefined,
  };
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return undefined;
  if (contentType?.includes("json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * The results of each part (one per operation; a change set gives several), in order. Entries map to
 * parts in order, change-set items by Content-ID. What the response lacks was not run: Dataverse stops
 * at the first failure without continue-on-error, and a failed change set answers only for its
 * failing item (the others were rolled back). `index` is left 0 for the caller to set.
 */
export function mapResults(
  parts: readonly BatchPart[],
  entries: readonly ResponseEntry[],
  apiRoot: string,
  now: number,
): BatchItemResult[][] {
  let contentId = 0;
  return parts.map((part, i) => {
    const entry = entries[i];
    if (!isChangeSet(part)) {
      const response = entry?.kind === "single" ? entry.response : undefined;
      return [result(part, response, apiRoot, now, "an earlier operation failed")];
    }
    const responses = entry?.kind === "changeSet" ? entry.responses : entry ? [entry.response] : [];
    const failed = responses.some((r) => r.status >= 300);
    return part.changeSet.map((item, j) => {
      contentId++;
      const id = item.contentId ?? String(contentId);
      const response =
        responses.find((r) => r.contentId === id) ??
        // A change set answered by one untagged error: that error is the change set's.
        (responses.length === 1 && responses[0]?.contentId === undefined && failed
          ? responses[0]
          : undefined) ??
        (!failed && responses.length === part.changeSet.length ? responses[j] : undefined);
      const why = entry ? "its change set was rolled back" : "an earlier operation failed";
      return result(item, response, apiRoot, now, why);
    });
  });
}

/** The result of an operation Dataverse never ran (an earlier failure stopped the batch, or a change set rolled back). */
export function notExecuted(op: Operation, path: string, because: string): BatchItemResult {
  return {
    index: 0,
    ok: false,
    status: 0,
    headers: {},
    body: undefined,
    error: new NotExecutedError({ status: 0, method: op.method, path, serverMessage: `not run: ${because}` }),
  };
}

function result(
  op: Operation,
  response: PartResponse | undefined,
  apiRoot: string,
  now: number,
  notRunBecause: string,
): BatchItemResult {
  const path = safePath(`${apiRoot}/${op.url}`);
  if (!response) return notExecuted(op, path, notRunBecause);
  const ok = response.status >= 200 && response.status < 300;
  const id = entityIdFrom(response.headers["odata-entityid"]);
  const out: BatchItemResult = {
    index: 0,
    ok,
    status: response.status,
    headers: response.headers,
    body: response.body,
  };
  if (id) out.id = id;
  if (!ok) {
    const { code, message } = parseErrorBody(response.body);
    const retryAfter = retryAfterMs(response.headers["retry-after"], now);
    const init = {
      status: response.status,
      code,
      serverMessage: message,
      requestId: requestIdOf({ get: (n: string) => response.headers[n] ?? null }),
      method: op.method,
      path,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    };
    out.error = response.status === 429 ? new ThrottledError(init) : errorForStatus(init, op.precondition);
  }
  return out;
}
