// Bundles each web resource page (webresources/<page>/src/main.tsx) with esbuild into one script next to
// its index.html (webresources/<page>/<page>.js), where the solution packer takes it. React and Fluent are
// bundled in: a web resource, unlike a virtual PCF control, gets no platform libraries. `--dev` skips
// minification. Exits 1 on any error.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const webresources = join(root, "webresources");
const dev = process.argv.includes("--dev");
const pages = existsSync(webresources)
  ? readdirSync(webresources)
      .sort()
      .filter((d) => existsSync(join(webresources, d, "src", "main.tsx")))
  : [];

let failed = 0;
for (const page of pages) {
  const outfile = join(webresources, page, `${page}.js`);
  const started = Date.now();
  try {
    await build({
      entryPoints: [join(webresources, page, "src", "main.tsx")],
      outfile,
      bundle: true,
      format: "iife",
      platform: "browser",
      target: ["chrome109", "edge109", "firefox115", "safari15"],
      minify: !dev,
      sourcemap: false,
      legalComments: "eof",
      jsx: "transform",
      define: { "process.env.NODE_ENV": JSON.stringify(dev ? "development" : "production") },
      logLevel: "warning",
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${relative(root, outfile)}: ${statSync(outfile).size} bytes in ${seconds} s`);
  } catch (err) {
    failed++;
    console.error(`${relative(root, outfile)}: BUILD FAILED: ${err instanceof Error ? err.message : err}`);
  }
}
if (pages.length === 0) console.log("no web resource pages (webresources/<page>/src/main.tsx)");
process.exit(failed > 0 ? 1 : 0);
