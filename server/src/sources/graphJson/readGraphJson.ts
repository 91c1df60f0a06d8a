import { promises as fs } from "node:fs";
import * as nodePath from "node:path";
import { gunzip } from "node:zlib";

import type { Envelope, Origin } from "../../core/interaction";
import { formatOrigin, type SourceIssue, type SourceIssueCode, type SourceItem } from "../sourceItem";
import { eventToEnvelope } from "./graphEvent";
import {
  asObject,
  type GraphItemResult,
  type JsonObject,
  messageToEnvelope,
  removedResult,
  text,
} from "./graphMessage";

/** A delta removal: not an interaction, yielded so that the caller can count (or apply) it. */
export interface RemovedItem {
  type: "removed";
  id: string;
  origin: Origin;
}

export type GraphSourceItem = SourceItem | RemovedItem;

function issue(code: SourceIssueCode, message: string, origin: Origin): SourceItem {
  return { type: "issue", issue: { code, message, origin } satisfies SourceIssue };
}

// Numeric collation so that page-2.json comes before page-10.json, as an export's pages were fetched.
const byName = new Intl.Collator("en", { numeric: true }).compare;

/** Page files (`.json`) and NDJSON files of items, one a line (`.ndjson`, `.ndjson.gz`: `rapport generate`'s). */
const isItemFile = (name: string): boolean => /\.(json|ndjson|ndjson\.gz)$/i.test(name);
const isNdjson = (name: string): boolean => /\.ndjson(\.gz)?$/i.test(name);

/**
 * The files to read: the path itself, or the folder's *.json (and *.ndjson[.gz]) files sorted by name,
 * then those of its sub-folders (an export keeps one folder per mailbox, or per mail folder and
 * calendar), recursively.
 */
async function filesAt(path: string): Promise<{ files: string[] } | { issue: SourceItem }> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR"
      ? { issue: issue("fileNotFound", "no such file or folder", { file: path }) }
      : { issue: issue("unreadableFile", `cannot read (${code ?? "unknown error"})`, { file: path }) };
  }
  if (!stat.isDirectory()) return { files: [path] };
  const files = await jsonFilesUnder(path);
  if (!files.length) return { issue: issue("fileNotFound", "folder holds no .json file", { file: path }) };
  return { files };
}

async function jsonFilesUnder(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  const visible = entries.filter((e) => !e.name.startsWith("."));
  const files = visible
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && isItemFile(e.name))
    .map((e) => e.name)
    .sort(byName)
    .map((n) => nodePath.join(folder, n));
  const subfolders = visible
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(byName);
  for (const sub of subfolders) files.push(...(await jsonFilesUnder(nodePath.join(folder, sub))));
  return files;
}

/**
 * Where JSON.parse stopped. V8 states the position for most errors; for an unexpected token it quotes
 * the ten characters either side instead, which locate it when they occur once in the file.
 */
function jsonErrorPosition(raw: string, message: string): number | undefined {
  const stated = /position (\d+)/.exec(message)?.[1];
  if (stated !== undefined) return Number(stated);
  const quoted = /^Unexpected token '(.)', \.\.\."([\s\S]+)"\.\.\. is not valid JSON$/.exec(message);
  if (!quoted?.[1] || !quoted[2]) return undefined;
  const at = raw.indexOf(quoted[2]);
  if (at < 0 || raw.indexOf(quoted[2], at + 1) >= 0 || raw[at + 10] !== quoted[1]) return undefined;
  return at + 10;
}

/**
 * Names where the JSON broke, by line and column. Nothing else is kept from JSON.parse's error: V8 quotes
 * the text around the error, which can hold addresses or subjects.
 */
function jsonErrorMessage(raw: string, error: unknown): string {
  if (raw.trim() === "") return "invalid JSON: the file is empty";
  const message = error instanceof Error ? error.message : "";
  const position = jsonErrorPosition(raw, message);
  if (position === undefined) {
    return /end of JSON input/i.test(message) ? "invalid JSON: unexpected end of file" : "invalid JSON";
  }
  const before = raw.slice(0, position);
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `invalid JSON at line ${line} column ${column} (position ${position})`;
}

/** The items of a Graph page ({ "@odata.context", value: [...], "@odata.nextLink" | "@odata.deltaLink" }) or a bare array. */
function pageItems(json: unknown): unknown[] | undefined {
  if (Array.isArray(json)) return json;
  const value = asObject(json)?.value;
  return Array.isArray(value) ? value : undefined;
}

const EVENT_FIELDS = ["start", "end", "attendees", "organizer"];
const MESSAGE_FIELDS = ["from", "sender", "toRecipients", "ccRecipients", "sentDateTime", "receivedDateTime"];

function kindOf(item: JsonObject): "message" | "event" | undefined {
  // @odata.type is present in delta and $batch output; eventMessage (a meeting request) is mail.
  const odataType = text(item["@odata.type"])?.toLowerCase() ?? "";
  if (odataType === "#microsoft.graph.event") return "event";
  if (odataType === "#microsoft.graph.message" || odataType.startsWith("#microsoft.graph.eventmessage")) {
    return "message";
  }
  if (EVENT_FIELDS.some((f) => item[f] !== undefined)) return "event";
  if (MESSAGE_FIELDS.some((f) => item[f] !== undefined)) return "message";
  return undefined;
}

function toSourceItem(result: GraphItemResult<Envelope>, origin: Origin): GraphSourceItem {
  if ("envelope" in result) return { type: "envelope", envelope: result.envelope };
  if ("issue" in result) return { type: "issue", issue: result.issue };
  return { type: "removed", id: result.removed, origin };
}

/**
 * Judges one item of a page. The first occurrence of an id is the one kept: a later one (a replayed or
 * re-exported page) is reported, not counted twice.
 */
function readItem(value: unknown, origin: Origin, firstSeen: Map<string, Origin>): GraphSourceItem {
  const item = asObject(value);
  if (!item) return issue("badItem", "item is not a JSON object", origin);
  // A removal after the item itself is how delta reports a deletion, not a duplicate.
  const removal = removedResult(item, origin);
  if (removal) return toSourceItem(removal, origin);
  const id = text(item.id);
  if (id) {
    const first = firstSeen.get(id);
    if (first) {
      return issue("duplicateId", `id already read at ${formatOrigin(first)}; this copy is skipped`, origin);
    }
    firstSeen.set(id, origin);
  }
  const kind = kindOf(item);
  if (kind === "event") return toSourceItem(eventToEnvelope(item, origin), origin);
  if (kind === "message") return toSourceItem(messageToEnvelope(item, origin), origin);
  return issue(
    "badItem",
    "neither a message nor an event (no from, toRecipients, sentDateTime, start or organizer)",
    origin,
  );
}

/**
 * An NDJSON file of items (gzipped when named .gz): one mailbox as `rapport generate` writes it and the
 * scale-out reads it. Ids are checked within the file: each file is its own mailbox, and a message is
 * in the mailbox of every colleague on it (the engine merges those copies).
 */
async function* readNdjsonFile(file: string): AsyncGenerator<GraphSourceItem> {
  let raw: string;
  try {
    const data = await fs.readFile(file);
    raw = (
      file.toLowerCase().endsWith(".gz")
        ? await new Promise<Buffer>((ok, fail) => gunzip(data, (e, r) => (e ? fail(e) : ok(r))))
        : data
    ).toString("utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "unknown error";
    yield issue("unreadableFile", `cannot read (${code})`, { file });
    return;
  }
  const firstSeen = new Map<string, Origin>();
  let line = 0;
  for (let at = 0; at < raw.length;) {
    let end = raw.indexOf("\n", at);
    if (end === -1) end = raw.length;
    const text = raw.slice(at, end).replace(/^\uFEFF/, "");
    at = end + 1;
    line++;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      yield issue("invalidJson", `line ${line}: ${jsonErrorMessage(text, e)}`, { file, line });
      continue;
    }
    yield readItem(value, { file, line }, firstSeen);
  }
}

async function* readFile(file: string, firstSeen: Map<string, Origin>): AsyncGenerator<GraphSourceItem> {
  if (isNdjson(file)) {
    yield* readNdjsonFile(file);
    return;
  }
  let raw: string;
  try {
    // A BOM is common in files saved by Windows tools and is not JSON.
    raw = (await fs.readFile(file, "utf8")).replace(/^\uFEFF/, "");
  } catch (e) {
    yield issue("unreadableFile", `cannot read (${(e as NodeJS.ErrnoException).code ?? "unknown error"})`, {
      file,
    });
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    yield issue("invalidJson", jsonErrorMessage(raw, e), { file });
    return;
  }
  const items = pageItems(json);
  if (!items) {
    yield issue("notGraphPage", 'not a Graph page: neither an array nor an object with a "value" array', {
      file,
    });
    return;
  }
  for (let index = 0; index < items.length; index++) {
    yield readItem(items[index], { file, index }, firstSeen);
  }
}

/**
 * Reads a Graph JSON export: one page file, or a folder of page files read in name order. Yields an
 * envelope per good message or event, a named issue per bad file or item, and each delta removal;
 * nothing bad stops the reading.
 * @example for await (const item of readGraphJson("export/sentitems")) { ... }
 */
export async function* readGraphJson(path: string): AsyncGenerator<GraphSourceItem> {
  const found = await filesAt(path);
  if ("issue" in found) {
    yield found.issue;
    return;
  }
  const firstSeen = new Map<string, Origin>();
  for (const file of found.files) yield* readFile(file, firstSeen);
}
