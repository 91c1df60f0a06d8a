import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, posix } from "node:path";

import { stableGuid } from "./ids";

/** WebResourceType codes (Dataverse): by file extension. */
export const WEB_RESOURCE_TYPES: Record<string, number> = {
  ".html": 1,
  ".htm": 1,
  ".css": 2,
  ".js": 3,
  ".xml": 4,
  ".png": 5,
  ".jpg": 6,
  ".jpeg": 6,
  ".gif": 7,
  ".xsl": 9,
  ".xslt": 9,
  ".ico": 10,
  ".svg": 11,
  ".resx": 12,
};

export interface WebResourceFile {
  /** Dataverse name: `<prefix>_/` + the path under webresources/, e.g. rp_/settings/index.html. */
  name: string;
  id: string;
  type: number;
  /** Path inside the zip. */
  zipPath: string;
  data: Uint8Array;
}

/**
 * Every file under `root` whose extension is a web resource type becomes a web resource named after its
 * path: webresources/settings/index.html → rp_/settings/index.html, so pages can reference each other
 * by relative URL. Other files (sources, maps, READMEs) are listed in `ignored`; dot-folders and
 * node_modules are skipped.
 */
export function discoverWebResources(
  root: string,
  prefix: string,
): { resources: WebResourceFile[]; ignored: string[] } {
  const resources: WebResourceFile[] = [];
  const ignored: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry.startsWith(".") || entry === "node_modules") continue;
      const full = join(dir, entry);
      const relPath = rel ? `${rel}/${entry}` : entry;
      if (statSync(full).isDirectory()) {
        walk(full, relPath);
        continue;
      }
      const type = WEB_RESOURCE_TYPES[extname(entry).toLowerCase()];
      if (type === undefined) {
        ignored.push(relPath);
        continue;
      }
      const name = `${prefix}_/${relPath}`;
      if (!/^[A-Za-z0-9_./-]+$/.test(name)) {
        throw new Error(`Web resource ${relPath}: names may hold only letters, digits, _ - . and /`);
      }
      resources.push({
        name,
        id: stableGuid(`webresource:${name}`),
        type,
        zipPath: `WebResources/${name}`,
        data: new Uint8Array(readFileSync(full)),
      });
    }
  };
  if (existsSync(root)) walk(root, "");
  checkReferences(resources, prefix);
  return { resources, ignored };
}

/**
 * What every org serves at the root of its web resources, so a page may refer to it without packing it:
 * ClientGlobalContext.js.aspx defines GetGlobalContext() for HTML web resources.
 */
const PLATFORM_WEB_RESOURCES: ReadonlySet<string> = new Set(["ClientGlobalContext.js.aspx"]);

/**
 * A page's own scripts and styles (relative src/href) must be packed with it: a page whose bundle was
 * never built would import as a blank page. Throws naming the page and the missing file.
 */
function checkReferences(resources: readonly WebResourceFile[], prefix: string): void {
  const names = new Set(resources.map((r) => r.name));
  for (const page of resources.filter((r) => r.type === 1)) {
    const html = new TextDecoder().decode(page.data);
    for (const m of html.matchAll(/<(?:script|link)\b[^>]*?\s(?:src|href)\s*=\s*["']([^"']+)["']/gi)) {
      const ref = m[1]!;
      if (/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(ref)) continue;
      const target = posix.normalize(posix.join(posix.dirname(page.name), ref.split(/[?#]/)[0]!));
      if (!names.has(target) && !PLATFORM_WEB_RESOURCES.has(target))
        throw new Error(
          `Web resource ${page.name.slice(prefix.length + 2)} refers to ${ref}, which is not in webresources/ ` +
            "(build the pages first: npm run build:webresources)",
        );
    }
  }
}
