import { request } from "node:http";

import { type LocalDataverse, startLocalDataverse } from "../../server/src/dataverse/local";
import { type Preview, startPreview } from "../../server/src/preview";
import { COOKIE } from "../../server/src/preview/session";
import { USER_COOKIE } from "../../server/src/preview/signedIn";

/**
 * The preview server without its pages (no build needed): how it admits requests and what the Web API it
 * serves on its own origin answers. The whole flow in Chromium is tests/e2e/preview.test.ts.
 */

let dataverse: LocalDataverse;
let preview: Preview;
beforeAll(async () => {
  dataverse = await startLocalDataverse({ db: ":memory:", token: "preview-key-0123456789" });
  dataverse.seed({ accounts: [{ name: "A" }, { name: "B" }] });
  preview = await startPreview({
    dataverse,
    assets: { files: new Map(), strings: {} },
    recompute: () => Promise.reject(new Error("not in this test")),
    port: 0,
    onError: () => undefined,
  });
});
afterAll(async () => {
  await preview.close();
  await dataverse.close();
});

function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${preview.url}${path}`, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the preview's cookies (issue 16 §7)", () => {
  test("a key cookie that is not valid percent-encoding is no key: 401, not 500", async () => {
    for (const path of ["/", "/api/data/v9.2/accounts"]) {
      const r = await get(path, { Cookie: `${COOKIE}=%E0%A4%A` });
      expect([path, r.status]).toEqual([path, 401]);
    }
  });

  test("a malformed signed-in-user cookie falls back to the administrator, not a 500", async () => {
    const r = await get("/api/data/v9.2/accounts?$select=name", {
      Authorization: `Bearer ${dataverse.token}`,
      Cookie: `${USER_COOKIE}=%E0%A4%A`,
    });
    expect(r.status).toBe(200);
  });
});

describe("the Web API on the preview's origin (issue 16 §7)", () => {
  test("its links name the preview's own origin, not a forged Host header", async () => {
    const r = await get("/api/data/v9.2/accounts?$select=name", {
      Authorization: `Bearer ${dataverse.token}`,
      Host: "evil.example",
      Prefer: "odata.maxpagesize=1",
    });
    expect(r.status).toBe(200);
    const json = JSON.parse(r.body) as Record<string, string>;
    expect(json["@odata.context"]?.startsWith(`${preview.url}/api/data/v9.2/`)).toBe(true);
    expect(json["@odata.nextLink"]?.startsWith(`${preview.url}/api/data/v9.2/`)).toBe(true);
    expect(r.body).not.toContain("evil.example");
  });
});
