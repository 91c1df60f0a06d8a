import { badQuery, DataverseHttpError, ERROR_CODES } from "./errors";

/**
 * The tokens of a `$filter`, read in one pass (time linear in the text), with its limits checked on the
 * way: length, nesting of parentheses, and the number of conditions.
 */

/**
 * Limits a `$filter` must meet before it is parsed, in a URL, a `$batch` part or an `$expand`. The
 * parser below is linear, but SQLite is not unbounded: an expression deeper than 1,000 levels or with
 * more than 32,766 bound values fails there, and a 16 KB URL limit does not apply inside `$batch`.
 */
export const FILTER_LIMITS = {
  /** Characters of the `$filter` text. */
  length: 32_768,
  /** Parentheses (groups and function calls) and `not`s nested in one another. */
  depth: 100,
  /** Conditions joined by `and`/`or`. */
  terms: 500,
} as const;

/** How Dataverse (Microsoft.OData.Core) words a filter nested too deep. */
export const TOO_DEEP = "Recursion depth exceeded allowed limit.";

/** The filter text as quoted in an error: never more than its start. */
export const quoted = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}…` : text);

export const filterTooComplex = (message: string): DataverseHttpError =>
  new DataverseHttpError(400, ERROR_CODES.query, message);

export type FilterToken =
  | { kind: "(" | ")" | ","; start: number; end: number }
  | { kind: "word"; text: string; start: number; end: number; call: boolean }
  | { kind: "string"; start: number; end: number };

const SPACE = /[ \t\r\n]/;
const WORD_END = /[ \t\r\n(),']/;

/** The text being read and what the limits have counted so far. */
interface Scan {
  text: string;
  tokens: FilterToken[];
  depth: number;
  terms: number;
}

/** One pass over the text; checks length, nesting and the number of conditions on the way. */
export function tokenize(text: string): FilterToken[] {
  if (text.length > FILTER_LIMITS.length)
    throw filterTooComplex(
      `The $filter is ${text.length} characters long; the local Dataverse endpoint accepts at most ${FILTER_LIMITS.length}.`,
    );
  const scan: Scan = { text, tokens: [], depth: 0, terms: 1 };
  let i = 0;
  while (i < text.length) i = step(scan, i);
  return scan.tokens;
}

/** Reads the token at `i` (or skips a white-space character); returns where the next one starts. */
function step(scan: Scan, i: number): number {
  const ch = scan.text[i]!;
  if (SPACE.test(ch)) return i + 1;
  if (ch === "(" || ch === ")" || ch === ",") return punctuation(scan, ch, i);
  if (ch === "'") return stringLiteral(scan, i);
  return bareWord(scan, i);
}

function punctuation(scan: Scan, ch: "(" | ")" | ",", i: number): number {
  if (ch === "(" && ++scan.depth > FILTER_LIMITS.depth)
    throw filterTooComplex(
      `${TOO_DEEP} The $filter nests more than ${FILTER_LIMITS.depth} parentheses at character ${i}.`,
    );
  if (ch === ")") scan.depth--;
  scan.tokens.push({ kind: ch, start: i, end: i + 1 });
  return i + 1;
}

/** `'…'`, where `''` is a quote inside the literal. */
function stringLiteral(scan: Scan, i: number): number {
  const { text } = scan;
  let close = text.indexOf("'", i + 1);
  while (close >= 0 && text[close + 1] === "'") close = text.indexOf("'", close + 2);
  if (close < 0) throw badQuery(`Syntax error in $filter '${quoted(text)}': unterminated string literal.`);
  scan.tokens.push({ kind: "string", start: i, end: close + 1 });
  return close + 1;
}

/** A name, a literal other than a string, or an operator; `and`/`or` count as conditions. */
function bareWord(scan: Scan, i: number): number {
  const { text } = scan;
  let j = i + 1;
  while (j < text.length && !WORD_END.test(text[j]!)) j++;
  const word = text.slice(i, j);
  if ((word === "and" || word === "or") && ++scan.terms > FILTER_LIMITS.terms)
    throw filterTooComplex(
      `The $filter has more than ${FILTER_LIMITS.terms} conditions; the local Dataverse endpoint accepts at most ${FILTER_LIMITS.terms} (use FetchXML's 'in' operator for long lists of values).`,
    );
  scan.tokens.push({ kind: "word", text: word, start: i, end: j, call: text[j] === "(" });
  return j;
}
