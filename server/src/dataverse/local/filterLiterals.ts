import type { ColumnDef, ColumnType } from "../model";
import { DataverseHttpError, ERROR_CODES } from "./errors";
import { normaliseDateTime, type SqlValue } from "./values";

/**
 * The literals of a `$filter`: typed as OData types them (`5` is Edm.SByte, `2025-03-01` Edm.Date),
 * which names them in Dataverse's type errors, and converted to the SQL value of the column they are
 * compared with.
 */

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

/** The OData type of each column type. */
const EDM_TYPES: Record<ColumnType, string> = {
  string: "Edm.String",
  memo: "Edm.String",
  uniqueidentifier: "Edm.Guid",
  lookup: "Edm.Guid",
  customer: "Edm.Guid",
  owner: "Edm.Guid",
  integer: "Edm.Int32",
  picklist: "Edm.Int32",
  state: "Edm.Int32",
  status: "Edm.Int32",
  decimal: "Edm.Decimal",
  money: "Edm.Decimal",
  double: "Edm.Double",
  boolean: "Edm.Boolean",
  datetime: "Edm.DateTimeOffset",
  dateonly: "Edm.Date",
};

export const edmTypeOf = (c: ColumnDef): string => EDM_TYPES[c.type];

export const incompatible = (left: string, right: string, kind: string) =>
  new DataverseHttpError(
    400,
    ERROR_CODES.query,
    `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${kind}'.`,
  );

/** A literal's SQL value for a column of each type, or undefined when the literal's type does not fit it. */
type LiteralConversion = (type: string, raw: string) => SqlValue | undefined;

const textLiteral: LiteralConversion = (type, raw) =>
  type === "Edm.String" ? raw.slice(1, -1).replace(/''/g, "'") : undefined;
const guidLiteral: LiteralConversion = (type, raw) => (type === "Edm.Guid" ? raw.toLowerCase() : undefined);
const numberLiteral: LiteralConversion = (type, raw) => (NUMERIC.has(type) ? Number(raw) : undefined);

const LITERALS: Record<ColumnType, LiteralConversion> = {
  string: textLiteral,
  memo: textLiteral,
  uniqueidentifier: guidLiteral,
  lookup: guidLiteral,
  customer: guidLiteral,
  owner: guidLiteral,
  integer: numberLiteral,
  picklist: numberLiteral,
  state: numberLiteral,
  status: numberLiteral,
  decimal: numberLiteral,
  double: numberLiteral,
  money: numberLiteral,
  boolean: (type, raw) => (type === "Edm.Boolean" ? (raw === "true" ? 1 : 0) : undefined),
  datetime: (type, raw) =>
    type === "Edm.DateTimeOffset" || type === "Edm.Date" ? normaliseDateTime(raw) : undefined,
  dateonly: (type, raw) => (type === "Edm.Date" ? raw : undefined),
};

/** A literal's text as the SQL value for a column, or a 400 when the types do not meet. */
export function literalFor(c: ColumnDef, type: string, raw: string, kind: string): SqlValue {
  const value = LITERALS[c.type](type, raw);
  if (value === undefined) throw incompatible(edmTypeOf(c), type, kind);
  return value;
}

/** A condition's operand as written: a typed literal, a property name, or a function call. */
export type Operand =
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
export function wordOperand(raw: string): Operand | undefined {
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
