/**
 * The organisation's domains, found the same way by every command that needs them: `--domain`, else the
 * variable RAPPORT_ORG_DOMAINS, else the settings (the --settings file, the org's rp_orgdomains), else
 * inferred from the data (the mailbox owners of the mail read, the org's enabled users). The first place
 * that gives one wins; the choice is printed in one line (a domain is not personal data, an address is).
 */
import { readSettings } from "../app/settingsFile";
import { domainOf } from "../core/address";
import { DEFAULT_CONFIG, isFreeMailDomain } from "../core/config";
import { mailboxOwners } from "../core/deriveDirectory";
import { domainList, existingPath } from "./args";
import { CliError } from "./errors";

/** Comma-separated organisation domains, used when `--domain` is not given. */
export const ORG_DOMAINS_ENV = "RAPPORT_ORG_DOMAINS";

/** Domains and where they came from, in words ("from RAPPORT_ORG_DOMAINS", "inferred from 10 mailbox owners"). */
export interface OrgDomains {
  domains: string[];
  from: string;
  /** The settings the run reads carry these already (the --settings file, the org's row): pass none on. */
  inSettings?: boolean;
}

/** What `--domain` says in the help of a command that takes it, given its later places to look. */
export const domainHelp = (otherwise: string): string =>
  `organisation domain, sub-domains included (repeat or comma-separate); default: ${ORG_DOMAINS_ENV}, else ${otherwise}`;

/** One place to look for the domains: undefined when it gives none. */
export type DomainStep = () => OrgDomains | undefined | Promise<OrgDomains | undefined>;

/** The domains of `--domain` (repeated or comma-separated), if given. */
export function fromFlag(values: readonly string[]): OrgDomains | undefined {
  const domains = domainList("--domain", values);
  return domains.length ? { domains, from: "--domain" } : undefined;
}

/** The domains of RAPPORT_ORG_DOMAINS, if set. */
export function fromEnv(env: NodeJS.ProcessEnv): OrgDomains | undefined {
  const domains = domainList(ORG_DOMAINS_ENV, [env[ORG_DOMAINS_ENV] ?? ""]);
  return domains.length ? { domains, from: `from ${ORG_DOMAINS_ENV}` } : undefined;
}

/** Domains a settings source holds (already checked by it), if any. */
export function fromSettings(domains: readonly string[], from: string): OrgDomains | undefined {
  return domains.length ? { domains: [...domains], from, inSettings: true } : undefined;
}

/** The `orgDomains` of a --settings file, if it names any. */
export function fromSettingsFile(file: string | undefined): OrgDomains | undefined {
  if (!file) return undefined;
  return fromSettings(
    readSettings(existingPath("--settings", file), []).orgDomains,
    "from the --settings file",
  );
}

/** The domains to pass on as the command line's: none when the settings the run reads carry them already. */
export const passedOn = (found: OrgDomains): string[] => (found.inSettings ? [] : found.domains);

/**
 * The most common domain of some addresses (free-mail providers aside: their users are people, not an
 * organisation), with how many of them have it; ties go to the domain first in alphabetical order.
 */
export function mostCommonDomain(
  addresses: Iterable<string>,
  isFreeMail: (domain: string) => boolean = (d) => isFreeMailDomain(d, DEFAULT_CONFIG),
): { domain: string; count: number; of: number } | undefined {
  const counts = new Map<string, number>();
  let of = 0;
  for (const address of addresses) {
    const domain = domainOf(address).toLowerCase();
    of++;
    if (domain && !isFreeMail(domain)) counts.set(domain, (counts.get(domain) ?? 0) + 1);
  }
  let best: { domain: string; count: number; of: number } | undefined;
  for (const [domain, count] of counts)
    if (!best || count > best.count || (count === best.count && domain < best.domain))
      best = { domain, count, of };
  return best;
}

/**
 * The domain of the mailbox owners of the mail read (each mailbox's owner being the address on most of its
 * messages, whatever its domain), as an inferred source.
 */
export function fromMailboxOwners(
  participantsByMailbox: ReadonlyMap<string, ReadonlyMap<string, number>>,
): OrgDomains | undefined {
  return inferredFrom([...mailboxOwners(participantsByMailbox).values()], "mailbox owners");
}

/** The most common domain of some people ("mailbox owners", "enabled users"), as an inferred source. */
export function inferredFrom(addresses: readonly string[], who: string): OrgDomains | undefined {
  const best = mostCommonDomain(addresses);
  if (!best) return undefined;
  const count = best.count === best.of ? `${best.of}` : `${best.count} of ${best.of}`;
  return { domains: [best.domain], from: `inferred from ${count} ${who}` };
}

async function firstOf(steps: readonly DomainStep[]): Promise<OrgDomains | undefined> {
  for (const step of steps) {
    const found = await step();
    if (found) return found;
  }
  return undefined;
}

function noDomain(lookedAt: readonly string[]): CliError {
  return new CliError(
    `no organisation domain: give --domain <domain> (e.g. --domain contoso.com) or set ${ORG_DOMAINS_ENV}` +
      (lookedAt.length ? `; none was found in ${lookedAt.join(" or ")}` : ""),
  );
}

/** The one line that says which domains a run uses and where they came from. */
export function describeOrgDomains(found: OrgDomains): string {
  const label = found.domains.length === 1 ? "organisation domain" : "organisation domains";
  return `${label}: ${found.domains.join(", ")} (${found.from}; --domain overrides)`;
}

/** Says where the domains came from, unless the user named them with --domain. */
function announced(found: OrgDomains, announce: (line: string) => void): OrgDomains {
  if (found.from !== "--domain") announce(describeOrgDomains(found));
  return found;
}

/**
 * The first step that gives domains, announced; a clear error naming the places looked at (`lookedAt`,
 * those after --domain and the variable) when none does.
 */
export async function resolveOrgDomains(
  steps: readonly DomainStep[],
  lookedAt: readonly string[],
  announce: (line: string) => void,
): Promise<OrgDomains> {
  const found = await firstOf(steps);
  if (!found) throw noDomain(lookedAt);
  return announced(found, announce);
}

/**
 * For a command that reads mail: the domains named now (by the steps), or none and a callback that
 * infers them from the mailbox owners once the mail is read, announced, or fails naming where it looked.
 */
export async function orgDomainsForMail(
  steps: readonly DomainStep[],
  lookedAt: readonly string[],
  announce: (line: string) => void,
): Promise<{
  domains: string[];
  inferDomains?: (participantsByFile: ReadonlyMap<string, ReadonlyMap<string, number>>) => string[];
}> {
  const named = await firstOf(steps);
  if (named) return { domains: passedOn(announced(named, announce)) };
  return {
    domains: [],
    inferDomains: (participantsByFile) => {
      const found = fromMailboxOwners(participantsByFile);
      if (!found) throw noDomain([...lookedAt, "the mailbox owners of the mail read"]);
      return announced(found, announce).domains;
    },
  };
}
