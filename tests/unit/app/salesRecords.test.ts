import { employeesOf, industryOf } from "../../../server/src/app/demo/accountProfile";
import type { Deal, Involvement } from "../../../server/src/app/demo/salesHistory";
import {
  connectionRoleId,
  salesRecords,
  salesTeamRole,
  stakeholderRole,
  valueOf,
} from "../../../server/src/app/demo/salesRecords";
import { DAY_MS } from "../../../server/src/core/time";

// The deals as Dataverse records: roles, value bands, stages, closes (docs/demo-crm.md, "Sales history").

const v = (wrote: number, to: number, cc: number, wroteTo = wrote ? 1 : 0): Involvement => ({
  wrote,
  to,
  cc,
  wroteTo,
});
const T0 = Date.UTC(2001, 6, 2);
const deal = (over: Partial<Deal> = {}): Deal => ({
  domain: "acme.com",
  start: T0,
  end: T0 + 10 * DAY_MS,
  exchanges: 12,
  outcome: "won",
  colleagues: new Map([
    ["U1", v(5, 2, 0)],
    ["U2", v(0, 0, 3)],
    ["U3", v(0, 2, 0)],
  ]),
  people: new Map([
    ["carl@acme.com", v(4, 5, 0, 1)],
    ["dora@acme.com", v(1, 1, 0, 1)],
    ["eve@acme.com", v(0, 0, 2)],
    ["finn@acme.com", v(2, 0, 0, 2)],
    ["gus@acme.com", v(0, 1, 0)],
  ]),
  lastWriter: "dora@acme.com",
  ...over,
});
const ids = {
  accountIdOfDomain: new Map([["acme.com", "A-1"]]),
  contactIdOf: (a: string) => (a === "nobody@acme.com" ? undefined : `C-${a.slice(0, a.indexOf("@"))}`),
  companyName: () => "Acme",
  industryOf: () => 31,
};

describe("roles", () => {
  test("stakeholders: Decision Maker, Economic Buyer, Champion, Technical Buyer, Influencer, Stakeholder", () => {
    const d = deal();
    const role = (rank: number, a: string) => stakeholderRole(rank, a, d.people.get(a)!, d);
    expect(role(0, "carl@acme.com")).toBe("Decision Maker");
    expect(role(1, "dora@acme.com")).toBe("Economic Buyer");
    expect(role(2, "finn@acme.com")).toBe("Champion");
    expect(stakeholderRole(1, "dora@acme.com", v(1, 1, 0), deal({ lastWriter: undefined }))).toBe(
      "Technical Buyer",
    );
    expect(role(3, "eve@acme.com")).toBe("Influencer");
    expect(role(4, "gus@acme.com")).toBe("Stakeholder");
  });

  test("sales team: wrote → Sales Professional, only copied → Technical Sales Professional, else Sales Team Member", () => {
    expect(salesTeamRole(v(1, 0, 0))).toBe("Sales Professional");
    expect(salesTeamRole(v(0, 0, 3))).toBe("Technical Sales Professional");
    expect(salesTeamRole(v(0, 2, 1))).toBe("Sales Team Member");
  });
});

test("value bands of the exchanges", () => {
  expect([3, 4, 5, 9, 10, 19, 20, 39, 40, 400].map(valueOf)).toEqual([
    25_000, 25_000, 50_000, 50_000, 100_000, 100_000, 250_000, 250_000, 500_000, 500_000,
  ]);
});

describe("salesRecords", () => {
  test("a won deal: owner the top writer, team without the owner (most involved first), stakeholders capped at 5, closed by WinOpportunity", () => {
    const r = salesRecords([deal()], ids, T0 + 400 * DAY_MS);
    const [o] = r.opportunities;
    expect(o).toMatchObject({
      name: expect.stringMatching(/^Acme – (gas|power) supply 2001 Q3$/),
      "customerid_account@odata.bind": "/accounts(A-1)",
      "ownerid@odata.bind": "/systemusers(U1)",
      // The contact the colleagues wrote to most.
      "parentcontactid@odata.bind": "/contacts(C-carl)",
      estimatedvalue: 100_000,
      salesstage: 3,
      closeprobability: 100,
      overriddencreatedon: new Date(T0).toISOString(),
      estimatedclosedate: "2001-08-31",
    });
    const team = r.connections.filter((c) => c["record2id_systemuser@odata.bind"]);
    expect(team.map((c) => [c["record2id_systemuser@odata.bind"], c["record2roleid@odata.bind"]])).toEqual([
      ["/systemusers(U2)", `/connectionroles(${connectionRoleId("Technical Sales Professional")})`],
      ["/systemusers(U3)", `/connectionroles(${connectionRoleId("Sales Team Member")})`],
    ]);
    expect(r.connections.filter((c) => c["record2id_contact@odata.bind"])).toHaveLength(5);
    expect(r.closes).toEqual([
      {
        opportunityid: o!["opportunityid"],
        action: "WinOpportunity",
        status: 3,
        subject: `Won: ${String(o!["name"])}`,
        actualrevenue: 100_000,
        actualend: new Date(T0 + 10 * DAY_MS).toISOString(),
      },
    ]);
  });

  test("a lost deal closes by LoseOpportunity with its reason and no revenue; an open one by age has a stage", () => {
    const lost = salesRecords([deal({ outcome: "lost", lostStatus: 5 })], ids, T0 + 400 * DAY_MS);
    expect(lost.closes[0]).toMatchObject({ action: "LoseOpportunity", status: 5, actualrevenue: 0 });
    expect(lost.opportunities[0]).toMatchObject({ closeprobability: 0, salesstage: 3 });
    const now = T0 + 45 * DAY_MS;
    const open = salesRecords([deal({ outcome: "open" })], ids, now);
    expect(open.closes).toEqual([]);
    expect(open.opportunities[0]).toMatchObject({
      salesstage: 1,
      closeprobability: 30,
      statecode: 0,
      statuscode: 1,
    });
  });

  test("two deals of a company in one quarter get distinct names; a deal without an account is an error naming it", () => {
    const financial = { ...ids, industryOf: () => 16 };
    const r = salesRecords([deal(), deal({ start: T0 + 30 * DAY_MS })], financial, T0 + 400 * DAY_MS);
    expect(r.opportunities.map((o) => o["name"])).toEqual([
      "Acme – risk management 2001 Q3",
      "Acme – risk management 2001 Q3 (2)",
    ]);
    expect(() => salesRecords([deal({ domain: "zeta.com" })], ids, T0)).toThrow("no account (zeta.com)");
  });
});

describe("account profile", () => {
  test("industry by the domain's keywords, else none", () => {
    expect(industryOf("cinergy.com")).toBe(31);
    expect(industryOf("ci.glendale.ca.us")).toBe(31);
    expect(industryOf("csfb.com")).toBe(16);
    expect(industryOf("jonesday.com")).toBe(21);
    expect(industryOf("conoco.com")).toBe(24);
    expect(industryOf("us.pwcglobal.com")).toBe(1);
    expect(industryOf("xemkt.com")).toBeUndefined();
  });

  test("employee bands of the people seen", () => {
    expect([1, 2, 3, 5, 6, 10, 11, 25, 26].map(employeesOf)).toEqual([
      50, 50, 250, 250, 1_000, 1_000, 5_000, 5_000, 20_000,
    ]);
  });
});
