import { randomUUID } from "node:crypto";

import { MultipartParseError, parseMultipart } from "@mjackson/multipart-parser";

import { badQuery, DataverseHttpError, ERROR_CODES } from "./errors";
import { parsePrefer } from "./prefer";
import { BASE_PATH, type DvRequest, handleRequest, route, type RouteContext } from "./router";
import { type DvResponse, errorResponse, statusLine } from "./wire";

/**
 * `POST $batch` (multipart/mixed): requests run in order; a change set (nested multipart) is one
 * transaction, rolled back when any of its requests fails, and its `Content-ID`s can be referenced as
 * `$n` by later requests of the same change set. The multipart framing is split by
 * @mjackson/multipart-parser; only each inner message's request line and headers are read by hand.
 */

export const MAX_BATCH_REQUESTS = 1000;

interface InnerRequest {
  request: DvRequest;
  contentId?: string;
  /** Its body ran into the end of a batch that lacks the final line break: Dataverse cannot read it. */
  unreadable?: true;
}

type BatchItem = { kind: "request"; inner: InnerRequest } | { kind: "changeset"; parts: InnerRequest[] };

const CRLF = "\r\n";

function boundaryOf(contentType: string | undefined | null): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
  return m?.[1] ?? m?.[2];
}

/** Multipart needs CRLF line ends; bodies written with bare LF (as in many examples) are accepted too. */
const withCrlf = (bytes: Uint8Array): Uint8Array => {
  const text = Buffer.from(bytes).toString("utf8");
  return text.includes(CRLF) ? bytes : Buffer.from(text.replace(/\n/g, CRLF), "utf8");
};

/**
 * RFC 2046 §5.1.1: whatever precedes the first delimiter line is a preamble, to be ignored (DynamicsWebApi
 * starts its bodies with a CRLF). The parser wants the body to start at the delimiter.
 */
function withoutPreamble(bytes: Uint8Array, boundary: string): Uint8Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.subarray(0, boundary.length + 2).toString("latin1") === `--${boundary}`) return bytes;
  const at = buffer.indexOf(`${CRLF}--${boundary}`, 0, "latin1");
  return at < 0 ? bytes : buffer.subarray(at + CRLF.length);
}

/**
 * Dataverse reads the last request of a batch only when the body ends with a line break: CRLF, or two
 * bare line feeds ("Troubleshoot Dataverse Web API client errors", "Stream was not readable").
 */
export function endsWithLineBreak(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(-2).toString("latin1");
  return tail === CRLF || tail === "\n\n";
}

function parts(bytes: Uint8Array, boundary: string, maxBytes: number) {
  try {
    return [
      ...parseMultipart(withoutPreamble(withCrlf(bytes), boundary), {
        boundary,
        maxFileSize: maxBytes,
        maxHeaderSize: 64 * 1024,
      }),
    ];
  } catch (err) {
    if (err instanceof MultipartParseError)
      throw new DataverseHttpError(
        400,
        ERROR_CODES.query,
        `The batch request body is not valid multipart: ${err.message}`,
        { cause: err },
      );
    throw err;
  }
}

/** The inner HTTP message: request line, headers, blank line, body. */
function parseInner(text: string, partContentId: string | null): InnerRequest {
  const split = text.indexOf(`${CRLF}${CRLF}`);
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? "" : text.slice(split + 4);
  const [requestLine = "", ...headerLines] = head.split(CRLF);
  // The URL is taken up to the protocol: some clients leave the spaces of a $filter unencoded.
  const m = /^([A-Z]+) (.+?)(?: HTTP\/1\.[01])?$/.exec(requestLine.trim());
  if (!m) throw badQuery(`Invalid request line in batch part: '${requestLine.slice(0, 200)}'`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const contentId = partContentId ?? headers["content-id"];
  return {
    request: { method: m[1] ?? "", target: m[2] ?? "", headers, body: body.replace(/(\r\n)+$/, "") },
    ...(contentId ? { contentId } : {}),
  };
}

function readBatch(bytes: Uint8Array, contentType: string | undefined, maxBytes: number): BatchItem[] {
  const boundary = boundaryOf(contentType);
  if (!/^multipart\/mixed/i.test(contentType ?? "") || !boundary)
    throw badQuery("A $batch request needs 'Content-Type: multipart/mixed; boundary=…'.");
  const items: BatchItem[] = [];
  for (const part of parts(bytes, boundary, maxBytes)) {
    const type = part.headers.get("content-type") ?? "";
    if (/^multipart\/mixed/i.test(type)) {
      const inner = boundaryOf(type);
      if (!inner) throw badQuery("A change set needs a boundary.");
      items.push({
        kind: "changeset",
        parts: parts(part.bytes, inner, maxBytes).map((p) => parseInner(p.text, p.headers.get("content-id"))),
      });
    } else items.push({ kind: "request", inner: parseInner(part.text, part.headers.get("content-id")) });
  }
  if (!endsWithLineBreak(bytes)) markLastBodyUnreadable(items);
  return items;
}

function markLastBodyUnreadable(items: BatchItem[]): void {
  const last = items[items.length - 1];
  const inner = last?.kind === "request" ? last.inner : last?.parts[last.parts.length - 1];
  if (inner && inner.request.body !== "") inner.unreadable = true;
}

/** Dataverse's answer for a request body it could not read (see endsWithLineBreak). */
function unreadableBody(target: string): DataverseHttpError {
  const set = /^([^(/?]*)/.exec(target.slice(BASE_PATH.length))?.[1] ?? "";
  return new DataverseHttpError(
    400,
    ERROR_CODES.payload,
    `Error identified in Payload provided by the user for Entity :'${set}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293 ---->  InnerException : System.ArgumentException: Stream was not readable.`,
  );
}

/** Inner URLs may be absolute, start at the service path, be relative to it, or start with `$n`. */
function normaliseTarget(target: string, contentIds: ReadonlyMap<string, string>): string {
  const ref = /^\$(\d+)(.*)$/.exec(target);
  if (ref) {
    const url = contentIds.get(`$${ref[1] ?? ""}`);
    if (!url) throw badQuery(`Content-ID Reference: '$${ref[1] ?? ""}' does not exist in the batch context.`);
    target = `${url}${ref[2] ?? ""}`;
  }
  const at = target.indexOf(BASE_PATH);
  if (at >= 0) return target.slice(at);
  return `${BASE_PATH}${target.replace(/^\/+/, "")}`;
}

class ChangesetFailed extends Error {
  override readonly name = "ChangesetFailed";
  constructor(
    readonly response: DvResponse,
    readonly contentId: string | undefined,
  ) {
    super("change set failed");
  }
}

function writePart(
  out: string[],
  boundary: string,
  res: DvResponse,
  contentId: string | undefined,
  reqId: string,
): void {
  out.push(`--${boundary}`, "Content-Type: application/http", "Content-Transfer-Encoding: binary");
  if (contentId !== undefined) out.push(`Content-ID: ${contentId}`);
  out.push("", statusLine(res.status));
  const headers = res.status >= 400 ? { REQ_ID: reqId, ...res.headers } : res.headers;
  for (const [k, v] of Object.entries(headers)) out.push(`${k}: ${v}`);
  out.push("", res.body ?? "");
}

export interface BatchOutcome {
  status: number;
  contentType: string;
  body: string;
  /** Inner requests run (for stats). */
  requests: number;
}

export function handleBatch(
  ctx: RouteContext,
  outer: { headers: Readonly<Record<string, string | undefined>>; body: Uint8Array },
  maxBytes: number,
): BatchOutcome {
  const items = readBatch(outer.body, outer.headers["content-type"], maxBytes);
  const total = items.reduce((n, i) => n + (i.kind === "request" ? 1 : i.parts.length), 0);
  if (total > MAX_BATCH_REQUESTS)
    throw badQuery(
      `The number of requests in a batch is limited to ${MAX_BATCH_REQUESTS}; this batch has ${total}.`,
    );
  const continueOnError = parsePrefer(outer.headers["prefer"]).continueOnError;
  const boundary = `batchresponse_${randomUUID()}`;
  const out: string[] = [];
  let status = 200;
  let ran = 0;
  for (const item of items) {
    const reqId = randomUUID();
    if (item.kind === "request") {
      ran++;
      const res = runSingle(ctx, item.inner);
      writePart(out, boundary, res, undefined, reqId);
      if (res.status >= 400 && !continueOnError) {
        status = res.status;
        break;
      }
      continue;
    }
    ran += item.parts.length;
    const result = runChangeset(ctx, item.parts);
    if ("failure" in result) {
      // A failed change set answers with the one failing response, as Dataverse does.
      writePart(out, boundary, result.failure.response, result.failure.contentId, reqId);
      if (!continueOnError) {
        status = result.failure.response.status;
        break;
      }
      continue;
    }
    const inner = `changesetresponse_${randomUUID()}`;
    out.push(`--${boundary}`, `Content-Type: multipart/mixed; boundary=${inner}`, "");
    result.responses.forEach(({ res, contentId }) => writePart(out, inner, res, contentId, reqId));
    out.push(`--${inner}--`);
  }
  out.push(`--${boundary}--`, "");
  return {
    status,
    contentType: `multipart/mixed; boundary=${boundary}`,
    body: out.join(CRLF),
    requests: ran,
  };
}

function runSingle(ctx: RouteContext, inner: InnerRequest): DvResponse {
  try {
    const request = { ...inner.request, target: normaliseTarget(inner.request.target, new Map()) };
    if (inner.unreadable) throw unreadableBody(request.target);
    return handleRequest(ctx, request);
  } catch (err) {
    if (err instanceof DataverseHttpError) return errorResponse(err);
    throw err;
  }
}

function runChangeset(
  ctx: RouteContext,
  parts: InnerRequest[],
): { responses: { res: DvResponse; contentId: string | undefined }[] } | { failure: ChangesetFailed } {
  const contentIds = new Map<string, string>();
  const scoped: RouteContext = { ...ctx, contentIds };
  try {
    return {
      responses: ctx.store.transaction(() =>
        parts.map(({ request, contentId, unreadable }) => {
          let res: DvResponse;
          try {
            if (request.method === "GET") throw badQuery("GET requests are not allowed in a change set.");
            const target = normaliseTarget(request.target, contentIds);
            if (unreadable) throw unreadableBody(target);
            res = route(scoped, { ...request, target });
          } catch (err) {
            if (err instanceof DataverseHttpError) throw new ChangesetFailed(errorResponse(err), contentId);
            ctx.onUnexpected?.(err);
            throw new ChangesetFailed(
              errorResponse(
                new DataverseHttpError(500, ERROR_CODES.unexpected, "An unexpected error occurred."),
              ),
              contentId,
            );
          }
          const entity = res.headers["OData-EntityId"];
          if (contentId !== undefined && entity) contentIds.set(`$${contentId}`, entity);
          return { res, contentId };
        }),
      ),
    };
  } catch (err) {
    if (err instanceof ChangesetFailed) return { failure: err };
    throw err;
  }
}
