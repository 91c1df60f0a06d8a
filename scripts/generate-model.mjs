// Regenerates model/src/generated/ (table and column names, row interfaces) from the table
// definitions in model/src. Compiles the model's TypeScript in memory with esbuild, so it needs no build first.
// `--check` writes nothing and exits 1 when the file is out of date.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const result = await build({
  stdin: {
    contents: 'export { generateTables } from "./codegen"; export { ALL_TABLES } from "./allTables";',
    resolveDir: join(root, "model", "src"),
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "cjs",
  write: false,
  logLevel: "warning",
});
const mod = { exports: {} };
new Function("module", "exports", "require", result.outputFiles[0].text)(
  mod,
  mod.exports,
  createRequire(import.meta.url),
);
const files = mod.exports.generateTables(mod.exports.ALL_TABLES);
const dir = join(root, "model", "src", "generated");
const read = (path) => (existsSync(path) ? readFileSync(path, "utf8") : undefined);
const onDisk = existsSync(join(dir, "columns"))
  ? readdirSync(join(dir, "columns")).map((f) => `columns/${f}`)
  : [];
const stale = [
  ...Object.keys(files).filter((f) => read(join(dir, f)) !== files[f]),
  ...onDisk.filter((f) => !(f in files)),
];
if (process.argv.includes("--check")) {
  if (stale.length > 0) {
    console.error(`model/src/generated is out of date (${stale.join(", ")}): run \`npm run generate:model\``);
    process.exit(1);
  }
  console.log("model/src/generated is up to date");
} else {
  mkdirSync(join(dir, "columns"), { recursive: true });
  for (const f of onDisk.filter((f) => !(f in files))) rmSync(join(dir, f));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  console.log(`model/src/generated: ${Object.keys(files).length} files, ${stale.length} changed`);
}
