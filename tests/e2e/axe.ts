/**
 * axe-core in a page, once the page is still (settle.ts): the same engine, version and report format for
 * every e2e suite. Injected through the DevTools protocol, which the page's CSP does not govern, so pages
 * are tested under their own CSP.
 */
import { readFileSync } from "node:fs";

import type { Page } from "playwright-core";

import { waitForStill } from "./settle";

const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** What axe checks, in selectors (they cross into the page, elements could not): a part, or all but some. */
export type AxeContext = string | { exclude: string[][] };

/** axe's violations in `context` (default: the whole document), as "rule (impact): targets". */
export async function axeViolations(page: Page, context?: AxeContext): Promise<string[]> {
  await waitForStill(page);
  return axeNow(page, context);
}

/** The same, at once, in whatever state the page is: only to show what a check that does not wait sees. */
export async function axeNow(page: Page, context?: AxeContext): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  return page.evaluate(async (ctx: AxeContext | null) => {
    const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
    const r = await axe.run(ctx ?? document, { resultTypes: ["violations"] });
    return r.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`,
    );
  }, context ?? null);
}
