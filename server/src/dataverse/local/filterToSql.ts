import { defaultParser, type Token } from "@odata/parser";
import type { ColumnDef } from "../model";
import { isLookup } from "../model";
import { DataverseHttpError, ERROR_CODES, badQuery, propertyNotFound } from "./errors";
import { q, type TableInfo } from "./tableInfo";
import { normaliseDateTime, type SqlValue } from "./values";

/**
 * `$filter` to SQL. The text is parsed by @odata/parser; the tree is walked and every literal becomes a
 * bound parameter, every property a model column (quoted from the model, never from the request). So
 * `'O''Brien'` or `') or true or ('` can only ever be a value.
 */

export interface SqlFragment {
  sql: string;
  params: SqlValue[];
}

const COMPARISONS: Record<string, { sql: string; kind: string }> = {
  EqualsExpression: { sql: "=", kind: "Equal" },
  NotEqualsExpression: { sql: "<>", kind: "NotEqual" },
  GreaterThanExpression: { sql: ">", kind: "GreaterThan" },
  GreaterOrEqualsExpression: { sql: ">=", kind: "GreaterThanOrEqual" },
  LesserThanExpression: { sql: "<", kind: "LessThan" },
  LesserOrEqualsExpression: { sql: "<=", kind: "LessThanOrEqual" },
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

type Operand = { kind: "column"; column: ColumnDef } | { kind: "literal"; type: string; raw: string };

interface Node {
  type: string;
  value: unknown;
  raw: string;
}

const asNode = (t: unknown): Node => t as Node;

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

function columnOf(info: TableInfo, node: Node): ColumnDef {
  // FirstMemberExpression → MemberExpression → PropertyPathExpression → ODataIdentifier
  let n: Node = node;
  while (n.type === "FirstMemberExpression" || n.type === "MemberExpression") n = asNode(n.value);
  if (n.type !== "PropertyPathExpression") throw badQuery(`Unsupported expression '${node.raw}' in $filter.`);
  const inner = n.value as { current?: unknown } & Node;
  if (inner.current !== undefined || inner.type !== "ODataIdentifier")
    throw badQuery(
      `Navigation paths ('${node.raw}') are not supported in $filter by the local Dataverse endpoint; filter on _<lookup>_value instead.`,
    );
  const name = (inner.value as { name: string }).name;
  const c = info.byWireName.get(name);
  if (!c) throw propertyNotFound(info.def.logicalName, name);
  return c;
}

function operand(info: TableInfo, node: Node): Operand {
  if (node.type === "Literal") return { kind: "literal", type: String(node.value), raw: node.raw };
  return { kind: "column", column: columnOf(info, node) };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * @odata/parser lets `not` take everything to its right (`not a and b` comes back as `not (a and b)`),
 * while OData binds `not` tighter than `and`, and `and` tighter than `or`. So the boolean level is
 * read back as the flat sequence the text had (atoms, `not`, `and`, `or`, in order) and regrouped here
 * with OData's precedence; parenthesised groups are regrouped on their own.
 */
type BoolToken = "NOT" | "AND" | "OR" | Node;

function linearise(node: Node, out: BoolToken[]): void {
  if (node.type === "CommonExpression") return linearise(asNode(node.value), out);
  if (node.type === "AndExpression" || node.type === "OrExpression") {
    const v = node.value as { left: Node; right: Node };
    linearise(v.left, out);
    out.push(node.type === "AndExpression" ? "AND" : "OR");
    linearise(v.right, out);
    return;
  }
  if (node.type === "NotExpression") {
    out.push("NOT");
    linearise(asNode(node.value), out);
    return;
  }
  out.push(node);
}

function regroup(info: TableInfo, tokens: BoolToken[], out: SqlValue[]): string {
  let i = 0;
  const unary = (): string => {
    const t = tokens[i++];
    if (t === "NOT") return `NOT (${unary()})`;
    if (t === undefined || typeof t === "string") throw badQuery("Syntax error in $filter.");
    return atom(info, t, out);
  };
  const and = (): string => {
    let sql = unary();
    while (tokens[i] === "AND") {
      i++;
      sql = `(${sql} AND ${unary()})`;
    }
    return sql;
  };
  let sql = and();
  while (tokens[i] === "OR") {
    i++;
    sql = `(${sql} OR ${and()})`;
  }
  if (i !== tokens.length) throw badQuery("Syntax error in $filter.");
  return sql;
}

function walk(info: TableInfo, node: Node, out: SqlValue[]): string {
  const tokens: BoolToken[] = [];
  linearise(node, tokens);
  return regroup(info, tokens, out);
}

function atom(info: TableInfo, node: Node, out: SqlValue[]): string {
  switch (node.type) {
    case "BoolParenExpression":
    case "ParenExpression":
      return `(${walk(info, asNode(node.value), out)})`;
    case "MethodCallExpression":
      return method(info, node, out);
  }
  const comparison = COMPARISONS[node.type];
  if (!comparison) throw badQuery(`The expression '${node.raw}' is not supported in $filter here.`);
  const v = node.value as { left: Node; right: Node };
  let left = operand(info, v.left);
  let right = operand(info, v.right);
  let op = comparison.sql;
  if (left.kind === "literal" && right.kind === "column") {
    [left, right] = [right, left];
    op = MIRROR[op] ?? op;
  }
  if (left.kind !== "column" || right.kind !== "literal")
    throw badQuery(`The expression '${node.raw}' must compare a property with a literal.`);
  const col = q(left.column.name);
  if (right.type === "null") {
    if (op === "=") return `${col} IS NULL`;
    if (op === "<>") return `${col} IS NOT NULL`;
    throw incompatible(edmTypeOf(left.column), "null", comparison.kind);
  }
  out.push(literalFor(left.column, right.type, right.raw, comparison.kind));
  // As on Dataverse, "ne" keeps the rows where the column is empty.
  if (op === "<>") return `(${col} IS NULL OR ${col} <> ?)`;
  return `${col} ${op} ?`;
}

function method(info: TableInfo, node: Node, out: SqlValue[]): string {
  const v = node.value as { method: string; parameters: Node[] };
  const [first, second] = v.parameters;
  if (
    !["contains", "startswith", "endswith"].includes(v.method) ||
    !first ||
    !second ||
    v.parameters.length !== 2
  )
    throw badQuery(`The function '${v.method}' is not supported in $filter here.`);
  const c = columnOf(info, first);
  if (isLookup(c) || (c.type !== "string" && c.type !== "memo"))
    throw badQuery(`The function '${v.method}' needs a text property; '${c.name}' is ${edmTypeOf(c)}.`);
  if (second.type !== "Literal" || String(second.value) !== "Edm.String")
    throw badQuery(`The function '${v.method}' needs a text literal as its second argument.`);
  const text = escapeLike(second.raw.slice(1, -1).replace(/''/g, "'"));
  out.push(v.method === "contains" ? `%${text}%` : v.method === "startswith" ? `${text}%` : `%${text}`);
  return `${q(c.name)} LIKE ? ESCAPE '\\'`;
}

export function filterToSql(info: TableInfo, text: string): SqlFragment {
  let tree: Token;
  try {
    tree = defaultParser.filter(text);
  } catch (err) {
    throw new DataverseHttpError(
      400,
      ERROR_CODES.query,
      `Syntax error in $filter '${text}': ${(err as Error).message}.`,
      {
        cause: err,
      },
    );
  }
  if (!tree || (tree as unknown as Node).raw.length !== text.length)
    throw badQuery(`Syntax error in $filter '${text}'.`);
  const params: SqlValue[] = [];
  const sql = walk(info, tree as unknown as Node, params);
  return { sql, params };
}
