// Writes the Azure Functions deployment package, dist/rapport-functions.zip (`npm run package:azure`):
//   host.json                        server/host.json as it is
//   package.json                     main: dist/functions/index.js; dependencies: @azure/functions only
//   dist/functions/index.js          the Functions entry as tsc builds it (server/dist/functions/index.js),
//                                    bundled by esbuild with everything it requires, except @azure/functions
//   node_modules/@azure/functions/…  the programming model and its own production dependencies, copied from
//                                    the workspace's hoisted node_modules
// The root's npm workspaces leave no server/node_modules, so zipping server/ would deploy no dependencies;
// and `config-zip` on Flex Consumption does no remote build for Node unless asked. This package is
// self-contained and plain JavaScript (the script fails if a native `.node` file would go in), so it loads
// on any Node the Functions runtime supports, whatever Node built it. @azure/functions stays a package of
// its own, as the Functions worker expects. The bundle starts from tsc's CommonJS output, so every package
// resolves as under Node's require() (their CommonJS builds: an ESM build bundled into CommonJS loses
// import.meta.url, which @azure/storage-common needs at load). Options: --out <file>; --no-build (server/dist
// is already built). Exits 1 on any error.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

import { build } from "esbuild";
import { zipSync } from "fflate";

const root = resolve(import.meta.dirname, "..");
const outIndex = process.argv.indexOf("--out");
const out =
  outIndex > 0 ? resolve(process.argv[outIndex + 1] ?? "") : join(root, "dist", "rapport-functions.zip");
/** Kept external: the Functions worker hands the app's own copy the host's core API. */
const EXTERNAL = ["@azure/functions"];
/** Fixed timestamps: the same sources give the same zip. */
const MTIME = new Date("2000-01-01T00:00:00Z");

const started = Date.now();
if (!process.argv.includes("--no-build"))
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", "server/tsconfig.build.json"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
/** @type {Record<string, Uint8Array>} */
const files = {};

// 1. The entry, bundled. Target Node 20: the build machine's, and what the bundle must still run on.
const bundle = await build({
  entryPoints: [join(root, "server", "dist", "functions", "index.js")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: EXTERNAL,
  write: false,
  outfile: "dist/functions/index.js",
  legalComments: "eof",
  // The few ESM-only packages (`open`, behind @azure/identity's interactive login, never used here) read
  // import.meta.url: give them the bundle's own URL rather than undefined.
  define: { "import.meta.url": "__rapportBundleUrl" },
  banner: { js: 'const __rapportBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
  metafile: true,
});
if (bundle.outputFiles.length !== 1) fail(`expected one bundled file, got ${bundle.outputFiles.length}`);
files["dist/functions/index.js"] = bundle.outputFiles[0].contents;
// A package with a binding.gyp loads a compiled .node file at run time, which no bundle can carry.
const nativePackages = new Set();
for (const input of Object.keys(bundle.metafile.inputs)) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (input.endsWith(".node") || (m && existsSync(join(root, m[1], "binding.gyp"))))
    nativePackages.add(m?.[1] ?? input);
}
if (nativePackages.size)
  fail(`the Functions entry reaches native modules: ${[...nativePackages].join(", ")}`);

// 2. @azure/functions and its production dependencies, resolved as Node would from the workspace root.
/** @type {Map<string, string>} package name → version copied to node_modules/<name> */
const copied = new Map();
function packageDir(name, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === dirname(dir)) fail(`cannot find the package ${name} (run npm ci first)`);
  }
}
function addTree(dir, zipPath) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const inZip = `${zipPath}/${entry.name}`;
    if (entry.isDirectory()) addTree(full, inZip);
    else if (entry.isFile()) {
      if (entry.name.endsWith(".node")) fail(`${inZip} is a native module`);
      files[inZip] = readFileSync(full);
    }
  }
}
function copyPackage(name, from) {
  const dir = packageDir(name, from);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const have = copied.get(name);
  if (have !== undefined) {
    if (have !== pkg.version) fail(`two versions of ${name} needed (${have}, ${pkg.version}): not flattened`);
    return;
  }
  copied.set(name, pkg.version);
  // Its own nested node_modules go with it; what it resolves from above is copied flat beside it.
  addTree(dir, `node_modules/${name}`);
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }))
    if (!existsSync(join(dir, "node_modules", dep, "package.json"))) copyPackage(dep, dir);
}
for (const name of EXTERNAL) copyPackage(name, join(root, "server"));

// 3. host.json and a package.json that names only what node_modules holds.
const server = JSON.parse(readFileSync(join(root, "server", "package.json"), "utf8"));
files["host.json"] = readFileSync(join(root, "server", "host.json"));
const manifest = {
  name: "rapport-functions",
  version: server.version,
  private: true,
  description: "Rapport scale-out: the Azure Functions app (built by npm run package:azure).",
  license: server.license,
  main: "dist/functions/index.js",
  engines: { node: ">=20" },
  dependencies: Object.fromEntries(EXTERNAL.map((name) => [name, copied.get(name)])),
};
files["package.json"] = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);

const zip = zipSync(
  Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((name) => [name, [files[name], { mtime: MTIME }]]),
  ),
  { level: 6 },
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, zip);
const bundleBytes = files["dist/functions/index.js"]?.length ?? 0;
console.log(
  `${relative(root, out)}: ${Object.keys(files).length} files, ${statSync(out).size} bytes ` +
    `(entry bundle ${bundleBytes} bytes; node_modules: ${[...copied].map(([n, v]) => `${n}@${v}`).join(", ")}) ` +
    `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

function fail(message) {
  console.error(`package:azure: ${message}`);
  process.exit(1);
}
