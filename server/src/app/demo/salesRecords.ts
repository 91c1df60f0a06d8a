import { DAY_MS, isoDate } from "../../core/time";
import { CONNECTION_ROLE_CATEGORY } from "../../dataverse/model";
import { byInvolvement, type Deal, type Involvement, STAKEHOLDER_CAP, TEAM_CAP } from "./salesHistory";
import { stableGuid } from "./stableGuid";

/** A row as the Web API takes it (demoCrm.ts's WriteRow, repeated here to keep the import one way). */
type Row = Record<string, string | number | boolean | null>;

/**
 * The deals as Dataverse records (docs/demo-crm.md, "Sales history"): opportunities, their connection
 * roles and connections (sales team and stakeholders), and how each closed one is closed.
 */
export const STAKEHOLDER_ROLES = [
  "Stakeholder",
  "Decision Maker",
  "Influencer",
  "Economic Buyer",
  "Technical Buyer",
  "Champion",
] as const;
export const SALES_TEAM_ROLES = [
  "Sales Team Member",
  "Sales Professional",
  "Technical Sales Professional",
] as const;
export type StakeholderRole = (typeof STAKEHOLDER_ROLES)[number];
export type SalesTeamRole = (typeof SALES_TEAM_ROLES)[number];

export const connectionRoleId = (name: StakeholderRole | SalesTeamRole): string =>
  stableGuid(`connectionrole:${name}`);

/** The WinOpportunity / LoseOpportunity request closing a deal (shapes in Microsoft's Web API reference). */
export interface CloseRequest {
  opportunityid: string;
  action: "WinOpportunity" | "LoseOpportunity";
  /** 3 Won; 4 Canceled or 5 Out-Sold. */
  status: 3 | 4 | 5;
  subject: string;
  actualrevenue: number;
  /** ISO instant of the deal's last exchange. */
  actualend: string;
}

export interface SalesRecords {
  connectionroles: Row[];
  opportunities: Row[];
  connections: Row[];
  closes: CloseRequest[];
}

export interface SalesIds {
  accountIdOfDomain: ReadonlyMap<string, string>;
  /** The contact id of a CRM record's address, undefined when the address is no contact. */
  contactIdOf: (address: string) => string | undefined;
  companyName: (domain: string) => string;
  industryOf: (domain: string) => number | undefined;
}

/** Estimated value in round bands of the deal's exchanges: <5 25k, <10 50k, <20 100k, <40 250k, else 500k. */
export function valueOf(exchanges: number): number {
  if (exchanges < 5) return 25_000;
  if (exchanges < 10) return 50_000;
  if (exchanges < 20) return 100_000;
  if (exchanges < 40) return 250_000;
  return 500_000;
}

/** An open deal's stage by its age: under 30 days Qualify, 60 Develop, 90 Propose, then Close. */
const OPEN_STAGES = [
  { maxDays: 30, stage: 0, probability: 10, closeInDays: 90 },
  { maxDays: 60, stage: 1, probability: 30, closeInDays: 60 },
  { maxDays: 90, stage: 2, probability: 60, closeInDays: 30 },
  { maxDays: Infinity, stage: 3, probability: 80, closeInDays: 14 },
] as const;

/** What the deal is about, by the company's industry (Utility alternates power and gas by the deal's id). */
function productOf(industry: number | undefined, id: string): string {
  if (industry === 31) return parseInt(id.slice(0, 2), 16) % 2 ? "power supply" : "gas supply";
  if (industry === 24) return "gas transport";
  if (industry === 16 || industry === 20) return "risk management";
  return "energy services";
}

const quarter = (at: number): string => {
  const d = new Date(at);
  return `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
};

/**
 * A stakeholder's role, first rule that holds: the most involved → Decision Maker; the one who wrote the
 * company's last message → Economic Buyer (the sign-off); wrote to two colleagues or more → Champion;
 * wrote and was written to → Technical Buyer; only copied → Influencer; else Stakeholder.
 */
export function stakeholderRole(rank: number, address: string, v: Involvement, deal: Deal): StakeholderRole {
  if (rank === 0) return "Decision Maker";
  if (address === deal.lastWriter) return "Economic Buyer";
  if (v.wroteTo >= 2) return "Champion";
  if (v.wrote > 0 && v.to > 0) return "Technical Buyer";
  if (v.wrote === 0 && v.to === 0) return "Influencer";
  return "Stakeholder";
}

/** A sales team member's role: wrote to the company → Sales Professional; only copied → Technical Sales Professional; else Sales Team Member. */
export function salesTeamRole(v: Involvement): SalesTeamRole {
  if (v.wrote > 0) return "Sales Professional";
  if (v.to === 0) return "Technical Sales Professional";
  return "Sales Team Member";
}

/** The deals' records, in deal order. */
export function salesRecords(deals: readonly Deal[], ids: SalesIds, now: number): SalesRecords {
  const connectionroles: Row[] = [
    ...STAKEHOLDER_ROLES.map((name) => ({ name, category: CONNECTION_ROLE_CATEGORY.stakeholder })),
    ...SALES_TEAM_ROLES.map((name) => ({ name, category: CONNECTION_ROLE_CATEGORY.salesTeam })),
  ].map((r) => ({ connectionroleid: connectionRoleId(r.name), ...r }));
  const out: SalesRecords = { connectionroles, opportunities: [], connections: [], closes: [] };
  const names = new Map<string, number>();
  for (const deal of deals) {
    const accountId = ids.accountIdOfDomain.get(deal.domain);
    if (!accountId) throw new Error(`Sales history: the deal's company has no account (${deal.domain})`);
    const id = stableGuid(`opportunity:${deal.domain}:${isoDate(deal.start)}`);
    const base = `${ids.companyName(deal.domain)} – ${productOf(ids.industryOf(deal.domain), id)} ${quarter(deal.start)}`;
    const seen = (names.get(base) ?? 0) + 1;
    names.set(base, seen);
    const name = seen > 1 ? `${base} (${seen})` : base;
    out.opportunities.push(opportunityRow(deal, { id, name, accountId }, ids, now));
    out.connections.push(...connectionRows(deal, id, ids));
    if (deal.outcome !== "open") out.closes.push(closeOf(deal, id, name));
  }
  return out;
}

function opportunityRow(
  deal: Deal,
  o: { id: string; name: string; accountId: string },
  ids: SalesIds,
  now: number,
): Row {
  const records = byInvolvement(deal.people).filter((a) => ids.contactIdOf(a));
  // The customer contact: the record the colleagues wrote to most in the window.
  const contact = [...records].sort((a, b) => deal.people.get(b)!.to - deal.people.get(a)!.to)[0];
  const owner = byInvolvement(deal.colleagues)[0];
  const open = OPEN_STAGES.find((s) => now - deal.start < s.maxDays * DAY_MS)!;
  return {
    opportunityid: o.id,
    name: o.name,
    "parentaccountid@odata.bind": `/accounts(${o.accountId})`,
    "customerid_account@odata.bind": `/accounts(${o.accountId})`,
    ...(contact ? { "parentcontactid@odata.bind": `/contacts(${ids.contactIdOf(contact)!})` } : {}),
    ...(owner ? { "ownerid@odata.bind": `/systemusers(${owner})` } : {}),
    estimatedvalue: valueOf(deal.exchanges),
    estimatedclosedate: isoDate(
      deal.outcome === "open" ? now + open.closeInDays * DAY_MS : deal.start + 60 * DAY_MS,
    ),
    salesstage: deal.outcome === "open" ? open.stage : 3,
    closeprobability: deal.outcome === "open" ? open.probability : deal.outcome === "won" ? 100 : 0,
    overriddencreatedon: new Date(deal.start).toISOString(),
    statecode: 0,
    statuscode: 1,
  };
}

function connectionRows(deal: Deal, opportunityId: string, ids: SalesIds): Row[] {
  const rows: Row[] = [];
  const connect = (record2: string, role: StakeholderRole | SalesTeamRole) =>
    rows.push({
      connectionid: stableGuid(`connection:${opportunityId}:${record2}`),
      "record1id_opportunity@odata.bind": `/opportunities(${opportunityId})`,
      [record2.startsWith("/contacts") ? "record2id_contact@odata.bind" : "record2id_systemuser@odata.bind"]:
        record2,
      "record2roleid@odata.bind": `/connectionroles(${connectionRoleId(role)})`,
    });
  const [, ...team] = byInvolvement(deal.colleagues);
  for (const user of team.slice(0, TEAM_CAP))
    connect(`/systemusers(${user})`, salesTeamRole(deal.colleagues.get(user)!));
  const records = byInvolvement(deal.people).filter((a) => ids.contactIdOf(a));
  records
    .slice(0, STAKEHOLDER_CAP)
    .forEach((a, rank) =>
      connect(`/contacts(${ids.contactIdOf(a)!})`, stakeholderRole(rank, a, deal.people.get(a)!, deal)),
    );
  return rows;
}

function closeOf(deal: Deal, opportunityId: string, name: string): CloseRequest {
  const won = deal.outcome === "won";
  return {
    opportunityid: opportunityId,
    action: won ? "WinOpportunity" : "LoseOpportunity",
    status: won ? 3 : (deal.lostStatus ?? 4),
    subject: `${won ? "Won" : "Lost"}: ${name}`,
    actualrevenue: won ? valueOf(deal.exchanges) : 0,
    actualend: new Date(deal.end).toISOString(),
  };
}
