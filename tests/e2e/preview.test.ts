/**
 * The local preview end to end, as a newcomer meets it after `npm start`: the embedded default runs (the
 * bundled Enron sample, the demo CRM, the pipeline into the local Dataverse endpoint), the preview serves the
 * model-driven host around the BUILT controls and the settings web resource, and headless Chromium goes
 * through the whole flow: open a view, sort by health, open a record, read the reasons, ask for an
 * introduction, change a weight, recompute, see the score change; opt a colleague out and see their
 * introducer rows disappear. Values on screen are checked against the endpoint's rows. Needs the controls,
 * the settings page and the preview built (npm test builds them). Screenshots go to docs/screenshots/ with
 * RAPPORT_SCREENSHOTS=1 (the README's), else to a temporary folder.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

import { openStart, SAMPLE_DIR, type StartSession } from "../../server/src/app/start";
import { type Preview, servePreview } from "../../server/src/preview";
import { axeViolations } from "./axe";
import { TEST_MS, WAIT_MS } from "./budgets";
import { waitForStill, waitForTheme } from "./settle";

jest.setTimeout(TEST_MS);

const ROOT = path.resolve(__dirname, "../..");
const SHOTS =
  process.env["RAPPORT_SCREENSHOTS"] === "1"
    ? path.join(ROOT, "docs/screenshots")
    : path.join(os.tmpdir(), "rapport-screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

type Row = Record<string, unknown>;
let dir: string;
let session: StartSession;
let preview: Preview;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

/** The Web API on the preview's origin, with the key as a bearer token (as a script would call it). */
async function api(p: string, init: RequestInit = {}): Promise<Row & { value: Row[] }> {
  const res = await fetch(`${preview.url}/api/data/v9.2/${p}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${session.dataverse.token}`,
      Accept: "application/json",
      Prefer: 'odata.include-annotations="*"',
      ...(init.body ? { "Content-Type": "application/json" } : {}),
    },
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Row & { value: Row[] };
}

async function shot(name: string): Promise<void> {
  await waitForStill(page);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), "rapport-preview-"));
  session = await openStart({ mbox: SAMPLE_DIR, domains: ["enron.com"], db: path.join(dir, "demo.sqlite") });
  preview = await servePreview(session, { port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(WAIT_MS);
  page = await context.newPage();
  // Nothing leaves the machine.
  await page.route(/^https?:\/\/(?!localhost[:/])/, (r) => r.abort());
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await preview?.close();
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the preview server", () => {
  test("admits only the holder of the key: every page, the Web API and recompute", async () => {
    for (const p of [
      "/",
      "/preview/shell.js",
      "/api/data/v9.2/contacts",
      "/WebResources/rp_/settings/index.html",
    ]) {
      const res = await fetch(preview.url + p);
      expect([p, res.status]).toEqual([p, 401]);
      expect(await res.text()).not.toContain(session.dataverse.token);
    }
    const wrong = await fetch(`${preview.url}/?key=not-the-key`, { redirect: "manual" });
    expect(wrong.status).toBe(401);
    const right = await fetch(new URL(preview.launchUrl), { redirect: "manual" });
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe("/");
    expect(right.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
    // Recompute only by POST with JSON (a cross-site form cannot send it).
    const auth = { Authorization: `Bearer ${session.dataverse.token}` };
    expect((await fetch(`${preview.url}/rapport/recompute`, { headers: auth })).status).toBe(405);
    const form = await fetch(`${preview.url}/rapport/recompute`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(form.status).toBe(415);
    const contacts = await api("contacts?$select=fullname&$top=1");
    expect(contacts.value).toHaveLength(1);
    // Same origin: the endpoint's own links name the preview's origin.
    expect(String(contacts["@odata.context"])).toContain(`${preview.url}/api/data/v9.2/`);
  });
});

/** The contact the flow opens (set by its first test, reused by the role tests). */
let contact: Row;

describe("the whole flow in Chromium", () => {
  let colleague: { id: string; name: string; email: string };
  let scoreBefore: number;

  test("open a view, sort by health, open a record and read its reasons", async () => {
    await page.goto(preview.launchUrl);
    await page.getByRole("navigation", { name: "Sitemap" }).waitFor();
    expect(page.url()).not.toContain("key=");
    await page.getByRole("link", { name: "Contacts" }).click();
    await page.getByRole("heading", { name: "Contacts", level: 1 }).waitFor();
    await page.getByTestId("health-grid").waitFor();
    // As the view orders them: weakest first, the records without a score after every scored one.
    const byView = await page
      .locator("tr[data-id]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")!));

    // Sort by health score, highest first (two clicks: ascending, then descending).
    const header = page.locator("button[data-column='insight.rp_healthscore']");
    await header.click();
    await header.click();
    await page.locator("th[aria-sort='descending']").waitFor();
    const shownIds = await page
      .locator("tr[data-id]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")!));
    const rows = (
      await api(
        "contacts?$select=contactid,fullname,_ownerid_value&$filter=statecode eq 0&$expand=rp_RelationshipInsightId($select=rp_healthscore,rp_reasons,rp_relationshipinsightid)",
      )
    ).value;
    const score = (id: string) => {
      const r = rows.find((x) => x["contactid"] === id);
      const s = (r?.["rp_RelationshipInsightId"] as Row | null)?.["rp_healthscore"];
      return typeof s === "number" ? s : -1;
    };
    const viewScores = byView.map(score);
    const unscored = viewScores.indexOf(-1);
    const scoredPart = unscored < 0 ? viewScores : viewScores.slice(0, unscored);
    expect(scoredPart.length).toBeGreaterThan(0);
    expect(scoredPart).toEqual([...scoredPart].sort((a, b) => a - b));
    if (unscored >= 0) expect(viewScores.slice(unscored).every((x) => x === -1)).toBe(true);
    expect(shownIds.length).toBeGreaterThan(5);
    const scores = shownIds.map(score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBe(Math.max(...rows.map((r) => score(String(r["contactid"])))));
    await shot("preview-view-light");

    // Open the shown contact that most colleagues know (at least two, one of them a user of the org, whom
    // the settings can opt out), scored between the extremes.
    let best: { row: Row; n: number; user: Row } | undefined;
    for (const id of shownIds) {
      if (score(id) <= 5 || score(id) >= 95) continue;
      const known = (
        await api(
          `rp_connections?$select=rp_introduceremail,_rp_introducerid_value&$filter=_rp_contactid_value eq ${id}&$orderby=rp_strength desc`,
        )
      ).value;
      const n = new Set(known.map((c) => c["rp_introduceremail"])).size;
      // Within the first ten, which the control shows before "Show more".
      const user = known.slice(0, 10).find((c) => typeof c["_rp_introducerid_value"] === "string");
      if (user && n >= 2 && (!best || n > best.n))
        best = { row: rows.find((r) => r["contactid"] === id)!, n, user };
    }
    expect(best).toBeDefined();
    contact = best!.row;
    colleague = {
      id: String(best!.user["_rp_introducerid_value"]),
      name: String(best!.user[`_rp_introducerid_value${FORMATTED}`]),
      email: String(best!.user["rp_introduceremail"]).toLowerCase(),
    };
    await page
      .getByRole("button", { name: String(contact["fullname"]), exact: true })
      .first()
      .click();
    await page.getByRole("heading", { name: String(contact["fullname"]), level: 1 }).waitFor();
    expect(page.url()).toContain(`#/record/contact/${String(contact["contactid"])}`);

    // The reasons are the insight's, in its words.
    const insight = contact["rp_RelationshipInsightId"] as Row;
    const reasons = (JSON.parse(String(insight["rp_reasons"])) as { text: string }[]).map((r) => r.text);
    await page.getByTestId("reasons").waitFor();
    const shown = await page.getByTestId("reasons").locator("li").allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    for (const [i, text] of shown.entries()) expect(text).toContain(reasons[i]);
    scoreBefore = Number(insight["rp_healthscore"]);
    expect(await page.getByTestId("health-score").textContent()).toContain(String(scoreBefore));
    await page.getByTestId("introducers").waitFor();
    await waitForTheme(page, webLightTheme);
    expect(await axeViolations(page)).toEqual([]);
    await shot("preview-record-light");
  });

  test("ask a colleague for an introduction: the draft email opens, regarding the contact", async () => {
    await page.getByRole("button", { name: `Ask for an introduction: ${colleague.name}` }).click();
    await page
      .getByRole("heading", { name: `Introduction to ${String(contact["fullname"])}`, level: 1 })
      .waitFor();
    const emailId = /#\/record\/email\/([0-9a-f-]{36})/.exec(page.url())?.[1];
    expect(emailId).toBeDefined();
    const email = await api(
      `emails(${emailId})?$select=subject,statecode,_regardingobjectid_value&$expand=email_activity_parties($select=participationtypemask,_partyid_value)`,
    );
    expect(email["_regardingobjectid_value"]).toBe(contact["contactid"]);
    expect(email["statecode"]).toBe(0); // a draft: it counts as no interaction until sent
    const to = (email["email_activity_parties"] as Row[]).find((p) => p["participationtypemask"] === 2);
    expect(to?.["_partyid_value"]).toBe(colleague.id);
    expect(String(to?.[`_partyid_value${FORMATTED}`])).toBe(colleague.name);
    await page.getByRole("article").getByText(colleague.name, { exact: true }).waitFor();
    await shot("preview-introduction-email");
  });

  test("change a weight in the settings, recompute, and the score changes", async () => {
    await page.getByRole("link", { name: "Settings" }).click();
    const settings = page.frameLocator("iframe[title='Rapport settings']");
    await settings.getByRole("heading", { name: "Rapport settings", level: 1 }).waitFor();
    const email = settings.getByRole("slider", { name: "Emails" });
    await email.focus();
    await email.press("Home"); // −50%
    await settings.getByRole("button", { name: "Save" }).click();
    await settings.getByRole("status").getByText("Settings saved.").waitFor();
    expect((await api("rp_settingses?$select=rp_emailweight")).value[0]?.["rp_emailweight"]).toBe(3);
    await shot("preview-settings");
    await settings.getByRole("button", { name: "Recompute now" }).click();
    await settings.getByRole("status").getByText("Recompute done.").waitFor();

    await page.goBack(); // the email
    await page.goBack(); // the contact
    await page.getByRole("heading", { name: String(contact["fullname"]), level: 1 }).waitFor();
    const insight = await api(
      `contacts(${String(contact["contactid"])})?$select=contactid&$expand=rp_RelationshipInsightId($select=rp_healthscore)`,
    );
    const after = Number((insight["rp_RelationshipInsightId"] as Row)["rp_healthscore"]);
    expect(after).not.toBe(scoreBefore);
    await page
      .getByTestId("health-score")
      .filter({ hasText: String(after) })
      .waitFor();
  });

  test("opt the colleague out: their introducer rows disappear", async () => {
    const rowsOf = async () =>
      (await api(`rp_connections?$select=rp_connectionid&$filter=_rp_introducerid_value eq ${colleague.id}`))
        .value;
    expect((await rowsOf()).length).toBeGreaterThan(0);
    await page.getByRole("link", { name: "Settings" }).click();
    const settings = page.frameLocator("iframe[title='Rapport settings']");
    const search = settings.getByRole("combobox", { name: "Find a colleague" });
    await search.fill(colleague.name.slice(0, 5));
    await settings.getByRole("option", { name: new RegExp(colleague.email.replace(/[.]/g, "\\.")) }).click();
    await settings.getByRole("button", { name: "Save" }).click();
    await settings.getByRole("status").getByText("Settings saved.").waitFor();
    await settings.getByRole("button", { name: "Recompute now" }).click();
    await settings.getByRole("status").getByText("Recompute done.").waitFor();
    expect(await rowsOf()).toEqual([]);

    await page.goBack();
    await page.getByRole("heading", { name: String(contact["fullname"]), level: 1 }).waitFor();
    await page.getByTestId("introducers").waitFor();
    const names = await page.getByTestId("introducer-name").allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names).not.toContain(colleague.name);
  });

  test("dark theme, axe-clean; nothing failed in the page", async () => {
    await page.getByRole("switch", { name: "Dark theme" }).click();
    // Not before the buttons have faded to the dark theme's colours (settle.ts).
    await waitForTheme(page, webDarkTheme);
    expect(await axeViolations(page)).toEqual([]);
    await shot("preview-record-dark");
    await page.getByRole("link", { name: "Opportunities" }).click();
    await page.getByTestId("health-grid").waitFor();
    await waitForTheme(page, webDarkTheme);
    expect(await axeViolations(page)).toEqual([]);
    await shot("preview-view-dark");
    expect(problems).toEqual([]);
  });
});

describe("signed in with roles", () => {
  const NO_ACCESS = /you need the Rapport Reader role/;
  const signInAs = async (which: "first" | "last") => {
    const select = page.locator("#preview-user");
    const names = await select.locator("option").allTextContents();
    await select.selectOption({ label: which === "first" ? names[0]! : names[names.length - 1]! });
  };

  test("a seller without Rapport Reader sees the controls' privilege message, on views and forms", async () => {
    await page.goto(`${preview.url}/#/view/contact`);
    await page.getByTestId("health-grid").waitFor();
    // The demo's last user by name is a Salesperson without Rapport Reader (docs/demo-crm.md).
    await signInAs("last");
    // The view's query expands the insight: the grid shows Dataverse's message, as in an org.
    await page.getByText(/is missing prvReadrp_RelationshipInsight privilege/).waitFor();
    await page.goto(`${preview.url}/#/record/contact/${String(contact["contactid"])}`);
    // Relationship analytics and who knows whom: their own privilege state.
    await page.getByText(NO_ACCESS).nth(1).waitFor();
    await signInAs("first");
    await page.getByTestId("introducers").waitFor();
  }, 120_000);

  const setRoles = async (roles: string | null) => {
    const res = await fetch(`${preview.url}/api/data/v9.2/rp_settingses(rp_key='default')`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${session.dataverse.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ rp_whoknowswhomroles: roles }),
    });
    expect(res.status).toBe(204);
  };

  test("Who Knows Whom limited to Rapport Administrator: shown to the administrator, not to a reader", async () => {
    await setRoles("Rapport Administrator");
    try {
      await page.reload();
      await page.getByTestId("introducers").waitFor(); // the first user holds Rapport Administrator
      const select = page.locator("#preview-user");
      const names = await select.locator("option").allTextContents();
      await select.selectOption({ label: names[1]! }); // a seller with Rapport Reader only
      await page.getByText(/available to selected security roles/).waitFor();
    } finally {
      await setRoles(null);
      await signInAs("first");
    }
  }, 120_000);
});

describe("on a phone (360 px)", () => {
  const sideways = () =>
    page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth);

  afterAll(() => page.setViewportSize({ width: 1360, height: 900 }));

  test("the site map is a row above the page; views and forms fit the width, nothing scrolls sideways", async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(preview.launchUrl); // the key's cookie, when this test runs alone
    await page.goto(`${preview.url}/#/view/contact`);
    const nav = page.getByRole("navigation", { name: "Sitemap" });
    await nav.waitFor();
    await page.getByTestId("health-grid").waitFor();
    const box = (await nav.boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    expect(box.height).toBeLessThan(100);
    expect(await sideways()).toBeLessThanOrEqual(0);
    await shot("preview-phone-view");

    const [scored] = (
      await api("contacts?$select=contactid&$filter=_rp_relationshipinsightid_value ne null&$top=1")
    ).value;
    await page.goto(`${preview.url}/#/record/contact/${String(scored!["contactid"])}`);
    await page.getByTestId("health-score").waitFor();
    await page
      .getByTestId("introducers")
      .or(page.getByText(/no colleague/i))
      .first()
      .waitFor();
    expect(await sideways()).toBeLessThanOrEqual(0);
    // The analytics panel lays out for the width it was given: its history is the stacked list.
    const history = page.getByTestId("history");
    if (await history.count()) expect(await history.getAttribute("data-layout")).toBe("list");
    await shot("preview-phone-record");
  });
});

describe("the Opportunities page offers the relationship pipeline", () => {
  test("'Show as' switches the view to the pipeline: every open opportunity charted or listed beside it, axe clean", async () => {
    // The role tests before this one leave their expected 403s in `problems`: only this test's count.
    const before = problems.length;
    await page.goto(preview.launchUrl); // the key's cookie, when this test runs alone
    await page.goto(`${preview.url}/#/view/opportunity`);
    await page.getByTestId("health-grid").waitFor();
    await page.getByTestId("show-as").selectOption("RelationshipPipeline");
    await page.getByTestId("relationship-pipeline").waitFor();
    // The page opens on everyone's open opportunities ("Open Opportunities by Relationship").
    const open = (await api("opportunities?$select=opportunityid,estimatedclosedate&$filter=statecode eq 0"))
      .value;
    expect(open.length).toBeGreaterThan(0);
    // Split at the day the demo's scores were computed (before today): the chart says so.
    const computed = (
      await api("rp_relationshipinsights?$select=rp_lastcomputedon&$orderby=rp_lastcomputedon desc&$top=1")
    ).value;
    const asOf = String(computed[0]?.["rp_lastcomputedon"]).slice(0, 10);
    expect(asOf < new Date().toISOString().slice(0, 10)).toBe(true);
    expect(await page.getByTestId("pipeline-as-of").textContent()).toContain("Health as of Jan 1, 2002");
    const past = open.filter(
      (o) => typeof o["estimatedclosedate"] === "string" && o["estimatedclosedate"] < asOf,
    );
    expect(open.length - past.length).toBeGreaterThan(0);
    const undated = open.filter((o) => typeof o["estimatedclosedate"] !== "string");
    const charted = await page.locator("[data-testid=pipeline-chart] circle[data-id]").count();
    expect(charted).toBe(open.length - past.length - undated.length);
    const listed = await page.locator("[data-testid=pipeline-off-chart] li[data-id]").count();
    expect(listed).toBe(past.length + undated.length);
    await page.getByText("Show as table").click();
    expect(await page.locator("[data-testid=relationship-pipeline] table tbody tr").count()).toBe(
      open.length,
    );
    expect(await axeViolations(page)).toEqual([]);
    await shot("preview-pipeline");
    expect(problems.slice(before)).toEqual([]);
  });
});
