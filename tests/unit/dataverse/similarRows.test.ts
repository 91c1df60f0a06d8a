import { choiceValue, type SimilarDealsJson } from "@rapport/model";

import { resolveConfig } from "../../../server/src/core/config";
import { type DirectoryData, EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { RelationshipState } from "../../../server/src/core/engine/state";
import { computeInsights, type RecordInsight } from "../../../server/src/core/insights";
import type { Interaction } from "../../../server/src/core/interaction";
import { insightRow } from "../../../server/src/dataverse/publish/insightRows";
import { type CrmRows, directoryFromRows } from "../../../server/src/dataverse/read/directoryFromRows";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const A1 = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
const O1 = "eeeeeeee-eeee-eeee-eeee-eeeeeeeeeee1";
const O2 = "eeeeeeee-eeee-eeee-eeee-eeeeeeeeeee2";
const O3 = "eeeeeeee-eeee-eeee-eeee-eeeeeeeeeee3";

describe("similar won deals: what is read from Dataverse", () => {
  const rows: CrmRows = {
    systemusers: [],
    contacts: [],
    leads: [],
    accounts: [{ accountid: A1, name: "Fabrikam", industrycode: 7, numberofemployees: 120 }],
    opportunities: [
      {
        opportunityid: O1,
        name: "Won",
        _parentaccountid_value: A1,
        statecode: 1,
        createdon: "2001-01-02T10:00:00Z",
        actualclosedate: "2001-03-01",
        actualvalue: 42_000,
        estimatedvalue: 50_000,
        salesstage: 3,
      },
      { opportunityid: O2, name: "Open", statecode: 0, createdon: "2001-02-01T00:00:00Z", estimatedvalue: 9 },
      { opportunityid: O3, name: "No date", statecode: 2 },
    ],
  };
  const d = directoryFromRows(rows, config);

  test("an opportunity's outcome, dates, amount (actual when won) and stage; its account's industry and size", () => {
    expect(d.opportunities[0]?.deal).toEqual({
      outcome: "won",
      createdOn: "2001-01-02T10:00:00Z",
      closedOn: "2001-03-01",
      amount: 42_000,
      stage: 3,
    });
    expect(d.opportunities[1]?.deal).toEqual({
      outcome: "open",
      createdOn: "2001-02-01T00:00:00Z",
      amount: 9,
    });
    expect(d.opportunities[2]?.deal).toBeUndefined();
    expect(d.accounts[0]).toMatchObject({ industry: 7, employees: 120 });
  });
});

describe("similar won deals: computed for open opportunities and published", () => {
  const directory: DirectoryData = {
    ...EMPTY_DIRECTORY,
    users: [{ id: "u", name: "Ann", emails: ["ann@contoso.com"] }],
    contacts: [{ id: "c", name: "X", emails: ["x@fabrikam.com"] }],
    opportunities: [
      {
        id: O1,
        name: "Won",
        contactIds: ["c"],
        open: false,
        deal: { outcome: "won", createdOn: "2001-01-01", closedOn: "2001-02-01" },
      },
      { id: O2, name: "Open", contactIds: ["c"], deal: { outcome: "open", createdOn: "2001-03-01" } },
      { id: O3, name: "Unknown", contactIds: ["c"] },
    ],
  };
  const mail: Interaction = {
    key: "k1",
    kind: "email",
    at: Date.UTC(2001, 2, 5),
    from: "ann@contoso.com",
    to: ["x@fabrikam.com"],
    cc: [],
    bcc: [],
    recipientCount: 1,
    source: "graph",
  };
  const state = new RelationshipState(directory, config);
  state.addAll([mail]);
  const scopes = state.directory.scopes(state.externalsByDomain());
  const now = Date.UTC(2001, 2, 11);

  test("only when asked, and only for open opportunities with a creation date", () => {
    expect(computeInsights(state, scopes, now).records.some((r) => r.similar)).toBe(false);
    const records = computeInsights(state, scopes, now, { similarDeals: true }).records;
    const similar = records.filter((r) => r.similar).map((r) => r.record.id);
    expect(similar).toEqual([O2]);
    expect(records.find((r) => r.record.id === O2)?.similar).toMatchObject({
      basis: "tooFew",
      ageDays: 10,
      closedWon: 1,
      closedLost: 0,
    });
  });

  test("the rp_similar… columns: basis, counts, the document and its sentence", () => {
    const r = computeInsights(state, scopes, now, { similarDeals: true }).records.find(
      (x): x is RecordInsight => x.record.id === O2,
    );
    const row = insightRow(r as RecordInsight, new Date(now).toISOString());
    expect(row.values["rp_similarbasis"]).toBe(choiceValue("similarBasis", "tooFew"));
    expect(row.values["rp_similarwoncount"]).toBe(0);
    const doc = JSON.parse(String(row.values["rp_similardeals"])) as SimilarDealsJson;
    expect(doc).toMatchObject({ version: 1, basis: "tooFew", closedWon: 1, minimum: 30 });
    expect(doc.metrics.find((m) => m.metric === "emailsSent")?.this).toBe(1);
    expect(row.values["rp_similarsummary"]).toBe(
      "Too few closed deals: 1 won and 0 lost; Dynamics 365 and Rapport need 30 of each.",
    );
    // A closed opportunity clears what an earlier run wrote; other records have no such columns.
    const closed = computeInsights(state, scopes, now, { similarDeals: true }).records.find(
      (x) => x.record.id === O1,
    ) as RecordInsight;
    expect(insightRow(closed, "").values).toMatchObject({ rp_similarbasis: null, rp_similardeals: null });
    const contact = computeInsights(state, scopes, now).records.find((x) => x.record.type === "contact");
    expect(insightRow(contact as RecordInsight, "").values).not.toHaveProperty("rp_similarbasis");
  });
});
