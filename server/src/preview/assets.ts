import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { XMLParser } from "fast-xml-parser";

import { InputError } from "../app/errors";

/** The repository root: this file is server/src/preview (tests) or server/dist/preview (built). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The PCF controls the preview hosts, as the solution names them without the publisher prefix. */
export const PREVIEW_CONTROLS = [
  "HealthGrid",
  "RelationshipAnalytics",
  "RelationshipPipeline",
  "WhoKnowsWhom",
] as const;

export interface StaticFile {
  file: string;
  contentType: string;
}

export interface PreviewAssets {
  /** URL path → file on disk. */
  files: Map<string, StaticFile>;
  /** Each control's localised strings (its 1033 resx), served to the host page as JSON. */
  strings: Record<string, Record<string, string>>;
}

/** What `npm start` needs built before the preview can serve it, with the command that builds it. */
export class PreviewNotBuiltError extends InputError {
  override readonly name = "PreviewNotBuiltError";
  constructor(readonly missing: string[]) {
    super(
      `the local preview is not built (missing: ${missing.join(", ")}); run \`npm run build:preview\` ` +
        "(npm start does it for you), or pass --no-preview",
    );
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** The `<data name>` → `<value>` pairs of a .resx file. */
export function resxStrings(xml: string): Record<string, string> {
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseTagValue: false,
    isArray: (n) => n === "data",
  }).parse(xml) as { root?: { data?: { name?: unknown; value?: unknown }[] } };
  const out: Record<string, string> = {};
  for (const d of parsed.root?.data ?? [])
    if (typeof d.name === "string") out[d.name] = d.value === undefined ? "" : String(d.value);
  return out;
}

/**
 * Finds every file the preview serves: the host page and its script (server/preview, built by
 * scripts/build-preview.mjs), React 16.14 and the Fluent 9 platform library (what a model-driven app loads
 * for virtual controls), the BUILT control bundles with their strings, and each web resource page under
 * webresources/ at the path an org serves it from (/WebResources/rp_/settings/index.html).
 */
export function locatePreviewAssets(root = REPO_ROOT): PreviewAssets {
  const files = new Map<string, StaticFile>();
  const missing: string[] = [];
  const add = (url: string, file: string) => {
    if (!existsSync(file)) missing.push(path.relative(root, file));
    files.set(url, { file, contentType: TYPES[path.extname(file)] ?? "application/octet-stream" });
  };
  const previewDir = path.join(root, "server", "preview");
  add("/", path.join(previewDir, "index.html"));
  add("/preview/shell.js", path.join(previewDir, "dist", "shell.js"));
  add("/preview/manifest.json", path.join(previewDir, "dist", "manifest.json"));
  add("/lib/fluent.js", path.join(previewDir, "dist", "fluent.js"));
  add("/lib/platform.js", path.join(previewDir, "platform.js"));
  // What an org serves at the root of its web resources for HTML pages (GetGlobalContext), here a stand-in.
  add("/WebResources/ClientGlobalContext.js.aspx", path.join(previewDir, "ClientGlobalContext.js"));
  add("/lib/react.js", require.resolve("react/umd/react.production.min.js"));
  add("/lib/react-dom.js", require.resolve("react-dom/umd/react-dom.production.min.js"));
  const strings: PreviewAssets["strings"] = {};
  for (const name of PREVIEW_CONTROLS) {
    const out = path.join(root, "controls", name, "out", "controls", name);
    add(`/controls/${name}/bundle.js`, path.join(out, "bundle.js"));
    const resx = path.join(out, "strings", `${name}.1033.resx`);
    if (existsSync(resx)) strings[name] = resxStrings(readFileSync(resx, "utf8"));
    else missing.push(path.relative(root, resx));
  }
  const webresources = path.join(root, "webresources");
  for (const page of existsSync(webresources) ? readdirSync(webresources).sort() : []) {
    const dir = path.join(webresources, page);
    if (!statSync(dir).isDirectory() || !existsSync(path.join(dir, "index.html"))) continue;
    for (const f of readdirSync(dir))
      if (TYPES[path.extname(f)] && statSync(path.join(dir, f)).isFile())
        add(`/WebResources/rp_/${page}/${f}`, path.join(dir, f));
    // The page's script is built next to it (scripts/build-webresources.mjs).
    if (!files.has(`/WebResources/rp_/${page}/${page}.js`))
      add(`/WebResources/rp_/${page}/${page}.js`, path.join(dir, `${page}.js`));
  }
  if (missing.length) throw new PreviewNotBuiltError(missing);
  return { files, strings };
}
