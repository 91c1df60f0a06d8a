import { readFileSync } from "node:fs";
import { join } from "node:path";

import { strFromU8 } from "fflate";

import { versionsOf } from "../../solution/src/identity";
import { zipName } from "../../solution/src/pack";
import { COMPONENT } from "../../solution/src/solutionXml";
import { type Doc, findAll, packEmpty, parse, REPO, textOf, unzip, xmllint } from "./helpers";

// The solution as the repository packs it now: no control is built yet, no web resource exists.
const packed = packEmpty();
const files = unzip(packed.unmanaged);
const customizations = textOf(files, "customizations.xml");
const doc = parse(customizations);
const solution = parse(textOf(files, "solution.xml"));

describe("the packed solution, with zero controls and zero web resources", () => {
  test("the zip holds exactly the raw import layout", () => {
    expect(Object.keys(files)).toEqual(["[Content_Types].xml", "customizations.xml", "solution.xml"]);
    expect(textOf(files, "[Content_Types].xml")).toContain(
      '<Default Extension="xml" ContentType="text/xml" />',
    );
  });

  test("customizations.xml validates against CustomizationsSolution.xsd (xmllint, schemas in solution/schemas)", () => {
    // No element newer than the 9.0 XSD is written (see solution/schemas/PROVENANCE.md), so it validates as is.
    expect(() => xmllint(customizations)).not.toThrow();
  });

  test("every RootComponent of solution.xml exists in customizations.xml", () => {
    const roots: Doc[] = findAll(solution, "RootComponent");
    expect(roots.length).toBeGreaterThan(0);
    const entities = new Set(findAll(doc, "Entity").map((e: Doc) => String(e.Name["#text"]).toLowerCase()));
    const optionsets = new Set(
      findAll(doc.ImportExportXml.optionsets, "optionset").map((o: Doc) => o["@Name"]),
    );
    const roles = new Set(findAll(doc, "Role").map((r: Doc) => r["@id"]));
    const views = new Set(findAll(doc, "savedqueryid"));
    const forms = new Set(findAll(doc, "formid"));
    for (const r of roots) {
      const type = Number(r["@type"]);
      const name = r["@schemaName"];
      const id = r["@id"];
      const found =
        type === COMPONENT.entity
          ? entities.has(name)
          : type === COMPONENT.optionSet
            ? optionsets.has(name)
            : type === COMPONENT.role
              ? roles.has(id)
              : type === COMPONENT.savedQuery
                ? views.has(id)
                : type === COMPONENT.systemForm
                  ? forms.has(id)
                  : false;
      expect({ type, name, id, found }).toEqual({ type, name, id, found: true });
    }
    const types = new Set(roots.map((r: Doc) => Number(r["@type"])));
    expect([...types].sort((a, b) => a - b)).toEqual([1, 9, 20, 26, 60]);
  });

  test("every custom name carries the rp prefix", () => {
    const names = [
      ...findAll(doc, "attribute")
        .filter((a: Doc) => a.IsCustomField === "1")
        .map((a: Doc) => a["@PhysicalName"]),
      ...findAll(doc.ImportExportXml.Entities, "Entity")
        .filter((e: Doc) => e.Name["@OriginalName"] !== "")
        .map((e: Doc) => e.Name["#text"]),
      ...findAll(doc.ImportExportXml.optionsets, "optionset").map((o: Doc) => o["@Name"]),
      ...findAll(doc, "EntityKey").map((k: Doc) => k.Name),
      ...findAll(doc.ImportExportXml.EntityRelationships, "EntityRelationship")
        .map((r: Doc) => r["@Name"])
        .filter((n: string) => !/^(lk_|organization_|business_unit_|owner_|team_|user_)/.test(n)),
    ];
    expect(names.length).toBeGreaterThan(100);
    for (const n of names) expect(n).toMatch(/^rp_/);
    // The system relationships Dataverse names itself still end with the rp_ table's name.
    for (const r of findAll(doc, "EntityRelationship").map((x: Doc) => x["@Name"])) expect(r).toMatch(/rp_/);
    expect(solution.ImportExportXml.SolutionManifest.Publisher.CustomizationPrefix).toBe("rp");
  });

  test("packing twice gives identical bytes", () => {
    const again = packEmpty();
    expect(Buffer.from(again.unmanaged).equals(Buffer.from(packed.unmanaged))).toBe(true);
    expect(Buffer.from(again.managed).equals(Buffer.from(packed.managed))).toBe(true);
  });

  test("managed and unmanaged differ only in solution.xml's <Managed>", () => {
    const managed = unzip(packed.managed);
    expect(Object.keys(managed)).toEqual(Object.keys(files));
    for (const name of Object.keys(files)) {
      if (name === "solution.xml") continue;
      expect(Buffer.from(managed[name]!).equals(Buffer.from(files[name]!))).toBe(true);
    }
    const u = strFromU8(files["solution.xml"]!);
    const m = strFromU8(managed["solution.xml"]!);
    expect(u).toContain("<Managed>0</Managed>");
    expect(m).toBe(u.replace("<Managed>0</Managed>", "<Managed>1</Managed>"));
  });

  test("the version comes from the root package.json, four parts in solution.xml", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
    const v = versionsOf(pkg.version);
    expect(solution.ImportExportXml.SolutionManifest.Version).toBe(v.solution);
    expect(zipName(v, true)).toBe(`Rapport_${v.solution.replace(/\./g, "_")}_managed.zip`);
    expect(versionsOf("1.2.3")).toEqual({ solution: "1.2.3.0", control: "1.2.3" });
    expect(() => versionsOf("1.2")).toThrow(/major.minor.patch/);
  });

  test("no placement is emitted and each one is reported as skipped", () => {
    expect(findAll(doc, "controlDescriptions")).toHaveLength(0);
    expect(findAll(doc.ImportExportXml.CustomControls ?? {}, "CustomControl")).toHaveLength(0);
    expect(packed.placements.skipped).toHaveLength(4);
    expect(() => packEmpty({ requireControls: true })).toThrow(
      /--require-controls: these placements have no built control/,
    );
  });
});
