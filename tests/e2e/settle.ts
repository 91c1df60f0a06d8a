/**
 * Waits for a page to look as its user sees it before a test judges it (axe) or photographs it.
 *
 * Fluent fades a Button's and a Switch's background, border and colour over 100-200 ms
 * (durationFaster / durationNormal), and axe reads computed colours: started while a theme switch was
 * still fading, its color-contrast rule measured the grey halfway between the light and dark themes and
 * failed, on a loaded machine and not on an idle one (issue 21 §6). So a check waits for a condition, not
 * for time: the theme's tokens on every FluentProvider, their text in the theme's colour, and no CSS
 * transition or finite animation still running in any frame. Transitions stay on, so what is judged is
 * the state a user is left with, in the product's own styles.
 */
import type { Theme } from "@fluentui/react-components";
import type { Frame, Page } from "playwright-core";

import { WAIT_MS } from "./budgets";

/**
 * What keeps a frame from being settled, in words (empty when settled). Runs in the page, so it is
 * self-contained. With `colors` (a theme's color* tokens), also every FluentProvider whose tokens or
 * text colour are not that theme's, and a frame without any FluentProvider.
 */
function unsettled(colors: Record<string, string> | null): string[] {
  const out: string[] = [];
  // Finite animations only (a spinner turns for ever and changes no colour); a paused one is not done.
  for (const a of document.getAnimations()) {
    const end = a.effect?.getComputedTiming().endTime;
    if ((a.playState === "running" || a.playState === "paused" || a.pending) && end !== Infinity) {
      const el = (a.effect as KeyframeEffect | null)?.target;
      const what = a instanceof CSSTransition ? `transition of ${a.transitionProperty}` : "animation";
      out.push(`${what} on ${el ? el.tagName.toLowerCase() + "." + [...el.classList].join(".") : "?"}`);
    }
  }
  if (!colors) return out;
  const providers = [...document.querySelectorAll<HTMLElement>(".fui-FluentProvider")];
  if (providers.length === 0) out.push("no FluentProvider in the page");
  // The token as the browser computes it (rgb()), to compare with a computed colour.
  const probe = document.createElement("span");
  probe.style.color = colors["colorNeutralForeground1"] ?? "";
  document.body.appendChild(probe);
  const foreground = getComputedStyle(probe).color;
  probe.remove();
  for (const [i, el] of providers.entries()) {
    const style = getComputedStyle(el);
    const wrong = Object.keys(colors).filter(
      (k) => style.getPropertyValue(`--${k}`).trim().toLowerCase() !== colors[k]!.toLowerCase(),
    );
    if (wrong.length > 0)
      out.push(`FluentProvider ${i}: ${wrong.length} tokens not the theme's, e.g. ${wrong[0]}`);
    else if (style.color !== foreground)
      out.push(`FluentProvider ${i}: text ${style.color}, the theme's is ${foreground}`);
  }
  return out;
}

const colorTokens = (theme: Theme): Record<string, string> =>
  Object.fromEntries(
    Object.entries(theme).filter(
      (e): e is [string, string] => e[0].startsWith("color") && typeof e[1] === "string",
    ),
  );

/**
 * Polls the frame until `unsettled` finds nothing. Each poll is a function call through the DevTools
 * protocol: Playwright's waitForFunction has the page eval() its predicate, which the preview's and the
 * settings page's CSP (no 'unsafe-eval') refuse.
 */
async function untilSettled(frame: Frame, colors: Record<string, string> | null): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const left = await frame.evaluate(unsettled, colors);
    if (left.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${frame.url()} did not settle in ${WAIT_MS} ms: ${left.join("; ")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until no CSS transition or finite animation runs in any frame of the page. */
export async function waitForStill(page: Page): Promise<void> {
  for (const frame of page.frames()) await untilSettled(frame, null);
}

/**
 * Waits until the page's FluentProviders carry `theme` (every color token, and their text in its
 * foreground colour) and nothing fades any more. Main frame only: a frame's own theme is its own.
 */
export async function waitForTheme(page: Page, theme: Theme): Promise<void> {
  await untilSettled(page.mainFrame(), colorTokens(theme));
  await waitForStill(page);
}
