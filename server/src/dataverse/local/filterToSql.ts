import type { ColumnDef } from "../model";
import { isLookup } from "../model";
import { badQuery, DataverseHttpError, ERROR_CODES, propertyNotFound } from "./errors";
import { q, type TableInfo } from "./tableInfo";
import { normaliseDateTime, type SqlValue } from "./values";

/**
 * `$filter` to SQL, read in one pass (time linear in the text): the text is split into tokens, the
 * boolean level (groups, `not`, `and`, `or`, with OData's precedence: `not`, then `and`, then `or`) is
 * read by recursive descent, and each condition becomes SQL in which every literal is a bound parameter
 * and every property a model column (quoted from the model, never from the request). So `'O''Brien'` or
 * `') or true or ('` can only ever be a value. Literals are typed as OData types them (`5` is
 * Edm.SByte, `2025-03-01` Edm.Date), which names them in Dataverse's type errors.
 */

export interface SqlFragment {
  sql: string;
  params: SqlValue[];
}

const COMPARISONS: Record<string, { sql: string; kind: string }> = {
  eq: { sql: "=", kind: "Equal" },
  ne: { sql: "<>", kind: "NotEqual" },
  gt: { sql: ">", kind: "GreaterThan" },
  ge: { sql: ">=", kind: "GreaterThanOrEqual" },
  lt: { sql: "<", kind: "LessThan" },
  le: { sql: "<=", kind: "LessThanOrEqual" },
};
/** The operator seen from the other side (`5 lt x` is `x gt 5`). */
const MIRROR: Record<string, string> = { "=": "=", "<>": "<>", ">": "<", ">=": "<=", "<": ">", "<=": ">=" };

const NUMERIC = new Set([
  "Edm.SByte",
  "Edm.Byte",
  "Edm.Int16",
  "Edm.Int32",
  "Edm.Int64",
  "Edm.Decimal",
  "Edm.Double",
  "Edm.Single",
]);

// eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function edmTypeOf(c: ColumnDef): string {
  switch (c.type) {
    case "string":
    case "memo":
      return "Edm.String";
    case "uniqueidentifier":
    case "lookup":
    case "customer":
    case "owner":
      return "Edm.Guid";
    case "integer":
    case "picklist":
    case "state":
      return "Edm.Int32";
    case "decimal":
    case "money":
      return "Edm.Decimal";
    case "double":
      return "Edm.Double";
    case "boolean":
      return "Edm.Boolean";
    case "datetime":
      return "Edm.DateTimeOffset";
    case "dateonly":
      return "Edm.Date";
  }
}

const incompatible = (left: string, right: string, kind: string) =>
  new DataverseHttpError(
    400,
    ERROR_CODES.query,
    `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${kind}'.`,
  );

/** A literal's text as the SQL value for a column, or a 400 when the types do not meet. */
// eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function literalFor(c: ColumnDef, type: string, raw: string, kind: string): SqlValue {
  const fail = () => incompatible(edmTypeOf(c), type, kind);
  switch (c.type) {
    case "string":
    case "memo":
      if (type !== "Edm.String") throw fail();
      return raw.slice(1, -1).replace(/''/g, "'");
    case "uniqueidentifier":
    case "lookup":
    case "customer":
    case "owner":
      if (type !== "Edm.Guid") throw fail();
      return raw.toLowerCase();
    case "integer":
    case "picklist":
    case "state":
    case "decimal":
    case "double":
    case "money":
      if (!NUMERIC.has(type)) throw fail();
      return Number(raw);
    case "boolean":
      if (type !== "Edm.Boolean") throw fail();
      return raw === "true" ? 1 : 0;
    case "datetime": {
      if (type !== "Edm.DateTimeOffset" && type !== "Edm.Date") throw fail();
      const t = normaliseDateTime(raw);
      if (t === undefined) throw fail();
      return t;
    }
    case "dateonly":
      if (type !== "Edm.Date") throw fail();
      return raw;
  }
}

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
const TOO_DEEP = "Recursion depth exceeded allowed limit.";

/** The filter text as quoted in an error: never more than its start. */
const quoted = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}…` : text);

export const filterTooComplex = (message: string): DataverseHttpError =>
  new DataverseHttpError(400, ERROR_CODES.query, message);

type FilterToken =
  | { kind: "(" | ")" | ","; start: number; end: number }
  | { kind: "word"; text: string; start: number; end: number; call: boolean }
  | { kind: "string"; start: number; end: number };

const SPACE = /[ \t\r\n]/;
const WORD_END = /[ \t\r\n(),']/;

/** One pass over the text; checks length, nesting and the number of conditions on the way. */
// eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function tokenize(text: string): FilterToken[] {
  if (text.length > FILTER_LIMITS.length)
    throw filterTooComplex(
      `The $filter is ${text.length} characters long; the local Dataverse endpoint accepts at most ${FILTER_LIMITS.length}.`,
    );
  const tokens: FilterToken[] = [];
  let depth = 0;
  let terms = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (SPACE.test(ch)) {
      i++;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      if (ch === "(" && ++depth > FILTER_LIMITS.depth)
        throw filterTooComplex(
          `${TOO_DEEP} The $filter nests more than ${FILTER_LIMITS.depth} parentheses at character ${i}.`,
        );
      if (ch === ")") depth--;
      tokens.push({ kind: ch, start: i, end: i + 1 });
      i++;
    } else if (ch === "'") {
      let j = i + 1;
      for (;;) {
        const close = text.indexOf("'", j);
        if (close < 0)
          throw badQuery(`Syntax error in $filter '${quoted(text)}': unterminated string literal.`);
        if (text[close + 1] === "'") j = close + 2;
        else {
          j = close + 1;
          break;
        }
      }
      tokens.push({ kind: "string", start: i, end: j });
      i = j;
    } else {
      let j = i + 1;
      while (j < text.length && !WORD_END.test(text[j]!)) j++;
      const word = text.slice(i, j);
      if ((word === "and" || word === "or") && ++terms > FILTER_LIMITS.terms)
        throw filterTooComplex(
          `The $filter has more than ${FILTER_LIMITS.terms} conditions; the local Dataverse endpoint accepts at most ${FILTER_LIMITS.terms} (use FetchXML's 'in' operator for long lists of values).`,
        );
      tokens.push({ kind: "word", text: word, start: i, end: j, call: text[j] === "(" });
      i = j;
    }
  }
  return tokens;
}

/** A condition's operand as written: a typed literal, a property name, or a function call. */
type Operand =
  | { kind: "literal"; type: string; raw: string }
  | { kind: "name"; raw: string }
  | { kind: "call"; name: string; args: Operand[]; raw: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?(Z|[+-]\d{2}:\d{2})$/i;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?\d+\.\d+$/;
const DOUBLE = /^([+-]?\d+(\.\d+)?e[+-]?\d+|-?INF|NaN)$/i;
const NAME = /^[A-Za-z_][\w.]*(\/[A-Za-z_][\w.]*)*$/;

/** The OData type of an integer literal: the smallest that holds it, as Microsoft.OData.Core reads it. */
function integerType(raw: string): string {
  const n = Number(raw);
  if (n >= -128 && n <= 127) return "Edm.SByte";
  if (n >= 0 && n <= 255) return "Edm.Byte";
  if (n >= -32768 && n <= 32767) return "Edm.Int16";
  if (n >= -2147483648 && n <= 2147483647) return "Edm.Int32";
  return raw.replace(/^[+-]/, "").length <= 19 ? "Edm.Int64" : "Edm.Decimal";
}

/** A word's meaning: a literal of its type, or a property name; undefined when it is neither. */
function wordOperand(raw: string): Operand | undefined {
  if (raw === "null") return { kind: "literal", type: "null", raw };
  if (raw === "true" || raw === "false") return { kind: "literal", type: "Edm.Boolean", raw };
  if (GUID.test(raw)) return { kind: "literal", type: "Edm.Guid", raw };
  if (DATE.test(raw)) return { kind: "literal", type: "Edm.Date", raw };
  if (DATE_TIME.test(raw)) return { kind: "literal", type: "Edm.DateTimeOffset", raw };
  if (INTEGER.test(raw)) return { kind: "literal", type: integerType(raw), raw };
  if (DECIMAL.test(raw)) return { kind: "literal", type: "Edm.Decimal", raw };
  if (DOUBLE.test(raw)) return { kind: "literal", type: "Edm.Double", raw };
  if (NAME.test(raw)) return { kind: "name", raw };
  return undefined;
}

function columnOf(info: TableInfo, o: Operand): ColumnDef {
  if (o.kind !== "name") throw badQuery(`Unsupported expression '${quoted(o.raw)}' in $filter.`);
  if (o.raw.includes("/"))
    throw badQuery(
      `Navigation paths ('${o.raw}') are not supported in $filter by the local Dataverse endpoint; filter on _<lookup>_value instead.`,
    );
  const c = info.byWireName.get(o.raw);
  if (!c) throw propertyNotFound(info.def.logicalName, o.raw);
  return c;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

function comparison(info: TableInfo, a: Operand, word: string, b: Operand, out: SqlValue[]): string {
  const cmp = COMPARISONS[word]!;
  let [left, right, op] = [a, b, cmp.sql];
  if (left.kind === "literal" && right.kind !== "literal") {
    [left, right] = [right, left];
    op = MIRROR[op] ?? op;
  }
  if (right.kind !== "literal")
    throw badQuery(
      `The expression '${quoted(`${a.raw} ${word} ${b.raw}`)}' must compare a property with a literal.`,
    );
  const column = columnOf(info, left);
  const col = q(column.name);
  if (right.type === "null") {
    if (op === "=") return `${col} IS NULL`;
    if (op === "<>") return `${col} IS NOT NULL`;
    throw incompatible(edmTypeOf(column), "null", cmp.kind);
  }
  out.push(literalFor(column, right.type, right.raw, cmp.kind));
  // As on Dataverse, "ne" keeps the rows where the column is empty.
  if (op === "<>") return `(${col} IS NULL OR ${col} <> ?)`;
  return `${col} ${op} ?`;
}

function method(info: TableInfo, call: Operand, out: SqlValue[]): string {
  if (call.kind !== "call")
    throw badQuery(`The expression '${quoted(call.raw)}' is not supported in $filter here.`);
  const [first, second] = call.args;
  if (
    !["contains", "startswith", "endswith"].includes(call.name) ||
    !first ||
    !second ||
    call.args.length !== 2
  )
    throw badQuery(`The function '${call.name}' is not supported in $filter here.`);
  const c = columnOf(info, first);
  if (isLookup(c) || (c.type !== "string" && c.type !== "memo"))
    throw badQuery(`The function '${call.name}' needs a text property; '${c.name}' is ${edmTypeOf(c)}.`);
  if (second.kind !== "literal" || second.type !== "Edm.String")
    throw badQuery(`The function '${call.name}' needs a text literal as its second argument.`);
  const text = escapeLike(second.raw.slice(1, -1).replace(/''/g, "'"));
  out.push(call.name === "contains" ? `%${text}%` : call.name === "startswith" ? `${text}%` : `%${text}`);
  return `${q(c.name)} LIKE ? ESCAPE '\\'`;
}

/**
 * Recursive descent over the tokens; the recursion is bounded by the nesting limit, which tokenize()
 * checked for parentheses and unary() checks for `not`s.
 */
class FilterParser {
  private i = 0;

  constructor(
    private readonly info: TableInfo,
    private readonly text: string,
    private readonly tokens: FilterToken[],
    private readonly out: SqlValue[],
  ) {}

  parse(): string {
    const sql = this.or(0);
    if (this.i !== this.tokens.length) throw this.syntax();
    return sql;
  }

  private syntax(): DataverseHttpError {
    const at = this.tokens[this.i]?.start ?? this.text.length;
    return badQuery(`Syntax error at position ${at} in $filter '${quoted(this.text)}'.`);
  }

  private word(): string | undefined {
    const t = this.tokens[this.i];
    return t?.kind === "word" ? t.text : undefined;
  }

  private or(depth: number): string {
    return this.chain("or", () => this.and(depth));
  }

  private and(depth: number): string {
    return this.chain("and", () => this.unary(depth));
  }

  /** `next (word next)*`, as one flat SQL group. */
  private chain(word: "and" | "or", next: () => string): string {
    const parts = [next()];
    while (this.word() === word) {
      this.i++;
      parts.push(next());
    }
    return parts.length === 1 ? parts[0]! : `(${parts.join(` ${word.toUpperCase()} `)})`;
  }

  private unary(depth: number): string {
    if (depth > FILTER_LIMITS.depth)
      throw filterTooComplex(
        `${TOO_DEEP} The $filter nests more than ${FILTER_LIMITS.depth} groups or 'not's.`,
      );
    if (this.word() === "not") {
      this.i++;
      return `NOT (${this.unary(depth + 1)})`;
    }
    if (this.tokens[this.i]?.kind === "(") {
      this.i++;
      const sql = this.or(depth + 1);
      if (this.tokens[this.i]?.kind !== ")") throw this.syntax();
      this.i++;
      return `(${sql})`;
    }
    const left = this.operand();
    const op = this.word();
    if (op === undefined || !(op in COMPARISONS)) return method(this.info, left, this.out);
    this.i++;
    return comparison(this.info, left, op, this.operand(), this.out);
  }

  private operand(): Operand {
    const t = this.tokens[this.i];
    if (t?.kind === "string") {
      this.i++;
      return { kind: "literal", type: "Edm.String", raw: this.text.slice(t.start, t.end) };
    }
    if (t?.kind !== "word" || ["and", "or", "not"].includes(t.text)) throw this.syntax();
    this.i++;
    if (!t.call) {
      const o = wordOperand(t.text);
      if (!o)
        throw badQuery(
          `Syntax error in $filter: '${quoted(t.text)}' is neither a literal nor a property name.`,
        );
      return o;
    }
    this.i++; // "("
    const args: Operand[] = [];
    if (this.tokens[this.i]?.kind !== ")")
      for (;;) {
        args.push(this.operand());
        const k = this.tokens[this.i]?.kind;
        if (k === ")") break;
        if (k !== ",") throw this.syntax();
        this.i++;
      }
    const end = this.tokens[this.i]!.end;
    this.i++;
    return { kind: "call", name: t.text, args, raw: this.text.slice(t.start, end) };
  }
}

export function filterToSql(info: TableInfo, text: string): SqlFragment {
  const params: SqlValue[] = [];
  const sql = new FilterParser(info, text, tokenize(text), params).parse();
  return { sql, params };
}
