import type { MailboxRef } from "./interaction";

/**
 * What a header mailbox turned out to be. Only `smtp` addresses take part in relationships; the other
 * kinds are recognised so that they are counted and kept out, never mistaken for people.
 */
export type AddressKind = "smtp" | "notesName" | "x500" | "undisclosed" | "invalid";

export interface ClassifiedAddress {
  kind: AddressKind;
  /** Lower-case SMTP address, for kind "smtp". */
  address?: string;
}

// Deliberately permissive local part (real mail has odd ones); the domain must have a dot.
const SMTP = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;
const X500 = /^\/o=/i;
const UNDISCLOSED = /^undisclosed[-_ ]?recipients?\b/i;

/**
 * Classifies one parsed mailbox.
 * @example classifyMailbox({ address: "Jane.Doe@Contoso.com" }) // { kind: "smtp", address: "jane.doe@contoso.com" }
 * @example classifyMailbox({ name: "Mike Grigsby", address: "" }) // { kind: "notesName" }
 */
export function classifyMailbox(m: MailboxRef): ClassifiedAddress {
  const raw = (m.address || "").trim();
  // With an "@" the address decides alone (the display name never changes the verdict).
  const name = raw.includes("@") ? "" : (m.name || "").trim();
  if (UNDISCLOSED.test(raw) || UNDISCLOSED.test(name)) return { kind: "undisclosed" };
  if (X500.test(raw) || X500.test(name) || /^imceaex-/i.test(raw)) return { kind: "x500" };
  if (!raw.includes("@")) return name || raw ? { kind: "notesName" } : { kind: "invalid" };
  // Exported mail has leading dots and quotes on some local parts (".ward@enron.com").
  const address = raw
    .toLowerCase()
    .replace(/^[.'"]+/, "")
    .replace(/[.'"]+$/, "");
  return SMTP.test(address) ? { kind: "smtp", address } : { kind: "invalid" };
}

/** The domain of a lower-case address ("" when there is none). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? "" : address.slice(at + 1);
}

/** True when `domain` is one of `domains` or a sub-domain of one. */
export function inDomains(domain: string, domains: readonly string[]): boolean {
  for (const d of domains) {
    if (
      domain === d ||
      (domain.length > d.length && domain.endsWith(d) && domain[domain.length - d.length - 1] === ".")
    ) {
      return true;
    }
  }
  return false;
}
