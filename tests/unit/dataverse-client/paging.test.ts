import {
  DataverseError,
  guid,
  InvalidValueError,
  NotFoundError,
  odataFilter,
  xml,
} from "../../../server/src/dataverse/client";
import { fetchAttributes } from "../../../server/src/dataverse/client/fetchXml";
import {
  batchEndpoint,
  clientFor,
  type Handler,
  json,
  type LocalServer,
  readBatch,
  startServer,
} from "./localServer";

/** Reading across pages: nextLink, FetchXML paging, long URLs, single rows. */

const servers: LocalServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function serve(handler: Handler) {
  const server = await startServer(handler);
  servers.push(server);
  return { server, ...clientFor(server) };
}

/** Three pages of two rows; each nextLink carries an opaque skiptoken. */
const threePages: Handler = (req, res) => {
  const page = Number(/pagenumber%3D(\d)/.exec(req.url)?.[1] ?? "1");
  const next =
    page < 3
      ? `http://${req.headers.host}/api/data/v9.2/contacts?$select=fullname&$skiptoken=%3Ccookie%20pagenumber%3D${page + 1}%3E`
      : undefined;
  json(res, 200, {
    value: [{ fullname: `p${page}a` }, { fullname: `p${page}b` }],
    ...(next ? { "@odata.nextLink": next } : {}),
  });
};

describe("OData paging", () => {
  test("reads three pages through nextLink, each with the same Prefer", async () => {
    const { server, client } = await serve(threePages);
    const rows = [];
    for await (const row of client.retrieveMultiple(
      "contacts",
      { select: ["fullname"] },
      { maxPageSize: 2, formattedValues: true },
    ))
      rows.push(row.fullname);
    expect(rows).toEqual(["p1a", "p1b", "p2a", "p2b", "p3a", "p3b"]);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/api/data/v9.2/contacts?$select=fullname",
      "/api/data/v9.2/contacts?$select=fullname&$skiptoken=%3Ccookie%20pagenumber%3D2%3E",
      "/api/data/v9.2/contacts?$select=fullname&$skiptoken=%3Ccookie%20pagenumber%3D3%3E",
    ]);
    const prefer =
      'odata.maxpagesize=2,odata.include-annotations="OData.Community.Display.V1.FormattedValue"';
    expect(server.requests.map((r) => r.headers["prefer"])).toEqual([prefer, prefer, prefer]);
  });

  test("the iterator is lazy: stopping after the first rows sends no further request", async () => {
    const { server, client } = await serve(threePages);
    for await (const row of client.retrieveMultiple("contacts", {}, { maxPageSize: 2 })) {
      expect(row.fullname).toBe("p1a");
      break;
    }
    expect(server.requests).toHaveLength(1);
  });

  test("the default page size is 5,000 and larger ones are refused", async () => {
    const { server, client } = await serve((_, res) => json(res, 200, { value: [] }));
    await client.retrieveAll("contacts");
    expect(server.requests[0]?.headers["prefer"]).toBe("odata.maxpagesize=5000");
    await expect(client.retrieveAll("contacts", {}, { maxPageSize: 5001 })).rejects.toBeInstanceOf(
      InvalidValueError,
    );
  });

  test("a nextLink to another origin is not followed: the token stays home", async () => {
    const { server, client } = await serve((_, res) =>
      json(res, 200, {
        value: [{}],
        "@odata.nextLink": "https://elsewhere.example/api/data/v9.2/contacts?$skiptoken=1",
      }),
    );
    await expect(client.retrieveAll("contacts")).rejects.toBeInstanceOf(DataverseError);
    expect(server.requests).toHaveLength(1);
  });

  test("a GET longer than 32,768 characters travels inside a $batch", async () => {
    const emails = Array.from({ length: 1200 }, (_, i) => `someone.with.a.long.address.${i}@contoso.example`);
    const { server, client } = await serve(
      batchEndpoint(() => ({
        status: 200,
        body: { value: [{ contactid: "49b0be2e-d01c-ed11-b83e-000d3a572421" }] },
      })),
    );
    const filter = odataFilter`${emails.map((e) => odataFilter`emailaddress1 eq ${e}`).reduce((a, b) => odataFilter`${a} or ${b}`)}`;
    const rows = await client.retrieveAll("contacts", { select: ["contactid"], filter });
    expect(rows).toHaveLength(1);
    const [req] = server.requests;
    expect(req?.url).toBe("/api/data/v9.2/$batch");
    const [op] = readBatch(req as never);
    expect(op?.method).toBe("GET");
    expect(op?.url.length).toBeGreaterThan(32_768);
    expect(op?.headers["prefer"]).toBe("odata.maxpagesize=5000");
  });
});

describe("single rows", () => {
  const ID = "49b0be2e-d01c-ed11-b83e-000d3a572421";

  test("retrieve by id with $select and $expand", async () => {
    const { server, client } = await serve((_, res) => json(res, 200, { contactid: ID, fullname: "Yvonne" }));
    const row = await client.retrieve("contacts", ID, {
      select: ["fullname"],
      expand: [{ property: "parentcustomerid_account", select: ["name"] }],
    });
    expect(row.fullname).toBe("Yvonne");
    expect(decodeURIComponent(server.requests[0]?.url ?? "")).toBe(
      `/api/data/v9.2/contacts(${ID})?$select=fullname&$expand=parentcustomerid_account($select=name)`,
    );
    expect(server.requests[0]?.headers["prefer"]).toBeUndefined();
  });

  test("retrieve by alternate key; a missing row is a NotFoundError", async () => {
    const { server, client } = await serve((_, res) =>
      json(res, 404, { error: { code: "0x80040217", message: "not found" } }),
    );
    await expect(client.retrieve("rp_relationshipinsights", { rp_key: "abc" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(server.requests[0]?.url).toBe("/api/data/v9.2/rp_relationshipinsights(rp_key='abc')");
  });

  test("a lookup key written as a GUID", async () => {
    const { server, client } = await serve((_, res) => json(res, 200, {}));
    await client.retrieve("accounts", { _primarycontactid_value: guid(ID) });
    expect(server.requests[0]?.url).toBe(`/api/data/v9.2/accounts(_primarycontactid_value=${ID})`);
  });
});

describe("FetchXML paging", () => {
  const entity = xml`<entity name="contact"><attribute name="fullname" /><filter><condition attribute="lastname" operator="eq" value="${"O'Brien"}" /></filter></entity>`;
  const query = (top?: number) =>
    top === undefined ? `<fetch>${entity}</fetch>` : xml`<fetch top="${top}">` + entity + "</fetch>";
  const sentFetch = (url: string) => new URL(url, "http://x").searchParams.get("fetchXml") ?? "";

  test("without a paging cookie, pages go by number (simple paging) until morerecords is false", async () => {
    const { server, client } = await serve((req, res) => {
      const page = Number(fetchAttributes(sentFetch(req.url)).get("page"));
      json(res, 200, {
        value: [{ fullname: `row${page}` }],
        "@Microsoft.Dynamics.CRM.morerecords": page < 3,
      });
    });
    const rows = [];
    for await (const row of client.fetchXml(query(), { maxPageSize: 1 })) rows.push(row.fullname);
    expect(rows).toEqual(["row1", "row2", "row3"]);
    expect(server.requests.map((r) => Object.fromEntries(fetchAttributes(sentFetch(r.url))))).toEqual([
      { count: "1", page: "1" },
      { count: "1", page: "2" },
      { count: "1", page: "3" },
    ]);
    expect(sentFetch(server.requests[0]?.url ?? "")).toContain('value="O&apos;Brien"');
  });

  test("a query with top is sent once, unpaged", async () => {
    const { server, client } = await serve((_, res) =>
      json(res, 200, { value: [{ fullname: "a" }], "@Microsoft.Dynamics.CRM.morerecords": true }),
    );
    const rows = [];
    for await (const row of client.fetchXml(query(5))) rows.push(row);
    expect(rows).toHaveLength(1);
    expect(Object.fromEntries(fetchAttributes(sentFetch(server.requests[0]?.url ?? "")))).toEqual({
      top: "5",
    });
  });

  test("a client given no tables knows none, not even Rapport's: FetchXML needs the entity set, count selects no column", async () => {
    const server = await startServer((_, res) => json(res, 200, { "@odata.count": 0, value: [] }));
    servers.push(server);
    const { client } = clientFor(server, { tables: undefined });
    const ours = '<fetch><entity name="rp_connection"><attribute name="rp_target" /></entity></fetch>';
    const iterate = async (options: { entitySet?: string }) => {
      for await (const _ of client.fetchXml(ours, options)) void _;
    };
    await expect(iterate({})).rejects.toBeInstanceOf(InvalidValueError);
    await iterate({ entitySet: "rp_connections" });
    await client.count("rp_connections");
    expect(server.requests.map((r) => new URL(r.url, server.url).pathname)).toEqual([
      "/api/data/v9.2/rp_connections",
      "/api/data/v9.2/rp_connections",
    ]);
    expect(server.requests[1]?.url).toBe("/api/data/v9.2/rp_connections?$count=true");
  });

  test("a table outside the client's tables needs its entity set named", async () => {
    const { server, client } = await serve((_, res) => json(res, 200, { value: [] }));
    const custom = '<fetch><entity name="new_widget"><attribute name="new_name" /></entity></fetch>';
    const iterate = async (options: { entitySet?: string }) => {
      for await (const _ of client.fetchXml(custom, options)) void _;
    };
    await expect(iterate({})).rejects.toBeInstanceOf(InvalidValueError);
    await iterate({ entitySet: "new_widgets" });
    expect(new URL(server.requests[0]?.url ?? "", server.url).pathname).toBe("/api/data/v9.2/new_widgets");
  });
});
