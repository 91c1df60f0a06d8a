/**
 * Where the e2e tests find Chromium and put screenshots. RAPPORT_SCREENSHOTS=1 refreshes docs/screenshots/;
 * otherwise screenshots go to a temporary folder, so a test run leaves the work tree as it was.
 */
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
export const SHOTS =
  process.env["RAPPORT_SCREENSHOTS"] === "1"
    ? path.join(ROOT, "docs/screenshots")
    : path.join(os.tmpdir(), "rapport-screenshots");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Headless Chromium with one page as the e2e suites use it: the desktop viewport, `waitMs` for every
 * action, nothing leaving the machine, and every page error and console error collected in `problems`.
 */
export async function launchPage(
  waitMs: number,
  problems: string[],
): Promise<{ browser: import("playwright-core").Browser; page: import("playwright-core").Page }> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(waitMs);
  const page = await context.newPage();
  await page.route(/^https?:\/\/(?!localhost[:/])/, (r) => r.abort());
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  return { browser, page };
}
