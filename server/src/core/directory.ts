import { domainOf, inDomains } from "./address";
import { type InsightConfig, isFreeMailDomain } from "./config";
import type { RecordType } from "./interaction";

export interface DirectoryUser {
  id: string;
  name: string;
  /** Primary address first, then aliases (proxyAddresses). */
  emails: string[];
  /** The user opted out: their mail is neither read nor shown. */
  optedOut?: boolean;
}

export interface DirectoryContact {
  id: string;
  name: string;
  emails: string[];
  /** The account (parent customer) the contact works for. */
  accountId?: string;
}

export interface DirectoryLead {
  id: string;
  name: string;
  emails: string[];
  companyName?: string;
  accountId?: string;
  /** Owning user: a lead's relationship is its owner's. */
  ownerId?: string;
  /** Only open leads are scored (qualified and disqualified ones keep their last insight). */
  open?: boolean;
}

export interface DirectoryAccount {
  id: string;
  name: string;
  /** Company e-mail domains (never free-mail domains). */
  domains: string[];
  parentAccountId?: string;
  primaryContactId?: string;
  /** Industry (industrycode) and head count, where known: "similar won deals" compares deals by them. */
  industry?: number;
  employees?: number;
}

export interface DirectoryOpportunity {
  id: string;
  name: string;
  accountId?: string;
  /** Customer contact and stakeholders. */
  contactIds: string[];
  ownerId?: string;
  /** Sales team members. */
  teamUserIds?: string[];
  open?: boolean;
  /** What "similar won deals" compares, where known (see OpportunityDeal). */
  deal?: OpportunityDeal;
}

/** An opportunity's life as "similar won deals" needs it: dates are ISO 8601. */
export interface OpportunityDeal {
  outcome: "open" | "won" | "lost";
  createdOn: string;
  /** Won or lost on (actualclosedate). */
  closedOn?: string;
  /** The actual value of a won deal, else the estimated value. */
  amount?: number;
  /** Sales stage, 0 Qualify … 3 Close. */
  stage?: number;
}

/** The CRM as Rapport needs it: who is internal and which external address is which record. */
export interface DirectoryData {
  orgDomains: string[];
  users: DirectoryUser[];
  contacts: DirectoryContact[];
  leads: DirectoryLead[];
  accounts: DirectoryAccount[];
  opportunities: DirectoryOpportunity[];
}

export const EMPTY_DIRECTORY: DirectoryData = {
  orgDomains: [],
  users: [],
  contacts: [],
  leads: [],
  accounts: [],
  opportunities: [],
};

/** A tracked record and the people whose interactions count for it. */
export interface RecordScope {
  type: RecordType;
  id: string;
  name: string;
  /** The customer's people: external addresses whose interactions count. */
  externals: Set<string>;
  /** Our people whose interactions count; undefined means every known user. */
  internals?: Set<string>;
  /** Whether the record is scored (open leads and opportunities; contacts and accounts always). */
  scored: boolean;
}

/**
 * Resolves identities: internal or external, which user an alias belongs to, which contacts, leads and
 * accounts an external address stands for. Built once per run from DirectoryData; lookups are O(1).
 */
export class Directory {
  private readonly userByAddress = new Map<string, DirectoryUser>();
  private readonly contactsByAddress = new Map<string, DirectoryContact[]>();
  private readonly leadsByAddress = new Map<string, DirectoryLead[]>();
  private readonly accountByDomain = new Map<string, DirectoryAccount>();
  private readonly accountById = new Map<string, DirectoryAccount>();
  private readonly contactById = new Map<string, DirectoryContact>();
  private readonly contactsByAccount = new Map<string, DirectoryContact[]>();
  private readonly childAccounts = new Map<string, DirectoryAccount[]>();
  private readonly userById = new Map<string, DirectoryUser>();
  readonly orgDomains: readonly string[];

  constructor(
    readonly data: DirectoryData,
    private readonly config: InsightConfig,
  ) {
    this.orgDomains = [...new Set([...config.orgDomains, ...data.orgDomains].map((d) => d.toLowerCase()))];
    for (const u of data.users) {
      this.userById.set(u.id, u);
      for (const e of u.emails) this.userByAddress.set(e.toLowerCase(), u);
    }
    for (const c of data.contacts) {
      this.contactById.set(c.id, c);
      if (c.accountId) push(this.contactsByAccount, c.accountId, c);
      for (const e of c.emails) push(this.contactsByAddress, e.toLowerCase(), c);
    }
    for (const l of data.leads) for (const e of l.emails) push(this.leadsByAddress, e.toLowerCase(), l);
    for (const a of data.accounts) {
      this.accountById.set(a.id, a);
      if (a.parentAccountId) push(this.childAccounts, a.parentAccountId, a);
      for (const d of a.domains) {
        const domain = d.toLowerCase();
        if (!this.isFreeMail(domain)) this.accountByDomain.set(domain, a);
      }
    }
  }

  /** Internal: at an organisation domain (or a sub-domain), or a known user's alias. */
  isInternal(address: string): boolean {
    return this.userByAddress.has(address) || inDomains(domainOf(address), this.orgDomains);
  }

  /** The user an address (primary or alias) belongs to. */
  userOf(address: string): DirectoryUser | undefined {
    return this.userByAddress.get(address);
  }

  /** A user's primary address for any of their aliases; other addresses are returned unchanged. */
  canonical(address: string): string {
    return this.userByAddress.get(address)?.emails[0]?.toLowerCase() ?? address;
  }

  hasUsers(): boolean {
    return this.data.users.length > 0;
  }

  isFreeMail(domain: string): boolean {
    return isFreeMailDomain(domain, this.config);
  }

  /** The account a company domain belongs to (free-mail domains never do). */
  accountOfDomain(domain: string): DirectoryAccount | undefined {
    return this.accountByDomain.get(domain);
  }

  contactsOf(address: string): readonly DirectoryContact[] {
    return this.contactsByAddress.get(address) ?? [];
  }

  leadsOf(address: string): readonly DirectoryLead[] {
    return this.leadsByAddress.get(address) ?? [];
  }

  /** An account and every account below it (subsidiaries through parent account), cycle-safe. */
  accountTree(accountId: string): DirectoryAccount[] {
    const out: DirectoryAccount[] = [];
    const seen = new Set<string>();
    const walk = (id: string): void => {
      const a = this.accountById.get(id);
      if (!a || seen.has(id)) return;
      seen.add(id);
      out.push(a);
      for (const child of this.childAccounts.get(id) ?? []) walk(child.id);
    };
    walk(accountId);
    return out;
  }

  /**
   * Every record and the people that count for it, following Dynamics 365's rules: a contact is itself;
   * an account is its contacts (and its subsidiaries') plus addresses at its domains; a lead is its own
   * address with its owner; an opportunity is its contacts and its account's primary contact, with its
   * owner and sales team.
   * @param externalsByDomain every external address seen, grouped by domain (to place them in accounts)
   */
  scopes(externalsByDomain: ReadonlyMap<string, readonly string[]>): RecordScope[] {
    return [
      ...this.data.contacts.map((c): RecordScope => ({
        type: "contact",
        id: c.id,
        name: c.name,
        externals: lower(c.emails),
        scored: true,
      })),
      ...this.data.accounts.map((a) => this.accountScope(a, externalsByDomain)),
      ...this.data.leads.map((l) => this.leadScope(l)),
      ...this.data.opportunities.map((o) => this.opportunityScope(o)),
    ];
  }

  /** An account's people: its contacts and its subsidiaries', and the addresses seen at their company domains. */
  private accountScope(
    a: DirectoryAccount,
    externalsByDomain: ReadonlyMap<string, readonly string[]>,
  ): RecordScope {
    const ext = new Set<string>();
    for (const sub of this.accountTree(a.id)) {
      for (const c of this.contactsByAccount.get(sub.id) ?? [])
        for (const e of c.emails) ext.add(e.toLowerCase());
      for (const d of sub.domains) {
        if (this.isFreeMail(d.toLowerCase())) continue;
        for (const e of externalsByDomain.get(d.toLowerCase()) ?? []) ext.add(e);
      }
    }
    return { type: "account", id: a.id, name: a.name, externals: ext, scored: true };
  }

  /** A lead: its own addresses, with its owner as the team. */
  private leadScope(l: DirectoryLead): RecordScope {
    const scope: RecordScope = {
      type: "lead",
      id: l.id,
      name: l.name,
      externals: lower(l.emails),
      scored: l.open !== false,
    };
    const internals = this.userEmails([l.ownerId]);
    if (internals) scope.internals = internals;
    return scope;
  }

  /** An opportunity: its contacts and its account's primary contact, with its owner and sales team as the team. */
  private opportunityScope(o: DirectoryOpportunity): RecordScope {
    const ext = new Set<string>();
    for (const id of o.contactIds)
      for (const e of this.contactById.get(id)?.emails ?? []) ext.add(e.toLowerCase());
    const primary = o.accountId ? this.accountById.get(o.accountId)?.primaryContactId : undefined;
    for (const e of (primary ? this.contactById.get(primary)?.emails : undefined) ?? [])
      ext.add(e.toLowerCase());
    const scope: RecordScope = {
      type: "opportunity",
      id: o.id,
      name: o.name,
      externals: ext,
      scored: o.open !== false,
    };
    const internals = this.userEmails([o.ownerId, ...(o.teamUserIds ?? [])]);
    if (internals) scope.internals = internals;
    return scope;
  }

  /** The lower-cased addresses of some users (ids absent or unknown are passed over), or undefined for none. */
  private userEmails(ids: readonly (string | undefined)[]): Set<string> | undefined {
    const set = new Set<string>();
    for (const id of ids) {
      const u = id ? this.userById.get(id) : undefined;
      for (const e of u?.emails ?? []) set.add(e.toLowerCase());
    }
    return set.size ? set : undefined;
  }
}

const lower = (xs: readonly string[]): Set<string> => new Set(xs.map((x) => x.toLowerCase()));

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
