import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { unzipSync } from "fflate";

// The Azure deployment package as `npm run package:azure` writes it: its layout, that it is plain
// JavaScript, and what its entry registers when loaded with the packaged @azure/functions, compared with
// docs/scale-out.md's function table. The entry runs in a child process (Node exits on an unhandled
// rejection there, as the Functions worker would) with a stand-in for the host's core API and with
// Storage refusing every request: Graph's handshake is answered, the setup is retried, the process lives.

const ROOT = path.resolve(__dirname, "../../..");
const run = promisify(execFile);

interface Registered {
  name: string;
  type: string;
  queueName?: string;
  route?: string;
  methods?: string[];
  connection?: string;
  authLevel?: string;
}

/** Stands in for the Functions worker: provides `@azure/functions-core`, loads the entry, drives two handlers. */
const PROBE = String.raw`
const Module = require("node:module");
const path = require("node:path");
const registered = [];
const handlers = new Map();
const core = {
  setProgrammingModel() {},
  registerFunction(metadata, handler) {
    registered.push(metadata);
    handlers.set(metadata.name, handler);
    return { dispose() {} };
  },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === "@azure/functions-core" ? core : load.call(this, request, ...rest);
};
const appDir = process.argv[2];
const main = require(path.join(appDir, "package.json")).main;
const started = Date.now();
require(path.join(appDir, main));
const { HttpRequest, InvocationContext } = require(require.resolve("@azure/functions", { paths: [appDir] }));
const ctx = (name) => new InvocationContext({ invocationId: "probe", functionName: name, logHandler: () => {} });
(async () => {
  const token = "Validation: Testing client application reachability for subscription Request-Id: 1";
  const handshake = await handlers.get("graphNotifications")(
    new HttpRequest({ method: "POST", url: "https://app.example/api/graph/notifications?code=k&validationToken=" + encodeURIComponent(token) }),
    ctx("graphNotifications"),
  );
  const handshakeMs = Date.now() - started;
  // Past the first backoff (1 s): the next invocation makes a new setup attempt, which fails again.
  await new Promise((r) => setTimeout(r, 1500));
  let statusError;
  try {
    await handlers.get("status")(new HttpRequest({ method: "GET", url: "https://app.example/api/status" }), ctx("status"));
  } catch (err) {
    statusError = err.name;
  }
  await new Promise((r) => setTimeout(r, 200));
  process.stdout.write("PROBE " + JSON.stringify({
    registered,
    handshake: { status: handshake.status, body: handshake.body, ms: handshakeMs, token },
    statusError,
    versions: process.versions.node,
  }) + "\n");
})();
`;

/** Storage that refuses everything (403 AuthorizationFailure, which the SDK does not retry). */
function refusingStorage(): Promise<{ server: Server; port: number; requests: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    req.resume();
    res.writeHead(403, { "Content-Type": "application/xml", "x-ms-error-code": "AuthorizationFailure" });
    res.end('<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationFailure</Code></Error>');
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, port: (server.address() as AddressInfo).port, requests: () => n }),
    ),
  );
}

/** The function table of docs/scale-out.md, read as the registrations it describes. */
function documentedFunctions(): Registered[] {
  const doc = readFileSync(path.join(ROOT, "docs/scale-out.md"), "utf8");
  const section = doc.slice(
    doc.indexOf("## Functions"),
    doc.indexOf("\n## ", doc.indexOf("## Functions") + 3),
  );
  const rows = section.split("\n").filter((l) => /^\| `\w+` \|/.test(l));
  return rows.map((row) => {
    const [name = "", trigger = "", connection = ""] = row
      .split("|")
      .slice(1, 4)
      .map((c) => c.trim());
    const fn: Registered = { name: name.replace(/`/g, ""), type: "" };
    const queue = /^queue `([^`]+)`/.exec(trigger);
    const http = /^HTTP `(\w+) \/api\/([^`]+)`/.exec(trigger);
    if (queue) Object.assign(fn, { type: "queueTrigger", queueName: queue[1] });
    else if (http) Object.assign(fn, { type: "httpTrigger", methods: [http[1]], route: http[2] });
    else if (/^timer/.test(trigger)) fn.type = "timerTrigger";
    const setting = /^`(\w+)`$/.exec(connection);
    if (setting) fn.connection = setting[1];
    else if (/function key/.test(connection)) fn.authLevel = "function";
    return fn;
  });
}

let dir: string;
let zip: Record<string, Uint8Array>;
let packaged: { ms: number; bytes: number };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rapport-package-"));
  const out = path.join(dir, "rapport-functions.zip");
  const started = Date.now();
  // server/dist is built, as for the other integration tests (npm ci runs the build); the script's own tsc
  // run is skipped to keep this test fast.
  await run(process.execPath, [path.join(ROOT, "scripts/package-azure.mjs"), "--no-build", "--out", out]);
  packaged = { ms: Date.now() - started, bytes: readFileSync(out).length };
  zip = unzipSync(readFileSync(out));
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the Azure deployment package (npm run package:azure)", () => {
  test("holds host.json and package.json at its root, the bundled entry and @azure/functions, and no native code", () => {
    const names = Object.keys(zip).sort();
    expect(names).toContain("host.json");
    expect(names).toContain("package.json");
    expect(names).toContain("dist/functions/index.js");
    expect(names).toContain("node_modules/@azure/functions/package.json");
    expect(
      names.filter((n) => !/^(host\.json|package\.json|dist\/functions\/|node_modules\/)/.test(n)),
    ).toEqual([]);
    expect(names.filter((n) => n.endsWith(".node"))).toEqual([]);
    expect(names.filter((n) => /better-sqlite3|bindings/.test(n))).toEqual([]);
    expect(Buffer.from(zip["host.json"]!).toString()).toBe(
      readFileSync(path.join(ROOT, "server/host.json"), "utf8"),
    );
    const manifest = JSON.parse(Buffer.from(zip["package.json"]!).toString()) as {
      main: string;
      dependencies: Record<string, string>;
    };
    expect(manifest.main).toBe("dist/functions/index.js");
    expect(Object.keys(manifest.dependencies)).toEqual(["@azure/functions"]);
    // Every package the bundle leaves to node_modules is there, with its own dependencies.
    for (const dep of ["@azure/functions", "@azure/functions-extensions-base", "cookie"])
      expect(names).toContain(`node_modules/${dep}/package.json`);
    const entry = Buffer.from(zip["dist/functions/index.js"]!).toString();
    // No native module bundled in either (esbuild marks each bundled file with its path).
    expect(entry).not.toMatch(/node_modules\/(better-sqlite3|bindings)\//);
    process.stdout.write(
      `package: ${names.length} files, ${packaged.bytes} bytes, written in ${packaged.ms} ms; ` +
        `top level: ${[
          ...new Set(
            names.map((n) =>
              n
                .split("/")
                .slice(0, n.startsWith("node_modules/@") ? 3 : 2)
                .join("/"),
            ),
          ),
        ].join(", ")}\n`,
    );
  });

  test("its entry registers the functions of docs/scale-out.md; Graph's handshake is answered while Storage refuses, and the failed setup is retried with the process alive", async () => {
    const app = path.join(dir, "app");
    for (const [name, data] of Object.entries(zip)) {
      if (name.endsWith("/")) continue;
      mkdirSync(path.dirname(path.join(app, name)), { recursive: true });
      writeFileSync(path.join(app, name), data);
    }
    const probe = path.join(dir, "probe.cjs");
    writeFileSync(probe, PROBE);
    const storage = await refusingStorage();
    try {
      const url = `http://127.0.0.1:${storage.port}/devstoreaccount1`;
      const { stdout } = await run(process.execPath, [probe, app], {
        cwd: app,
        env: {
          PATH: process.env["PATH"] ?? "",
          // Azurite's well-known development account (public, documented; not a secret).
          AzureWebJobsStorage:
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            `BlobEndpoint=${url};QueueEndpoint=${url};TableEndpoint=${url};`,
          RAPPORT_ORG_DOMAINS: "contoso.com",
          RAPPORT_MAILBOX_FOLDER: dir,
          GRAPH_CLIENT_STATE: "probe-client-state",
        },
        timeout: 30_000,
      });
      const line = stdout.split("\n").find((l) => l.startsWith("PROBE ")) ?? "";
      const result = JSON.parse(line.slice("PROBE ".length)) as {
        registered: { name: string; bindings: Record<string, Record<string, unknown>> }[];
        handshake: { status: number; body: string; ms: number; token: string };
        statusError?: string;
      };
      const functions: Registered[] = result.registered.map((r) => {
        const trigger = Object.values(r.bindings).find((b) => /Trigger$/.test(String(b["type"]))) ?? {};
        const fn: Registered = { name: r.name, type: String(trigger["type"]) };
        if (trigger["queueName"]) fn.queueName = String(trigger["queueName"]);
        if (trigger["route"]) fn.route = String(trigger["route"]);
        if (trigger["methods"]) fn.methods = trigger["methods"] as string[];
        if (trigger["connection"]) fn.connection = String(trigger["connection"]);
        if (trigger["authLevel"]) fn.authLevel = String(trigger["authLevel"]);
        return fn;
      });
      process.stdout.write(
        `registered:\n${functions.map((f) => `  ${JSON.stringify(f)}`).join("\n")}\n` +
          `handshake: ${result.handshake.status} ${result.handshake.ms} ms after load; ` +
          `status: ${result.statusError}; storage requests: ${storage.requests()}\n`,
      );
      const byName = (a: Registered, b: Registered) => a.name.localeCompare(b.name);
      expect(functions.sort(byName)).toEqual(documentedFunctions().sort(byName));
      expect(functions).toHaveLength(7);

      expect(result.handshake).toMatchObject({ status: 200, body: result.handshake.token });
      // The invocation that needed Storage failed (the host retries it); the process did not exit on it.
      expect(result.statusError).toBe("HostSetupError");
      // One attempt at load, one more after the backoff: the failure was not kept.
      expect(storage.requests()).toBeGreaterThanOrEqual(2);
    } finally {
      storage.server.close();
    }
  }, 60_000);
});
