import { join } from "node:path";

import { strFromU8 } from "fflate";

import { buildControls } from "../../solution/src/build";
import { readBuiltControl, stampManifestVersion } from "../../solution/src/controls";
import { GRID_CONTROL_CLASS_ID } from "../../solution/src/gridBinding";
import { CONTROL_NAMES, resolvePlacements } from "../../solution/src/placements";
import { type Doc, findAll, FIXTURES, packFixtures, parse, textOf, unzip, xmllint } from "./helpers";

// The fixtures stand in for built controls: a field control (RelationshipAnalytics, with css and resx) and
// two dataset controls (HealthGrid, RelationshipPipeline); WhoKnowsWhom is absent.
const VERSIONS = { solution: "2.3.4.0", control: "2.3.4" };
const packed = packFixtures({ versions: VERSIONS });
const files = unzip(packed.unmanaged);
const customizations = textOf(files, "customizations.xml");
const doc = parse(customizations);
const solution = parse(textOf(files, "solution.xml"));
const ANALYTICS = CONTROL_NAMES.relationshipAnalytics;
const PIPELINE = CONTROL_NAMES.relationshipPipeline;

describe("built controls and web resources in the solution", () => {
  test("each control's manifest and exactly the files it references are packed", () => {
    expect(Object.keys(files).filter((f) => f.startsWith("Controls/"))).toEqual([
      `Controls/${CONTROL_NAMES.healthGrid}/ControlManifest.xml`,
      `Controls/${CONTROL_NAMES.healthGrid}/bundle.js`,
      `Controls/${ANALYTICS}/ControlManifest.xml`,
      `Controls/${ANALYTICS}/bundle.js`,
      `Controls/${ANALYTICS}/css/RelationshipAnalytics.css`,
      `Controls/${ANALYTICS}/strings/RelationshipAnalytics.1033.resx`,
      `Controls/${PIPELINE}/ControlManifest.xml`,
      `Controls/${PIPELINE}/bundle.js`,
    ]);
    // bundle.js.LICENSE.txt is in the build output but not in the manifest: left out.
    expect(Object.keys(files).some((f) => f.includes("LICENSE"))).toBe(false);
  });

  test("the product version is stamped into every control manifest copied into the zip", () => {
    for (const name of [ANALYTICS, CONTROL_NAMES.healthGrid]) {
      const manifest = textOf(files, `Controls/${name}/ControlManifest.xml`);
      expect(manifest).toMatch(/<control [^>]*version="2\.3\.4"/);
      expect(manifest).not.toContain('version="0.0.1"');
    }
    expect(solution.ImportExportXml.SolutionManifest.Version).toBe("2.3.4.0");
    expect(stampManifestVersion('<manifest><control namespace="a" version="1.0.0" x="y">', "9.9.9")).toBe(
      '<manifest><control namespace="a" version="9.9.9" x="y">',
    );
  });

  test("every control and web resource customizations.xml references is in the zip", () => {
    const referenced = [
      ...findAll(doc.ImportExportXml.CustomControls, "CustomControl").map((c: Doc) => c.FileName),
      ...findAll(doc.ImportExportXml.WebResources, "WebResource").map((w: Doc) => w.FileName),
    ];
    expect(referenced).toHaveLength(5);
    for (const f of referenced) expect(files[String(f).replace(/^\//, "")]).toBeDefined();
    const roots = findAll(solution, "RootComponent").map(
      (r: Doc) => `${r["@type"]} ${r["@schemaName"] ?? r["@id"]}`,
    );
    expect(roots).toEqual(
      expect.arrayContaining([
        `66 ${ANALYTICS}`,
        `66 ${CONTROL_NAMES.healthGrid}`,
        `66 ${PIPELINE}`,
        "61 rp_/settings/index.html",
        "61 rp_/settings/settings.js",
      ]),
    );
  });

  test("web resources are named rp_/<path>, typed by extension; other files are left out", () => {
    const w = findAll(doc.ImportExportXml.WebResources, "WebResource").map((x: Doc) => [
      x.Name,
      Number(x.WebResourceType),
    ]);
    expect(w).toEqual([
      ["rp_/settings/index.html", 1],
      ["rp_/settings/settings.js", 3],
    ]);
    expect(packed.ignoredWebResourceFiles).toEqual(["README.md"]);
    expect(textOf(files, "[Content_Types].xml")).toContain(
      '<Default Extension="html" ContentType="application/octet-stream" />',
    );
  });

  test("the field control is placed on each record's Rapport form, bound to the insight lookup", () => {
    for (const table of ["Contact", "Lead", "Opportunity", "Account"]) {
      const e = findAll(doc.ImportExportXml.Entities, "Entity").find((x: Doc) => x.Name["#text"] === table);
      const form = e.FormXml.forms.systemform[0].form;
      const controls = findAll(form, "control");
      const placed = controls.find((c: Doc) => c["@id"] === "rp_relationshipinsightid1");
      expect(placed["@datafieldname"]).toBe("rp_relationshipinsightid");
      const description = form.controlDescriptions.controlDescription[0];
      expect(description["@forControl"]).toBe(placed["@uniqueid"]);
      const custom = description.customControl.filter((c: Doc) => c["@name"] === ANALYTICS);
      expect(custom.map((c: Doc) => c["@formFactor"])).toEqual(["0", "1", "2"]);
      expect(custom[0].parameters.insight).toEqual({
        "#text": "rp_relationshipinsightid",
        "@type": "Lookup.Simple",
      });
    }
    // WhoKnowsWhom is not built: not referenced anywhere, and reported.
    expect(customizations).not.toContain(CONTROL_NAMES.whoKnowsWhom);
    expect(packed.placements.skipped).toEqual([expect.stringContaining(CONTROL_NAMES.whoKnowsWhom)]);
  });

  test("the dataset control is bound to each Rapport view's grid as exports bind it", () => {
    const withGrid = findAll(doc, "savedquery").filter(
      (q: Doc) => findAll(q.layoutxml, "customControl").length > 0,
    );
    expect(withGrid.map((q: Doc) => q.LocalizedNames.LocalizedName["@description"]).sort()).toEqual([
      "Active Accounts by Relationship",
      "Active Contacts by Relationship",
      "My Open Leads by Relationship",
      "My Open Opportunities by Relationship",
      "Open Leads by Relationship",
      "Open Opportunities by Relationship",
      "Relationships Needing Attention",
    ]);
    const manifest = textOf(files, `Controls/${CONTROL_NAMES.healthGrid}/ControlManifest.xml`);
    const dataSet = /<data-set name="([^"]+)"/.exec(manifest)?.[1];
    expect(dataSet).toBe("records");
    for (const q of withGrid) {
      const grid = q.layoutxml.grid;
      // After the grid's columns, inside <grid>: where the platform reads a view's control binding.
      expect(Object.keys(grid).filter((k) => !k.startsWith("@"))).toEqual(["row", "controlDescriptions"]);
      const descriptions = grid.controlDescriptions.controlDescription;
      expect(descriptions).toHaveLength(1);
      // No forControl: a view has no control with a uniqueid for it to name (forms do).
      expect(descriptions[0]["@forControl"]).toBeUndefined();
      // The pipeline is offered besides on the open-opportunity views (its own test below).
      const [fallback, ...component] = descriptions[0].customControl.filter(
        (c: Doc) => c["@name"] !== PIPELINE,
      );
      expect(fallback["@id"]).toBe(GRID_CONTROL_CLASS_ID);
      expect(fallback["@id"].toUpperCase()).toBe("{E7A81278-8635-4D9E-8D4D-59480B391C5B}");
      expect(fallback.parameters).toBe("");
      expect(fallback["@name"]).toBeUndefined();
      expect(component.map((c: Doc) => c["@formFactor"])).toEqual(["0", "1", "2"]);
      for (const c of component) {
        expect(c["@name"]).toBe("rp_Rapport.HealthGrid");
        expect(c["@id"]).toBeUndefined();
        expect(c.parameters["data-set"]["@name"]).toBe(dataSet);
      }
    }
  });

  test("the pipeline is offered besides HealthGrid on the open-opportunity views, on no form factor", () => {
    const offering = findAll(doc, "savedquery").filter((q: Doc) =>
      findAll(q.layoutxml, "customControl").some((c: Doc) => c["@name"] === PIPELINE),
    );
    expect(offering.map((q: Doc) => q.LocalizedNames.LocalizedName["@description"]).sort()).toEqual([
      "My Open Opportunities by Relationship",
      "Open Opportunities by Relationship",
    ]);
    for (const q of offering) {
      const controls = q.layoutxml.grid.controlDescriptions.controlDescription[0].customControl;
      // The grid entry, HealthGrid on phone, tablet and web (what the view shows), then the pipeline.
      expect(controls.map((c: Doc) => [c["@name"] ?? c["@id"], c["@formFactor"]])).toEqual([
        [GRID_CONTROL_CLASS_ID, undefined],
        [CONTROL_NAMES.healthGrid, "0"],
        [CONTROL_NAMES.healthGrid, "1"],
        [CONTROL_NAMES.healthGrid, "2"],
        [PIPELINE, undefined],
      ]);
      expect(controls[4].parameters["data-set"]["@name"]).toBe("records");
      // The view has what the chart reads: close date, revenue, and the insight through its link.
      const cells = findAll(q.layoutxml, "cell").map((c: Doc) => c["@name"]);
      expect(cells).toEqual(
        expect.arrayContaining(["estimatedclosedate", "estimatedvalue", "insight.rp_healthscore"]),
      );
    }
    // Without HealthGrid built the pipeline is still offered, the platform's grid showing the view.
    const pipelineOnly = resolvePlacements(
      [
        readBuiltControl(
          join(FIXTURES, "controls/RelationshipPipeline/out/controls/RelationshipPipeline"),
          "rp",
          "1.0.0",
        ),
      ],
      false,
    );
    expect(pipelineOnly.view).toBeUndefined();
    expect(pipelineOnly.pipeline?.control.name).toBe(PIPELINE);
    expect(pipelineOnly.unplaced).toEqual([]);
  });

  test("with controls, customizations.xml still validates against the XSD", () => {
    expect(() => xmllint(customizations)).not.toThrow();
  });

  test("a control that does not fit its placement fails with a clear message", () => {
    const dir = join(FIXTURES, "controls/RelationshipAnalytics/out/controls/RelationshipAnalytics");
    const control = readBuiltControl(dir, "rp", "1.0.0");
    const misfit = { ...control, properties: [{ name: "value", ofType: "SingleLine.Text", usage: "bound" }] };
    expect(() => resolvePlacements([misfit], false)).toThrow(/bound property "value" is SingleLine.Text/);
    expect(() => packFixtures({ versions: VERSIONS, requireControls: true })).toThrow(
      /rp_Rapport.WhoKnowsWhom/,
    );
  });

  test("a control build that pcf-scripts reports as failed (exit 0) or that produces nothing fails the package", () => {
    const lines: string[] = [];
    expect(() => buildControls(join(FIXTURES, "failing-build"), (l) => lines.push(l))).toThrow(
      /pcf-scripts reported "\[build\] Failed"/,
    );
    expect(lines.join("\n")).toContain("[pcf-1033]");
    expect(() => buildControls(join(FIXTURES, "no-output"), () => undefined)).toThrow(
      /produced no out\/controls\/\*\/ControlManifest.xml/,
    );
  });

  test("packing the fixtures twice gives identical bytes", () => {
    const again = packFixtures({ versions: VERSIONS });
    expect(Buffer.from(again.unmanaged).equals(Buffer.from(packed.unmanaged))).toBe(true);
    expect(strFromU8(unzip(again.managed)["solution.xml"]!)).toContain("<Managed>1</Managed>");
  });
});
