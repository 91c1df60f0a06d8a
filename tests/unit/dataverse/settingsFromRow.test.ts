import { resolveConfig } from "../../../server/src/core/config";
import { applyExclusions } from "../../../server/src/core/exclusions";
import type { Interaction } from "../../../server/src/core/interaction";
import { listOf, settingsFromRow, withOrgSettings } from "../../../server/src/dataverse/read/settingsFromRow";

describe("settingsFromRow", () => {
  test("no row: nothing changes", () => {
    expect(settingsFromRow(undefined)).toEqual({
      config: {},
      optedOutUsers: [],
      features: { analytics: true, whoKnowsWhom: true, m365: true },
      whoKnowsWhomRoles: [],
    });
  });

  test("a feature is off only when its column is false; empty (a row older than the column) means on", () => {
    expect(settingsFromRow({ rp_analyticsenabled: false, rp_m365enabled: null }).features).toEqual({
      analytics: false,
      whoKnowsWhom: true,
      m365: true,
    });
    expect(
      settingsFromRow({ rp_whoknowswhomenabled: false, rp_m365enabled: false, rp_analyticsenabled: true })
        .features,
    ).toEqual({ analytics: true, whoKnowsWhom: false, m365: false });
  });

  test("roles allowed to see who knows whom: one per line, case kept, commas inside a name kept", () => {
    expect(
      settingsFromRow({
        rp_whoknowswhomroles: " Salesperson\r\nSales Manager\n\nsalesperson\nSales, EMEA\n",
      }).whoKnowsWhomRoles,
    ).toEqual(["Salesperson", "Sales Manager", "Sales, EMEA"]);
  });

  test("weights 3..9 around 6 become 0.5..1.5; cadence choices; thresholds; lists", () => {
    const s = settingsFromRow({
      rp_emailweight: 6,
      rp_meetingweight: 9,
      rp_phonecallweight: 3,
      rp_taskweight: 12, // out of range: ignored, the default stays
      rp_cadenceaccount: 100_000_004,
      rp_cadencelead: 100_000_000,
      rp_goodthreshold: 70,
      rp_fairthreshold: 45,
      rp_excludeddomains: "@LawFirm.example\nclinic.example; lawfirm.example",
      rp_excludedaddresses: "Spouse@Home.example",
      rp_optedoutusers: "ceo@contoso.com, cfo@contoso.com",
      rp_introductiontemplate: "Hi {colleague}",
    });
    expect(s.config.weights).toEqual({ email: 1, meeting: 1.5, call: 0.5 });
    expect(s.config.cadence).toEqual({ account: "monthly", lead: "daily" });
    expect(s.config.thresholds).toEqual({ good: 70, fair: 45 });
    expect(s.config.excludedDomains).toEqual(["lawfirm.example", "clinic.example"]);
    expect(s.config.excludedAddresses).toEqual(["spouse@home.example"]);
    expect(s.optedOutUsers).toEqual(["ceo@contoso.com", "cfo@contoso.com"]);
    expect(s.introductionTemplate).toBe("Hi {colleague}");
  });

  test("the org's settings go over the host's; lists add up; the result is checked", () => {
    const base = resolveConfig({ orgDomains: ["contoso.com"], excludedDomains: ["a.example"] });
    const merged = resolveConfig(
      withOrgSettings(base, {
        config: { excludedDomains: ["b.example"], weights: { meeting: 1.5 } as never },
        optedOutUsers: [],
        features: { analytics: true, whoKnowsWhom: true, m365: true },
        whoKnowsWhomRoles: [],
      }),
    );
    expect(merged.excludedDomains).toEqual(["a.example", "b.example"]);
    expect(merged.weights).toEqual({ email: 1, meeting: 1.5, call: 1, task: 1 });
    expect(merged.orgDomains).toEqual(["contoso.com"]);
  });

  test.each([
    ["a@x.com\nb@x.com", ["a@x.com", "b@x.com"]],
    [" a@x.com ;; A@X.com ", ["a@x.com"]],
    [null, []],
    [42, []],
  ])("listOf(%p)", (v, out) => expect(listOf(v)).toEqual(out));
});

describe("applyExclusions", () => {
  const config = resolveConfig({
    orgDomains: ["contoso.com"],
    excludedDomains: ["lawfirm.example"],
    excludedAddresses: ["spouse@home.example"],
  });
  const mail = (from: string, to: string[], cc: string[] = []): Interaction => ({
    key: "k",
    kind: "email",
    at: 0,
    from,
    to,
    cc,
    bcc: [],
    recipientCount: to.length + cc.length,
    source: "mbox",
  });

  test("excluded recipients leave; others stay", () => {
    const i = applyExclusions(
      mail("ann@contoso.com", ["x@fabrikam.com", "p@sub.lawfirm.example"], ["spouse@home.example"]),
      config,
    );
    expect(i?.to).toEqual(["x@fabrikam.com"]);
    expect(i?.cc).toEqual([]);
  });
  test("mail from an excluded person, or to nobody else, is dropped", () => {
    expect(applyExclusions(mail("spouse@home.example", ["ann@contoso.com"]), config)).toBeUndefined();
    expect(applyExclusions(mail("ann@contoso.com", ["p@lawfirm.example"]), config)).toBeUndefined();
  });
  test("nothing excluded: the same object comes back", () => {
    const i = mail("ann@contoso.com", ["x@fabrikam.com"]);
    expect(applyExclusions(i, config)).toBe(i);
    expect(applyExclusions(i, resolveConfig({}))).toBe(i);
  });
});
