import { SALES_TABLES } from "../../solution/src/dependencies";
import { type Doc, findAll, packEmpty, parse, textOf, unzip } from "./helpers";

// lead and opportunity exist only with Dynamics 365 Sales: solution.xml must say so, as exports from
// Sales orgs do, so the import wizard names the missing solution instead of failing midway.
const files = unzip(packEmpty().unmanaged);
const solution = parse(textOf(files, "solution.xml"));
const customizations = parse(textOf(files, "customizations.xml"));
const missing: Doc[] = findAll(
  solution.ImportExportXml.SolutionManifest.MissingDependencies,
  "MissingDependency",
);
const of = (table: string) => missing.filter((m) => m.Required["@schemaName"] === table);
const dependents = (table: string, type: number) =>
  of(table)
    .map((m) => m.Dependent)
    .filter((d: Doc) => Number(d["@type"]) === type);

describe("solution.xml declares the dependencies on Dynamics 365 Sales", () => {
  test("every required component is a Sales table, named with the solution that brings it", () => {
    expect(missing.length).toBeGreaterThan(0);
    for (const m of missing) {
      expect(m.Required["@type"]).toBe("1");
      expect(Object.keys(SALES_TABLES)).toContain(m.Required["@schemaName"]);
      expect(m.Required["@solution"]).toMatch(/^msdynce_\w+ \(\d+(\.\d+){3}\)$/);
    }
    expect(of("opportunity")[0].Required).toMatchObject({
      "@displayName": "Opportunity",
      "@solution": "msdynce_Sales (9.0.4.0076)",
    });
    expect(of("lead")[0].Required).toMatchObject({
      "@displayName": "Lead",
      "@solution": "msdynce_LeadManagement (9.0.4.0066)",
    });
    // Contact and account come with every Dataverse: never declared.
    expect(missing.some((m) => ["contact", "account"].includes(m.Required["@schemaName"]))).toBe(false);
  });

  test("each Sales table's shell, the lookups to it and the column added to it are dependents", () => {
    for (const [table, display] of [
      ["lead", "Lead"],
      ["opportunity", "Opportunity"],
    ] as const) {
      expect(dependents(table, 1)).toEqual([{ "@type": "1", "@schemaName": table, "@displayName": display }]);
      const columns = dependents(table, 2).map((d: Doc) => `${d["@parentSchemaName"]}.${d["@schemaName"]}`);
      expect(columns).toEqual(
        expect.arrayContaining([
          `${table}.rp_relationshipinsightid`,
          `rp_relationshipinsight.rp_${table}id`,
          `rp_connection.rp_${table}id`,
        ]),
      );
      const relationships = dependents(table, 10).map((d: Doc) => d["@schemaName"]);
      expect(relationships).toEqual(
        expect.arrayContaining([`rp_${table}_relationshipinsight`, `rp_${table}_connection`]),
      );
      // Every relationship of customizations.xml that touches the table is declared, none other.
      const touching = findAll(customizations, "EntityRelationship")
        .filter((r: Doc) =>
          [r.ReferencingEntityName, r.ReferencedEntityName]
            .map((n) => String(n).toLowerCase())
            .includes(table),
        )
        .map((r: Doc) => r["@Name"]);
      expect([...relationships].sort()).toEqual([...touching].sort());
    }
  });

  test("the forms, views and roles on Sales tables are dependents, by the ids customizations.xml gives them", () => {
    const entity = (name: string) =>
      findAll(customizations, "Entity").find((e: Doc) => String(e.Name["#text"]).toLowerCase() === name);
    for (const table of ["lead", "opportunity"]) {
      const e = entity(table);
      const viewIds = findAll(e.SavedQueries, "savedqueryid").sort();
      expect(viewIds.length).toBeGreaterThan(0);
      expect(
        dependents(table, 26)
          .map((d: Doc) => d["@id"])
          .sort(),
      ).toEqual(viewIds);
      const formIds = findAll(e.FormXml, "formid");
      expect(dependents(table, 60).map((d: Doc) => d["@id"])).toEqual(formIds);
      expect(dependents(table, 60)[0]["@parentDisplayName"]).toBe(table === "lead" ? "Lead" : "Opportunity");
      // Rapport Service reads leads and opportunities and writes their insight lookup.
      expect(dependents(table, 20).map((d: Doc) => d["@displayName"])).toEqual(["Rapport Service"]);
    }
  });

  test("each dependency is written once, in the order exports write them", () => {
    const keys = missing.map(
      (m) =>
        `${m.Required["@schemaName"]} ${m.Dependent["@type"]} ${m.Dependent["@parentSchemaName"]}.${m.Dependent["@schemaName"] ?? m.Dependent["@id"]}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    const order = missing.map((m) => [m.Required["@schemaName"], Number(m.Dependent["@type"])] as const);
    const sorted = [...order].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
    expect(order).toEqual(sorted);
  });
});
