/**
 * pcf-start (Microsoft's PCF test harness, the pcf-start devDependency) run as a maker runs it, for
 * tests/e2e/pcf-start.test.ts: its bin started directly on a built control (TOOLCHAIN.md traps 8-10), and a
 * Chromium page on it where nothing leaves the machine. The page's platform libraries are served from
 * node_modules: React 16.14 (pcf-start's index.html loads it from unpkg.com) and Fluent 9.46.2 (pcf-start
 * maps every Fluent 9 manifest to its own lib/fluent_9_4_0.js; the platform supplies the version the manifest
 * declares). Every other non-local request is aborted and recorded, so a test can fail on it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

import type { Browser, BrowserContext, ConsoleMessage, Page } from "playwright-core";

import { ROOT } from "./browser";

const NM = path.join(ROOT, "node_modules");
const PCF_START = path.join(NM, "pcf-start/bin/pcf-start.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildFluentLibrary } = require("./harness/server.js") as {
  buildFluentLibrary: () => Promise<string>;
};

export interface PcfStart {
  url: string;
  port: number;
  /** What pcf-start printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Start pcf-start on a built control folder (controls/<Name>/out/controls/<Name>) and wait for the URL it
 * prints. browser-sync takes 8181 or the next free port; BROWSER=true makes its `open` run the no-op `true`
 * instead of a browser; telemetry is off. Its own process group, so stop() ends it and anything it started.
 */
export async function startPcfStart(codePath: string, timeoutMs = 120_000): Promise<PcfStart> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--require", path.join(__dirname, "pcf-start-loopback.cjs"), PCF_START, "--codePath", codePath],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, BROWSER: "true", PP_TOOLS_TELEMETRY_OPTOUT: "true" },
    },
  );
  const deadline = Date.now() + timeoutMs;
  let output = "";
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // If jest ends without afterAll (a crash, a forced exit), pcf-start must not outlive it.
  const orphaned = () => {
    if (running()) process.kill(-child.pid!, "SIGKILL");
  };
  process.once("exit", orphaned);
  const stop = async (): Promise<void> => {
    process.removeListener("exit", orphaned);
    if (!running()) return;
    process.kill(-child.pid!, "SIGTERM");
    const killed = setTimeout(() => {
      if (running()) process.kill(-child.pid!, "SIGKILL");
    }, 5_000);
    await exited;
    clearTimeout(killed);
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`pcf-start printed no Local: URL in ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const read = (d: Buffer) => {
        output += d.toString();
        const m = /Local:\s+http:\/\/localhost:(\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on("data", read);
      child.stderr!.on("data", read);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`pcf-start exited (${code}) before serving:\n${output}`));
      });
    });
    const url = `http://127.0.0.1:${port}/`;
    await servingManifest(url, deadline, running, () => output);
    return { url, port, output: () => output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Poll until the server answers with the control's manifest (the Local: line may precede it on a busy machine). */
async function servingManifest(
  url: string,
  deadline: number,
  running: () => boolean,
  output: () => string,
): Promise<void> {
  for (let last = ""; ; await new Promise((r) => setTimeout(r, 250))) {
    if (!running()) throw new Error(`pcf-start exited before serving ${url}:\n${output()}`);
    try {
      const res = await fetch(`${url}ControlManifest.xml`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = String((e as Error).cause ?? e);
    }
    if (Date.now() > deadline) throw new Error(`pcf-start does not serve ${url} (${last}):\n${output()}`);
  }
}

const UNPKG_REACT: [RegExp, string][] = [
  [/^https:\/\/unpkg\.com\/react@16\.14\.0\/umd\/react\.development\.js$/, "react/umd/react.development.js"],
  [
    /^https:\/\/unpkg\.com\/react-dom@16\.14\.0\/umd\/react-dom\.development\.js$/,
    "react-dom/umd/react-dom.development.js",
  ],
];
/** The Segoe UI web fonts pcf-start's own UI (Fluent v8, in its harness.js) asks a Microsoft CDN for. */
export const HARNESS_FONTS =
  /^https:\/\/res-1\.cdn\.office\.net\/files\/fabric-cdn-prod_[\d.]+\/assets\/fonts\//;

/** One call pcf-start made on the control: the method and, per parameter, its raw value or dataset size. */
export interface ControlCall {
  method: "init" | "updateView";
  parameters: Record<string, { raw?: unknown; rows?: number; columns?: string[] }>;
}

export interface HarnessPage {
  page: Page;
  context: BrowserContext;
  /** Non-local requests the page attempted (aborted), other than the routed ones and HARNESS_FONTS. */
  blocked: string[];
  pageErrors: string[];
  consoleErrors: ConsoleMessage[];
  /** alert() texts: pcf-start's webAPI alerts before it rejects. */
  dialogs: string[];
  calls: () => Promise<ControlCall[]>;
  close: () => Promise<void>;
}

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(path.join(NM, pkg, "package.json"), "utf8")) as { version: string })
    .version;
}

/**
 * A fresh browser context on pcf-start's page, with routing, guards and a record of the control's calls.
 * The record wraps the class the bundle registers (ComponentFramework.registerControl, which pcf-start's
 * harness defines) so each init/updateView is noted before it runs as usual.
 */
export async function openHarness(browser: Browser, harness: PcfStart): Promise<HarnessPage> {
  for (const [pkg, want] of [
    ["react", "16.14.0"],
    ["react-dom", "16.14.0"],
    ["@fluentui/react-components", "9.46.2"],
  ] as const)
    if (versionOf(pkg) !== want)
      throw new Error(`node_modules/${pkg} is ${versionOf(pkg)}; the platform library is ${want}`);
  const fluent = readFileSync(await buildFluentLibrary());
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  const local = (u: string) => u.startsWith(`http://127.0.0.1:${harness.port}/`);
  const blocked: string[] = [];
  await context.route(
    () => true,
    (route) => {
      const url = route.request().url();
      const react = UNPKG_REACT.find(([re]) => re.test(url));
      if (react)
        return route.fulfill({
          contentType: "application/javascript",
          body: readFileSync(path.join(NM, react[1])),
        });
      if (local(url) && new URL(url).pathname === "/lib/fluent_9_4_0.js")
        return route.fulfill({ contentType: "application/javascript", body: fluent });
      if (local(url)) return route.continue();
      if (!HARNESS_FONTS.test(url)) blocked.push(url);
      return route.abort("blockedbyclient");
    },
  );
  await context.routeWebSocket(
    (u) => !u.href.startsWith(`ws://127.0.0.1:${harness.port}/`),
    (ws) => {
      blocked.push(ws.url());
      return ws.close();
    },
  );
  await context.addInitScript(() => {
    type Ctor = { prototype: Record<string, (...a: unknown[]) => unknown> };
    type Param = { raw?: unknown; sortedRecordIds?: string[]; columns?: { name: string }[] };
    const calls: unknown[] = [];
    (window as unknown as { __rapportCalls: unknown[] }).__rapportCalls = calls;
    let register: ((name: string, ctor: Ctor) => void) | undefined;
    const framework = {};
    Object.defineProperty(framework, "registerControl", {
      configurable: true,
      enumerable: true,
      get: () => register,
      set(fn: (name: string, ctor: Ctor) => void) {
        register = (name, ctor) => {
          for (const method of ["init", "updateView"]) {
            const original = ctor.prototype[method]!;
            ctor.prototype[method] = function (this: unknown, ...args: unknown[]) {
              const ctx = args[0] as { parameters: Record<string, Param> };
              const parameters: Record<string, unknown> = {};
              for (const [k, p] of Object.entries(ctx.parameters))
                parameters[k] = p.sortedRecordIds
                  ? { rows: p.sortedRecordIds.length, columns: (p.columns ?? []).map((c) => c.name) }
                  : { raw: p.raw };
              calls.push({ method, parameters });
              return original.apply(this, args);
            };
          }
          fn(name, ctor);
        };
      },
    });
    (window as unknown as { ComponentFramework: unknown }).ComponentFramework = framework;
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: ConsoleMessage[] = [];
  const dialogs: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.stack ?? e.message));
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m);
  });
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.accept();
  });
  return {
    page,
    context,
    blocked,
    pageErrors,
    consoleErrors,
    dialogs,
    calls: () => page.evaluate(() => (window as unknown as { __rapportCalls: ControlCall[] }).__rapportCalls),
    close: () => context.close(),
  };
}

/**
 * Console errors that are pcf-start's own, each matched exactly; anything else is the control's.
 * - React's development build warns that pcf-start's control wrapper (its component `Mp`, harness.js
 *   1.51.1) sets `width`/`height: NaN` while the panel's "Component Container Width/Height" boxes are
 *   empty, as they are on a fresh profile.
 * - The Segoe UI fonts of pcf-start's own UI, aborted above (HARNESS_FONTS).
 */
export function unexplainedConsoleErrors(messages: ConsoleMessage[]): string[] {
  return messages
    .filter((m) => {
      const text = m.text();
      if (
        /^Warning: `NaN` is an invalid value for the `%s` css style property\.%s (width|height)\s+in div \(created by Mp\)/.test(
          text,
        )
      )
        return false;
      if (
        /^Failed to load resource: net::ERR_BLOCKED_BY_CLIENT/.test(text) &&
        HARNESS_FONTS.test(m.location().url)
      )
        return false;
      return true;
    })
    .map((m) => `${m.text()} (${m.location().url})`);
}
