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
