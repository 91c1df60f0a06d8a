import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, normalize, posix, sep } from "node:path";

import { XMLParser } from "fast-xml-parser";

/**
 * A PCF control as pcf-scripts builds it: `controls/<Workspace>/out/controls/<Constructor>/` holding
 * ControlManifest.xml, bundle.js and whatever else the manifest lists (css, resx, images, html).
 * In the solution it becomes `Controls/<prefix>_<namespace>.<constructor>/` with the same files.
 */
export interface BuiltControl {
  /** `<prefix>_<namespace>.<constructor>`, e.g. rp_Rapport.HealthGrid. */
  name: string;
  namespace: string;
  constructorName: string;
  controlType: string;
  /** The built output directory it was read from. */
  dir: string;
  /** The manifest, its `version` stamped with the product version. */
  manifest: string;
  /** The other files the manifest references, by their path inside the control folder. */
  files: Map<string, Uint8Array>;
  properties: { name: string; ofType?: string; usage?: string }[];
  dataSets: string[];
}

const RESOURCE_KINDS = ["code", "css", "resx", "img", "html"] as const;
const parser = new XMLParser({
  ignoreAttributes: false,
  // Prefixed: a bare "constructor" key is refused by the parser (prototype pollution guard).
  attributeNamePrefix: "@_",
  isArray: (name) => ["property", "data-set", ...RESOURCE_KINDS, "platform-library"].includes(name),
});

interface ManifestDoc {
  manifest?: {
    control?: {
      "@_namespace"?: string;
      "@_constructor"?: string;
      "@_control-type"?: string;
      property?: { "@_name": string; "@_of-type"?: string; "@_usage"?: string }[];
      "data-set"?: { "@_name": string }[];
      resources?: Partial<Record<(typeof RESOURCE_KINDS)[number], { "@_path"?: string }[]>>;
    };
  };
}

/** Every built control output under `controlsRoot/<workspace>/out/controls/<control>/`, sorted. */
export function findControlOutputs(controlsRoot: string): string[] {
  if (!existsSync(controlsRoot)) return [];
  const out: string[] = [];
  for (const ws of readdirSync(controlsRoot).sort()) {
    const built = join(controlsRoot, ws, "out", "controls");
    if (!existsSync(built) || !statSync(built).isDirectory()) continue;
    for (const c of readdirSync(built).sort()) {
      if (existsSync(join(built, c, "ControlManifest.xml"))) out.push(join(built, c));
    }
  }
  return out;
}

/** Replace the `version` attribute of the manifest's `<control>` element, leaving every other byte. */
export function stampManifestVersion(manifest: string, version: string): string {
  const re = /(<control\b[^>]*?\bversion\s*=\s*")[^"]*(")/;
  if (!re.test(manifest)) throw new Error('ControlManifest.xml has no <control version="...">');
  return manifest.replace(re, `$1${version}$2`);
}

type ManifestControl = NonNullable<NonNullable<ManifestDoc["manifest"]>["control"]>;

export function readBuiltControl(dir: string, prefix: string, version: string): BuiltControl {
  const manifestPath = join(dir, "ControlManifest.xml");
  const raw = readFileSync(manifestPath, "utf8").replace(/^\uFEFF/, "");
  const control = (parser.parse(raw) as ManifestDoc).manifest?.control;
  const namespace = control?.["@_namespace"];
  const ctor = control?.["@_constructor"];
  if (!control || !namespace || !ctor)
    throw new Error(`${manifestPath}: no <control namespace=".." constructor="..">`);
  const files = new Map<string, Uint8Array>();
  for (const kind of RESOURCE_KINDS) {
    for (const r of control.resources?.[kind] ?? []) {
      const rel = resourcePath(r["@_path"], kind, manifestPath);
      const file = join(dir, ...rel.split("/"));
      if (!existsSync(file)) {
        throw new Error(
          `Control ${namespace}.${ctor}: its manifest references ${rel}, ` +
            `which is not in ${normalize(dir)}${sep} (was the control built?)`,
        );
      }
      files.set(rel, new Uint8Array(readFileSync(file)));
    }
  }
  if (![...files.keys()].some((f) => f.endsWith(".js"))) {
    throw new Error(`${manifestPath}: the manifest references no code bundle`);
  }
  return {
    name: `${prefix}_${namespace}.${ctor}`,
    namespace,
    constructorName: ctor,
    controlType: control["@_control-type"] ?? "standard",
    dir,
    manifest: stampManifestVersion(raw, version),
    files,
    ...declared(control),
  };
}

/** A resource's path inside the control folder (forward slashes); one that is missing or leaves the folder is an error. */
function resourcePath(path: string | undefined, kind: string, manifestPath: string): string {
  if (!path) throw new Error(`${manifestPath}: a <${kind}> resource has no path`);
  const rel = posix.normalize(path.replace(/\\/g, "/"));
  if (rel.startsWith("../") || posix.isAbsolute(rel)) {
    throw new Error(`${manifestPath}: resource path ${path} leaves the control folder`);
  }
  return rel;
}

/** The properties and data sets a manifest declares. */
function declared(control: ManifestControl): Pick<BuiltControl, "properties" | "dataSets"> {
  return {
    properties: (control.property ?? []).map((p) => ({
      name: p["@_name"],
      ofType: p["@_of-type"],
      usage: p["@_usage"],
    })),
    dataSets: (control["data-set"] ?? []).map((d) => d["@_name"]),
  };
}

export function discoverControls(controlsRoot: string, prefix: string, version: string): BuiltControl[] {
  const controls = findControlOutputs(controlsRoot).map((d) => readBuiltControl(d, prefix, version));
  const names = new Set<string>();
  for (const c of controls) {
    if (names.has(c.name)) throw new Error(`Two built controls are named ${c.name}`);
    names.add(c.name);
  }
  return controls.sort((a, b) => a.name.localeCompare(b.name));
}
