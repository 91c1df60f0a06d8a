import { domainOf } from "../address";
import type { InsightConfig } from "../config";
import { Directory, type DirectoryData } from "../directory";
import type { InsightsResult, RecordInsight } from "../insights";
import type { Interaction, RecordType } from "../interaction";

/**
 * Scale-out partitioning of external parties. Every external address has a home partition: the hash of
 * its company domain, so that an account and all its people (one domain) land together; free-mail
 * addresses (gmail.com and the like never make an account) are homed by their own address, which keeps a
 * free-mail domain from becoming one hot partition. A record whose people span several partitions (an
 * account with subsidiaries on other domains, a contact with a free-mail alias, an opportunity with
 * stakeholders at two companies) is routed by record: it gets a partition of its own hash, and its
 * domains and addresses are routed there too, besides their home.
 *
 * An interaction goes to every partition any of its external participants is routed to. Each partition
 * then holds every interaction of the people it owns, so its pair aggregates and its records come out
 * exactly as in one process; merging the partitions' results gives the single-process result.
 */
export class PartitionRouter {
  private readonly directory: Directory;
  private readonly extraByDomain = new Map<string, number[]>();
  private readonly extraByAddress = new Map<string, number[]>();
  private readonly recordHome = new Map<string, number>();
  /** Records routed by record (their people span partitions), for status and docs. */
  readonly spanning: number;

  constructor(
    data: DirectoryData,
    config: InsightConfig,
    readonly count: number,
  ) {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError("partition count must be a positive integer");
    this.directory = new Directory(data, config);
    let spanning = 0;
    for (const r of recordReach(data, this.directory)) {
      const homes = new Set<number>();
      for (const d of r.domains) homes.add(this.ofKey(d));
      for (const a of r.addresses) homes.add(this.home(a));
      if (homes.size <= 1) {
        this.recordHome.set(
          recordKey(r.type, r.id),
          homes.values().next().value ?? this.ofKey(recordKey(r.type, r.id)),
        );
        continue;
      }
      spanning++;
      const p = this.ofKey(recordKey(r.type, r.id));
      this.recordHome.set(recordKey(r.type, r.id), p);
      for (const d of r.domains) addTo(this.extraByDomain, d, p);
      for (const a of r.addresses) addTo(this.extraByAddress, a, p);
    }
    this.spanning = spanning;
  }

  /** The home partition of an external address (see the class comment). */
  home(address: string): number {
    const domain = domainOf(address);
    return this.ofKey(this.directory.isFreeMail(domain) ? address : domain);
  }

  /** The partition that computes a record. */
  recordPartition(type: RecordType, id: string): number {
    return this.recordHome.get(recordKey(type, id)) ?? this.ofKey(recordKey(type, id));
  }

  /** The partitions an interaction is stored in (none for internal-only mail, which no insight reads). */
  route(i: Interaction): number[] {
    const out = new Set<number>();
    const visit = (a: string): void => {
      if (this.directory.isInternal(a)) return;
      out.add(this.home(a));
      for (const p of this.extraByAddress.get(a) ?? []) out.add(p);
      for (const p of this.extraByDomain.get(domainOf(a)) ?? []) out.add(p);
    };
    visit(i.from);
    for (const list of [i.to, i.cc, i.bcc]) for (const a of list) visit(a);
    return [...out].sort((a, b) => a - b);
  }

  private ofKey(key: string): number {
    return partitionOfKey(key, this.count);
  }
}

/**
 * A stable partition of a key in [0, count): FNV-1a over its UTF-16 code units, finished with a multiply
 * (the same key gives the same partition on every machine and in every version of Node).
 * @example partitionOfKey("contoso.com", 16) // a number from 0 to 15, always the same
 */
export function partitionOfKey(key: string, count: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < key.length; k++) h = Math.imul(h ^ key.charCodeAt(k), 0x01000193);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return Math.floor((h * count) / 4294967296);
}

const recordKey = (type: RecordType, id: string): string => `${type}:${id}`;

function addTo(map: Map<string, number[]>, key: string, p: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [p]);
  else if (!list.includes(p)) list.push(p);
}

interface Reach {
  type: RecordType;
  id: string;
  /** Company domains whose every address counts for the record (accounts). */
  domains: string[];
  /** Single addresses that count for it. */
  addresses: string[];
}

const lower = (xs: readonly string[]): string[] => xs.map((x) => x.toLowerCase());

/** Each account's contacts' addresses, by account id. */
function addressesByAccount(contacts: DirectoryData["contacts"]): Map<string, string[]> {
  const byAccount = new Map<string, string[]>();
  for (const c of contacts)
    if (c.accountId) byAccount.set(c.accountId, [...(byAccount.get(c.accountId) ?? []), ...lower(c.emails)]);
  return byAccount;
}

/** An account reaches its and its subsidiaries' company domains and contacts. */
function accountReach(
  a: DirectoryData["accounts"][number],
  directory: Directory,
  byAccount: ReadonlyMap<string, string[]>,
): Reach {
  const domains: string[] = [];
  const addresses: string[] = [];
  for (const sub of directory.accountTree(a.id)) {
    for (const d of lower(sub.domains)) if (!directory.isFreeMail(d)) domains.push(d);
    addresses.push(...(byAccount.get(sub.id) ?? []));
  }
  return { type: "account", id: a.id, domains, addresses };
}

/** An opportunity reaches its contacts and its account's primary contact. */
function opportunityReach(
  o: DirectoryData["opportunities"][number],
  contactEmails: ReadonlyMap<string, string[]>,
  accounts: ReadonlyMap<string, DirectoryData["accounts"][number]>,
): Reach {
  const addresses: string[] = [];
  for (const id of o.contactIds) addresses.push(...(contactEmails.get(id) ?? []));
  const primary = o.accountId ? accounts.get(o.accountId)?.primaryContactId : undefined;
  if (primary) addresses.push(...(contactEmails.get(primary) ?? []));
  return { type: "opportunity", id: o.id, domains: [], addresses };
}

/** What each record reaches, from the CRM alone (the same rules as Directory.scopes). */
function recordReach(data: DirectoryData, directory: Directory): Reach[] {
  const contactEmails = new Map(data.contacts.map((c) => [c.id, lower(c.emails)]));
  const byAccount = addressesByAccount(data.contacts);
  const accounts = new Map(data.accounts.map((a) => [a.id, a]));
  return [
    ...data.contacts.map((c): Reach => ({
      type: "contact",
      id: c.id,
      domains: [],
      addresses: lower(c.emails),
    })),
    ...data.accounts.map((a) => accountReach(a, directory, byAccount)),
    ...data.leads.map((l): Reach => ({ type: "lead", id: l.id, domains: [], addresses: lower(l.emails) })),
    ...data.opportunities.map((o) => opportunityReach(o, contactEmails, accounts)),
  ];
}

/**
 * Keeps from one partition's result what that partition owns. `result` is computeInsights over the
 * partition's state and its own records' scopes (so records and relationship interactions are already
 * its own); connections are kept only with people homed in it (a partition also holds interactions of
 * people homed elsewhere, for its records). `interactions` counts the interactions this partition owns:
 * those whose lowest routed partition it is, so that the merged count counts each once.
 */
export function ownedPart(
  result: InsightsResult,
  router: PartitionRouter,
  partition: number,
  interactions: Iterable<Interaction>,
): InsightsResult {
  const connections = result.connections.filter((c) => router.home(c.external) === partition);
  let owned = 0;
  for (const i of interactions) if (router.route(i)[0] === partition) owned++;
  return {
    computedAt: result.computedAt,
    records: result.records,
    connections,
    stats: { ...result.stats, interactions: owned, connections: connections.length },
  };
}

/**
 * Merges the owned parts of every partition into one result, in the order one process gives: records in
 * the directory's order (contacts, accounts, leads, opportunities), connections strongest first.
 * @example mergeParts(parts, directoryData) // equals computeInsights over everything, records and connections
 */
export function mergeParts(parts: readonly InsightsResult[], data: DirectoryData): InsightsResult {
  const order = new Map<string, number>();
  let n = 0;
  for (const c of data.contacts) order.set(recordKey("contact", c.id), n++);
  for (const a of data.accounts) order.set(recordKey("account", a.id), n++);
  for (const l of data.leads) order.set(recordKey("lead", l.id), n++);
  for (const o of data.opportunities) order.set(recordKey("opportunity", o.id), n++);
  const rank = (r: RecordInsight): number => order.get(recordKey(r.record.type, r.record.id)) ?? n;
  const records = parts.flatMap((p) => p.records).sort((a, b) => rank(a) - rank(b));
  const connections = parts
    .flatMap((p) => p.connections)
    .sort((a, b) => b.raw - a.raw || (a.colleague + a.external < b.colleague + b.external ? -1 : 1));
  return {
    computedAt: parts[0]?.computedAt ?? new Date(0).toISOString(),
    records,
    connections,
    stats: {
      interactions: parts.reduce((s, p) => s + p.stats.interactions, 0),
      relationshipInteractions: parts.reduce((s, p) => s + p.stats.relationshipInteractions, 0),
      records: records.length,
      connections: connections.length,
    },
  };
}
