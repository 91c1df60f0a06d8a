import { resolveConfig } from "../core/config";
import { type DirectoryData } from "../core/directory";
import {
  computeInsights,
  dealFactsOf,
  type DealHistory,
  dealHistory,
  scopeInteractions,
} from "../core/insights";
import { DAY_MS } from "../core/time";
import { type CrmRows, directoryFromRows, type Row } from "../dataverse/read/directoryFromRows";
import { type DemoCrm, demoCrm } from "./demo/demoCrm";
import { ingestMbox } from "./ingest";
import { buildState } from "./pipeline";

/**
 * The demo org's deals with their activity, as `rapport start` would seed and read them (the evaluation
 * of similar won deals runs on them without a Dataverse endpoint): the mail read, the demo CRM derived
 * from it, its rows turned into what the Web API returns (lookups as _x_value, the closes applied), the
 * directory read from those rows, and each opportunity's interactions by its scope.
 */
export async function demoDeals(
  mbox: string,
  options: { domains: string[]; now?: number },
): Promise<{ deals: DealHistory[]; now: number }> {
  const config = resolveConfig({ orgDomains: options.domains });
  const ingested = await ingestMbox(mbox, {
    config,
    now: options.now ?? Date.now(),
    ...(options.now !== undefined ? { before: options.now } : {}),
  });
  const newest = ingested.interactions.reduce((m, i) => Math.max(m, i.observedAt ?? i.at), 0);
  const now = options.now ?? (Math.floor(newest / DAY_MS) + 1) * DAY_MS;
  const derived = buildState(ingested, config);
  const scores = computeInsights(derived.state, [], now, { detail: "scores" });
  const crm = demoCrm(derived.directory.users, scores.connections, config, now, ingested.interactions);
  const directory = withConnections(directoryFromRows(crmRows(crm), config), crm);
  const built = buildState(ingested, config, directory);
  const accounts = new Map(directory.accounts.map((a) => [a.id, a]));
  const byId = new Map(directory.opportunities.map((o) => [o.id, o]));
  const deals: DealHistory[] = [];
  for (const scope of built.scopes) {
    const o = scope.type === "opportunity" ? byId.get(scope.id) : undefined;
    const facts = o && dealFactsOf(o, o.accountId ? accounts.get(o.accountId) : undefined);
    if (facts) deals.push(dealHistory(facts, scopeInteractions(built.state, scope), config));
  }
  return { deals, now };
}

const BIND = /^\/(\w+)\((.+)\)$/;
const CUSTOMER = /^(parentcustomerid|customerid)_(account|contact)$/;

/** A row as written (`x@odata.bind: "/set(id)"`) as the Web API returns it (`_x_value: id`). */
function asRead(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    const bind = k.endsWith("@odata.bind") && typeof v === "string" ? BIND.exec(v) : null;
    if (!bind) {
      out[k] = v;
      continue;
    }
    const nav = k.slice(0, -"@odata.bind".length);
    const customer = CUSTOMER.exec(nav);
    const column = customer ? customer[1] : nav;
    out[`_${column}_value`] = bind[2];
    if (customer) out[`_${column}_value@Microsoft.Dynamics.CRM.lookuplogicalname`] = customer[2];
  }
  return out;
}

/** The demo CRM's rows as read back: created on its overridden date, closed as WinOpportunity/LoseOpportunity would. */
function crmRows(crm: DemoCrm): CrmRows {
  const primary = new Map(crm.primaryContacts.map((p) => [p.accountid, p.contactid]));
  const closes = new Map(crm.closes.map((c) => [c.opportunityid, c]));
  return {
    systemusers: crm.systemusers,
    contacts: crm.contacts.map(asRead),
    leads: crm.leads.map(asRead),
    accounts: crm.accounts.map((a) => ({
      ...asRead(a),
      _primarycontactid_value: primary.get(String(a["accountid"])) ?? null,
    })),
    opportunities: crm.opportunities.map((o) => {
      const close = closes.get(String(o["opportunityid"]));
      const row: Row = { ...asRead(o), createdon: o["overriddencreatedon"] };
      if (!close) return row;
      return {
        ...row,
        statecode: close.status === 3 ? 1 : 2,
        statuscode: close.status,
        actualclosedate: close.actualend.slice(0, 10),
        actualvalue: close.actualrevenue,
      };
    }),
  };
}

/** Sales team members and stakeholders from the demo's connections (until the directory reader has them). */
function withConnections(directory: DirectoryData, crm: DemoCrm): DirectoryData {
  const team = new Map<string, string[]>();
  const stakeholders = new Map<string, string[]>();
  for (const c of crm.connections.map(asRead)) {
    const opportunity = String(c["_record1id_opportunity_value"] ?? "");
    const user = c["_record2id_systemuser_value"];
    const contact = c["_record2id_contact_value"];
    if (typeof user === "string") team.set(opportunity, [...(team.get(opportunity) ?? []), user]);
    if (typeof contact === "string")
      stakeholders.set(opportunity, [...(stakeholders.get(opportunity) ?? []), contact]);
  }
  return {
    ...directory,
    opportunities: directory.opportunities.map((o) => ({
      ...o,
      contactIds: [...new Set([...o.contactIds, ...(stakeholders.get(o.id) ?? [])])],
      teamUserIds: [...new Set([...(o.teamUserIds ?? []), ...(team.get(o.id) ?? [])])],
    })),
  };
}
