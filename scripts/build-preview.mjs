// Builds what the local preview serves (server/preview/dist/): the Fluent 9 platform library as a model-driven
// app gives it to virtual controls (window.FluentUIReactv940, over the platform's React 16.14), the host page's
// script, and manifest.json generated from the solution's own views and forms (solution/src/previewManifest.ts).
// `--if-needed` skips a build whose output is newer than its sources, and builds the controls and the web
// resources first when they are missing or older than their sources (what `npm start` runs).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";

import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const out = join(root, "server", "preview", "dist");
const ifNeeded = process.argv.includes("--if-needed");

/** The newest modification time under the given paths (files or folders), skipping outputs. */
function newest(...paths) {
  let t = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p))
        if (!["node_modules", "out", "dist", "generated", "__tests__"].includes(e)) walk(join(p, e));
    } else t = Math.max(t, st.mtimeMs);
  };
  paths.forEach(walk);
  return t;
}
const stale = (output, ...sources) => !existsSync(output) || statSync(output).mtimeMs < newest(...sources);

function run(script, why) {
  console.log(`${why}: npm run ${script} …`);
  const r = spawnSync("npm", ["run", script], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (ifNeeded) {
  if (stale(join(root, "server", "dist", "cli", "main.js"), join(root, "server", "src")))
    run("build", "The server is not built or older than its sources");
  const controls = ["HealthGrid", "RelationshipAnalytics", "RelationshipPipeline", "WhoKnowsWhom"];
  if (
    controls.some((c) =>
      stale(
        join(root, "controls", c, "out", "controls", c, "bundle.js"),
        join(root, "controls", c, c),
        join(root, "controls", "shared"),
      ),
    )
  )
    run("build:controls", "The controls are not built or older than their sources (about a minute)");
  if (
    stale(
      join(root, "webresources", "settings", "settings.js"),
      join(root, "webresources", "settings", "src"),
    )
  )
    run("build:webresources", "The settings page is not built");
}

/** Maps the platform's libraries to the globals the page defines, as pcf-scripts does for controls. */
const globals = (names) => ({
  name: "platform-globals",
  setup(b) {
    const filter = new RegExp(
      `^(${Object.keys(names)
        .map((n) => n.replace(/[/.]/g, "\\$&"))
        .join("|")})$`,
    );
    b.onResolve({ filter }, (a) => ({ path: a.path, namespace: "platform-global" }));
    b.onLoad({ filter: /.*/, namespace: "platform-global" }, (a) => ({
      contents: `module.exports = window[${JSON.stringify(names[a.path])}];`,
      loader: "js",
    }));
  },
});
const REACT = { react: "React", "react-dom": "ReactDOM" };
const common = {
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["chrome109", "edge109", "firefox115", "safari15"],
  minify: true,
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
};

mkdirSync(out, { recursive: true });
const fluentPkg = join(root, "node_modules", "@fluentui", "react-components", "package.json");
const steps = [
  {
    file: "fluent.js",
    sources: [fluentPkg, import.meta.filename],
    run: () =>
      build({
        ...common,
        stdin: { contents: 'export * from "@fluentui/react-components";', resolveDir: root, loader: "js" },
        outfile: join(out, "fluent.js"),
        globalName: "FluentUIReactv940",
        plugins: [globals(REACT)],
      }),
  },
  {
    file: "shell.js",
    sources: [join(root, "server", "preview", "src"), import.meta.filename],
    run: () =>
      build({
        ...common,
        entryPoints: [join(root, "server", "preview", "src", "main.tsx")],
        outfile: join(out, "shell.js"),
        jsx: "transform",
        plugins: [globals({ ...REACT, "@fluentui/react-components": "FluentUIReactv940" })],
      }),
  },
  {
    file: "manifest.json",
    sources: [join(root, "solution", "src"), join(root, "server", "src", "dataverse"), import.meta.filename],
    run: async () => {
      const tmp = join(out, "manifest.cjs");
      await build({
        ...common,
        format: "cjs",
        platform: "node",
        target: "node20",
        minify: false,
        entryPoints: [join(root, "solution", "src", "previewManifest.ts")],
        outfile: tmp,
      });
      const { previewManifest } = createRequire(import.meta.url)(tmp);
      writeFileSync(join(out, "manifest.json"), JSON.stringify(previewManifest(), null, 1) + "\n");
      rmSync(tmp);
    },
  },
];

let failed = 0;
for (const step of steps) {
  const target = join(out, step.file);
  if (ifNeeded && !stale(target, ...step.sources)) continue;
  const started = Date.now();
  try {
    await step.run();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${relative(root, target)}: ${statSync(target).size} bytes in ${seconds} s`);
  } catch (err) {
    failed++;
    console.error(`${relative(root, target)}: BUILD FAILED: ${err instanceof Error ? err.message : err}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
