import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { XMLParser, XMLValidator } from "fast-xml-parser";

import type { Doc } from "./helpers";
import { REPO } from "./helpers";

// Each control folder carries the project `pac pcf init` writes, so makers can `pac pcf push` from it.
// The template is Microsoft's (microsoft/PowerApps-Samples component-framework/*/*.pcfproj); nothing
// here can run pac or dotnet, so these checks are what stands between a typo and a maker's failed push.
const CONTROLS = ["HealthGrid", "RelationshipAnalytics", "RelationshipPipeline", "WhoKnowsWhom"];
const TARGETS = "$(MSBuildExtensionsPath)\\Microsoft\\VisualStudio\\v$(VisualStudioVersion)\\PowerApps";
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) =>
    ["PropertyGroup", "Import", "ItemGroup", "PackageReference", "ExcludeDirectories"].includes(name),
});
const projectOf = (name: string): Doc => {
  const text = readFileSync(join(REPO, "controls", name, `${name}.pcfproj`), "utf8");
  expect(XMLValidator.validate(text)).toBe(true);
  return parser.parse(text).Project;
};

describe("a .pcfproj per control, as pac pcf init writes it", () => {
  test("each control folder holds exactly one .pcfproj, next to its package.json and pcfconfig.json", () => {
    for (const name of CONTROLS) {
      const dir = join(REPO, "controls", name);
      // pac pcf push takes the one project file of the current folder.
      expect(readdirSync(dir).filter((f) => f.endsWith(".pcfproj"))).toEqual([`${name}.pcfproj`]);
      expect(existsSync(join(dir, "package.json"))).toBe(true);
      const pcfconfig = JSON.parse(readFileSync(join(dir, "pcfconfig.json"), "utf8")) as { outDir: string };
      // msbuild packs what pcf-scripts builds: OutputPath and pcfconfig's outDir are the same folder.
      expect(pcfconfig.outDir).toBe("./out/controls");
    }
    // Every folder with a control manifest is covered.
    const withManifest = readdirSync(join(REPO, "controls")).filter((d) =>
      existsSync(join(REPO, "controls", d, d, "ControlManifest.Input.xml")),
    );
    expect(withManifest.sort()).toEqual([...CONTROLS].sort());
  });

  test("Microsoft's template: MSBuild namespace, the Pcf props and targets imports, OutputPath, the Pcf package", () => {
    for (const name of CONTROLS) {
      const p = projectOf(name);
      expect(p["@xmlns"]).toBe("http://schemas.microsoft.com/developer/msbuild/2003");
      expect(p["@ToolsVersion"]).toBe("15.0");
      expect(p["@DefaultTargets"]).toBe("Build");
      const props = Object.assign({}, ...p.PropertyGroup);
      expect(props.PowerAppsTargetsPath).toBe(TARGETS);
      expect(props.Name).toBe(name);
      expect(props.OutputPath).toBe("$(MSBuildThisFileDirectory)out\\controls");
      expect(props.TargetFramework).toBe("net462");
      expect(props.RestoreProjectStyle).toBe("PackageReference");
      const imports = p.Import.map((i: Doc) => [i["@Project"], i["@Condition"]]);
      const pcf = (ext: string) => `$(PowerAppsTargetsPath)\\Microsoft.PowerApps.VisualStudio.Pcf.${ext}`;
      expect(imports).toEqual([
        ["$(MSBuildExtensionsPath)\\$(MSBuildToolsVersion)\\Microsoft.Common.props", undefined],
        [pcf("props"), `Exists('${pcf("props")}')`],
        ["$(MSBuildToolsPath)\\Microsoft.Common.targets", undefined],
        [pcf("targets"), `Exists('${pcf("targets")}')`],
      ]);
      const items = p.ItemGroup;
      const packages = items.flatMap((g: Doc) => g.PackageReference ?? []);
      expect(packages.map((r: Doc) => [r["@Include"], r["@Version"]])).toEqual([
        ["Microsoft.PowerApps.MSBuild.Pcf", "1.*"],
        ["Microsoft.NETFramework.ReferenceAssemblies", "1.0.0"],
      ]);
      const excluded = items.flatMap((g: Doc) => g.ExcludeDirectories ?? []).map((e: Doc) => e["@Include"]);
      expect(excluded).toEqual(
        expect.arrayContaining([
          "$(MSBuildThisFileDirectory)\\node_modules\\**",
          "$(OutputPath)\\**",
          "$(MSBuildThisFileDirectory)\\*.pcfproj",
          "$(MSBuildThisFileDirectory)\\obj\\**",
          "$(MSBuildThisFileDirectory)\\bin\\**",
        ]),
      );
    }
  });

  test("each project has its own ProjectGuid", () => {
    const guids = CONTROLS.map((name) =>
      String(Object.assign({}, ...projectOf(name).PropertyGroup).ProjectGuid),
    );
    for (const g of guids)
      expect(g).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(guids).size).toBe(CONTROLS.length);
  });
});
