import { domainOf } from "../../core/address";
import { type InsightConfig, isFreeMailDomain } from "../../core/config";
import type { DirectoryData, OpportunityDeal } from "../../core/directory";
import type { OpportunityPeople } from "./opportunityPeople";

/** A row as the Web API returns it. */
export type Row = Record<string, unknown>;

export interface CrmRows {
  systemusers: Row[];
  accounts: Row[];
  contacts: Row[];
  leads: Row[];
  opportunities: Row[];
}

/** The columns each read asks for (the directory reader's $select). */
export const DIRECTORY_SELECT = {
  systemusers: ["systemuserid", "fullname", "internalemailaddress", "domainname", "isdisabled"],
  accounts: [
    "accountid",
    "name",
    "emailaddress1",
    "websiteurl",
    "_parentaccountid_value",
    "_primarycontactid_value",
    "_rp_relationshipinsightid_value",
    // Similar won deals: industry and size.
    "industrycode",
    "numberofemployees",
  ],
  contacts: [
    "contactid",
    "fullname",
    "emailaddress1",
    "emailaddress2",
    "emailaddress3",
    "_parentcustomerid_value",
    "_rp_relationshipinsightid_value",
  ],
  leads: [
    "leadid",
    "fullname",
    "companyname",
    "emailaddress1",
    "emailaddress2",
    "emailaddress3",
    "_parentaccountid_value",
    "_parentcontactid_value",
    "_ownerid_value",
    "statecode",
    "_rp_relationshipinsightid_value",
  ],
  opportunities: [
    "opportunityid",
    "name",
    "_parentaccountid_value",
    "_parentcontactid_value",
    "_customerid_value",
    "_ownerid_value",
    "statecode",
    "_rp_relationshipinsightid_value",
    // Similar won deals: the deal's life, amount and stage.
    "createdon",
    "actualclosedate",
    "actualvalue",
    "estimatedvalue",
    "salesstage",
  ],
} as const;

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
const id = (v: unknown): string | undefined => str(v)?.toLowerCase();

/** Addresses a record holds, lower-cased, each once, in column order. */
function emails(row: Row, columns: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of columns) {
    const e = str(row[c])?.toLowerCase();
    if (e && e.includes("@") && !out.includes(e)) out.push(e);
  }
  return out;
}

/** `https://www.contoso.com/about` → `contoso.com`. */
export function domainOfWebsite(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const host = new URL(/^[a-z]+:\/\//i.test(url) ? url : `https://${url}`).hostname.toLowerCase();
    return host.replace(/^www\./, "") || undefined;
  } catch {
    return undefined;
  }
}

const EMAIL_COLUMNS = ["emailaddress1", "emailaddress2", "emailaddress3"];

/**
 * The directory from the CRM's own rows: systemusers are our people; contacts, leads, accounts and
 * opportunities the customer's. An account's company domains come from its website, its e-mail address
 * and its contacts' addresses, never from free-mail providers. `people`: each opportunity's stakeholders
 * and sales team (from its connections), by opportunity id.
 */
export function directoryFromRows(
  rows: CrmRows,
  config: InsightConfig,
  people: ReadonlyMap<string, OpportunityPeople> = new Map(),
): DirectoryData {
  const users = rows.systemusers
    .filter((u) => u["isdisabled"] !== true)
    .map(userOf)
    .filter((u) => u.id && u.emails.length > 0);
  const contacts = rows.contacts.map(contactOf);
  const domainsByAccount = accountDomains(rows.accounts, contacts, config);
  const accounts = rows.accounts.map((a) => accountOf(a, domainsByAccount));
  const leads = rows.leads.map(leadOf);
  const opportunities = rows.opportunities.map((o) => opportunityOf(o, people));
  return { orgDomains: [...config.orgDomains], users, contacts, leads, accounts, opportunities };
}

function userOf(u: Row): DirectoryData["users"][number] {
  const addresses = emails(u, ["internalemailaddress", "domainname"]);
  return {
    id: id(u["systemuserid"]) ?? "",
    name: str(u["fullname"]) ?? addresses[0] ?? "",
    emails: addresses,
  };
}

/** A contact, with its account when its parent customer is one. */
function contactOf(c: Row): DirectoryData["contacts"][number] {
  const parent = id(c["_parentcustomerid_value"]);
  const parentIsAccount =
    c["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"] === undefined ||
    c["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"] === "account";
  return {
    id: id(c["contactid"]) ?? "",
    name: str(c["fullname"]) ?? "",
    emails: emails(c, EMAIL_COLUMNS),
    ...(parent && parentIsAccount ? { accountId: parent } : {}),
  };
}

/**
 * Each account's company domains: of its website, its e-mail address and its contacts' addresses, leaving
 * out free-mail providers and our own domains.
 */
function accountDomains(
  accounts: readonly Row[],
  contacts: DirectoryData["contacts"],
  config: InsightConfig,
): Map<string, Set<string>> {
  const domainsByAccount = new Map<string, Set<string>>();
  const addDomain = (accountId: string, domain: string | undefined): void => {
    if (!domain || isFreeMailDomain(domain, config) || config.orgDomains.includes(domain)) return;
    let set = domainsByAccount.get(accountId);
    if (!set) domainsByAccount.set(accountId, (set = new Set()));
    set.add(domain);
  };
  for (const a of accounts) {
    const accountId = id(a["accountid"]) ?? "";
    addDomain(accountId, domainOfWebsite(str(a["websiteurl"])));
    addDomain(accountId, domainOf(str(a["emailaddress1"])?.toLowerCase() ?? ""));
  }
  for (const c of contacts) if (c.accountId) for (const e of c.emails) addDomain(c.accountId, domainOf(e));
  return domainsByAccount;
}

function accountOf(
  a: Row,
  domainsByAccount: ReadonlyMap<string, Set<string>>,
): DirectoryData["accounts"][number] {
  const accountId = id(a["accountid"]) ?? "";
  const parent = id(a["_parentaccountid_value"]);
  const primary = id(a["_primarycontactid_value"]);
  return {
    id: accountId,
    name: str(a["name"]) ?? "",
    domains: [...(domainsByAccount.get(accountId) ?? [])].sort(),
    ...(parent ? { parentAccountId: parent } : {}),
    ...(primary ? { primaryContactId: primary } : {}),
    ...accountSize(a),
  };
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** An account's industry and head count, where set (similar won deals compares by them). */
function accountSize(a: Row): { industry?: number; employees?: number } {
  const industry = num(a["industrycode"]);
  const employees = num(a["numberofemployees"]);
  return {
    ...(industry !== undefined ? { industry } : {}),
    ...(employees !== undefined ? { employees } : {}),
  };
}

const OUTCOME = { 0: "open", 1: "won", 2: "lost" } as const;

/** An opportunity's life as similar won deals needs it; undefined without a creation date. */
function dealOf(o: Row): OpportunityDeal | undefined {
  const createdOn = str(o["createdon"]);
  const outcome = OUTCOME[(num(o["statecode"]) ?? 0) as keyof typeof OUTCOME];
  if (!createdOn || !outcome) return undefined;
  const closedOn = str(o["actualclosedate"]);
  const amount = num(outcome === "won" ? o["actualvalue"] : undefined) ?? num(o["estimatedvalue"]);
  const stage = num(o["salesstage"]);
  return {
    outcome,
    createdOn,
    ...(closedOn && outcome !== "open" ? { closedOn } : {}),
    ...(amount !== undefined ? { amount } : {}),
    ...(stage !== undefined ? { stage } : {}),
  };
}

function leadOf(l: Row): DirectoryData["leads"][number] {
  const account = id(l["_parentaccountid_value"]);
  const owner = id(l["_ownerid_value"]);
  return {
    id: id(l["leadid"]) ?? "",
    name: str(l["fullname"]) ?? str(l["companyname"]) ?? "",
    emails: emails(l, EMAIL_COLUMNS),
    ...(str(l["companyname"]) ? { companyName: str(l["companyname"]) } : {}),
    ...(account ? { accountId: account } : {}),
    ...(owner ? { ownerId: owner } : {}),
    open: (l["statecode"] ?? 0) === 0,
  };
}

/**
 * An opportunity: its account (the parent account, else an account customer); its contacts (parent
 * contact, contact customer, then its stakeholders); its owner, and its sales team when it has one.
 */
function opportunityOf(
  o: Row,
  people: ReadonlyMap<string, OpportunityPeople>,
): DirectoryData["opportunities"][number] {
  const opportunityId = id(o["opportunityid"]) ?? "";
  const connected = people.get(opportunityId);
  const customer = id(o["_customerid_value"]);
  const customerType = o["_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"];
  const account = id(o["_parentaccountid_value"]) ?? (customerType === "account" ? customer : undefined);
  const contactIds = [
    id(o["_parentcontactid_value"]),
    customerType === "contact" ? customer : undefined,
    ...(connected?.contactIds ?? []),
  ].filter((x): x is string => x !== undefined);
  const owner = id(o["_ownerid_value"]);
  const team = connected?.userIds ?? [];
  const deal = dealOf(o);
  return {
    id: opportunityId,
    name: str(o["name"]) ?? "",
    contactIds: [...new Set(contactIds)],
    ...(account ? { accountId: account } : {}),
    ...(owner ? { ownerId: owner } : {}),
    ...(team.length ? { teamUserIds: [...team] } : {}),
    open: (o["statecode"] ?? 0) === 0,
    ...(deal ? { deal } : {}),
  };
}

/** Records (by id) whose lookup to their insight row is already set. */
export function linkedRecords(rows: CrmRows): Set<string> {
  const out = new Set<string>();
  for (const [list, key] of [
    [rows.contacts, "contactid"],
    [rows.leads, "leadid"],
    [rows.accounts, "accountid"],
    [rows.opportunities, "opportunityid"],
  ] as const)
    for (const r of list) {
      const rid = id(r[key]);
      if (rid && id(r["_rp_relationshipinsightid_value"])) out.add(rid);
    }
  return out;
}
