import type { ColumnDef } from "../model";
import { isLookup } from "../model";
import { badQuery, type DataverseHttpError, propertyNotFound } from "./errors";
import { edmTypeOf, incompatible, literalFor, type Operand, wordOperand } from "./filterLiterals";
import {
  FILTER_LIMITS,
  type FilterToken,
  filterTooComplex,
  quoted,
  tokenize,
  TOO_DEEP,
} from "./filterTokens";
import { q, type TableInfo } from "./tableInfo";
import type { SqlValue } from "./values";

export { FILTER_LIMITS, filterTooComplex } from "./filterTokens";

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

/** The comparison operators (a Map: a word such as `constructor` must not find a prototype's member). */
const COMPARISONS = new Map<string, { sql: string; kind: string }>([
  ["eq", { sql: "=", kind: "Equal" }],
  ["ne", { sql: "<>", kind: "NotEqual" }],
  ["gt", { sql: ">", kind: "GreaterThan" }],
  ["ge", { sql: ">=", kind: "GreaterThanOrEqual" }],
  ["lt", { sql: "<", kind: "LessThan" }],
  ["le", { sql: "<=", kind: "LessThanOrEqual" }],
]);
/** The operator seen from the other side (`5 lt x` is `x gt 5`). */
const MIRROR: Record<string, string> = { "=": "=", "<>": "<>", ">": "<", ">=": "<=", "<": ">", "<=": ">=" };

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
  const cmp = COMPARISONS.get(word)!;
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
    if (op === undefined || !COMPARISONS.has(op)) return method(this.info, left, this.out);
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
