import type { InteractionKind, RecordType } from "./interaction";

/** Expected cadence choices, as Dynamics 365 names them ("communication frequency"). */
export type Cadence = "daily" | "fewDays" | "weekly" | "fewWeeks" | "monthly";

/** Days between interactions each cadence expects. */
export const CADENCE_DAYS: Readonly<Record<Cadence, number>> = {
  daily: 1,
  fewDays: 3,
  weekly: 7,
  fewWeeks: 14,
  monthly: 30,
};

export interface InsightConfig {
  /** Organisation domains: an address at one of these domains or their sub-domains is internal. */
  orgDomains: string[];
  /** Activity influence per type, 0.5..1.5 (Dynamics 365 lets admins move each by up to 50%). */
  weights: Record<InteractionKind, number>;
  /** Expected cadence per record type. */
  cadence: Record<RecordType, Cadence>;
  /** Minimum score for Good and for Fair (Good min 60 makes Fair max 59). */
  thresholds: { good: number; fair: number };
  /** Interactions dated before this (epoch ms) are implausible and skipped. */
  earliestPlausible: number;
  /** Interactions dated more than this many days after `now` are implausible and skipped. */
  maxFutureDays: number;
  /** Messages with more recipients than this are mass mail: they count, but weigh less (see strength). */
  massMailRecipients: number;
  /** Recipient lists longer than this are truncated when read (a safeguard against pathological headers). */
  maxRecipients: number;
  /** Minutes of team time an email costs, read or written (Dynamics 365's estimates). */
  emailReadMinutes: number;
  emailWriteMinutes: number;
  /** A reply counts when it comes within this many days of the message it answers. */
  replyWindowDays: number;
  /** Window of the activity series shown on forms. */
  activitySeriesDays: number;
  /** Weeks of history in the weekly timeline and the weekly health points. */
  timelineWeeks: number;
  /** Excluded domains and addresses: never read into relationships. */
  excludedDomains: string[];
  excludedAddresses: string[];
  /** Domains of free mail providers: their users are people, never companies. */
  freeMailDomains: string[];
}

/** Free-mail and consumer ISP domains common in the sample years and today (sub-domains included). */
export const DEFAULT_FREE_MAIL_DOMAINS: readonly string[] = [
  "aol.com",
  "hotmail.com",
  "msn.com",
  "yahoo.com",
  "gmail.com",
  "googlemail.com",
  "earthlink.net",
  "juno.com",
  "netzero.net",
  "netzero.com",
  "compuserve.com",
  "prodigy.net",
  "mindspring.com",
  "excite.com",
  "att.net",
  "worldnet.att.net",
  "bellsouth.net",
  "sbcglobal.net",
  "swbell.net",
  "pacbell.net",
  "flash.net",
  "comcast.net",
  "verizon.net",
  "cox.net",
  "charter.net",
  "mail.com",
  "email.com",
  "lycos.com",
  "outlook.com",
  "live.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "ymail.com",
  "rocketmail.com",
  "protonmail.com",
  "proton.me",
  "gmx.com",
  "gmx.net",
  "gmx.de",
  "web.de",
  "yahoo.co.uk",
  "hotmail.co.uk",
  "aim.com",
  "usa.net",
  "concentric.net",
  "ix.netcom.com",
  "netscape.net",
  "rcn.com",
  "qwest.net",
  "rr.com",
  "ev1.net",
  "ameritech.net",
  "home.com",
  "mediaone.net",
  "erols.com",
  "starpower.net",
];

export const DEFAULT_CONFIG: Readonly<InsightConfig> = Object.freeze({
  orgDomains: [],
  weights: { email: 1, meeting: 1, call: 1, task: 1 },
  cadence: { contact: "weekly", lead: "weekly", opportunity: "weekly", account: "weekly" },
  thresholds: { good: 60, fair: 40 },
  earliestPlausible: Date.UTC(1990, 0, 1),
  maxFutureDays: 400,
  massMailRecipients: 20,
  maxRecipients: 5000,
  emailReadMinutes: 2.5,
  emailWriteMinutes: 5,
  replyWindowDays: 30,
  activitySeriesDays: 60,
  timelineWeeks: 26,
  excludedDomains: [],
  excludedAddresses: [],
  freeMailDomains: [...DEFAULT_FREE_MAIL_DOMAINS],
} satisfies InsightConfig);

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Merges partial settings over the named defaults and checks them.
 * @example resolveConfig({ orgDomains: ["contoso.com"], thresholds: { good: 70, fair: 45 } })
 */
export function resolveConfig(partial: Partial<InsightConfig> = {}): Readonly<InsightConfig> {
  const merged: InsightConfig = {
    ...DEFAULT_CONFIG,
    ...partial,
    weights: { ...DEFAULT_CONFIG.weights, ...partial.weights },
    cadence: { ...DEFAULT_CONFIG.cadence, ...partial.cadence },
    thresholds: { ...DEFAULT_CONFIG.thresholds, ...partial.thresholds },
  };
  merged.orgDomains = merged.orgDomains.map((d) => d.toLowerCase().replace(/^@/, ""));
  merged.excludedDomains = merged.excludedDomains.map((d) => d.toLowerCase().replace(/^@/, ""));
  merged.excludedAddresses = merged.excludedAddresses.map((a) => a.toLowerCase());
  for (const [kind, w] of Object.entries(merged.weights)) {
    if (!Number.isFinite(w) || w < 0.5 || w > 1.5) {
      throw new ConfigError(`weights.${kind} must be between 0.5 and 1.5 (±50%), got ${String(w)}`);
    }
  }
  for (const [type, c] of Object.entries(merged.cadence)) {
    if (!(c in CADENCE_DAYS))
      throw new ConfigError(`cadence.${type} must be one of ${Object.keys(CADENCE_DAYS).join(", ")}`);
  }
  const { good, fair } = merged.thresholds;
  if (!(fair >= 1 && good > fair && good <= 100)) {
    throw new ConfigError(`thresholds must satisfy 1 <= fair < good <= 100, got good=${good} fair=${fair}`);
  }
  return Object.freeze(merged);
}

/**
 * True for free-mail and consumer ISP domains (and their sub-domains, such as houston.rr.com): their
 * users are people, never companies.
 * @example isFreeMailDomain("houston.rr.com", DEFAULT_CONFIG) // true
 */
export function isFreeMailDomain(domain: string, config: Pick<InsightConfig, "freeMailDomains">): boolean {
  for (const d of config.freeMailDomains) {
    if (domain === d || (domain.endsWith(d) && domain.charCodeAt(domain.length - d.length - 1) === 46))
      return true;
  }
  return false;
}
