import { domainOf, inDomains } from "./address";
import { type InsightConfig, isFreeMailDomain } from "./config";
import type { DirectoryData } from "./directory";
import { hash53 } from "./hash";

/** "phillip.allen@enron.com" → "Phillip Allen": a readable name where the CRM has none. */
export function nameFromAddress(address: string): string {
  const local = address.slice(0, Math.max(0, address.indexOf("@"))) || address;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

/**
 * The owner of each mailbox: the internal address that takes part in most of its messages (as sender
 * or recipient), which is how a mailbox export shows its owner without any other metadata.
 * @param participantsByMailbox per mailbox, how often each address appeared
 * @param orgDomains the organisation's domains; without them, any address may own a mailbox (which is
 *   how the organisation's domain is inferred when nobody names it)
 */
export function mailboxOwners(
  participantsByMailbox: ReadonlyMap<string, ReadonlyMap<string, number>>,
  orgDomains?: readonly string[],
): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [mailbox, counts] of participantsByMailbox) {
    let best: string | undefined;
    let bestCount = 0;
    for (const [address, n] of counts) {
      if (orgDomains && !inDomains(domainOf(address), orgDomains)) continue;
      if (n > bestCount || (n === bestCount && best !== undefined && address < best)) {
        best = address;
        bestCount = n;
      }
    }
    if (best) owners.set(mailbox, best);
  }
  return owners;
}

/**
 * A CRM derived from mail alone, for running without Dataverse: mailbox owners are the users, every
 * external person is a contact, every company domain (not free mail) is an account holding its people.
 */
export function deriveDirectory(
  owners: Iterable<string>,
  externals: Iterable<string>,
  config: InsightConfig,
): DirectoryData {
  const users = [...new Set(owners)]
    .sort()
    .map((address) => ({ id: `u-${hash53(address)}`, name: nameFromAddress(address), emails: [address] }));
  const accounts = new Map<string, { id: string; name: string; domains: string[] }>();
  const contacts = [];
  for (const address of [...new Set(externals)].sort()) {
    const domain = domainOf(address);
    let accountId: string | undefined;
    if (domain && !isFreeMailDomain(domain, config)) {
      let account = accounts.get(domain);
      if (!account)
        accounts.set(domain, (account = { id: `a-${hash53(domain)}`, name: domain, domains: [domain] }));
      accountId = account.id;
    }
    contacts.push({
      id: `c-${hash53(address)}`,
      name: nameFromAddress(address),
      emails: [address],
      ...(accountId ? { accountId } : {}),
    });
  }
  return {
    orgDomains: [...config.orgDomains],
    users,
    contacts,
    leads: [],
    accounts: [...accounts.values()],
    opportunities: [],
  };
}
