import { rp_settings } from "../../../server/src/dataverse/model";
import { settingsFromRow } from "../../../server/src/dataverse/read/settingsFromRow";
import { SETTINGS_COLUMNS } from "../../../webresources/settings/src/api";
import {
  DEFAULT_FORM,
  formatPercent,
  formFromRow,
  rowFromForm,
  sameSettings,
  type SettingsForm,
  validate,
  weightPercent,
  withExcludedAddress,
} from "../../../webresources/settings/src/form";
import { fill, STRINGS, stringsFor } from "../../../webresources/settings/src/strings";

const form = (patch: Partial<SettingsForm> = {}): SettingsForm => ({
  ...(structuredClone(DEFAULT_FORM) as SettingsForm),
  ...patch,
});

describe("settings page: form and rp_settings row", () => {
  test("no row shows the engine's defaults: all on, weights neutral, weekly, Good 60 / Fair 40", () => {
    const f = formFromRow(undefined);
    expect(f).toEqual(DEFAULT_FORM);
    expect(f.weights).toEqual({ email: 6, meeting: 6, phonecall: 6, task: 6 });
    expect(f.cadence).toEqual({
      contact: "weekly",
      lead: "weekly",
      opportunity: "weekly",
      account: "weekly",
    });
    expect([f.good, f.fair]).toEqual(["60", "40"]);
    expect([f.analytics, f.whoKnowsWhom, f.m365]).toEqual([true, true, true]);
  });

  test("weights 3..9 are shown as −50%…+50%", () => {
    expect([3, 4, 5, 6, 7, 8, 9].map(weightPercent)).toEqual([-50, -33, -17, 0, 17, 33, 50]);
    expect([3, 6, 8].map(formatPercent)).toEqual(["\u221250%", "0%", "+33%"]);
  });

  test("a row read back gives the form that saved it, and the engine reads the same settings", () => {
    const f = form({
      analytics: false,
      whoKnowsWhom: true,
      m365: false,
      weights: { email: 8, meeting: 9, phonecall: 3, task: 6 },
      cadence: { contact: "daily", lead: "fewDays", opportunity: "fewWeeks", account: "monthly" },
      good: "70",
      fair: "45",
      orgDomains: "contoso.com",
      excludedDomains: "lawfirm.example\nclinic.example",
      excludedAddresses: "spouse@home.example",
      whoKnowsWhomRoles: "Salesperson\nSales, EMEA",
      optedOutUsers: ["ceo@contoso.com"],
      introductionTemplate: "Subject: Intro to {person}\n\nHi {colleagueFirstName}, {me}",
    });
    const row = rowFromForm(f);
    expect(formFromRow(row)).toEqual(f);
    const engine = settingsFromRow(row);
    expect(engine.features).toEqual({ analytics: false, whoKnowsWhom: true, m365: false });
    expect(engine.config.weights).toEqual({ email: 1.333, meeting: 1.5, call: 0.5, task: 1 });
    expect(engine.config.cadence).toEqual(f.cadence);
    expect(engine.config.thresholds).toEqual({ good: 70, fair: 45 });
    expect(engine.config.excludedDomains).toEqual(["lawfirm.example", "clinic.example"]);
    expect(engine.optedOutUsers).toEqual(["ceo@contoso.com"]);
    expect(engine.whoKnowsWhomRoles).toEqual(["Salesperson", "Sales, EMEA"]);
    expect(engine.introductionTemplate).toBe(f.introductionTemplate);
  });

  test("the row names only columns of the model, and the page reads every column it writes", () => {
    const columns = new Set(rp_settings.columns.map((c) => c.name));
    const row = rowFromForm(form());
    for (const k of Object.keys(row)) expect(columns).toContain(k);
    for (const k of SETTINGS_COLUMNS) expect(columns).toContain(k);
    for (const k of Object.keys(row).filter((k) => k !== "rp_name")) expect(SETTINGS_COLUMNS).toContain(k);
  });

  test("lists are saved one per line, trimmed; an empty template is saved as empty", () => {
    const row = rowFromForm(
      form({ excludedDomains: " a.example ;b.example,\n\n c.example ", introductionTemplate: "  \n" }),
    );
    expect(row["rp_excludeddomains"]).toBe("a.example\nb.example\nc.example");
    expect(row["rp_introductiontemplate"]).toBeNull();
  });

  test("values out of range in the row fall back to the defaults", () => {
    const f = formFromRow({ rp_emailweight: 12, rp_cadencelead: 5, rp_goodthreshold: null });
    expect(f.weights.email).toBe(6);
    expect(f.cadence.lead).toBe("weekly");
    expect(f.good).toBe("60");
  });

  test("Good must be above Fair, both whole numbers in range", () => {
    expect(validate(form())).toEqual({});
    expect(validate(form({ good: "40", fair: "40" }))).toEqual({
      good: { key: "goodAboveFair", params: { good: 40, fair: 40 } },
    });
    expect(validate(form({ good: "30", fair: "50" })).good?.key).toBe("goodAboveFair");
    expect(validate(form({ good: "101" })).good?.key).toBe("goodRange");
    expect(validate(form({ good: "6.5" })).good?.key).toBe("goodRange");
    expect(validate(form({ fair: "" })).fair?.key).toBe("fairRange");
    expect(validate(form({ fair: "0" })).fair?.key).toBe("fairRange");
  });

  test("domains and addresses are checked, naming the wrong entries", () => {
    const errors = validate(
      form({ excludedDomains: "lawfirm.example\nnot a domain", excludedAddresses: "x@y.example\nnobody" }),
    );
    expect(errors.excludedDomains).toEqual({ key: "invalidDomains", params: { items: "not a domain" } });
    expect(errors.excludedAddresses).toEqual({ key: "invalidAddresses", params: { items: "nobody" } });
    expect(validate(form({ orgDomains: "@contoso.com" }))).toEqual({});
  });

  test("unsaved changes are changes the row would store", () => {
    expect(sameSettings(form(), form({ excludedDomains: "\n" }))).toBe(true);
    expect(sameSettings(form(), form({ good: "61" }))).toBe(false);
  });

  test("a forgotten address joins the excluded addresses once, on its own line", () => {
    expect(withExcludedAddress(form(), "a@b.example").excludedAddresses).toBe("a@b.example");
    const f = form({ excludedAddresses: "x@y.example\n" });
    expect(withExcludedAddress(f, "a@b.example").excludedAddresses).toBe("x@y.example\na@b.example");
    const listed = form({ excludedAddresses: "x@y.example\n A@B.example " });
    expect(withExcludedAddress(listed, "a@b.example")).toBe(listed);
  });
});

describe("settings page: strings", () => {
  test("English is complete and used for an unknown language; placeholders are filled", () => {
    expect(stringsFor("fr-FR")).toBe(STRINGS["en"]);
    expect(stringsFor("en-GB")).toBe(STRINGS["en"]);
    for (const v of Object.values(STRINGS["en"]!)) expect(v.trim()).not.toBe("");
    expect(fill("Forget {address}? {unknown}", { address: "a@b.example" })).toBe(
      "Forget a@b.example? {unknown}",
    );
  });
});
