import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { XMLParser } from "fast-xml-parser";
import { strFromU8, unzipSync } from "fflate";

import { pack, type Packed, type PackOptions } from "../../solution/src/pack";

export const REPO = resolve(__dirname, "../..");
export const FIXTURES = join(REPO, "tests/fixtures/solution");
export const XSD = join(REPO, "solution/schemas/CustomizationsSolution.xsd");
const NOWHERE = join(FIXTURES, "does-not-exist");

/** The solution as the repository packs it today: no controls, no web resources. */
export const packEmpty = (extra: Partial<PackOptions> = {}): Packed =>
  pack({ repoRoot: REPO, controlsRoot: NOWHERE, webResourcesRoot: NOWHERE, ...extra });

/** The solution with the fixture controls (RelationshipAnalytics, HealthGrid) and web resources. */
export const packFixtures = (extra: Partial<PackOptions> = {}): Packed =>
  pack({
    repoRoot: REPO,
    controlsRoot: join(FIXTURES, "controls"),
    webResourcesRoot: join(FIXTURES, "webresources"),
    ...extra,
  });

export const unzip = (zip: Uint8Array): Record<string, Uint8Array> => unzipSync(zip);
export const textOf = (files: Record<string, Uint8Array>, name: string): string => {
  const f = files[name];
  if (!f) throw new Error(`${name} is not in the zip`);
  return strFromU8(f);
};

/** Elements that repeat in solution XML, always parsed as arrays. */
const ARRAYS = new Set([
  "Entity",
  "attribute",
  "EntityKey",
  "AttributeName",
  "EntityRelationship",
  "optionset",
  "option",
  "Role",
  "RolePrivilege",
  "savedquery",
  "systemform",
  "WebResource",
  "CustomControl",
  "RootComponent",
  "cell",
  "row",
  "control",
  "controlDescription",
  "customControl",
  "condition",
  "link-entity",
  "Default",
  "Override",
]);
export const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  isArray: (name) => ARRAYS.has(name),
});

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Doc = any;
export const parse = (xml: string): Doc => parser.parse(xml);

/** Every element named `name` anywhere below `node`. */
export function findAll(node: Doc, name: string, out: Doc[] = []): Doc[] {
  if (node === null || typeof node !== "object") return out;
  if (Array.isArray(node)) {
    for (const n of node) findAll(n, name, out);
    return out;
  }
  for (const [k, v] of Object.entries(node)) {
    if (k === name) out.push(...(Array.isArray(v) ? v : [v]));
    findAll(v, name, out);
  }
  return out;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Validate XML text against CustomizationsSolution.xsd with xmllint; returns its output. */
export function xmllint(xml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "rapport-solution-"));
  const file = join(dir, "customizations.xml");
  writeFileSync(file, xml);
  try {
    return execFileSync("xmllint", ["--noout", "--schema", XSD, file], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const err = e as { code?: string; stderr?: string; message: string };
    if (err.code === "ENOENT") throw new Error("xmllint is not installed (Debian package libxml2-utils)");
    throw new Error(`xmllint rejected customizations.xml:\n${(err.stderr ?? err.message).slice(0, 4000)}`);
  }
}
