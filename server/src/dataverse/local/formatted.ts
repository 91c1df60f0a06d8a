import type { ColumnDef } from "../model";
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

// eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function formattedValue(c: ColumnDef, value: SqlValue): string | undefined {
  if (value === null) return undefined;
  switch (c.type) {
    case "picklist":
    case "state":
      return c.options?.find((o) => o.value === value)?.label;
    case "boolean":
      return (c.booleanLabels ?? ["No", "Yes"])[value ? 1 : 0];
    case "integer":
      // The row version is plain data on Dataverse, not a formatted number.
      return c.name === "versionnumber" ? undefined : integer.format(Number(value));
    case "decimal":
    case "double":
      return decimal(c.precision ?? 2).format(Number(value));
    case "money":
      return `$${decimal(c.precision ?? 2).format(Number(value))}`;
    case "datetime":
      return dateTime
        .format(new Date(String(value)))
        .replace(/\u202f/g, " ")
        .replace(",", "");
    case "dateonly":
      return dateOnly.format(new Date(`${String(value)}T00:00:00Z`));
    default:
      return undefined;
  }
}
