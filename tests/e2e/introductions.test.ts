/**
 * Introductions in the preview, end to end (issue 19): signed in as seller A on a contact, A asks colleague
 * B for an introduction (the e-mail, the rp_introduction row, shared with B); signed in as B, the request
 * shows under "Requests for you" and B accepts it with one click; back as A, the request's status is on
 * the contact. Axe-checked in light and dark themes. Needs the controls, the settings page and the preview
 * built (npm test builds them). Screenshots go to docs/screenshots/ with RAPPORT_SCREENSHOTS=1, else to a
 * temporary folder.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { webDarkTheme, webLightTheme } from "@fluentui/react-components";
import type { Browser, Page } from "playwright-core";

import { openStart, type StartSession } from "../../server/src/app/start";
import { type Preview, servePreview } from "../../server/src/preview";
import { axeViolations } from "./axe";
import { CHROMIUM, launchPage, SHOTS } from "./browser";
import { TEST_MS, WAIT_MS } from "./budgets";
import { appendMeeting, previewMailDir } from "./previewMail";
import { waitForStill, waitForTheme } from "./settle";

jest.setTimeout(TEST_MS);

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

type Row = Record<string, unknown>;
interface User {
  id: string;
  name: string;
}
let dir: string;
let mail: string;
let session: StartSession;
let preview: Preview;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** The Web API as the service (the key's bearer token): what the rows say, whoever the page acts as. */
async function api(p: string): Promise<Row & { value: Row[] }> {
  const res = await fetch(`${preview.url}/api/data/v9.2/${p}`, {
    headers: {
      Authorization: `Bearer ${session.dataverse.token}`,
      Accept: "application/json",
      Prefer: 'odata.include-annotations="*"',
    },
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Row & { value: Row[] };
}

/** The Who Knows Whom control (scrolled into view), then the whole window. */
async function shot(name: string): Promise<void> {
  const control = page.locator("section[aria-label='Who knows whom']").first();
  await control.scrollIntoViewIfNeeded();
  await waitForStill(page);
  await control.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  await page.screenshot({ path: path.join(SHOTS, `${name}-page.png`) });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), "rapport-introductions-"));
  // A copy of the sample: the mail directory is read again by each recompute (a meeting is added to it).
  mail = previewMailDir();
  session = await openStart({
    mbox: mail,
    domains: ["enron.com"],
    db: path.join(dir, "demo.sqlite"),
  });
  preview = await servePreview(session, { port: 0 });
  ({ browser, page } = await launchPage(Number(process.env["E2E_WAIT_MS"] ?? WAIT_MS), problems));
});

afterAll(async () => {
  await browser?.close();
  await preview?.close();
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (mail) rmSync(mail, { recursive: true, force: true });
});

/** "Signed in as" in the preview's top bar (the page reloads its content as that user). */
async function signInAs(user: User): Promise<void> {
  await page.locator("#preview-user").selectOption(user.id);
}

async function openContact(contact: Row): Promise<void> {
  await page.goto(`${preview.url}/#/record/contact/${String(contact["contactid"])}`);
  await page.getByRole("heading", { name: String(contact["fullname"]), level: 1 }).waitFor();
}

/** The introducer card of a colleague, unfolding the weak connections when it is behind them. */
async function cardOf(user: User) {
  await page
    .getByTestId("introducers")
    .waitFor()
    .catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(SHOTS, "introductions-failed.png"), fullPage: true });
      throw new Error(`${String(e)}\nproblems: ${problems.join("\n")}`);
    });
  const fold = page.getByTestId("fold-weak");
  if ((await fold.count()) && (await fold.getAttribute("aria-expanded")) === "false") await fold.click();
  return page.locator(`li[data-introducer='${user.id}']`);
}

describe("an introduction, asked and answered, in Chromium", () => {
  let contact: Row;
  let seller: User;
  let colleague: User;
  let strengthBefore: number;

  test("seller A asks colleague B: the e-mail opens, the request is recorded and shared with B", async () => {
    await page.goto(preview.launchUrl);
    await page.getByRole("navigation", { name: "Sitemap" }).waitFor();
    // People who can sign in and read Rapport's rows (Reader or Administrator), by name as the preview lists them.
    const listed = (
      await api(
        "systemusers?$select=systemuserid,fullname&$filter=internalemailaddress ne null&$orderby=fullname",
      )
    ).value;
    const users: User[] = [];
    for (const u of listed) {
      const roles = (
        await api(`systemusers(${String(u["systemuserid"])})/systemuserroles_association?$select=name`)
      ).value;
      if (roles.some((r) => /^Rapport (Reader|Administrator)$/.test(String(r["name"]))))
        users.push({ id: String(u["systemuserid"]), name: String(u["fullname"]) });
    }
    // A contact known to a colleague B who can sign in; the seller A is another such user.
    const known = (
      await api(
        "rp_connections?$select=_rp_contactid_value,_rp_introducerid_value,rp_strength&$filter=_rp_contactid_value ne null and _rp_introducerid_value ne null&$orderby=rp_strength desc&$top=200",
      )
    ).value;
    const pick = known.find((k) => users.some((u) => u.id === k["_rp_introducerid_value"]));
    expect(pick).toBeDefined();
    colleague = users.find((u) => u.id === pick!["_rp_introducerid_value"])!;
    seller = users.find((u) => u.id !== colleague.id)!;
    contact = await api(`contacts(${String(pick!["_rp_contactid_value"])})?$select=contactid,fullname`);

    await signInAs(seller);
    await openContact(contact);
    const card = await cardOf(colleague);
    strengthBefore = Number(await card.getByTestId("introducer-band").getAttribute("data-strength"));
    await waitForTheme(page, webLightTheme);
    expect(await axeViolations(page)).toEqual([]);
    await shot("introductions-paths-light");
    await card.getByRole("button", { name: `Ask for an introduction: ${colleague.name}` }).click();
    await page
      .getByRole("heading", { name: `Introduction to ${String(contact["fullname"])}`, level: 1 })
      .waitFor();
    const rows = (
      await api(
        `rp_introductions?$select=rp_status,rp_targetemail,rp_path,_rp_requesterid_value,_rp_introducerid_value,_rp_contactid_value,_rp_emailid_value,_ownerid_value`,
      )
    ).value;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      rp_status: 100000000,
      _rp_requesterid_value: seller.id,
      _ownerid_value: seller.id,
      _rp_introducerid_value: colleague.id,
      _rp_contactid_value: contact["contactid"],
    });
    expect(row["_rp_emailid_value"]).toBe(/#\/record\/email\/([0-9a-f-]{36})/.exec(page.url())?.[1]);
    expect(row[`rp_status${FORMATTED}`]).toBe("Requested");

    // Back on the contact, the card says where the request stands and asks no more.
    await openContact(contact);
    const again = await cardOf(colleague);
    await again
      .getByTestId("request-status")
      .filter({ hasText: `Requested from ${colleague.name} today` })
      .waitFor();
    expect(await again.getByRole("button", { name: /Ask for an introduction/ }).isDisabled()).toBe(true);
    await shot("introductions-requested-light");
  });

  test("signed in as B, the request shows under 'Requests for you'; B accepts it with one click", async () => {
    await signInAs(colleague);
    await openContact(contact);
    const requests = page.getByTestId("requests");
    await requests.getByRole("heading", { name: "Requests for you (1)" }).waitFor();
    const request = requests.getByTestId("request");
    await request.getByText(`${seller.name} asks to meet`).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await shot("introductions-request-for-you-light");
    await request.getByRole("button", { name: "Accept" }).click();
    await request.getByText("You accepted").waitFor();
    const row = (await api("rp_introductions?$select=rp_status,rp_respondedon")).value[0]!;
    expect(row["rp_status"]).toBe(100000001);
    expect(typeof row["rp_respondedon"]).toBe("string");

    await page.getByRole("switch", { name: "Dark theme" }).click();
    await waitForTheme(page, webDarkTheme);
    expect(await axeViolations(page)).toEqual([]);
    await shot("introductions-accepted-dark");
    await page.getByRole("switch", { name: "Dark theme" }).click();
    await waitForTheme(page, webLightTheme);
  });

  test("back as A, the contact says B accepted", async () => {
    await signInAs(seller);
    await openContact(contact);
    const card = await cardOf(colleague);
    await card
      .getByTestId("request-status")
      .filter({ hasText: `${colleague.name} accepted` })
      .waitFor();
  });

  test("a meeting between A and the person, then 'Recompute now': A sees 'Meeting held' and the path through B rises", async () => {
    const row = (await api("rp_introductions?$select=rp_targetemail")).value[0]!;
    const me = await api(`systemusers(${seller.id})?$select=internalemailaddress`);
    appendMeeting(mail, {
      organizer: String(me["internalemailaddress"]),
      attendees: [String(row["rp_targetemail"])],
      start: Date.now(),
    });
    await page.getByRole("link", { name: "Settings" }).click();
    const settings = page.frameLocator("iframe[title='Rapport settings']");
    await settings.getByRole("button", { name: "Recompute now" }).click();
    await settings.getByRole("status").getByText("Recompute done.").waitFor();
    const after = (await api("rp_introductions?$select=rp_status,rp_meetingon")).value[0]!;
    expect(after["rp_status"]).toBe(100000005); // meeting held
    expect(typeof after["rp_meetingon"]).toBe("string");

    await openContact(contact);
    const card = await cardOf(colleague);
    await card.getByTestId("request-status").filter({ hasText: "Meeting held" }).waitFor();
    // The meeting counts for the path through B (feedback, bounded): it rises, and says why.
    const strength = Number(await card.getByTestId("introducer-band").getAttribute("data-strength"));
    expect(strength).toBeGreaterThan(strengthBefore);
    expect(await card.getByTestId("adjustment").textContent()).toBe(
      "A similar introduction led to a meeting today",
    );
    await waitForTheme(page, webLightTheme);
    expect(await axeViolations(page)).toEqual([]);
    await shot("introductions-meeting-held-light");
    // Nothing failed in the page.
    expect(problems).toEqual([]);
  });
});
