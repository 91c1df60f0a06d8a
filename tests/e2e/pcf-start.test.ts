/**
 * End to end in Microsoft's own harness: each BUILT control (npm run build:controls) loaded by pcf-start
 * 1.51.1 in headless Chromium, with pcf-start's context implementation (its webAPI, userSettings, dataset
 * and property inputs), not this repository's. For each control: pcf-start calls init and updateView and the
 * control's DOM is in pcf-start's container; its text is visible; an input changed in pcf-start's Data
 * Inputs panel re-renders it; no page error, no console error but pcf-start's own (listed in
 * pcf-start-harness.ts), and no request leaves the machine. Screenshots go to docs/screenshots/ with
 * RAPPORT_SCREENSHOTS=1.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { type Browser, chromium } from "playwright-core";

import { CHROMIUM, ROOT, SHOTS } from "./browser";
import {
  type HarnessPage,
  openHarness,
  type PcfStart,
  startPcfStart,
  unexplainedConsoleErrors,
} from "./pcf-start-harness";

/** Generous: the machine may be busy; every wait is on a condition. */
const WAIT = 60_000;
// A relationship insight id typed into pcf-start's lookup box (its Data Inputs are plain text).
const INSIGHT_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

type Control = "HealthGrid" | "RelationshipAnalytics" | "RelationshipPipeline" | "WhoKnowsWhom";
const builtDir = (c: Control) => path.join(ROOT, "controls", c, "out", "controls", c);

let browser: Browser;
let tmp: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  for (const c of ["HealthGrid", "RelationshipAnalytics", "RelationshipPipeline", "WhoKnowsWhom"] as const)
    if (!existsSync(path.join(builtDir(c), "bundle.js")))
      throw new Error(`${c} is not built: run npm run build:controls first`);
  mkdirSync(SHOTS, { recursive: true });
  tmp = mkdtempSync(path.join(os.tmpdir(), "rapport-pcf-start-"));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** pcf-start on one control and a page on it, for one describe block; both ended afterwards. */
function harnessFor(control: Control): { pcf: () => PcfStart; h: () => HarnessPage } {
  let pcf: PcfStart | undefined;
  let h: HarnessPage | undefined;
  beforeAll(async () => {
    pcf = await startPcfStart(path.relative(ROOT, builtDir(control)));
    h = await openHarness(browser, pcf);
    await h.page.goto(pcf.url, { waitUntil: "load", timeout: WAIT });
  }, 240_000);
  afterAll(async () => {
    await h?.close();
    await pcf?.stop();
  }, 60_000);
  afterEach(() => {
    // Checked after every step, so a failure names the step that caused it.
    expect(h!.pageErrors).toEqual([]);
    expect(unexplainedConsoleErrors(h!.consoleErrors)).toEqual([]);
    expect(h!.blocked).toEqual([]);
  });
  return { pcf: () => pcf!, h: () => h! };
}

/** The control's root in pcf-start's container (data-lp-id is pcf-start's "<namespace>.<constructor>|TestControl"). */
const root = (h: HarnessPage, control: Control) =>
  h.page.locator(`[data-lp-id="Rapport.${control}|TestControl"] #TestControl-pcf-container-id`);

/** Type into the Value box of a property in pcf-start's Data Inputs panel; it applies on change. */
async function setProperty(h: HarnessPage, value: string): Promise<void> {
  const box = h.page.locator(".property-inputs input[type=text]").first();
  await box.fill(value);
  await box.press("Enter");
}

async function waitForCalls(h: HarnessPage, n: number): Promise<void> {
  await h.page.waitForFunction(
    (k) => ((window as unknown as { __rapportCalls?: unknown[] }).__rapportCalls ?? []).length >= k,
    n,
    { timeout: WAIT },
  );
}

/** The local IPv4 and IPv6 addresses listening on a TCP port, from /proc/net/tcp{,6} (Linux). */
function listenersOn(port: number): string[] {
  const out: string[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== "0A" || !local) continue; // 0A: LISTEN
      const [hex, p] = local.split(":");
      if (Number.parseInt(p ?? "", 16) !== port || !hex) continue;
      out.push(
        hex.length === 8
          ? [3, 2, 1, 0].map((i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join(".")
          : `ipv6:${hex}`,
      );
    }
  }
  return out;
}

test("pcf-start listens on loopback only and prints its port", async () => {
  const pcf = await startPcfStart(path.relative(ROOT, builtDir("HealthGrid")));
  try {
    expect(pcf.port).toBeGreaterThanOrEqual(8181);
    expect(pcf.output()).toContain(`Serving files from: ${builtDir("HealthGrid")}`);
    const res = await fetch(`${pcf.url}ControlManifest.xml`);
    expect(await res.text()).toContain('constructor="HealthGrid"');
    // The kernel's table of listening sockets says where it is bound, without sending anything anywhere.
    expect(listenersOn(pcf.port)).toEqual(["127.0.0.1"]);
  } finally {
    await pcf.stop();
  }
}, 180_000);

describe("HealthGrid in pcf-start (dataset)", () => {
  const { h } = harnessFor("HealthGrid");

  test("initialises with pcf-start's sample dataset and renders it", async () => {
    const grid = root(h(), "HealthGrid").getByTestId("health-grid");
    await grid.waitFor({ timeout: WAIT });
    await waitForCalls(h(), 2);
    const calls = await h().calls();
    expect(calls.map((c) => c.method).slice(0, 2)).toEqual(["init", "updateView"]);
    const records = calls[1]!.parameters["records"]!;
    expect(records.rows).toBeGreaterThan(0);
    await expect(root(h(), "HealthGrid").getByTestId("grid-status").textContent()).resolves.toBe(
      `${records.rows} of ${records.rows} rows`,
    );
    for (const column of records.columns!) expect(await grid.innerText()).toContain(column);
  });

  test("the network guard catches a request leaving the machine", async () => {
    const { blocked, consoleErrors, page } = h();
    const [nBlocked, nErrors] = [blocked.length, consoleErrors.length];
    const outcome = await page.evaluate(() =>
      fetch("https://example.com/rapport-guard-check").then(
        () => "fetched",
        (e: Error) => e.name,
      ),
    );
    expect(outcome).toBe("TypeError");
    expect(blocked.splice(nBlocked)).toEqual(["https://example.com/rapport-guard-check"]);
    // Chromium logs the aborted request; it was this test's own.
    for (const m of consoleErrors.splice(nErrors))
      expect(m.location().url).toBe("https://example.com/rapport-guard-check");
  });

  test("re-renders with a CSV loaded through pcf-start's dataset panel", async () => {
    const csv = path.join(tmp, "contacts.csv");
    // As a Dataverse export has it: the record id in a "(Do Not Modify)" column pcf-start drops.
    writeFileSync(
      csv,
      [
        "(Do Not Modify) Contact,fullname,rp_healthscore,rp_healthstatus,emailaddress1",
        "6d1c8f0e-2b7a-4f55-9a43-0e6f1c1a0001,Yvonne McKay (sample),86,Good,someone_a@example.com",
        "6d1c8f0e-2b7a-4f55-9a43-0e6f1c1a0002,Susanna Stubberod (sample),54,Fair,someone_b@example.com",
        "6d1c8f0e-2b7a-4f55-9a43-0e6f1c1a0003,Nancy Anderson (sample),21,Poor,someone_c@example.com",
        "6d1c8f0e-2b7a-4f55-9a43-0e6f1c1a0004,Maria Campbell (sample),73,Good,someone_d@example.com",
      ].join("\r\n") + "\r\n",
    );
    const before = (await h().calls()).length;
    const { page } = h();
    await page.locator(".dataset-inputs input[type=file]").first().setInputFiles(csv);
    const score = page.locator(".dataset-inputs .io-panel").filter({ hasText: "rp_healthscore" });
    await score.locator("select").selectOption("Whole.None");
    await page.getByRole("button", { name: "Apply" }).click();
    await waitForCalls(h(), before + 1);

    const grid = root(h(), "HealthGrid");
    await grid.getByTestId("grid-status").filter({ hasText: "4 of 4 rows" }).waitFor({ timeout: WAIT });
    const last = (await h().calls()).at(-1)!;
    expect(last.method).toBe("updateView");
    expect(last.parameters["records"]).toEqual({
      rows: 4,
      columns: ["fullname", "rp_healthscore", "rp_healthstatus", "emailaddress1"],
    });
    const text = await grid.getByTestId("health-grid").innerText();
    for (const s of ["Yvonne McKay (sample)", "Nancy Anderson (sample)", "Poor", "86", "21"])
      expect(text).toContain(s);
    await page.screenshot({ path: path.join(SHOTS, "pcf-start-HealthGrid.png"), fullPage: true });
  });
});

describe("RelationshipPipeline in pcf-start (dataset)", () => {
  const { h } = harnessFor("RelationshipPipeline");

  test("initialises with pcf-start's sample dataset: without close dates, every row is listed beside the chart", async () => {
    const pipeline = root(h(), "RelationshipPipeline").getByTestId("relationship-pipeline");
    await pipeline.waitFor({ timeout: WAIT });
    await waitForCalls(h(), 2);
    const calls = await h().calls();
    expect(calls.map((c) => c.method).slice(0, 2)).toEqual(["init", "updateView"]);
    const rows = calls[1]!.parameters["records"]!.rows;
    expect(rows).toBeGreaterThan(0);
    // pcf-start's sample rows have no estimatedclosedate: none on the chart, all named beside it.
    const off = root(h(), "RelationshipPipeline").getByTestId("pipeline-off-chart");
    await expect(off.textContent()).resolves.toContain(`0 with a past close date, ${rows} without one`);
    expect(await off.locator("li[data-id]").count()).toBe(rows);
    await h().page.screenshot({
      path: path.join(SHOTS, "pcf-start-RelationshipPipeline.png"),
      fullPage: true,
    });
  });
});

describe.each(["RelationshipAnalytics", "WhoKnowsWhom"] as const)(
  "%s in pcf-start (field, calls context.webAPI)",
  (control) => {
    const { h } = harnessFor(control);

    test("initialises with pcf-start's placeholder lookup and shows the empty state", async () => {
      await root(h(), control)
        .getByText("No relationship insight for this record yet", { exact: false })
        .waitFor({ timeout: WAIT });
      await waitForCalls(h(), 2);
      const calls = await h().calls();
      expect(calls.map((c) => c.method).slice(0, 2)).toEqual(["init", "updateView"]);
      expect(calls[1]!.parameters["insight"]).toEqual({ raw: "val" });
      expect(h().dialogs).toEqual([]);
    });

    test("an insight id typed in pcf-start's panel re-renders it: it reads through pcf-start's webAPI, which refuses, and shows the error", async () => {
      const before = (await h().calls()).length;
      await setProperty(h(), INSIGHT_ID);
      await waitForCalls(h(), before + 1);
      const last = (await h().calls()).at(-1)!;
      expect(last.method).toBe("updateView");
      expect(last.parameters["insight"]).toEqual({ raw: INSIGHT_ID });
      const alert = root(h(), control).getByRole("alert");
      await alert.waitFor({ timeout: WAIT });
      expect(await alert.innerText()).toMatch(
        /Your control is trying to retrieve (a record|multiple records)\. This is not yet supported\./,
      );
      await expect(root(h(), control).getByRole("button", { name: "Try again" }).isVisible()).resolves.toBe(
        true,
      );
      expect(h().dialogs.length).toBeGreaterThan(0);
      for (const d of h().dialogs) expect(d).toMatch(/^Your control is trying to retrieve/);
      await h().page.screenshot({ path: path.join(SHOTS, `pcf-start-${control}.png`), fullPage: true });
    });
  },
);
