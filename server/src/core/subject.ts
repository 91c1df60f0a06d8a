const PREFIXES = /^\s*((re|fw|fwd|aw|wg|sv|vs|tr)\s*(\[\d+\])?\s*:\s*)+/i;

/**
 * The subject without reply/forward prefixes, lower-case, spaces folded: the key that threads share.
 * @example normaliseSubject("RE: Fw:  Q3 Pricing") // "q3 pricing"
 */
export function normaliseSubject(subject: string | undefined): string {
  return (subject ?? "").replace(PREFIXES, "").replace(/\s+/g, " ").trim().toLowerCase();
}

/** True when the subject marks a reply ("RE:", "AW:", "SV:" ...), not a forward. */
export function isReplySubject(subject: string | undefined): boolean {
  return /^\s*(re|aw|sv|vs)\s*(\[\d+\])?\s*:/i.test(subject ?? "");
}
