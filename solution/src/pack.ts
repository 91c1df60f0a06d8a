import { join, posix } from "node:path";

import { strToU8, zipSync } from "fflate";

import { type BuiltControl, discoverControls } from "./controls";
import { customizationsXml } from "./customizations";
import { PUBLISHER, readVersions, SOLUTION, type Versions } from "./identity";
import { type Resolved, resolvePlacements } from "./placements";
import { rootComponents, solutionXml } from "./solutionXml";
import { discoverWebResources, type WebResourceFile } from "./webresources";

export interface PackOptions {
  repoRoot: string;
  /** Where built controls are looked for (default <repoRoot>/controls). */
  controlsRoot?: string;
  /** Where web resources are looked for (default <repoRoot>/webresources). */
  webResourcesRoot?: string;
  /** Fail when a placement's control is not built (release builds). */
  requireControls?: boolean;
  /** Override the version (tests); default: the root package.json. */
  versions?: Versions;
}

export interface Packed {
  versions: Versions;
  /** Zip entries of the unmanaged solution (the managed one differs only in solution.xml). */
  files: Record<string, Uint8Array>;
  managedSolutionXml: string;
  unmanaged: Uint8Array;
  managed: Uint8Array;
  controls: BuiltControl[];
  webResources: WebResourceFile[];
  placements: Resolved;
  ignoredWebResourceFiles: string[];
}

/**
 * Fixed entry time, built from local date parts: zip entries store local (DOS) time, so a Date made
 * this way gives the same bytes in every time zone. Entries are sorted, so packing twice gives the
 * same bytes.
 */
const MTIME = new Date(2020, 0, 1, 0, 0, 0);

export function zipEntries(files: Record<string, Uint8Array>): Uint8Array {
  const sorted: Record<string, [Uint8Array, { level: 9; mtime: Date }]> = {};
  for (const name of Object.keys(files).sort()) sorted[name] = [files[name]!, { level: 9, mtime: MTIME }];
  return zipSync(sorted);
}

/**
 * `[Content_Types].xml`, as SolutionPackager writes it: a Default per extension in the zip, and an
 * Override for any file without one.
 */
export function contentTypes(paths: string[]): string {
  const exts = new Set<string>(["xml"]);
  const overrides: string[] = [];
  for (const p of paths) {
    const ext = posix.extname(p).slice(1).toLowerCase();
    if (ext) exts.add(ext);
    else overrides.push(p);
  }
  const defaults = [...exts]
    .sort()
    .map(
      (e) =>
        `<Default Extension="${e}" ContentType="${e === "xml" ? "text/xml" : "application/octet-stream"}" />`,
    );
  const over = overrides
    .sort()
    .map((p) => `<Override PartName="/${p}" ContentType="application/octet-stream" />`);
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${[...defaults, ...over].join("")}</Types>\n`
  );
}

export function zipName(versions: Versions, managed: boolean): string {
  return `${SOLUTION.uniqueName}_${versions.solution.replace(/\./g, "_")}${managed ? "_managed" : ""}.zip`;
}

/** Build the solution from the model, the built controls and the web resources. Pure apart from reading them. */
export function pack(opts: PackOptions): Packed {
  const versions = opts.versions ?? readVersions(opts.repoRoot);
  const controls = discoverControls(
    opts.controlsRoot ?? join(opts.repoRoot, "controls"),
    PUBLISHER.prefix,
    versions.control,
  );
  const { resources: webResources, ignored } = discoverWebResources(
    opts.webResourcesRoot ?? join(opts.repoRoot, "webresources"),
    PUBLISHER.prefix,
  );
  const placements = resolvePlacements(controls, opts.requireControls ?? false);
  const components = rootComponents(controls, webResources);

  const files: Record<string, Uint8Array> = {};
  for (const c of controls) {
    files[`Controls/${c.name}/ControlManifest.xml`] = strToU8(c.manifest);
    for (const [rel, data] of c.files) files[`Controls/${c.name}/${rel}`] = data;
  }
  for (const w of webResources) files[w.zipPath] = w.data;
  files["customizations.xml"] = strToU8(customizationsXml({ placements, controls, webResources }));
  files["solution.xml"] = strToU8(solutionXml(versions.solution, false, components));
  files["[Content_Types].xml"] = strToU8(contentTypes(Object.keys(files)));

  const managedSolutionXml = solutionXml(versions.solution, true, components);
  return {
    versions,
    files,
    managedSolutionXml,
    unmanaged: zipEntries(files),
    managed: zipEntries({ ...files, "solution.xml": strToU8(managedSolutionXml) }),
    controls,
    webResources,
    placements,
    ignoredWebResourceFiles: ignored,
  };
}
