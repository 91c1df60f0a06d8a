/**
 * Machine-sent mail is not a relationship. These patterns recognise the senders and subjects that
 * systems use; headers (Auto-Submitted, Precedence, List-Id) are checked by the caller when present.
 */
const AUTOMATED_LOCAL_PART =
  /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer[-_.]?daemon|postmaster|bounces?|notifications?|notify|alerts?|newsletters?|news|digest|listserv|majordomo|list[-_.]?(admin|owner|request)|owner-.+|.+-(request|owner|bounces?)|auto[-_.]?(reply|responder|mailer)|automail|root|daemon|marketing|mailer|announce(ments)?|support[-_.]?noreply|calendar[-_.]?notification)$/;

const AUTO_REPLY_SUBJECT =
  /^\s*(auto(matic)?[- ]?(reply|response)|out of (the )?office|ooo\b|away from (my|the) (desk|office)|on vacation|delivery status notification|undeliverable|undelivered mail|returned mail|mail delivery (failed|failure|subsystem)|failure notice|delivery failure|read:|not read:)/i;

/**
 * True for addresses that machines send from.
 * @example isAutomatedAddress("no-reply@contoso.com") // true
 * @example isAutomatedAddress("jane@contoso.com") // false
 */
export function isAutomatedAddress(address: string): boolean {
  const at = address.indexOf("@");
  const local = at < 0 ? address : address.slice(0, at);
  return AUTOMATED_LOCAL_PART.test(local);
}

/**
 * True when a subject marks an automatic reply or a delivery report.
 * @example isAutoReplySubject("Out of Office: back Monday") // true
 */
export function isAutoReplySubject(subject: string | undefined): boolean {
  return subject !== undefined && AUTO_REPLY_SUBJECT.test(subject);
}

/** True for Auto-Submitted / Precedence / X-Auto-Response-Suppress values that mean "sent by a machine". */
export function isAutomatedHeaderValue(value: string | undefined): boolean {
  if (!value) return false;
  const v = value.trim().toLowerCase();
  return v !== "" && v !== "no" && v !== "none";
}
