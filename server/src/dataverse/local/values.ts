import type { ColumnDef, ColumnType } from "../model";
import { badPayload, DataverseHttpError, ERROR_CODES } from "./errors";

/** What a SQLite cell holds here: text, a number or NULL (booleans as 0/1, dates as ISO text). */
export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: string): boolean => GUID.test(s);

/**
 * Date-times are kept as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds, as Dataverse returns them), so
 * that text comparison in SQL is time order.
 */
export function normaliseDateTime(text: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(text)) return undefined;
  const ms = Date.parse(/T/.test(text) && !/(Z|[+-]\d{2}:\d{2})$/.test(text) ? `${text}Z` : text);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const validation = (message: string) => new DataverseHttpError(400, ERROR_CODES.validation, message);

/** A payload value on its way to a column of a table. */
interface Conversion {
  logicalName: string;
  c: ColumnDef;
  value: unknown;
}

const wrongType = ({ logicalName, c, value }: Conversion, expected: string) =>
  badPayload(
    `Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${expected}' for property '${c.name}' of type 'Microsoft.Dynamics.CRM.${logicalName}'.`,
  );

function textValue(v: Conversion): SqlValue {
  const { logicalName, c, value } = v;
  if (typeof value !== "string") throw wrongType(v, "Edm.String");
  if (c.maxLength !== undefined && value.length > c.maxLength)
    throw validation(
      `A validation error occurred.  The length of the '${c.name}' attribute of the '${logicalName}' entity exceeded the maximum allowed length of '${c.maxLength}'.`,
    );
  return value;
}

function guidValue(v: Conversion): SqlValue {
  if (typeof v.value !== "string" || !isGuid(v.value)) throw wrongType(v, "Edm.Guid");
  return v.value.toLowerCase();
}

function wholeNumberValue(v: Conversion): SqlValue {
  const { logicalName, c, value } = v;
  if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(v, "Edm.Int32");
  if (c.options && !c.options.some((o) => o.value === value))
    throw validation(
      `A validation error occurred. The value ${value} of '${c.name}' on record of type '${logicalName}' is outside the valid range.`,
    );
  checkRange(logicalName, c, value);
  return value;
}

function decimalValue(v: Conversion): SqlValue {
  if (typeof v.value !== "number" || !Number.isFinite(v.value)) throw wrongType(v, "Edm.Decimal");
  checkRange(v.logicalName, v.c, v.value);
  return v.value;
}

function booleanValue(v: Conversion): SqlValue {
  if (typeof v.value !== "boolean") throw wrongType(v, "Edm.Boolean");
  return v.value ? 1 : 0;
}

function dateTimeValue(v: Conversion): SqlValue {
  const t = typeof v.value === "string" ? normaliseDateTime(v.value) : undefined;
  if (t === undefined) throw wrongType(v, "Edm.DateTimeOffset");
  return t;
}

function dateOnlyValue(v: Conversion): SqlValue {
  const { value } = v;
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw wrongType(v, "Edm.Date");
  return value;
}

function lookupValue({ logicalName, c }: Conversion): SqlValue {
  throw badPayload(
    `Lookup '${c.name}' of '${logicalName}' is set with '<navigation property>@odata.bind', not with a value.`,
  );
}

const CONVERSIONS: Record<ColumnType, (v: Conversion) => SqlValue> = {
  string: textValue,
  memo: textValue,
  uniqueidentifier: guidValue,
  integer: wholeNumberValue,
  picklist: wholeNumberValue,
  state: wholeNumberValue,
  status: wholeNumberValue,
  decimal: decimalValue,
  double: decimalValue,
  money: decimalValue,
  boolean: booleanValue,
  datetime: dateTimeValue,
  dateonly: dateOnlyValue,
  lookup: lookupValue,
  customer: lookupValue,
  owner: lookupValue,
};

/**
 * A JSON payload value for a (non-lookup) column, checked and converted to its SQL form. Messages
 * follow Dataverse's wording so a client sees what it would see online.
 */
export function toSql(logicalName: string, c: ColumnDef, value: unknown): SqlValue {
  if (value === null) return null;
  return CONVERSIONS[c.type]({ logicalName, c, value });
}

function checkRange(logicalName: string, c: ColumnDef, value: number): void {
  if ((c.min !== undefined && value < c.min) || (c.max !== undefined && value > c.max))
    throw validation(
      `A validation error occurred. The value ${value} of '${c.name}' on record of type '${logicalName}' is outside the valid range. Accepted Values: ${c.min ?? "-∞"} to ${c.max ?? "∞"}`,
    );
}

/** A SQL cell as Dataverse writes it in JSON. */
export function toWire(c: ColumnDef, value: SqlValue | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (c.type === "boolean") return value === 1;
  return value;
}
