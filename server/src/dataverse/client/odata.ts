import { InvalidValueError } from "./errors";

/**
 * OData text built from values without concatenation: literals quoted and escaped, GUIDs validated,
 * names checked, and the query string encoded. Everything a caller's value can reach in a URL passes
 * through here, so `') or true or ('` stays a string and can never change a query.
 */

// Only this module can mint Filter, Guid and Identifier values: a raw string can never pass for one.
const minted = Symbol("odata");

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ORDER = /^([A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*)(?: (asc|desc))?$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Dataverse cannot address a row by an alternate-key value holding any of these (define-alternate-keys).
const KEY_UNSAFE = /[/<>*%&:\\?+]/;

/** A GUID, validated and lower-cased; written bare in filters and keys. */
export class Guid {
  constructor(
    key: typeof minted,
    readonly value: string,
  ) {
    if (key !== minted) throw new TypeError("use guid() to make a Guid");
  }
  toString(): string {
    return this.value;
  }
}

/** A column, navigation property or entity set name checked as an OData identifier. */
export class Identifier {
  constructor(
    key: typeof minted,
    readonly name: string,
  ) {
    if (key !== minted) throw new TypeError("use identifier() to make an Identifier");
  }
}

/** A `$filter` expression whose every value went through {@link odataFilter}. */
export class Filter {
  constructor(
    key: typeof minted,
    readonly text: string,
  ) {
    if (key !== minted) throw new TypeError("use odataFilter`...` to make a Filter");
  }
  toString(): string {
    return this.text;
  }
}

export const isGuid = (value: string): boolean => GUID.test(value);

/**
 * Validates a GUID (braces allowed) and returns it lower-cased. `role` names it in the error, e.g.
 * `guid(id, "parentcustomerid")`; the error gives the input's length, never the input.
 */
export function guid(value: unknown, role = "GUID"): Guid {
  const m = typeof value === "string" ? GUID.exec(value) : null;
  if (!m?.[1]) throw new InvalidValueError(role, `not a GUID (${describeInput(value)})`);
  return new Guid(minted, m[1].toLowerCase());
}

/** Checks a name for use in a filter, `$select`, `$orderby` or a path. */
export function identifier(name: string, role = "name"): Identifier {
  return new Identifier(minted, checkName(name, role));
}

export function checkName(name: string, role: string): string {
  if (typeof name !== "string" || !NAME.test(name))
    throw new InvalidValueError(role, `not an OData identifier (${describeInput(name)})`);
  return name;
}

function describeInput(value: unknown): string {
  return typeof value === "string" ? `${value.length} characters` : typeof value;
}

/** What a filter template accepts. Strings become quoted literals; use guid() for ids. */
export type FilterValue = string | number | bigint | boolean | null | Date | Guid | Identifier | Filter;

/** An object value as a literal (null, a GUID, a name, a nested filter, a date); undefined for a primitive. */
function objectLiteral(value: FilterValue, role: string): string | undefined {
  if (value === null) return "null";
  if (value instanceof Guid) return value.value;
  if (value instanceof Identifier) return value.name;
  if (value instanceof Filter) return `(${value.text})`;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidValueError(role, "invalid date");
    return value.toISOString();
  }
  return undefined;
}

function stringLiteral(value: string, role: string): string {
  if (LONE_SURROGATE.test(value)) throw new InvalidValueError(role, "string is not valid Unicode");
  return `'${value.replace(/'/g, "''")}'`;
}

function numberLiteral(value: number, role: string): string {
  if (!Number.isFinite(value)) throw new InvalidValueError(role, `number is not finite (${value})`);
  return Object.is(value, -0) ? "0" : String(value);
}

/** One value as an OData literal. */
export function literal(value: FilterValue, role = "filter value"): string {
  const object = objectLiteral(value, role);
  if (object !== undefined) return object;
  switch (typeof value) {
    case "string":
      return stringLiteral(value, role);
    case "number":
      return numberLiteral(value, role);
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    default:
      throw new InvalidValueError(role, `unsupported type ${typeof value}`);
  }
}

/**
 * Tagged template for `$filter`: the static text is OData, every `${value}` becomes a literal.
 *
 * @example
 * odataFilter`fullname eq ${"O'Brien"} and _parentcustomerid_value eq ${guid(id)}`
 * // fullname eq 'O''Brien' and _parentcustomerid_value eq 00000000-0000-0000-0000-000000000001
 */
export function odataFilter(strings: TemplateStringsArray, ...values: FilterValue[]): Filter {
  let text = strings[0] ?? "";
  values.forEach((value, i) => {
    text += literal(value, `filter value ${i + 1}`) + (strings[i + 1] ?? "");
  });
  return new Filter(minted, text);
}

const join = (op: "and" | "or", filters: readonly Filter[]): Filter => {
  if (filters.length === 0) throw new InvalidValueError(`${op}() filters`, "empty list");
  if (filters.length === 1) return filters[0] as Filter;
  return new Filter(minted, filters.map((f) => `(${f.text})`).join(` ${op} `));
};

/** `(a) and (b) ...`; a single filter is returned as is. */
export const and = (...filters: Filter[]): Filter => join("and", filters);
/** `(a) or (b) ...`, e.g. `or(...emails.map((e) => odataFilter\`emailaddress1 eq ${e}\`))`. */
export const or = (...filters: Filter[]): Filter => join("or", filters);
export const not = (filter: Filter): Filter => new Filter(minted, `not (${filter.text})`);

/** A value in an alternate key: strings are quoted, GUIDs (lookup keys) and numbers bare. */
export type KeyValue = string | number | bigint | Guid;
export type AlternateKey = Readonly<Record<string, KeyValue>>;

/**
 * The parenthesised key of a row: `(guid)` for an id, `(name='value',...)` for an alternate key
 * (multi-part keys in the caller's order; lookups as `_x_value: guid(id)`). Values are escaped as
 * literals and percent-encoded for the path.
 */
export function keySegment(key: string | Guid | AlternateKey): string {
  if (typeof key === "string") return `(${guid(key, "record id").value})`;
  if (key instanceof Guid) return `(${key.value})`;
  const entries = Object.entries(key);
  if (entries.length === 0) throw new InvalidValueError("alternate key", "no columns");
  const parts = entries.map(([name, value]) => {
    const role = `alternate key column ${checkName(name, "alternate key column")}`;
    if (typeof value === "string" && KEY_UNSAFE.test(value))
      throw new InvalidValueError(role, "value holds a character Dataverse cannot address by key");
    return `${name}=${encodeValue(literal(value, role))}`;
  });
  return `(${parts.join(",")})`;
}

/** One level of `$expand` on a navigation property, with nested options. */
export interface Expand {
  /** Navigation property name (case-sensitive on Dataverse, see the model's lookup targets). */
  property: string;
  select?: readonly string[];
  filter?: Filter;
  orderBy?: readonly string[];
  top?: number;
  expand?: readonly Expand[];
}

/** The OData query options the client builds. `$skip` and `$search` are not supported by Dataverse. */
export interface Query {
  select?: readonly string[];
  filter?: Filter;
  /** `"name"`, `"createdon desc"`. */
  orderBy?: readonly string[];
  top?: number;
  expand?: readonly Expand[];
  /** `$count=true`: the response carries `@odata.count` (at most 5,000 on Dataverse). */
  count?: boolean;
}

/** `$select=...&$filter=...` in Dataverse's documented order, encoded; empty string for no options. */
export function queryOptions(query: Query | undefined): string {
  if (!query) return "";
  return options(query, "&");
}

function options(q: Query | Expand, separator: "&" | ";"): string {
  const out: string[] = [];
  if (q.select?.length) out.push(`$select=${q.select.map((n) => checkName(n, "$select column")).join(",")}`);
  if (q.filter) {
    if (!(q.filter instanceof Filter))
      throw new InvalidValueError("$filter", "build it with odataFilter`...`");
    out.push(`$filter=${q.filter.text}`);
  }
  if (q.orderBy?.length) out.push(`$orderby=${q.orderBy.map(checkOrder).join(",")}`);
  if (q.top !== undefined) out.push(`$top=${checkTop(q.top)}`);
  if (q.expand?.length) out.push(`$expand=${q.expand.map(expandText).join(",")}`);
  if ("count" in q && q.count) out.push("$count=true");
  return out.map((o) => (separator === "&" ? encodeValue(o) : o)).join(separator);
}

function expandText(e: Expand): string {
  const inner = options(e, ";");
  const name = checkName(e.property, "$expand navigation property");
  return inner ? `${name}(${inner})` : name;
}

function checkOrder(o: string): string {
  if (!ORDER.test(o)) throw new InvalidValueError("$orderby item", `expected "column [asc|desc]"`);
  return o;
}

function checkTop(top: number): number {
  if (!Number.isInteger(top) || top < 1 || top > 5000)
    throw new InvalidValueError("$top", "expected an integer from 1 to 5000");
  return top;
}

/**
 * Percent-encodes URL text, keeping OData punctuation readable as in Microsoft's examples. The server
 * decodes before it parses OData, so only what would split or end the query (`&`, `#`, `+`, `%`,
 * space, non-ASCII) needs encoding; quoting in {@link literal} is what keeps values inert.
 */
export function encodeValue(text: string): string {
  return encodeURIComponent(text).replace(/%(24|2C|2F|3A|40|3B|3D)/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}
