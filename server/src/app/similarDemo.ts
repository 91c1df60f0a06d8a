import { resolveConfig } from "../core/config";
import {
  computeInsights,
  dealFactsOf,
  type DealHistory,
  dealHistory,
  scopeInteractions,
} from "../core/insights";
import { DAY_MS } from "../core/time";
import { type CrmRows, directoryFromRows, type Row } from "../dataverse/read/directoryFromRows";
import { opportunityPeople, opportunityRoles } from "../dataverse/read/opportunityPeople";
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
  const people = opportunityPeople(opportunityRoles(crm.connectionroles), crm.connections.map(asRead));
  const directory = directoryFromRows(crmRows(crm), config, people);
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
/** Polymorphic lookups: the navigation property names the table (`customerid_account`, `record2id_contact`). */
const POLYMORPHIC =
  /^(parentcustomerid|customerid|record1id|record2id)_(account|contact|opportunity|systemuser)$/;

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
    const customer = POLYMORPHIC.exec(nav);
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
