import { resolveConfig } from "../../../server/src/core/config";
import { type CrmRows, directoryFromRows } from "../../../server/src/dataverse/read/directoryFromRows";
import { opportunityPeople, opportunityRoles } from "../../../server/src/dataverse/read/opportunityPeople";

const LOGICAL = "@Microsoft.Dynamics.CRM.lookuplogicalname";
const O1 = "eeeeeeee-eeee-eeee-eeee-eeeeeeeeeee1";
const O2 = "eeeeeeee-eeee-eeee-eeee-eeeeeeeeeee2";
const C1 = "cccccccc-cccc-cccc-cccc-ccccccccccc1";
const C2 = "cccccccc-cccc-cccc-cccc-ccccccccccc2";
const U1 = "11111111-1111-1111-1111-111111111111";
const STAKEHOLDER = "aaaaaaaa-0000-0000-0000-000000001000";
const SALES_TEAM = "aaaaaaaa-0000-0000-0000-000000001001";
const OTHER = "aaaaaaaa-0000-0000-0000-000000000005";

const roles = opportunityRoles([
  { connectionroleid: STAKEHOLDER.toUpperCase(), category: 1000 },
  { connectionroleid: SALES_TEAM, category: 1001 },
  { connectionroleid: OTHER, category: 5 },
  { category: 1000 },
]);

/** A connection row as the Web API returns it with the lookup annotation. */
const row = (
  record1: [string, string],
  record2: [string, string],
  roleId: string | null,
): Record<string, unknown> => ({
  _record1id_value: record1[1],
  [`_record1id_value${LOGICAL}`]: record1[0],
  _record2id_value: record2[1],
  [`_record2id_value${LOGICAL}`]: record2[0],
  _record2roleid_value: roleId,
  [`_record2roleid_value${LOGICAL}`]: roleId ? "connectionrole" : undefined,
});

describe("opportunityRoles", () => {
  test("keeps the Stakeholder and Sales Team roles by lower-cased id, nothing else", () => {
    expect([...roles]).toEqual([
      [STAKEHOLDER, "stakeholder"],
      [SALES_TEAM, "salesTeam"],
    ]);
  });
});

describe("opportunityPeople", () => {
  test("stakeholders are contacts, the sales team users, each once, sorted", () => {
    const people = opportunityPeople(roles, [
      row(["opportunity", O1], ["contact", C2], STAKEHOLDER),
      row(["opportunity", O1.toUpperCase()], ["contact", C1.toUpperCase()], STAKEHOLDER),
      row(["opportunity", O1], ["contact", C1], STAKEHOLDER),
      row(["opportunity", O1], ["systemuser", U1], SALES_TEAM),
    ]);
    expect([...people]).toEqual([[O1, { contactIds: [C1, C2], userIds: [U1] }]]);
  });

  test("the reciprocal copy (record1 the person) and connections between other records do not count", () => {
    const people = opportunityPeople(roles, [
      row(["contact", C1], ["opportunity", O1], STAKEHOLDER),
      row(["account", O2], ["contact", C1], STAKEHOLDER),
      row(["opportunity", O2], ["account", C1], STAKEHOLDER),
    ]);
    expect(people.size).toBe(0);
  });

  test("a contact in a Sales Team role, a user in a Stakeholder role, other roles and no role do not count", () => {
    const people = opportunityPeople(roles, [
      row(["opportunity", O1], ["contact", C1], SALES_TEAM),
      row(["opportunity", O1], ["systemuser", U1], STAKEHOLDER),
      row(["opportunity", O1], ["contact", C2], OTHER),
      row(["opportunity", O1], ["contact", C2], null),
    ]);
    expect(people.size).toBe(0);
  });

  test("a row without the lookup's table annotation is not guessed at", () => {
    const people = opportunityPeople(roles, [
      { _record1id_value: O1, _record2id_value: C1, _record2roleid_value: STAKEHOLDER },
    ]);
    expect(people.size).toBe(0);
  });

  test("no connections, no people", () => {
    expect(opportunityPeople(roles, []).size).toBe(0);
    expect(opportunityPeople(new Map(), [row(["opportunity", O1], ["contact", C1], STAKEHOLDER)]).size).toBe(
      0,
    );
  });
});

describe("directoryFromRows with an opportunity's people", () => {
  const config = resolveConfig({ orgDomains: ["contoso.com"] });
  const rows: CrmRows = {
    systemusers: [],
    accounts: [],
    contacts: [],
    leads: [],
    opportunities: [
      {
        opportunityid: O1,
        name: "Deal",
        _customerid_value: C1,
        [`_customerid_value${LOGICAL}`]: "contact",
        _ownerid_value: U1,
      },
      { opportunityid: O2, name: "Other deal", _ownerid_value: U1 },
    ],
  };

  test("adds the stakeholders after the customer contact (once) and the sales team", () => {
    const people = new Map([
      [O1, { contactIds: [C1, C2], userIds: ["22222222-2222-2222-2222-222222222222"] }],
    ]);
    const [deal, other] = directoryFromRows(rows, config, people).opportunities;
    expect(deal).toMatchObject({
      contactIds: [C1, C2],
      ownerId: U1,
      teamUserIds: ["22222222-2222-2222-2222-222222222222"],
    });
    expect(other?.contactIds).toEqual([]);
    expect(other).not.toHaveProperty("teamUserIds");
  });

  test("without connections the opportunities are as before (no empty sales team)", () => {
    expect(directoryFromRows(rows, config).opportunities).toEqual(
      directoryFromRows(rows, config, new Map()).opportunities,
    );
    expect(directoryFromRows(rows, config).opportunities[0]).not.toHaveProperty("teamUserIds");
  });
});
