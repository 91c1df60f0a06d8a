import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

import { buildControls, buildWebResources } from "./build";
import { findRepoRoot } from "./identity";
import { pack, zipName } from "./pack";

/**
 * `npm run package [-- --skip-build] [-- --require-controls] [-- --out <dir>]`: build the controls and the
 * web resource pages, then write the unmanaged and managed solution zips to dist/ (or --out).
 */
function main(argv: string[]): void {
  const flag = (f: string) => argv.includes(f);
  const outIndex = argv.indexOf("--out");
  const repoRoot = findRepoRoot(process.cwd());
  const outDir = outIndex >= 0 && argv[outIndex + 1] ? argv[outIndex + 1]! : join(repoRoot, "dist");
  const requireControls = flag("--require-controls") || process.env.RAPPORT_REQUIRE_CONTROLS === "1";

  if (!flag("--skip-build")) {
    buildControls(join(repoRoot, "controls"));
    buildWebResources(repoRoot);
  }
  const packed = pack({ repoRoot, requireControls });

  mkdirSync(outDir, { recursive: true });
  for (const [managed, bytes] of [
    [false, packed.unmanaged],
    [true, packed.managed],
  ] as const) {
    const file = join(outDir, zipName(packed.versions, managed));
    writeFileSync(file, bytes);
    console.log(
      `${relative(repoRoot, file)}: ${bytes.length} bytes, ${Object.keys(packed.files).length} entries`,
    );
  }
  console.log(
    `version ${packed.versions.solution}; controls: ${packed.controls.map((c) => c.name).join(", ") || "none"}`,
  );
  console.log(`web resources: ${packed.webResources.map((w) => w.name).join(", ") || "none"}`);
  for (const s of packed.placements.skipped) console.log(`not placed (control not built): ${s}`);
  for (const u of packed.placements.unplaced) console.log(`packed but not placed on any form or view: ${u}`);
  for (const i of packed.ignoredWebResourceFiles)
    console.log(`webresources/${i}: not a web resource type, left out`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(`npm run package: ${(e as Error).message}`);
  process.exit(1);
}
