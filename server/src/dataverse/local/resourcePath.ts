import { badQuery } from "./errors";

/**
 * The resource part of a Web API URL after `/api/data/v9.2/`: an entity set, an optional key predicate
 * (`(guid)`, `(key='value')`, `(a='x',b=2)`) and any further segments (`nav/$ref`, `$count`, a column).
 * Parsed by hand because quoted key values may hold any character, including `)` and `,`.
 */

export type KeyValue = string | number | boolean | null;

export type KeyPredicate =
  | { kind: "id"; id: string }
  | { kind: "named"; values: readonly (readonly [string, KeyValue])[]; text: string };

export interface ResourcePath {
  segment: string;
  key?: KeyPredicate;
  rest: string[];
}

/** Splits `text` at `separator` outside single-quoted strings and parentheses. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'")
      quoted = !quoted; // a doubled quote toggles twice: still right
    else if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")") depth--;
    else if (!quoted && depth === 0 && ch === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Index of the `)` that closes the `(` at `open`, honouring quoted strings; -1 if none. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")" && --depth === 0) return i;
  }
  return -1;
}

const GUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function parseKeyValue(raw: string): KeyValue {
  const t = raw.trim();
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) {
    const inner = t.slice(1, -1);
    if (inner.replace(/''/g, "").includes("'")) throw badQuery(`Bad key value: ${t}`);
    return inner.replace(/''/g, "'");
  }
  if (GUID_TEXT.test(t)) return t.toLowerCase();
  if (t === "null") return null;
  if (t === "true" || t === "false") return t === "true";
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  throw badQuery(`Bad key value: ${t}`);
}

export function parseKeyPredicate(inner: string): KeyPredicate {
  const text = inner.trim();
  if (GUID_TEXT.test(text)) return { kind: "id", id: text.toLowerCase() };
  const values = splitTopLevel(text, ",").map((part) => {
    const eq = part.indexOf("=");
    if (eq <= 0) throw badQuery(`Bad key predicate: (${text})`);
    return [part.slice(0, eq).trim(), parseKeyValue(part.slice(eq + 1))] as const;
  });
  return { kind: "named", values, text };
}

/** Parses the decoded path after the service root. */
export function parseResourcePath(path: string): ResourcePath {
  const open = path.indexOf("(");
  const slash = path.indexOf("/");
  if (open < 0 || (slash >= 0 && slash < open)) {
    const [segment = "", ...rest] = path.split("/");
    return { segment, rest: rest.filter((s) => s !== "") };
  }
  const close = closingParen(path, open);
  if (close < 0) throw badQuery(`Bad key predicate in '${path}'`);
  const key = parseKeyPredicate(path.slice(open + 1, close));
  const rest = path
    .slice(close + 1)
    .split("/")
    .filter((s) => s !== "");
  return { segment: path.slice(0, open), key, rest };
}

/**
 * A record reference as used in `@odata.bind` and `@odata.id`: `/accounts(id)`, `accounts(id)`, a full
 * URL, or an alternate-key form. Returns the entity set and key.
 */
export function parseReference(ref: string): { segment: string; key: KeyPredicate } | undefined {
  let path = ref.trim();
  const root = path.indexOf("/api/data/v9.2/");
  if (root >= 0) path = path.slice(root + "/api/data/v9.2/".length);
  path = path.replace(/^\/+/, "");
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const parsed = parseResourcePath(decoded);
  if (!parsed.key || parsed.rest.length) return undefined;
  return { segment: parsed.segment, key: parsed.key };
}
