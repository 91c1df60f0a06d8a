// Regenerates model/src/generated/tables.ts (table and column names, row interfaces) from the table
// definitions in model/src. Compiles the model's TypeScript in memory with esbuild, so it needs no build first.
// `--check` writes nothing and exits 1 when the file is out of date.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const target = join(root, "model", "src", "generated", "tables.ts");
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
  createRequire(target),
);
const text = mod.exports.generateTables(mod.exports.ALL_TABLES);
let current = "";
try {
  current = readFileSync(target, "utf8");
} catch {
  // No file yet: it is written below (or reported as out of date).
}
if (process.argv.includes("--check")) {
  if (current !== text) {
    console.error("model/src/generated/tables.ts is out of date: run `npm run generate:model`");
    process.exit(1);
  }
  console.log("model/src/generated/tables.ts is up to date");
} else {
  writeFileSync(target, text);
  console.log(`model/src/generated/tables.ts: ${text.length} characters`);
}
