import { domainOf, inDomains } from "./address";
import type { InsightConfig } from "./config";
import type { Interaction } from "./interaction";

/** An excluded person, or anyone at an excluded domain (or its sub-domains): never read into relationships. */
export function isExcludedAddress(
  address: string,
  config: Pick<InsightConfig, "excludedAddresses" | "excludedDomains">,
): boolean {
  const { excludedAddresses, excludedDomains } = config;
  if (excludedAddresses.length === 0 && excludedDomains.length === 0) return false;
  return excludedAddresses.includes(address) || inDomains(domainOf(address), excludedDomains);
}

/**
 * An interaction judged before the exclusions it must now respect (an admin excluded a domain, or a
 * person asked to be forgotten, after the mail was read): without the excluded people, or dropped when
 * they sent it or nobody else is left. The normaliser applies the same rule when it reads.
 */
export function applyExclusions(i: Interaction, config: InsightConfig): Interaction | undefined {
  if (config.excludedAddresses.length === 0 && config.excludedDomains.length === 0) return i;
  if (isExcludedAddress(i.from, config)) return undefined;
  const keep = (list: readonly string[]) => list.filter((a) => !isExcludedAddress(a, config));
  const to = keep(i.to);
  const cc = keep(i.cc);
  const bcc = keep(i.bcc);
  if (to.length + cc.length + bcc.length === 0) return undefined;
  if (to.length === i.to.length && cc.length === i.cc.length && bcc.length === i.bcc.length) return i;
  return { ...i, to, cc, bcc, ...(i.declined ? { declined: keep(i.declined) } : {}) };
}
