// The model-driven host, played locally: serves React 16.14 and the Fluent 9.46.2 platform library from
// node_modules, the BUILT control bundles and their resx strings, the host page, and proxies the Web API to
// a local Dataverse endpoint (adding its token). A request with `x-harness-deny: <table>,...` is answered
// 403 with Dataverse's privilege error for those tables (a user without the Rapport Reader role), and
// `x-harness-deny-id: <guid>` does the same for one row (an activity the user may not read).
"use strict";
const http = require("node:http");
const {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} = require("node:fs");
const { join } = require("node:path");

const ROOT = join(__dirname, "..", "..", "..");
const NM = join(ROOT, "node_modules");
const CACHE = join(NM, ".cache", "rapport-harness");
const FLUENT_VERSION = JSON.parse(
  readFileSync(join(NM, "@fluentui/react-components/package.json"), "utf8"),
).version;
const FLUENT_BUNDLE = join(CACHE, `fluent-${FLUENT_VERSION}.js`);

/**
 * Bundle the Fluent exports the controls use into a browser script defining window.FluentUIReactv940 (cached).
 * Built in a folder of its own and renamed into place (the bundle last), so a jest worker building it at the
 * same time (pcf-start.test.ts uses it too) never reads a half-written file.
 */
async function buildFluentLibrary() {
  if (
    existsSync(FLUENT_BUNDLE) &&
    statSync(FLUENT_BUNDLE).mtimeMs > statSync(join(__dirname, "fluent-entry.js")).mtimeMs
  )
    return FLUENT_BUNDLE;
  mkdirSync(CACHE, { recursive: true });
  const out = mkdtempSync(join(CACHE, "build-"));
  const webpack = require("webpack");
  const compiler = webpack({
    mode: "production",
    entry: join(__dirname, "fluent-entry.js"),
    output: {
      path: out,
      filename: `fluent-${FLUENT_VERSION}.js`,
      library: { name: "FluentUIReactv940", type: "window" },
    },
    // react/jsx-runtime is bundled (React 16.14 ships it; it requires the external react).
    externals: { react: "React", "react-dom": "ReactDOM" },
    module: { rules: [{ test: /\.m?js$/, resolve: { fullySpecified: false } }] },
    performance: { hints: false },
    devtool: false,
  });
  await new Promise((resolve, reject) =>
    compiler.run((err, stats) => {
      if (err || stats.hasErrors()) reject(err ?? new Error(stats.toString("errors-only")));
      else compiler.close(() => resolve());
    }),
  );
  const bundle = `fluent-${FLUENT_VERSION}.js`;
  for (const f of [...readdirSync(out).filter((f) => f !== bundle), bundle])
    renameSync(join(out, f), join(CACHE, f));
  rmSync(out, { recursive: true, force: true });
  return FLUENT_BUNDLE;
}

/** The <data name> → <value> pairs of a resx file. */
function resxStrings(file) {
  const out = {};
  const unescape = (s) =>
    s
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
  for (const m of readFileSync(file, "utf8").matchAll(
    /<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g,
  ))
    out[m[1]] = unescape(m[2]);
  return out;
}

const CONTROLS = ["HealthGrid", "RelationshipAnalytics", "RelationshipPipeline", "WhoKnowsWhom"];
const builtDir = (name) => join(ROOT, "controls", name, "out", "controls", name);

/** Fails with a clear message when a control is not built (npm run build:controls). */
function assertBuilt() {
  for (const c of CONTROLS)
    if (!existsSync(join(builtDir(c), "bundle.js")))
      throw new Error(
        `${c} is not built: run npm run build:controls first (${builtDir(c)}/bundle.js is missing)`,
      );
}

const TYPES = { js: "application/javascript", html: "text/html; charset=utf-8", json: "application/json" };

/**
 * Start the harness on 127.0.0.1 (random port). `dataverse` is { serviceRoot, token } of a local endpoint.
 * Returns { url, close, requests } where requests counts proxied Web API calls by method.
 */
async function startHarness({ dataverse }) {
  assertBuilt();
  const fluent = await buildFluentLibrary();
  const files = {
    "/": [join(__dirname, "host.html"), TYPES.html],
    "/host.js": [join(__dirname, "host.js"), TYPES.js],
    "/lib/react.js": [join(NM, "react/umd/react.production.min.js"), TYPES.js],
    "/lib/react-dom.js": [join(NM, "react-dom/umd/react-dom.production.min.js"), TYPES.js],
    "/lib/fluent.js": [fluent, TYPES.js],
    "/lib/axe.js": [join(NM, "axe-core/axe.min.js"), TYPES.js],
  };
  for (const c of CONTROLS) files[`/controls/${c}/bundle.js`] = [join(builtDir(c), "bundle.js"), TYPES.js];
  const strings = Object.fromEntries(
    CONTROLS.map((c) => [c, resxStrings(join(builtDir(c), "strings", `${c}.1033.resx`))]),
  );
  const requests = { GET: 0, POST: 0, PATCH: 0, DELETE: 0 };
  const upstream = new URL(dataverse.serviceRoot);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://harness");
    if (url.pathname.startsWith("/api/data/v9.2/")) return proxy(req, res, url);
    if (url.pathname === "/strings.json") {
      res.writeHead(200, { "content-type": TYPES.json });
      return res.end(JSON.stringify(strings));
    }
    const f = files[url.pathname];
    if (!f) {
      res.writeHead(404).end();
      return undefined;
    }
    res.writeHead(200, { "content-type": f[1], "cache-control": "no-store" });
    res.end(readFileSync(f[0]));
    return undefined;
  });

  function deny(res, what) {
    res.writeHead(403, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: {
          code: "0x80040220",
          message: `Principal user (Id=harness) is missing prvRead${what} privilege`,
        },
      }),
    );
  }

  function proxy(req, res, url) {
    requests[req.method] = (requests[req.method] ?? 0) + 1;
    const path = decodeURIComponent(url.pathname.slice("/api/data/v9.2/".length));
    const set = path.split(/[(/?]/)[0];
    const deniedTables = String(req.headers["x-harness-deny"] ?? "")
      .split(",")
      .filter(Boolean);
    const deniedId = String(req.headers["x-harness-deny-id"] ?? "");
    if (deniedTables.some((t) => set === t || set.startsWith(t))) return deny(res, set);
    if (deniedId && path.toLowerCase().includes(deniedId.toLowerCase())) return deny(res, set);
    const headers = { ...req.headers, host: upstream.host, authorization: `Bearer ${dataverse.token}` };
    delete headers["x-harness-deny"];
    delete headers["x-harness-deny-id"];
    // In an org the page and the Web API share one origin; this proxy plays that front door, so a request
    // from the harness's own page reaches the endpoint as same-origin (any other origin is passed on as is).
    if (req.headers.origin === `http://${req.headers.host}`) headers.origin = `http://${upstream.host}`;
    const target = new URL(url.pathname.slice("/api/data/v9.2/".length) + url.search, dataverse.serviceRoot);
    const up = http.request(target, { method: req.method, headers }, (r) => {
      const h = { ...r.headers };
      // The endpoint's absolute URLs (OData-EntityId, nextLink) point at itself; the page only needs the ids.
      res.writeHead(r.statusCode ?? 502, h);
      r.pipe(res);
    });
    up.on("error", (e) => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "0x80040216", message: `harness proxy: ${e.message}` } }));
    });
    req.pipe(up);
    return undefined;
  }

  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

module.exports = { startHarness, buildFluentLibrary, CONTROLS };
