import { InvalidValueError } from "./errors";

/** The `Prefer` request header: page size and annotations (query/page-results, formatted values). */

/** Dataverse's largest page: "You can't request a page size larger than 5,000." */
export const MAX_PAGE_SIZE = 5000;

/** Labels of choices, formatted numbers and dates, names of lookups: `<column>@<this>`. */
export const FORMATTED_VALUE = "OData.Community.Display.V1.FormattedValue";

/** Preferences comma-separated in one header (RFC 7240); undefined when there are none. */
export function preferHeader(
  maxPageSize: number | undefined,
  annotations: readonly string[],
): string | undefined {
  const prefs: string[] = [];
  if (maxPageSize !== undefined) prefs.push(`odata.maxpagesize=${checkPageSize(maxPageSize)}`);
  if (annotations.length) prefs.push(`odata.include-annotations="${annotations.join(",")}"`);
  return prefs.length ? prefs.join(",") : undefined;
}

export function checkPageSize(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE)
    throw new InvalidValueError("maxPageSize", `expected an integer from 1 to ${MAX_PAGE_SIZE}`);
  return n;
}

/** The table a lookup points to: `_<column>_value@<this>` (needed for customer and regarding lookups). */
export const LOOKUP_LOGICAL_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname";
