import { InvalidValueError } from "./errors";
import { Guid } from "./odata";

/**
 * FetchXML helpers: a tagged template that XML-escapes values, and the attribute edits paging needs
 * (`page`, `count`, `paging-cookie` on the root `<fetch>`). Only the root start tag is rewritten; the
 * rest of the caller's query passes through byte for byte.
 */

export type XmlValue = string | number | bigint | boolean | Date | Guid;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Escapes text for an XML attribute value or element content (both quote styles). */
export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function xmlValue(value: XmlValue, role: string): string {
  if (value instanceof Guid) return value.value;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidValueError(role, "invalid date");
    return value.toISOString();
  }
  switch (typeof value) {
    case "string":
      if (LONE_SURROGATE.test(value)) throw new InvalidValueError(role, "string is not valid Unicode");
      // Control characters other than tab and newlines are not allowed in XML 1.0 at all.
      if (hasXmlForbiddenControl(value))
        throw new InvalidValueError(role, "string holds a control character XML cannot carry");
      return xmlEscape(value);
    case "number":
      if (!Number.isFinite(value)) throw new InvalidValueError(role, `number is not finite (${value})`);
      return String(value);
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "1" : "0";
    default:
      throw new InvalidValueError(role, `unsupported type ${typeof value}`);
  }
}

function hasXmlForbiddenControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
  }
  return false;
}

/**
 * Tagged template for FetchXML: static text is XML, every `${value}` is escaped.
 *
 * @example
 * xml`<fetch><entity name="contact"><filter><condition attribute="lastname" operator="eq"
 *   value="${"O'Brien & Sons"}" /></filter></entity></fetch>`
 */
export function xml(strings: TemplateStringsArray, ...values: XmlValue[]): string {
  let text = strings[0] ?? "";
  values.forEach((value, i) => {
    text += xmlValue(value, `FetchXML value ${i + 1}`) + (strings[i + 1] ?? "");
  });
  return text;
}

const ROOT = /<fetch((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/;
const ATTR = /([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')/g;

/** The root `<fetch>` element's attributes (values still XML-escaped, quotes removed). */
export function fetchAttributes(fetchXml: string): Map<string, string> {
  const m = ROOT.exec(fetchXml);
  if (!m) throw new InvalidValueError("FetchXML", "no <fetch> element");
  const attrs = new Map<string, string>();
  for (const a of (m[1] ?? "").matchAll(ATTR)) attrs.set(a[1] ?? "", (a[2] ?? "").slice(1, -1));
  return attrs;
}

/** Sets (escaped) attributes on the root `<fetch>`, replacing any of the same name. */
export function withFetchAttributes(fetchXml: string, set: Readonly<Record<string, string>>): string {
  const m = ROOT.exec(fetchXml);
  if (!m) throw new InvalidValueError("FetchXML", "no <fetch> element");
  const attrs = fetchAttributes(fetchXml);
  for (const [k, v] of Object.entries(set)) attrs.set(k, xmlEscape(v));
  const text = [...attrs].map(([k, v]) => ` ${k}="${v.replace(/"/g, "&quot;")}"`).join("");
  return (
    fetchXml.slice(0, m.index) + `<fetch${text}${m[2] ? " /" : ""}>` + fetchXml.slice(m.index + m[0].length)
  );
}

/** The logical name in the first `<entity name="...">`, used to find the entity set in the model. */
export function fetchEntityName(fetchXml: string): string | undefined {
  return /<entity\s+name\s*=\s*["']([A-Za-z_][A-Za-z0-9_]*)["']/.exec(fetchXml)?.[1];
}

/**
 * The `paging-cookie` value for the next page, from the `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie`
 * annotation: its `pagingcookie` attribute, URL-decoded twice (use-fetchxml-web-api, "Paging cookies").
 * Undefined when the query does not support cookies (Dataverse then falls back to page numbers).
 */
export function pagingCookieFrom(annotation: unknown): string | undefined {
  if (typeof annotation !== "string") return undefined;
  const m = /\bpagingcookie\s*=\s*("([^"]*)"|'([^']*)')/.exec(annotation);
  const raw = m?.[2] ?? m?.[3];
  if (!raw) return undefined;
  try {
    return decodeURIComponent(decodeURIComponent(raw));
  } catch (err) {
    throw new InvalidValueError("FetchXML paging cookie", "not URL-encoded as documented", { cause: err });
  }
}
