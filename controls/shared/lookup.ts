const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/**
 * The record id a Lookup.Simple property holds, or null when it holds none. Model-driven apps give `raw` as
 * LookupValue[]. pcf-start (Microsoft's test harness) gives the text of its Data Inputs box as a plain
 * string, starting with the placeholder "val": a GUID typed there is the id, any other text is no lookup
 * (indexing the string would read its first character as the lookup).
 */
export function lookupIdOf(raw: unknown): string | null {
  if (Array.isArray(raw)) {
    const first: unknown = raw[0];
    const id = typeof first === "object" && first !== null ? (first as { id?: unknown }).id : undefined;
    return typeof id === "string" && id !== "" ? id : null;
  }
  if (typeof raw === "string") return GUID.exec(raw.trim())?.[1] ?? null;
  return null;
}
