import type { ColumnDef, ColumnType } from "../model";
import type { SqlValue } from "./values";

/**
 * `@OData.Community.Display.V1.FormattedValue` of a column value, as a user with English (United States)
 * settings and UTC as time zone would see it. Lookups are formatted by the caller (the target's name).
 */

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimals = new Map<number, Intl.NumberFormat>();
const decimal = (digits: number) => {
  let f = decimals.get(digits);
  if (!f) {
    f = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    decimals.set(digits, f);
  }
  return f;
};

const dateTime = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hour12: true,
});
const dateOnly = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  year: "numeric",
  month: "numeric",
  day: "numeric",
});

type Formatter = (c: ColumnDef, value: string | number) => string | undefined;

const choiceLabel: Formatter = (c, value) => c.options?.find((o) => o.value === value)?.label;
const decimalText = (c: ColumnDef, value: string | number): string =>
  decimal(c.precision ?? 2).format(Number(value));

/** How each column type is formatted; the types not named here (text, ids, lookups) have no formatted value. */
const FORMATTERS: Partial<Record<ColumnType, Formatter>> = {
  picklist: choiceLabel,
  state: choiceLabel,
  boolean: (c, value) => (c.booleanLabels ?? ["No", "Yes"])[value ? 1 : 0],
  // The row version is plain data on Dataverse, not a formatted number.
  integer: (c, value) => (c.name === "versionnumber" ? undefined : integer.format(Number(value))),
  decimal: decimalText,
  double: decimalText,
  money: (c, value) => `$${decimalText(c, value)}`,
  datetime: (_c, value) =>
    dateTime
      .format(new Date(String(value)))
      .replace(/\u202f/g, " ")
      .replace(",", ""),
  dateonly: (_c, value) => dateOnly.format(new Date(`${String(value)}T00:00:00Z`)),
};

export function formattedValue(c: ColumnDef, value: SqlValue): string | undefined {
  if (value === null) return undefined;
  return FORMATTERS[c.type]?.(c, value);
}
