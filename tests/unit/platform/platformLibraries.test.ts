import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { XMLParser } from "fast-xml-parser";

/**
 * The platform-library versions Rapport declares are the ones Dataverse accepts at import, and the npm
 * packages everything runs on are those same versions. pcf-scripts alone does not guard this: it builds
 * Fluent 9.68.0, which the platform refuses (controls/platform-libraries.json says where the list is from).
 */
const ROOT = path.join(__dirname, "../../..");
const read = (p: string) => readFileSync(path.join(ROOT, p), "utf8");
interface Platform {
  supported: Record<string, string[]>;
  used: Record<"React" | "Fluent", string>;
}
const platform = JSON.parse(read("controls/platform-libraries.json")) as Platform;
const pkg = JSON.parse(read("package.json")) as {
  dependencies: Record<string, string>;
  overrides: Record<string, string>;
};
const lock = JSON.parse(read("package-lock.json")) as {
  packages: Record<string, { version?: string; link?: boolean }>;
};

const CONTROLS = readdirSync(path.join(ROOT, "controls"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(ROOT, "controls", d.name, d.name)))
  .map((d) => d.name);

/** Every <platform-library> of a manifest, as name and version. */
function librariesOf(file: string): { name: string; version: string }[] {
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === "platform-library" });
  const doc = parser.parse(read(file)) as {
    manifest: { control: { resources: { "platform-library"?: Record<string, string>[] } } };
  };
  return (doc.manifest.control.resources["platform-library"] ?? []).map((l) => ({
    name: l["@_name"] ?? "",
    version: l["@_version"] ?? "",
  }));
}

/** The lockfile entries of one package, wherever npm placed them (hoisted or nested). */
const lockEntries = (name: string) =>
  Object.entries(lock.packages).filter(
    ([p]) => p === `node_modules/${name}` || p.endsWith(`/node_modules/${name}`),
  );

describe("platform libraries", () => {
  test("the controls are found", () => {
    expect(CONTROLS.sort()).toEqual([
      "HealthGrid",
      "RelationshipAnalytics",
      "RelationshipPipeline",
      "WhoKnowsWhom",
    ]);
  });

  test.each(CONTROLS)("%s declares React and Fluent at the versions the platform loads", (name) => {
    const libs = librariesOf(`controls/${name}/${name}/ControlManifest.Input.xml`);
    expect(libs).toEqual([
      { name: "React", version: platform.used.React },
      { name: "Fluent", version: platform.used.Fluent },
    ]);
  });

  test.each(CONTROLS)("%s's built manifest (what the solution packs) keeps them", (name) => {
    const built = `controls/${name}/out/controls/${name}/ControlManifest.xml`;
    expect(existsSync(path.join(ROOT, built))).toBe(true);
    for (const lib of librariesOf(built)) expect(platform.supported[lib.name]).toContain(lib.version);
    expect(librariesOf(built).map((l) => `${l.name} ${l.version}`)).toEqual([
      `React ${platform.used.React}`,
      `Fluent ${platform.used.Fluent}`,
    ]);
  });

  test("the versions used are among the supported ones", () => {
    expect(platform.supported.React).toContain(platform.used.React);
    expect(platform.supported.Fluent).toContain(platform.used.Fluent);
    expect(platform.supported.Fluent).not.toContain("9.68.0");
  });

  test("package.json pins the npm packages to them", () => {
    expect(pkg.dependencies.react).toBe(platform.used.React);
    expect(pkg.dependencies["react-dom"]).toBe(platform.used.React);
    expect(pkg.dependencies["@fluentui/react-components"]).toBe(platform.used.Fluent);
  });

  test("the lockfile installs exactly those versions, once", () => {
    const expected: [string, string][] = [
      ["react", platform.used.React],
      ["react-dom", platform.used.React],
      ["@fluentui/react-components", platform.used.Fluent],
    ];
    for (const [name, version] of expected) {
      const entries = lockEntries(name);
      expect(entries.map(([, entry]) => entry.version)).toEqual([version]);
    }
  });

  test("every @fluentui package in the lockfile is the one released with Fluent's pinned version", () => {
    const fluent = Object.entries(lock.packages).filter(([p]) =>
      /(^|\/)node_modules\/@fluentui\/[^/]+$/.test(p),
    );
    expect(fluent.length).toBeGreaterThan(40);
    for (const [p, entry] of fluent) {
      const name = p.slice(p.lastIndexOf("node_modules/") + "node_modules/".length);
      if (name === "@fluentui/react-components") continue;
      // A newer sub-package would run code the platform's 9.46.2 library does not have.
      expect({ name, version: entry.version }).toEqual({ name, version: pkg.overrides[name] });
    }
  });
});
