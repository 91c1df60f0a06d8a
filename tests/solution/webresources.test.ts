import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

import { discoverWebResources } from "../../solution/src/webresources";

describe("web resource discovery", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(os.tmpdir(), "rapport-wr-"));
    mkdirSync(join(dir, "settings", "src"), { recursive: true });
    writeFileSync(
      join(dir, "settings", "index.html"),
      '<html><head><script src="settings.js"></script><link rel="icon" href="data:,"></head></html>',
    );
    writeFileSync(join(dir, "settings", "src", "main.tsx"), "export {};");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("a page whose bundle was not built is refused, naming the missing file", () => {
    expect(() => discoverWebResources(dir, "rp")).toThrow(
      /settings\/index\.html refers to settings\.js, which is not in webresources\/.*build:webresources/,
    );
  });

  test("with its bundle the page is packed, and its sources are left out", () => {
    writeFileSync(join(dir, "settings", "settings.js"), "void 0;");
    const { resources, ignored } = discoverWebResources(dir, "rp");
    expect(resources.map((r) => r.name)).toEqual(["rp_/settings/index.html", "rp_/settings/settings.js"]);
    expect(ignored).toEqual(["settings/src/main.tsx"]);
  });

  test("the platform's ClientGlobalContext.js.aspx at the web resources root may be referred to, nothing else outside", () => {
    writeFileSync(join(dir, "settings", "settings.js"), "void 0;");
    const page = (src: string) =>
      writeFileSync(
        join(dir, "settings", "index.html"),
        `<html><head><script src="${src}"></script><script src="settings.js"></script></head></html>`,
      );
    page("../../ClientGlobalContext.js.aspx");
    expect(discoverWebResources(dir, "rp").resources.map((r) => r.name)).toContain("rp_/settings/index.html");
    page("../ClientGlobalContext.js.aspx");
    expect(() => discoverWebResources(dir, "rp")).toThrow(/refers to \.\.\/ClientGlobalContext\.js\.aspx/);
    page("../../other.js");
    expect(() => discoverWebResources(dir, "rp")).toThrow(/refers to \.\.\/\.\.\/other\.js/);
  });
});
