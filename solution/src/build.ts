import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { findControlOutputs } from "./controls";

/** Control workspaces: controls/<Name>/ with a package.json. */
export function controlWorkspaces(controlsRoot: string): string[] {
  if (!existsSync(controlsRoot)) return [];
  return readdirSync(controlsRoot)
    .sort()
    .map((d) => join(controlsRoot, d))
    .filter((d) => existsSync(join(d, "package.json")));
}

/**
 * Build every control workspace in production mode. pcf-scripts exits 0 when a build fails (TOOLCHAIN
 * §4.6), so success is judged three ways: the exit code, the absence of `[build] Failed` in the output,
 * and a ControlManifest.xml under the workspace's out/controls/ afterwards. Any one failing throws.
 */
export function buildControls(controlsRoot: string, log: (line: string) => void = console.log): string[] {
  const built: string[] = [];
  for (const ws of controlWorkspaces(controlsRoot)) {
    log(`Building control workspace ${ws}`);
    const r = spawnSync("npm", ["run", "build", "--", "--buildMode", "production"], {
      cwd: ws,
      env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: "true" },
      encoding: "utf8",
    });
    const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    log(output.trimEnd());
    if (r.error) throw new Error(`Control build in ${ws} could not start: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`Control build failed in ${ws} (exit code ${r.status})`);
    if (/\[build\] Failed/.test(output)) {
      throw new Error(`Control build failed in ${ws}: pcf-scripts reported "[build] Failed" (and exited 0)`);
    }
    const outputs = findControlOutputs(controlsRoot).filter((d) => d.startsWith(join(ws, "out")));
    if (outputs.length === 0)
      throw new Error(`Control build in ${ws} produced no out/controls/*/ControlManifest.xml`);
    built.push(...outputs);
  }
  return built;
}

/**
 * Bundle the web resource pages (webresources/<page>/src → webresources/<page>/<page>.js) with the root
 * script, so that the packer takes the built page.
 */
export function buildWebResources(repoRoot: string, log: (line: string) => void = console.log): void {
  const r = spawnSync(process.execPath, [join(repoRoot, "scripts", "build-webresources.mjs")], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  log(`${r.stdout ?? ""}${r.stderr ?? ""}`.trimEnd());
  if (r.error) throw new Error(`Web resource build could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`Web resource build failed (exit code ${r.status})`);
}
