import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import { webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { type Browser, chromium } from "playwright-core";

import { computeAndPublish } from "../../server/src/app/dataversePipeline";
import { demoCrm } from "../../server/src/app/demo/demoCrm";
import { demoRoles, SERVICE_USER } from "../../server/src/app/demo/demoRoles";
import { seedDemo } from "../../server/src/app/demo/seedDemo";
import { ingestMbox } from "../../server/src/app/ingest";
import { buildState } from "../../server/src/app/pipeline";
import { SAMPLE_DIR } from "../../server/src/app/start";
import { resolveConfig } from "../../server/src/core/config";
import { computeInsights } from "../../server/src/core/insights";
import { DataverseClient, odataFilter, staticTokenProvider } from "../../server/src/dataverse/client";
import { type LocalDataverse, startLocalDataverse } from "../../server/src/dataverse/local";
import { axeViolations } from "./axe";
import { TEST_MS, WAIT_MS } from "./budgets";
import { waitForTheme } from "./settle";

jest.setTimeout(TEST_MS);

// The built settings page in headless Chromium, served on one origin with the local Dataverse endpoint
// behind it (as in an org, where the page and /api/data/v9.2/ share the origin and the session).
// RAPPORT_SCREENSHOTS=1 writes docs/screenshots/settings-{light,dark}.png.

const ROOT = path.resolve(__dirname, "../..");
const PAGE_DIR = path.join(ROOT, "webresources/settings");
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const TOKEN = "settings-e2e-token-0123456789";
const config = resolveConfig({ orgDomains: ["enron.com"] });
const NOW = Date.UTC(2002, 0, 1);
const SHOTS =
  process.env["RAPPORT_SCREENSHOTS"] === "1"
    ? path.join(ROOT, "docs/screenshots")
    : path.join(os.tmpdir(), "rapport-screenshots");

let dir: string;
let dataverse: LocalDataverse;
let client: DataverseClient;
let web: http.Server;
let origin: string;
let browser: Browser;
let person: string;
let colleague: { name: string; email: string };
const recomputes: string[] = [];
let breakApi = false;
/** How often the page loaded ClientGlobalContext.js.aspx, which gives it the org URL and the user's language. */
let globalContextServed = 0;
/** The page signs in as the demo's administrator (Salesperson + Rapport Administrator), as in an org. */
let pageToken: string;

/** The page's files, the Web API (with the session's token added) and the recompute endpoint. */
function startWeb(): Promise<http.Server> {
  const api = new URL(dataverse.url);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const file = /^\/WebResources\/rp_\/settings\/(index\.html|settings\.js)$/.exec(url.pathname)?.[1];
    if (req.method === "GET" && file) {
      res.writeHead(200, {
        "Content-Type": file.endsWith(".html")
          ? "text/html; charset=utf-8"
          : "text/javascript; charset=utf-8",
      });
      res.end(readFileSync(path.join(PAGE_DIR, file)));
      return;
    }
    // What an org serves at the root of its web resources; here the preview's stand-in for it.
    if (req.method === "GET" && url.pathname === "/WebResources/ClientGlobalContext.js.aspx") {
      globalContextServed++;
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" });
      res.end(readFileSync(path.join(ROOT, "server", "preview", "ClientGlobalContext.js")));
      return;
    }
    if (req.method === "POST" && url.pathname === "/rapport/recompute") {
      req.resume();
      recomputes.push(new Date().toISOString());
      res.writeHead(202, { "Content-Type": "application/json" }).end("{}");
      return;
    }
    if (url.pathname.startsWith("/api/data/v9.2/")) {
      const headers = { ...req.headers, host: api.host };
      // The page and the Web API share one origin in an org: a request from this page is same-origin there.
      if (req.headers.origin === `http://${req.headers.host}`) headers.origin = `http://${api.host}`;
      if (!breakApi) headers["authorization"] = `Bearer ${pageToken}`;
      const forward = http.request(
        { host: api.hostname, port: api.port, method: req.method, path: req.url, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on("error", () => res.writeHead(502).end());
      req.pipe(forward);
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// Tabster's dummy <i tabindex=0 aria-hidden> elements (Fluent's focus management) hand focus on at once;
// they are the only exclusion.
const AXE_CONTEXT = { exclude: [["[data-tabster-dummy]"]] };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rapport-settings-e2e-"));
  const mail = await ingestMbox(SAMPLE_DIR, { config, now: NOW });
  const derived = buildState(mail, config);
  const crm = demoCrm(
    derived.directory.users,
    computeInsights(derived.state, [], NOW, { detail: "scores" }).connections,
    config,
    NOW,
    mail.interactions,
  );
  dataverse = await startLocalDataverse({ db: path.join(dir, "org.sqlite"), token: TOKEN });
  client = new DataverseClient({
    url: dataverse.url,
    token: staticTokenProvider(TOKEN),
    sleep: async () => {},
  });
  await seedDemo(client, crm);
  const admin = demoRoles(crm).find((a) => a.roles.includes("administrator"))!;
  pageToken = dataverse.tokenFor(admin.systemuserid);
  const service = new DataverseClient({
    url: dataverse.url,
    token: staticTokenProvider(dataverse.tokenFor(String(SERVICE_USER["systemuserid"]))),
  });
  await computeAndPublish(service, { config, now: NOW, mail });
  person = String(crm.contacts[0]!["emailaddress1"]);
  const user = crm.systemusers[1]!;
  colleague = { name: String(user["fullname"]), email: String(user["internalemailaddress"]).toLowerCase() };
  web = await startWeb();
  origin = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

afterAll(async () => {
  await browser?.close();
  // Only if beforeAll got that far: waiting for a server that never started to close never ends.
  if (web) await new Promise((r) => web.close(r));
  await dataverse?.close();
  rmSync(dir, { recursive: true, force: true });
});

const PAGE = () => `${origin}/WebResources/rp_/settings/index.html`;

describe("settings page in Chromium", () => {
  test("an admin edits, saves, opts a colleague out and forgets a person; light and dark are axe-clean", async () => {
    // The page runs under its own CSP (axe-core comes in through the DevTools protocol, see axe.ts).
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(PAGE());
    await page.getByRole("heading", { name: "Rapport settings", level: 1 }).waitFor();
    // The page found the org through GetGlobalContext, as an HTML web resource does in an org.
    expect(globalContextServed).toBeGreaterThan(0);
    expect(
      await page.evaluate(() => typeof (window as { GetGlobalContext?: unknown }).GetGlobalContext),
    ).toBe("function");
    // No settings row yet: the defaults, and a note that Save creates the row.
    await page.getByText("No settings saved yet").waitFor();
    expect(await page.getByLabel("Good from").inputValue()).toBe("60");

    // Email weight: two steps right, 6 → 8 (+33%), by keyboard.
    const email = page.getByRole("slider", { name: "Emails" });
    await email.focus();
    await email.press("ArrowRight");
    await email.press("ArrowRight");
    expect(await email.getAttribute("aria-valuetext")).toBe("+33%");

    // Good must stay above Fair: the message names both.
    await page.getByLabel("Good from").fill("70");
    await page.getByLabel("Fair from").fill("80");
    await page.getByText("Good (70) must be higher than Fair (80).").waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").getByText("Fix the highlighted fields before saving.").waitFor();
    await page.getByLabel("Fair from").fill("45");

    // Introduction limits: empty is the default (3 open requests, 30 days); out of range is refused.
    expect(await page.getByLabel("Open requests per colleague").getAttribute("placeholder")).toBe("3");
    await page.getByLabel("Open requests per colleague").fill("60");
    await page.getByText("Enter a whole number from 1 to 50, or leave it empty for 3.").waitFor();
    await page.getByLabel("Open requests per colleague").fill("5");
    await page.getByLabel("Days before asking again after a decline").fill("14");

    // A colleague opts out, picked from systemusers by name.
    const search = page.getByRole("combobox", { name: "Find a colleague" });
    await search.fill(colleague.name.slice(0, 5));
    await page.getByRole("option", { name: new RegExp(colleague.email.replace(/[.]/g, "\\.")) }).click();
    await page.getByText(colleague.email, { exact: true }).waitFor();

    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").getByText("Settings saved.").waitFor();
    const [row] = await client.retrieveAll("rp_settingses", { filter: odataFilter`rp_key eq ${"default"}` });
    expect(row).toMatchObject({
      rp_name: "Default",
      rp_emailweight: 8,
      rp_meetingweight: 6,
      rp_goodthreshold: 70,
      rp_fairthreshold: 45,
      rp_analyticsenabled: true,
      rp_optedoutusers: colleague.email,
      rp_cadencecontact: 100_000_002,
      rp_introductioncap: 5,
      rp_introductioncooldowndays: 14,
    });

    // Forget a person: confirmed in a dialog, connection rows gone at once.
    const toPerson = odataFilter`rp_target eq ${person} or rp_introduceremail eq ${person}`;
    expect((await client.retrieveAll("rp_connections", { filter: toPerson })).length).toBeGreaterThan(0);
    await page.getByLabel("Forget a person").fill(person.toUpperCase());
    await page.getByRole("button", { name: "Forget this person…" }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.getByText(`Forget ${person}?`).waitFor();
    await dialog.getByRole("button", { name: "Forget" }).click();
    await page
      .getByRole("status")
      .getByText(new RegExp(`Forgot ${person.replace(/[.]/g, "\\.")}: \\d+`))
      .waitFor();
    expect(await client.retrieveAll("rp_connections", { filter: toPerson })).toEqual([]);
    const [after] = await client.retrieveAll("rp_settingses", {
      filter: odataFilter`rp_key eq ${"default"}`,
    });
    expect(String(after!["rp_excludedaddresses"]).split("\n")).toContain(person);
    expect(after!["rp_emailweight"]).toBe(8);
    expect(await page.getByLabel("Excluded people").inputValue()).toContain(person);

    await page.getByRole("button", { name: "Recompute now" }).click();
    await page.getByRole("status").getByText("Recompute done.").waitFor();
    expect(recomputes.length).toBe(1);

    mkdirSync(SHOTS, { recursive: true });
    await waitForTheme(page, webLightTheme);
    expect(await axeViolations(page, AXE_CONTEXT)).toEqual([]);
    // The whole page in one viewport, so that the sticky footer sits at its end in the picture.
    await page.setViewportSize({
      width: 1100,
      height: await page.evaluate(() => document.body.scrollHeight),
    });
    await page.screenshot({ path: path.join(SHOTS, "settings-light.png") });
    await page.emulateMedia({ colorScheme: "dark" });
    // Not before the buttons have faded to the dark theme's colours (settle.ts).
    await waitForTheme(page, webDarkTheme);
    expect(await axeViolations(page, AXE_CONTEXT)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "settings-dark.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  test.each([360, 1366])(
    "fits %i px in light and dark: nothing runs off the side, axe-clean",
    async (width) => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      context.setDefaultTimeout(WAIT_MS);
      const page = await context.newPage();
      await page.goto(PAGE());
      await page.getByRole("heading", { name: "Features" }).waitFor();
      for (const [scheme, theme] of [
        ["light", webLightTheme],
        ["dark", webDarkTheme],
      ] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await waitForTheme(page, theme);
        expect(await axeViolations(page, AXE_CONTEXT)).toEqual([]);
        // The page scrolls down, never sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await page.screenshot({ path: path.join(SHOTS, `settings-${width}-${scheme}.png`), fullPage: true });
      }
      await context.close();
    },
  );

  test("a Dataverse error is shown with its message and code, and Try again reloads", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    breakApi = true;
    try {
      await page.goto(PAGE());
      await page.getByText("The settings could not be loaded").waitFor();
      await page.getByText(/HTTP status 401/).waitFor();
      expect(await page.content()).not.toMatch(/at \w+ \(/);
    } finally {
      breakApi = false;
    }
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("heading", { name: "Features" }).waitFor();
    await page.close();
  });
});
