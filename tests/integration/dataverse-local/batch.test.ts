import { parseMultipart } from "@mjackson/multipart-parser";

import { type Api, startApi, TOKEN } from "./harness";

/** $batch as the Web API client sends it: multipart/mixed, application/http parts, nested change sets. */

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.server.close());

interface Part {
  method: string;
  url: string;
  body?: unknown;
  contentId?: number;
  headers?: Record<string, string>;
}
type Item = Part | { changeset: Part[] };

function httpPart(p: Part): string {
  const head = [
    "Content-Type: application/http",
    "Content-Transfer-Encoding: binary",
    ...(p.contentId !== undefined ? [`Content-ID: ${p.contentId}`] : []),
    "",
    `${p.method} ${p.url} HTTP/1.1`,
    ...(p.body !== undefined ? ["Content-Type: application/json; type=entry"] : []),
    ...Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "",
  ];
  return [...head, p.body !== undefined ? JSON.stringify(p.body) : ""].join("\r\n");
}

function batchBody(items: Item[], boundary = "batch_1"): string {
  const out: string[] = [];
  items.forEach((item, i) => {
    out.push(`--${boundary}`);
    if ("changeset" in item) {
      const cs = `changeset_${i}`;
      out.push(`Content-Type: multipart/mixed; boundary=${cs}`, "");
      for (const p of item.changeset) out.push(`--${cs}`, httpPart(p));
      out.push(`--${cs}--`);
    } else out.push(httpPart(item));
  });
  out.push(`--${boundary}--`, "");
  return out.join("\r\n");
}

interface InnerResponse {
  status: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  contentId?: string;
}

function parseInner(text: string, contentId: string | null): InnerResponse {
  const [head = "", body = ""] = text.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
  );
  return {
    status: Number(statusLine.split(" ")[1]),
    headers,
    json: body.trim() ? JSON.parse(body) : undefined,
    ...(contentId ? { contentId } : {}),
  };
}

/** Flattens the response: change set responses become their inner responses (grouped in arrays). */
function parseResponse(contentType: string, body: string): (InnerResponse | InnerResponse[])[] {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1] ?? "";
  return [...parseMultipart(Buffer.from(body), { boundary })].map((p) => {
    const type = p.headers.get("content-type") ?? "";
    if (type.startsWith("multipart/mixed")) {
      const inner = /boundary=([^;]+)/.exec(type)?.[1] ?? "";
      return [...parseMultipart(p.bytes, { boundary: inner })].map((q) =>
        parseInner(q.text, q.headers.get("content-id")),
      );
    }
    return parseInner(p.text, p.headers.get("content-id"));
  });
}

async function batch(items: Item[] | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.server.serviceRoot}$batch`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      "Content-Type": "multipart/mixed; boundary=batch_1",
      Accept: "application/json",
      ...headers,
    },
    body: typeof items === "string" ? items : batchBody(items),
  });
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  return {
    status: res.status,
    type,
    text,
    parts: type.startsWith("multipart/mixed") ? parseResponse(type, text) : [],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    json: type.includes("json") ? (JSON.parse(text) as any) : undefined,
  };
}

const count = async (filter: string) =>
  Number((await api.get(`accounts/$count?$filter=${encodeURIComponent(filter)}`)).text);

test("runs a change set atomically with $n references, then a GET outside it, answering in order", async () => {
  const r = await batch([
    {
      changeset: [
        { method: "POST", url: "/api/data/v9.2/contacts", body: { fullname: "Batch Contact" }, contentId: 1 },
        {
          method: "POST",
          url: `${api.server.serviceRoot}accounts`,
          body: { name: "Batch Account", "primarycontactid@odata.bind": "$1" },
          contentId: 2,
        },
        { method: "PATCH", url: "$2", body: { websiteurl: "https://batch.example" }, contentId: 3 },
      ],
    },
    {
      method: "GET",
      url: "accounts?$select=name,websiteurl,_primarycontactid_value&$filter=name eq 'Batch Account'",
    },
  ]);
  expect(r.status).toBe(200);
  expect(r.type).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
  const [cs, get] = r.parts as [InnerResponse[], InnerResponse];
  expect(cs.map((p) => [p.contentId, p.status])).toEqual([
    ["1", 204],
    ["2", 204],
    ["3", 204],
  ]);
  expect(cs[0]?.headers["odata-entityid"]).toMatch(/contacts\([0-9a-f-]{36}\)$/);
  expect(get.status).toBe(200);
  const contactId = /\(([^)]+)\)$/.exec(cs[0]?.headers["odata-entityid"] ?? "")?.[1];
  expect(get.json.value).toEqual([
    expect.objectContaining({
      name: "Batch Account",
      websiteurl: "https://batch.example",
      _primarycontactid_value: contactId,
    }),
  ]);
});

test("rolls back the whole change set when one request fails, and answers with that failure", async () => {
  const r = await batch([
    {
      changeset: [
        { method: "POST", url: "accounts", body: { name: "Rollback 1" }, contentId: 1 },
        { method: "POST", url: "accounts", body: { name: "Rollback 2", nosuch: true }, contentId: 2 },
      ],
    },
  ]);
  expect(r.status).toBe(400);
  const [failure] = r.parts as [InnerResponse];
  expect(failure.status).toBe(400);
  expect(failure.headers.req_id).toBeTruthy();
  expect(failure.json.error.message).toContain("'nosuch'");
  expect(await count("startswith(name,'Rollback')")).toBe(0);
});

test("stops at the first failure without odata.continue-on-error, as Dataverse does", async () => {
  const r = await batch([
    { method: "POST", url: "accounts", body: { name: "Stop 1" } },
    { method: "POST", url: "accounts", body: { name: "x".repeat(500) } },
    { method: "POST", url: "accounts", body: { name: "Stop 3" } },
  ]);
  expect(r.status).toBe(400);
  expect((r.parts as InnerResponse[]).map((p) => p.status)).toEqual([204, 400]);
  expect(await count("startswith(name,'Stop')")).toBe(1);
});

test("goes on after failures with Prefer: odata.continue-on-error", async () => {
  const r = await batch(
    [
      { method: "POST", url: "accounts", body: { name: "Go 1" } },
      { changeset: [{ method: "POST", url: "accounts", body: { name: "Go bad", statecode: 99 } }] },
      { method: "GET", url: "accounts(00000000-0000-0000-0000-0000000000ee)" },
      { method: "POST", url: "accounts", body: { name: "Go 4" } },
    ],
    { Prefer: "odata.continue-on-error" },
  );
  expect(r.status).toBe(200);
  expect((r.parts as InnerResponse[]).map((p) => p.status)).toEqual([204, 400, 404, 204]);
  expect(await count("startswith(name,'Go ')")).toBe(2);
});

test("refuses GET inside a change set and unknown $n references", async () => {
  const get = await batch([{ changeset: [{ method: "GET", url: "accounts" }] }]);
  expect(get.status).toBe(400);
  const ref = await batch([{ changeset: [{ method: "PATCH", url: "$7", body: { name: "x" } }] }]);
  expect(ref.status).toBe(400);
  expect((ref.parts[0] as InnerResponse).json.error.message).toContain("'$7'");
});

test("accepts bodies written with bare LF line ends and quoted boundaries", async () => {
  const body = batchBody([{ method: "GET", url: "accounts?$select=name&$top=1" }], "batch_lf").replace(
    /\r\n/g,
    "\n",
  );
  const r = await batch(body, { "Content-Type": 'multipart/mixed; boundary="batch_lf"' });
  expect(r.status).toBe(200);
  expect((r.parts[0] as InnerResponse).status).toBe(200);
});

test("runs 1000 requests and refuses 1001 before running any", async () => {
  const ok = await batch(
    Array.from({ length: 1000 }, (_, i) => ({
      method: "POST",
      url: "accounts",
      body: { name: `Bulk ${i}` },
    })),
  );
  expect(ok.status).toBe(200);
  expect(ok.parts).toHaveLength(1000);
  const tooMany = await batch(
    Array.from({ length: 1001 }, (_, i) => ({
      method: "POST",
      url: "accounts",
      body: { name: `Over ${i}` },
    })),
  );
  expect(tooMany.status).toBe(400);
  expect(tooMany.json.error.message).toContain("1000");
  expect(await count("startswith(name,'Over ')")).toBe(0);
});

test("answers 400 for a body that is not multipart, and 415 for a $batch that is not multipart/mixed", async () => {
  const r = await batch("not multipart at all", { "Content-Type": "multipart/mixed; boundary=batch_x" });
  expect(r.status).toBe(400);
  expect(r.json.error.code).toMatch(/^0x/);
  const json = await batch("not multipart at all", { "Content-Type": "application/json" });
  expect(json.status).toBe(415);
});

/**
 * Framing as Dataverse reads it ("Troubleshoot Dataverse Web API client errors", "Stream was not
 * readable"): a preamble before the first boundary is allowed (RFC 2046); the body must end with CRLF
 * (or, with bare LF line ends, with two of them), else the last request's body cannot be read.
 */
describe("batch body framing", () => {
  const twoCreates = (prefix: string) =>
    batchBody([
      { method: "POST", url: "accounts", body: { name: `${prefix} 1` } },
      { method: "POST", url: "accounts", body: { name: `${prefix} 2` } },
    ]);

  test("a CRLF before the first boundary (a preamble, as DynamicsWebApi sends) is accepted", async () => {
    const r = await batch(`\r\n${twoCreates("Preamble")}`);
    expect(r.status).toBe(200);
    expect(await count("startswith(name,'Preamble ')")).toBe(2);
  });

  test("without the final CRLF the last request fails with Dataverse's error; the ones before it ran", async () => {
    const body = twoCreates("Unterminated").replace(/\r\n$/, "");
    const r = await batch(body);
    expect(r.status).toBe(400);
    const [first, last] = r.parts as InnerResponse[];
    expect(first?.status).toBe(204);
    expect(last?.status).toBe(400);
    expect(last?.json.error.code).toBe("0x80048d19");
    expect(last?.json.error.message).toContain("Entity :'accounts'");
    expect(last?.json.error.message).toContain("System.ArgumentException: Stream was not readable.");
    expect(await count("startswith(name,'Unterminated ')")).toBe(1);
  });

  test("a change set whose last request is unreadable rolls back whole", async () => {
    const body = batchBody([
      {
        changeset: [
          { method: "POST", url: "accounts", body: { name: "Unread cs 1" } },
          { method: "POST", url: "accounts", body: { name: "Unread cs 2" } },
        ],
      },
    ]).replace(/\r\n$/, "");
    const r = await batch(body);
    expect(r.status).toBe(400);
    expect((r.parts[0] as InnerResponse).json.error.message).toContain("Stream was not readable");
    expect(await count("startswith(name,'Unread cs ')")).toBe(0);
  });

  test("bare LF line ends work only when the body ends with two of them", async () => {
    const lf = (prefix: string) => twoCreates(prefix).replace(/\r\n/g, "\n");
    expect((await batch(`${lf("Two LF")}\n`)).status).toBe(200);
    expect(await count("startswith(name,'Two LF ')")).toBe(2);
    const one = await batch(lf("One LF"));
    expect(one.status).toBe(400);
    expect(await count("startswith(name,'One LF ')")).toBe(1);
  });

  test("a last request without a body (a GET) is read without the final line break", async () => {
    const body = batchBody([{ method: "GET", url: "accounts?$select=name&$top=1" }]).replace(/\r\n$/, "");
    expect((await batch(body)).status).toBe(200);
  });
});
