// Builds every PCF control workspace (controls/<Name>/ with a package.json) with pcf-scripts in production
// mode, two at a time. pcf-scripts exits 0 when a build fails (TOOLCHAIN §4.6), so a build counts as failed
// when the exit code is not 0, OR its output says "[build] Failed", OR out/controls/<Name>/ lacks
// ControlManifest.xml or bundle.js afterwards. Prints each bundle's size; exits 1 on any failure.
// The controls bundle @rapport/model from its build (model/dist/esm), so the model is built first.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const controlsRoot = join(root, "controls");
const mode = process.argv.includes("--dev") ? "development" : "production";
const workspaces = readdirSync(controlsRoot)
  .sort()
  .map((d) => join(controlsRoot, d))
  .filter((d) => existsSync(join(d, "package.json")));

const model = spawnSync("npm", ["run", "build:model"], { cwd: root, encoding: "utf8" });
if (model.status !== 0) {
  console.error(`${model.stdout}${model.stderr}`.trimEnd());
  console.error("model: BUILD FAILED (npm run build:model)");
  process.exit(1);
}

function build(ws) {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn("npm", ["run", "build", "--", "--buildMode", mode], {
      cwd: ws,
      env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => done({ ws, ok: false, output, why: `could not start: ${e.message}` }));
    child.on("close", (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const name = ws.slice(ws.lastIndexOf("/") + 1);
      const out = join(ws, "out", "controls", name);
      let why = "";
      if (code !== 0) why = `exit code ${code}`;
      else if (/\[build\] Failed/.test(output)) why = 'pcf-scripts reported "[build] Failed" (and exited 0)';
      else if (!existsSync(join(out, "ControlManifest.xml")) || !existsSync(join(out, "bundle.js")))
        why = `no ControlManifest.xml and bundle.js in ${relative(root, out)}`;
      done({ ws, ok: why === "", output, why, seconds, bundle: join(out, "bundle.js") });
    });
  });
}

const results = [];
const queue = [...workspaces];
await Promise.all(
  [0, 1].map(async () => {
    for (let ws = queue.shift(); ws; ws = queue.shift()) results.push(await build(ws));
  }),
);
let failed = 0;
for (const r of results.sort((a, b) => a.ws.localeCompare(b.ws))) {
  const name = relative(root, r.ws);
  if (r.ok) {
    console.log(`${name}: built (${mode}) in ${r.seconds} s, bundle.js ${statSync(r.bundle).size} bytes`);
  } else {
    failed++;
    console.error(r.output.trimEnd());
    console.error(`${name}: BUILD FAILED: ${r.why}`);
  }
}
if (workspaces.length === 0) console.log("no control workspaces under controls/");
process.exit(failed > 0 ? 1 : 0);
