/**
 * The `Prefer` request header: `odata.maxpagesize=n`, `odata.include-annotations="…"`,
 * `return=representation`, `odata.continue-on-error`. Values may be quoted and hold commas.
 */

export interface Preferences {
  maxPageSize?: number;
  /** The include-annotations patterns as sent, or undefined when none were asked for. */
  annotations?: string;
  returnRepresentation: boolean;
  continueOnError: boolean;
}

function splitPreferences(header: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      out.push(header.slice(start, i));
      start = i + 1;
    }
  }
  out.push(header.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = { returnRepresentation: false, continueOnError: false };
  for (const item of splitPreferences(header ?? "")) {
    const eq = item.indexOf("=");
    const name = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    const value =
      eq < 0
        ? ""
        : item
            .slice(eq + 1)
            .trim()
            .replace(/^"|"$/g, "");
    if (name === "odata.maxpagesize" && /^\d+$/.test(value)) prefs.maxPageSize = Number(value);
    else if (name === "odata.include-annotations") prefs.annotations = value;
    else if (name === "return" && value === "representation") prefs.returnRepresentation = true;
    else if (name === "odata.continue-on-error") prefs.continueOnError = value !== "false";
  }
  return prefs;
}

/** Whether an annotation (e.g. `OData.Community.Display.V1.FormattedValue`) was asked for. */
export function wantsAnnotation(patterns: string | undefined, annotation: string): boolean {
  if (!patterns) return false;
  let wanted = false;
  for (const raw of patterns.split(",")) {
    const p = raw.trim();
    const exclude = p.startsWith("-");
    const pattern = exclude ? p.slice(1) : p;
    const hit =
      pattern === "*" ||
      pattern === annotation ||
      (pattern.endsWith(".*") && annotation.startsWith(pattern.slice(0, -1)));
    if (hit && exclude) return false;
    if (hit) wanted = true;
  }
  return wanted;
}
