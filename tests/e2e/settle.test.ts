/**
 * settle.ts against Fluent's own fade, in Chromium: a FluentProvider with a Button (what the dark-theme
 * checks failed on, issue 21 §6) and a Spinner, switched from the light theme to the dark one. Held in the
 * middle of its fade, the Button fails axe's color-contrast rule, as a check that did not wait saw it on
 * a loaded machine; waitForTheme does not return while the fade is held, and when it returns the Button
 * has the dark theme's colours and axe finds nothing. React 16.14 and Fluent 9.46.2 as the harness serves
 * them (the platform's versions).
 */
import { webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { type Browser, chromium, type Page } from "playwright-core";

import { axeNow, axeViolations } from "./axe";
import { TEST_MS, WAIT_MS } from "./budgets";
import { waitForTheme } from "./settle";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildFluentLibrary } = require("./harness/server.js") as {
  buildFluentLibrary: () => Promise<string>;
};

jest.setTimeout(TEST_MS);

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let browser: Browser;
let page: Page;

type Globals = {
  React: typeof import("react");
  ReactDOM: typeof import("react-dom");
  FluentUIReactv940: typeof import("@fluentui/react-components");
  held?: Animation[];
};

/** Renders the provider, its button and a spinner in the light or the dark theme. */
const render = (dark: boolean) =>
  page.evaluate((d) => {
    const { React, ReactDOM, FluentUIReactv940: F } = window as unknown as Globals;
    const tree = React.createElement(
      F.FluentProvider,
      { theme: d ? F.webDarkTheme : F.webLightTheme },
      React.createElement(F.Button as React.ElementType, null, "Recompute now"),
      React.createElement(F.Spinner, { size: "tiny", label: "Working" }),
    );
    ReactDOM.render(tree, document.getElementById("root"));
  }, dark);

/** "#rrggbb" as a computed style gives it. */
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;

beforeAll(async () => {
  const fluent = await buildFluentLibrary();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  page = await browser.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.setContent(
    '<!doctype html><html lang="en"><title>Fade</title><main><h1>Fade</h1><div id="root"></div></main></html>',
  );
  for (const file of [
    require.resolve("react/umd/react.production.min.js"),
    require.resolve("react-dom/umd/react-dom.production.min.js"),
    fluent,
  ])
    await page.addScriptTag({ path: file });
});

afterAll(async () => {
  await browser?.close();
});

test("a check held mid-fade fails color-contrast; waitForTheme returns only once the dark theme is in place", async () => {
  await render(false);
  await waitForTheme(page, webLightTheme);
  expect(await axeViolations(page)).toEqual([]);

  await render(true);
  // Every fade the switch started, held at its middle: the moment a check that does not wait may meet.
  const held = await page.evaluate(() => {
    const fades = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    for (const a of fades) {
      a.pause();
      a.currentTime = Number(a.effect?.getComputedTiming().duration) / 2;
    }
    (window as unknown as Globals).held = fades;
    return fades.map((a) => (a as CSSTransition).transitionProperty);
  });
  expect(held).toEqual(expect.arrayContaining(["color", "background-color"]));
  expect(await axeNow(page)).toEqual([expect.stringMatching(/^color-contrast \(serious\): /)]);

  let returned = false;
  const waiting = waitForTheme(page, webDarkTheme).then(() => (returned = true));
  // Several of its polls later (the fades cannot move while held), it is still waiting.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  expect(returned).toBe(false);
  await page.evaluate(() => (window as unknown as Globals).held?.forEach((a) => a.play()));
  await waiting;

  const button = await page.evaluate(() => {
    const style = getComputedStyle(document.querySelector("button")!);
    return [style.color, style.backgroundColor];
  });
  expect(button).toEqual([
    rgb(webDarkTheme.colorNeutralForeground1),
    rgb(webDarkTheme.colorNeutralBackground1),
  ]);
  expect(await axeViolations(page)).toEqual([]);
});
