import { type Api, startApi } from "./harness";

/**
 * Issue 16 §1: a page on another localhost port is the same site, so a browser sends the preview's
 * cookie with its form posts. What a form or a no-cors fetch can send must change nothing.
 */
let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.server.close());

const accounts = async () => (await api.get("accounts?$select=name")).json.value.length as number;
const own = () => new URL(api.server.serviceRoot).origin;

test.each([
  ["text/plain", '{"name":"Forged"}'],
  ["application/x-www-form-urlencoded", "name=Forged"],
  [
    "multipart/form-data; boundary=x",
    '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nForged\r\n--x--',
  ],
])("a POST sent as %s is refused with 415 and creates nothing", async (type, body) => {
  const before = await accounts();
  const r = await api.call("POST", "accounts", { body, headers: { "Content-Type": type } });
  expect(r.status).toBe(415);
  expect(r.json.error.message).toContain("application/json");
  expect(await accounts()).toBe(before);
});

test("a $batch must be multipart/mixed", async () => {
  const body = "--b\r\nContent-Type: application/http\r\n\r\nGET accounts HTTP/1.1\r\n\r\n--b--\r\n";
  const r = await api.call("POST", "$batch", { body, headers: { "Content-Type": "text/plain" } });
  expect(r.status).toBe(415);
  expect(r.json.error.message).toContain("multipart/mixed");
});

test.each([
  [{ Origin: "http://localhost:9999" }],
  [{ "Sec-Fetch-Site": "same-site" }],
  [{ "Sec-Fetch-Site": "cross-site" }],
])("a JSON write from another origin (%o) is refused with 403 and creates nothing", async (headers) => {
  const before = await accounts();
  const r = await api.call("POST", "accounts", { body: { name: "Forged" }, headers });
  expect(r.status).toBe(403);
  expect(r.json.error.message).toMatch(/another site/);
  expect(await accounts()).toBe(before);
});

test("the server's own origin, a same-origin fetch and clients that are not browsers still write", async () => {
  const before = await accounts();
  const cases: Record<string, string>[] = [
    { Origin: own() },
    { "Sec-Fetch-Site": "same-origin", Origin: own() },
    {},
  ];
  for (const headers of cases) {
    const r = await api.call("POST", "accounts", { body: { name: "Allowed" }, headers });
    expect(r.status).toBe(204);
  }
  expect(await accounts()).toBe(before + 3);
});

test("reads are not affected (a GET from another origin still needs the token, and nothing changes)", async () => {
  const r = await api.get("accounts?$top=1", {
    Origin: "http://localhost:9999",
    "Sec-Fetch-Site": "cross-site",
  });
  expect(r.status).toBe(200);
});
