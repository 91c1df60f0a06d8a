import { domainOf } from "../../core/address";
import { type InsightConfig, isFreeMailDomain } from "../../core/config";
import { nameFromAddress } from "../../core/deriveDirectory";
import type { ConnectionInsight } from "../../core/insights";
import type { Interaction } from "../../core/interaction";
import { employeesOf, industryOf } from "./accountProfile";
import { deriveDeals, isPerson } from "./salesHistory";
import { type CloseRequest, salesRecords } from "./salesRecords";
import { stableGuid } from "./stableGuid";

/**
 * The demo CRM behind `npm start`, derived from the bundled mail sample (docs/demo-crm.md):
 * - users: the mailbox owners;
 * - an external person becomes a record once there was mail both ways and at least MIN_INTERACTIONS;
 * - a company domain (never free mail) with at least two such people becomes an account holding them as
 *   contacts; a lone person at a company becomes a lead owned by the colleague who knows them best;
 *   people at free-mail providers are contacts without an account;
 * - the sales history (salesHistory.ts, salesRecords.ts): a deal per burst of two-way mail with a
 *   company, open, won or lost, with its sales team and stakeholders; a company with a deal is an account
 *   even with one person; accounts carry an industry and a size (accountProfile.ts).
 */
export const MIN_INTERACTIONS = 3;

export type WriteRow = Record<string, string | number | boolean | null>;

export interface DemoCrm {
  systemusers: WriteRow[];
  accounts: WriteRow[];
  contacts: WriteRow[];
  leads: WriteRow[];
  opportunities: WriteRow[];
  /** Stakeholder and sales team roles, then the connections from opportunities to users and contacts. */
  connectionroles: WriteRow[];
  connections: WriteRow[];
  /** The won and lost opportunities, closed after they are written. */
  closes: CloseRequest[];
  /** Set once contacts exist: an account's primary contact is one of its own contacts. */
  primaryContacts: { accountid: string; contactid: string }[];
}

interface Person {
  address: string;
  total: number;
  out: number;
  in: number;
  /** Interactions per colleague. */
  byColleague: Map<string, number>;
}

const sum = (c: ConnectionInsight["evidence"]["counts"], dir: "out" | "in") =>
  c.email[dir] + c.meeting[dir] + c.call[dir] + c.task[dir];

/** "utilicorp.com" → "Utilicorp", "ees.enron.co.uk" → "Enron"; short or unclear names keep the domain ("cpuc.ca.gov"). */
export function companyName(domain: string): string {
  const labels = domain.split(".");
  const sld =
    labels.length >= 3 && /^(co|com|org|net|ac)$/.test(labels[labels.length - 2] ?? "")
      ? labels[labels.length - 3]
      : labels[labels.length - 2];
  if (!sld || sld.length <= 3) return domain;
  return sld.charAt(0).toUpperCase() + sld.slice(1);
}

const best = (m: Map<string, number>): string | undefined =>
  [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];

/** Schools, government and the military: in touch with the sellers, but not their customers. */
const NOT_CUSTOMER = /\.(edu|gov|mil)$/;

export function demoCrm(
  users: readonly { name: string; emails: readonly string[] }[],
  connections: readonly ConnectionInsight[],
  config: InsightConfig,
  now: number,
  mail: readonly Interaction[],
): DemoCrm {
  const { systemusers, userIdOf } = systemUsersOf(users);
  const kept = peopleOf(connections, userIdOf);
  const byDomain = new Map<string, Person[]>();
  for (const p of kept) {
    const d = domainOf(p.address);
    if (!d || isFreeMailDomain(d, config)) continue;
    byDomain.set(d, [...(byDomain.get(d) ?? []), p]);
  }
  const records = new Set(
    [...byDomain.entries()]
      .filter(([d]) => !NOT_CUSTOMER.test(d))
      .flatMap(([, l]) => l.map((p) => p.address)),
  );
  const deals = deriveDeals({ userIdOf, records, interactions: mail, now });
  const dealDomains = new Set(deals.map((d) => d.domain));
  const { accounts, primaryContacts, accountIdOfDomain } = accountsOf(
    byDomain,
    dealDomains,
    peopleSeen(mail),
  );
  const contacts: WriteRow[] = [];
  const leads: WriteRow[] = [];
  for (const p of kept) {
    const domain = domainOf(p.address);
    const accountId = accountIdOfDomain.get(domain);
    if (accountId || isFreeMailDomain(domain, config)) contacts.push(contactRow(p, accountId));
    else leads.push(leadRow(p, domain, userIdOf.get(best(p.byColleague) ?? "")));
  }
  const contactIds = new Set(contacts.map((c) => String(c["emailaddress1"])));
  const sales = salesRecords(
    deals,
    {
      accountIdOfDomain,
      contactIdOf: (a) => (contactIds.has(a) ? stableGuid(`contact:${a}`) : undefined),
      companyName,
      industryOf,
    },
    now,
  );
  return { systemusers, accounts, contacts, leads, ...sales, primaryContacts };
}

/** Distinct people (not devices) per domain in the mail: an account's size band. */
function peopleSeen(mail: readonly Interaction[]): Map<string, number> {
  const seen = new Map<string, Set<string>>();
  for (const i of mail)
    for (const a of [i.from, ...i.to, ...i.cc, ...i.bcc]) {
      if (!isPerson(a)) continue;
      const d = domainOf(a);
      seen.set(d, (seen.get(d) ?? new Set()).add(a));
    }
  return new Map([...seen].map(([d, s]) => [d, s.size]));
}

/** A user row per colleague, and the user id of each of their addresses. */
function systemUsersOf(users: readonly { name: string; emails: readonly string[] }[]): {
  systemusers: WriteRow[];
  userIdOf: Map<string, string>;
} {
  const userIdOf = new Map<string, string>();
  const systemusers: WriteRow[] = users.map((u) => {
    const address = u.emails[0] ?? "";
    const id = stableGuid(`user:${address}`);
    for (const e of u.emails) userIdOf.set(e, id);
    return {
      systemuserid: id,
      fullname: u.name,
      internalemailaddress: address,
      domainname: address,
      isdisabled: false,
    };
  });
  return { systemusers, userIdOf };
}

/**
 * The external people worth a record, by address: in touch both ways with the users, at least
 * MIN_INTERACTIONS times, and not devices; with their counts overall and by colleague.
 */
function peopleOf(
  connections: readonly ConnectionInsight[],
  userIdOf: ReadonlyMap<string, string>,
): Person[] {
  const people = new Map<string, Person>();
  for (const c of connections) {
    if (!userIdOf.has(c.colleague)) continue;
    let p = people.get(c.external);
    if (!p)
      people.set(c.external, (p = { address: c.external, total: 0, out: 0, in: 0, byColleague: new Map() }));
    const out = sum(c.evidence.counts, "out");
    const inn = sum(c.evidence.counts, "in");
    p.out += out;
    p.in += inn;
    p.total += out + inn;
    p.byColleague.set(c.colleague, (p.byColleague.get(c.colleague) ?? 0) + out + inn);
  }
  return [...people.values()]
    .filter((p) => p.out > 0 && p.in > 0 && p.total >= MIN_INTERACTIONS && isPerson(p.address))
    .sort((a, b) => (a.address < b.address ? -1 : 1));
}

/**
 * An account per company domain with two people or more, or a deal, its busiest person as primary
 * contact, with its industry and size.
 */
function accountsOf(
  byDomain: ReadonlyMap<string, Person[]>,
  dealDomains: ReadonlySet<string>,
  seen: ReadonlyMap<string, number>,
): {
  accounts: WriteRow[];
  primaryContacts: DemoCrm["primaryContacts"];
  accountIdOfDomain: Map<string, string>;
} {
  const accounts: WriteRow[] = [];
  const accountIdOfDomain = new Map<string, string>();
  const primaryContacts: DemoCrm["primaryContacts"] = [];
  for (const [domain, list] of [...byDomain.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (list.length < 2 && !dealDomains.has(domain)) continue;
    const id = stableGuid(`account:${domain}`);
    accountIdOfDomain.set(domain, id);
    const primary = [...list].sort((a, b) => b.total - a.total || (a.address < b.address ? -1 : 1))[0]!;
    const industry = industryOf(domain);
    accounts.push({
      accountid: id,
      name: companyName(domain),
      websiteurl: `https://www.${domain}`,
      ...(industry !== undefined ? { industrycode: industry } : {}),
      numberofemployees: employeesOf(seen.get(domain) ?? list.length),
    });
    primaryContacts.push({ accountid: id, contactid: stableGuid(`contact:${primary.address}`) });
  }
  return { accounts, primaryContacts, accountIdOfDomain };
}

/** First and last name from an address-derived full name ("Jeff Dasovich"; a single word is the last name). */
function namesOf(name: string): { firstname: string; lastname: string } {
  const [first, ...rest] = name.split(" ");
  return { firstname: rest.length ? (first ?? "") : "", lastname: rest.length ? rest.join(" ") : name };
}

/** A contact, of its account when it has one. */
function contactRow(p: Person, accountId: string | undefined): WriteRow {
  const name = nameFromAddress(p.address);
  const { firstname, lastname } = namesOf(name);
  return {
    contactid: stableGuid(`contact:${p.address}`),
    firstname,
    lastname,
    fullname: name,
    emailaddress1: p.address,
    ...(accountId ? { "parentcustomerid_account@odata.bind": `/accounts(${accountId})` } : {}),
  };
}

/** A lead from a company without an account, owned by the colleague who knows them best. */
function leadRow(p: Person, domain: string, owner: string | undefined): WriteRow {
  const name = nameFromAddress(p.address);
  const { firstname, lastname } = namesOf(name);
  return {
    leadid: stableGuid(`lead:${p.address}`),
    fullname: name,
    firstname,
    lastname,
    companyname: companyName(domain),
    subject: `Interest from ${companyName(domain)}`,
    emailaddress1: p.address,
    statecode: 0,
    ...(owner ? { "ownerid@odata.bind": `/systemusers(${owner})` } : {}),
  };
}
