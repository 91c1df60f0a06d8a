import { type DemoCrm, demoCrm } from "../../../server/src/app/demo/demoCrm";
import { DEAL_RULES, deriveDeals } from "../../../server/src/app/demo/salesHistory";
import {
  connectionRoleId,
  SALES_TEAM_ROLES,
  STAKEHOLDER_ROLES,
} from "../../../server/src/app/demo/salesRecords";
import { stableGuid } from "../../../server/src/app/demo/stableGuid";
import { ingestMbox } from "../../../server/src/app/ingest";
import { buildState } from "../../../server/src/app/pipeline";
import { SAMPLE_DIR } from "../../../server/src/app/start";
import { resolveConfig } from "../../../server/src/core/config";
import { computeInsights } from "../../../server/src/core/insights";
import type { Interaction } from "../../../server/src/core/interaction";
import { DAY_MS } from "../../../server/src/core/time";

// The demo org's sales history (docs/demo-crm.md, "Sales history"): the rules on small cases, then what
// they give on the bundled sample.

const T0 = Date.UTC(2001, 0, 1);
const day = (n: number) => T0 + n * DAY_MS;
const users = new Map([
  ["ann@enron.com", "U-ann"],
  ["bob@enron.com", "U-bob"],
]);
type Mail = Pick<Interaction, "at" | "from" | "to" | "cc" | "bcc" | "recipientCount">;
const mail = (at: number, from: string, to: string[], cc: string[] = []): Mail => ({
  at,
  from,
  to,
  cc,
  bcc: [],
  recipientCount: to.length + cc.length,
});
const NOW = day(400);
const records = new Set(["carl@acme.com", "dora@acme.com"]);

describe("deriveDeals (small cases)", () => {
  const burst = (start: number): Mail[] => [
    mail(day(start), "ann@enron.com", ["carl@acme.com"]),
    mail(day(start + 5), "carl@acme.com", ["ann@enron.com"], ["bob@enron.com"]),
    mail(day(start + 10), "ann@enron.com", ["carl@acme.com", "dora@acme.com"]),
  ];

  test("a burst of three two-way exchanges is a deal spanning them; a gap over GAP_DAYS starts another", () => {
    const deals = deriveDeals({
      userIdOf: users,
      records,
      interactions: [...burst(0), ...burst(40)],
      now: NOW,
    });
    expect(deals.map((d) => [d.domain, d.start, d.end, d.exchanges])).toEqual([
      ["acme.com", day(0), day(10), 3],
      ["acme.com", day(40), day(50), 3],
    ]);
    const [first] = deals;
    expect([...first!.colleagues.keys()].sort()).toEqual(["U-ann", "U-bob"]);
    expect(first!.colleagues.get("U-bob")).toEqual({ wrote: 0, to: 0, cc: 1, wroteTo: 0 });
    expect(first!.people.get("carl@acme.com")).toEqual({ wrote: 1, to: 2, cc: 0, wroteTo: 2 });
    expect(first!.lastWriter).toBe("carl@acme.com");
  });

  test("won when mail follows within REPEAT_DAYS; lost Out-Sold when only later, Canceled when never", () => {
    const won = deriveDeals({
      userIdOf: users,
      records,
      interactions: [...burst(0), ...burst(100)],
      now: NOW,
    });
    expect(won.map((d) => d.outcome)).toEqual(["won", "lost"]);
    expect(won[1]!.lostStatus).toBe(4);
    const outSold = deriveDeals({
      userIdOf: users,
      records,
      interactions: [...burst(0), ...burst(200)],
      now: NOW,
    });
    expect(outSold.map((d) => [d.outcome, d.lostStatus])).toEqual([
      ["lost", 5],
      ["lost", 4],
    ]);
  });

  test("a deal ending within OPEN_DAYS of now is open", () => {
    const deals = deriveDeals({ userIdOf: users, records, interactions: burst(380), now: NOW });
    expect(deals.map((d) => d.outcome)).toEqual(["open"]);
  });

  test("one-way mail, mass mail and companies without a CRM record make no deal", () => {
    const oneWay = [0, 5, 10].map((n) => mail(day(n), "ann@enron.com", ["carl@acme.com"]));
    const many = Array.from({ length: DEAL_RULES.MAX_RECIPIENTS }, (_, i) => `x${i}@other.com`);
    const mass = burst(0).map((m) => ({ ...m, recipientCount: DEAL_RULES.MAX_RECIPIENTS + 1, cc: many }));
    const stranger = burst(0).map((m) => ({
      ...m,
      from: m.from.replace("acme.com", "zeta.com"),
      to: m.to.map((a) => a.replace("acme.com", "zeta.com")),
    }));
    for (const interactions of [oneWay, mass, stranger])
      expect(deriveDeals({ userIdOf: users, records, interactions, now: NOW })).toEqual([]);
  });

  test("the same mail in any order gives the same deals", () => {
    const all = [...burst(0), ...burst(40), ...burst(380)];
    const a = deriveDeals({ userIdOf: users, records, interactions: all, now: NOW });
    const b = deriveDeals({ userIdOf: users, records, interactions: [...all].reverse(), now: NOW });
    expect(b).toEqual(a);
  });
});

describe("the sales history of the bundled sample", () => {
  const config = resolveConfig({ orgDomains: ["enron.com"] });
  const SAMPLE_NOW = Date.UTC(2002, 0, 1);
  let crm: DemoCrm;
  let again: DemoCrm;
  let interactions: readonly Interaction[];
  let emailsOf: Map<string, string[]>;

  beforeAll(async () => {
    const ingested = await ingestMbox(SAMPLE_DIR, { config, now: SAMPLE_NOW });
    interactions = ingested.interactions;
    const derived = buildState(ingested, config);
    const connections = computeInsights(derived.state, [], SAMPLE_NOW, { detail: "scores" }).connections;
    const users = derived.directory.users;
    crm = demoCrm(users, connections, config, SAMPLE_NOW, interactions);
    again = demoCrm(users, [...connections].reverse(), config, SAMPLE_NOW, [...interactions].reverse());
    emailsOf = new Map(users.map((u) => [stableGuid(`user:${u.emails[0] ?? ""}`), [...u.emails]]));
  }, 60_000);

  test("at least 30 won, 30 lost and 10 open, each closed once", () => {
    const won = crm.closes.filter((c) => c.action === "WinOpportunity").length;
    const lost = crm.closes.filter((c) => c.action === "LoseOpportunity").length;
    expect(won).toBeGreaterThanOrEqual(30);
    expect(lost).toBeGreaterThanOrEqual(30);
    expect(crm.opportunities.length - won - lost).toBeGreaterThanOrEqual(10);
    expect(new Set(crm.closes.map((c) => c.opportunityid)).size).toBe(crm.closes.length);
    expect(new Set(crm.opportunities.map((o) => o["name"])).size).toBe(crm.opportunities.length);
  });

  test("is deterministic: the same records whatever the order of the mail", () => {
    expect(JSON.stringify(again)).toBe(JSON.stringify(crm));
  });

  test("every deal's dates are inside the mail, created before it closes", () => {
    const first = Math.min(...interactions.map((i) => i.at));
    const last = Math.max(...interactions.map((i) => i.at));
    const endOf = new Map(crm.closes.map((c) => [c.opportunityid, Date.parse(c.actualend)]));
    for (const o of crm.opportunities) {
      const start = Date.parse(String(o["overriddencreatedon"]));
      const end = endOf.get(String(o["opportunityid"])) ?? last;
      expect(start).toBeGreaterThanOrEqual(first);
      expect(end).toBeLessThanOrEqual(last);
      expect(start).toBeLessThanOrEqual(end);
    }
  });

  test("every owner, sales team member and stakeholder wrote or was written in the deal's window", () => {
    const endOf = new Map(crm.closes.map((c) => [c.opportunityid, Date.parse(c.actualend)]));
    const domainOf = new Map(
      crm.accounts.map((a) => [`/accounts(${String(a["accountid"])})`, String(a["websiteurl"]).slice(12)]),
    );
    const contactAddress = new Map(
      crm.contacts.map((c) => [`/contacts(${String(c["contactid"])})`, String(c["emailaddress1"])]),
    );
    const colleague = new Set([...emailsOf.values()].flat());
    const took = (who: readonly string[], other: (a: string) => boolean, from: number, to: number) =>
      interactions.some((i) => {
        if (i.at < from || i.at > to) return false;
        const recipients = [...i.to, ...i.cc, ...i.bcc];
        return (
          (who.includes(i.from) && recipients.some(other)) ||
          (other(i.from) && recipients.some((a) => who.includes(a)))
        );
      });
    const checked = { owners: 0, team: 0, stakeholders: 0 };
    for (const o of crm.opportunities) {
      const id = String(o["opportunityid"]);
      const start = Date.parse(String(o["overriddencreatedon"]));
      const end = endOf.get(id) ?? SAMPLE_NOW;
      const domain = domainOf.get(String(o["parentaccountid@odata.bind"]))!;
      const atCompany = (a: string) => a.endsWith(`@${domain}`);
      const owner = emailsOf.get(/\(([^)]+)\)/.exec(String(o["ownerid@odata.bind"]))![1]!)!;
      expect(took(owner, atCompany, start, end)).toBe(true);
      checked.owners++;
      for (const c of crm.connections.filter(
        (x) => x["record1id_opportunity@odata.bind"] === `/opportunities(${id})`,
      )) {
        const user = c["record2id_systemuser@odata.bind"];
        if (user) {
          expect(took(emailsOf.get(/\(([^)]+)\)/.exec(String(user))![1]!)!, atCompany, start, end)).toBe(
            true,
          );
          checked.team++;
        } else {
          const address = contactAddress.get(String(c["record2id_contact@odata.bind"]))!;
          expect(atCompany(address)).toBe(true);
          expect(took([address], (a) => colleague.has(a), start, end)).toBe(true);
          checked.stakeholders++;
        }
      }
    }
    expect(checked.owners).toBe(crm.opportunities.length);
    expect(checked.stakeholders).toBeGreaterThanOrEqual(crm.opportunities.length);
    expect(checked.team).toBeGreaterThan(0);
  });

  test("connections use the seeded roles: stakeholders for contacts, sales team for users", () => {
    const stakeholder = new Set(STAKEHOLDER_ROLES.map(connectionRoleId));
    const team = new Set(SALES_TEAM_ROLES.map(connectionRoleId));
    expect(crm.connectionroles.map((r) => r["connectionroleid"])).toEqual([...stakeholder, ...team]);
    for (const c of crm.connections) {
      const role = /\(([^)]+)\)/.exec(String(c["record2roleid@odata.bind"]))![1]!;
      expect(c["record2id_contact@odata.bind"] ? stakeholder.has(role) : team.has(role)).toBe(true);
    }
  });

  test("every deal's company is an account with a size; known industries by keyword", () => {
    const accounts = new Set(crm.accounts.map((a) => `/accounts(${String(a["accountid"])})`));
    for (const o of crm.opportunities)
      expect(accounts.has(String(o["customerid_account@odata.bind"]))).toBe(true);
    for (const a of crm.accounts) expect(a["numberofemployees"]).toBeGreaterThan(0);
    const cinergy = crm.accounts.find((a) => a["name"] === "Cinergy");
    expect(cinergy?.["industrycode"]).toBe(31);
  });
});
