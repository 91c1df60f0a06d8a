import {
  ConcurrencyMismatchError,
  createOp,
  DuplicateRecordError,
  guid,
  NotFoundError,
  odataFilter,
  retrieveOp,
} from "../../../server/src/dataverse/client";
import { fetchAttributes } from "../../../server/src/dataverse/client/fetchXml";
import { clientFor, type Handler, json, type LocalServer, type Recorded, startServer } from "./localServer";

/**
 * Contract tests: the requests the client sends compared with the request examples of Microsoft's
 * Web API documentation (each test cites its page). The documented examples are restated here as
 * data; a local server answers with the documented responses.
 */

const ACCOUNT = "00000000-0000-0000-0000-000000000001";
const servers: LocalServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function serve(handler: Handler) {
  const server = await startServer(handler);
  servers.push(server);
  return { server, ...clientFor(server) };
}

/** The headers every documented request carries, plus the bearer token. */
function expectStandardHeaders(req: Recorded, withBody: boolean) {
  expect(req.headers["accept"]).toBe("application/json");
  expect(req.headers["odata-maxversion"]).toBe("4.0");
  expect(req.headers["odata-version"]).toBe("4.0");
  expect(req.headers["authorization"]).toBe("Bearer test-token");
  if (withBody) expect(req.headers["content-type"]).toBe("application/json; charset=utf-8");
  else expect(req.headers["content-type"]).toBeUndefined();
}

/** Path and decoded query, compared with a documented URL (the server may percent-encode differently). */
function decoded(url: string): string {
  const [path = "", query] = url.split("?");
  return query === undefined ? path : `${path}?${decodeURIComponent(query)}`;
}

// Body of the create examples (create-entity-web-api.md, "Basic create" and "Create with data returned").
const SAMPLE_ACCOUNT = {
  name: "Sample Account",
  creditonhold: false,
  address1_latitude: 47.639583,
  description: "This is the description of the sample account",
  revenue: 5000000,
  accountcategorycode: 1,
};

// Body of the update and upsert examples (update-delete-entities-using-web-api.md,
// perform-conditional-operations-using-web-api.md).
const UPDATED_ACCOUNT = {
  name: "Updated Sample Account ",
  creditonhold: true,
  address1_latitude: 47.639583,
  description: "This is the updated description of the sample account",
  revenue: 6000000,
  accountcategorycode: 2,
};

describe("create, update, upsert and delete match the documented requests", () => {
  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api#basic-create
  test("basic create: POST to the entity set, 204 + OData-EntityId gives the id", async () => {
    const { server, client } = await serve((_, res) => {
      res.writeHead(204, {
        "OData-Version": "4.0",
        "OData-EntityId": `${server.apiRoot}/accounts(7eb682f1-ca75-e511-80d4-00155d2a68d1)`,
      });
      res.end();
    });
    const created = await client.create("accounts", SAMPLE_ACCOUNT);
    expect(created).toEqual({ id: "7eb682f1-ca75-e511-80d4-00155d2a68d1" });
    const [req] = server.requests;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/api/data/v9.2/accounts");
    expectStandardHeaders(req as Recorded, true);
    expect(JSON.parse(req?.body ?? "")).toEqual(SAMPLE_ACCOUNT);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api#create-with-data-returned
  test("create with data returned: $select and Prefer: return=representation, 201 with the row", async () => {
    const row = {
      "@odata.etag": 'W/"536530"',
      accountid: "d6f193fc-ce85-e611-80d8-00155d2a68de",
      name: "Sample Account",
      createdon: "2016-09-28T22:57:53Z",
    };
    const { server, client } = await serve((_, res) =>
      json(res, 201, row, { "Preference-Applied": "return=representation" }),
    );
    const select = [
      "name",
      "creditonhold",
      "address1_latitude",
      "description",
      "revenue",
      "accountcategorycode",
      "createdon",
    ];
    const created = await client.create("accounts", SAMPLE_ACCOUNT, { returnRepresentation: { select } });
    // The id comes from the model's primary id column: the documented response has no OData-EntityId.
    expect(created.id).toBe("d6f193fc-ce85-e611-80d8-00155d2a68de");
    expect(created.row).toEqual(row);
    const [req] = server.requests;
    expect(req?.url).toBe(
      "/api/data/v9.2/accounts?$select=name,creditonhold,address1_latitude,description,revenue,accountcategorycode,createdon",
    );
    expect(req?.headers["prefer"]).toBe("return=representation");
    expectStandardHeaders(req as Recorded, true);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#basic-update
  test("basic update: PATCH by id with If-Match: *", async () => {
    const { server, client } = await serve((_, res) => {
      res.writeHead(204, { "OData-Version": "4.0" });
      res.end();
    });
    await client.update("accounts", ACCOUNT, UPDATED_ACCOUNT);
    const [req] = server.requests;
    expect(req?.method).toBe("PATCH");
    expect(req?.url).toBe(`/api/data/v9.2/accounts(${ACCOUNT})`);
    expect(req?.headers["if-match"]).toBe("*");
    expectStandardHeaders(req as Recorded, true);
    expect(JSON.parse(req?.body ?? "")).toEqual(UPDATED_ACCOUNT);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#prevent-create-in-upsert
  test("update-only upsert sends If-Match: * and reads the documented 404 as NotFoundError", async () => {
    const { server, client } = await serve((_, res) =>
      json(res, 404, { error: { code: "", message: `account With Id = ${ACCOUNT} Does Not Exist` } }),
    );
    const attempt = client.upsert("accounts", ACCOUNT, UPDATED_ACCOUNT, { mode: "updateOnly" });
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
    const [req] = server.requests;
    expect(req?.method).toBe("PATCH");
    expect(req?.headers["if-match"]).toBe("*");
    expect(req?.headers["if-none-match"]).toBeUndefined();
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#prevent-update-in-upsert
  test("create-only upsert sends If-None-Match: * and reads the documented 412 as DuplicateRecordError", async () => {
    const { server, client } = await serve((_, res) =>
      json(res, 412, { error: { code: "", message: "A record with matching key values already exists." } }),
    );
    const err: unknown = await client
      .upsert("accounts", ACCOUNT, UPDATED_ACCOUNT, { mode: "createOnly" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateRecordError);
    expect((err as DuplicateRecordError).serverMessage).toBe(
      "A record with matching key values already exists.",
    );
    const [req] = server.requests;
    expect(req?.headers["if-none-match"]).toBe("*");
    expect(req?.headers["if-match"]).toBeUndefined();
    expect(JSON.parse(req?.body ?? "")).toEqual(UPDATED_ACCOUNT);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#apply-optimistic-concurrency
  test.each([
    ["delete", "DELETE"],
    ["update", "PATCH"],
  ])(
    "optimistic concurrency on %s: If-Match W/etag, 412 is ConcurrencyMismatchError",
    async (kind, method) => {
      const { server, client } = await serve((_, res) =>
        json(res, 412, {
          error: {
            code: "",
            message: "The version of the existing record doesn't match the RowVersion property provided.",
          },
        }),
      );
      const attempt =
        kind === "delete"
          ? client.delete("accounts", ACCOUNT, { ifMatch: 'W/"470867"' })
          : client.update("accounts", ACCOUNT, { name: "Updated Account Name" }, { ifMatch: 'W/"470867"' });
      await expect(attempt).rejects.toBeInstanceOf(ConcurrencyMismatchError);
      const [req] = server.requests;
      expect(req?.method).toBe(method);
      expect(req?.url).toBe(`/api/data/v9.2/accounts(${ACCOUNT})`);
      expect(req?.headers["if-match"]).toBe('W/"470867"');
      if (kind === "update") expect(req?.body).toBe('{"name":"Updated Account Name"}');
      else expect(req?.body).toBe("");
    },
  );

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#basic-delete
  test("basic delete: DELETE by id, no body", async () => {
    const { server, client } = await serve((_, res) => {
      res.writeHead(204, { "OData-Version": "4.0" });
      res.end();
    });
    await client.delete("accounts", ACCOUNT);
    const [req] = server.requests;
    expect(req?.method).toBe("DELETE");
    expect(req?.url).toBe(`/api/data/v9.2/accounts(${ACCOUNT})`);
    expectStandardHeaders(req as Recorded, false);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record
  test("upsert by a multi-part alternate key addresses the row by its key values", async () => {
    const { server, client } = await serve((_, res) => {
      res.writeHead(204, {
        "OData-Version": "4.0",
        "OData-EntityId": `${server.apiRoot}/contacts(49b0be2e-d01c-ed11-b83e-000d3a572421)`,
      });
      res.end();
    });
    const result = await client.upsert(
      "contacts",
      { firstname: "Joe", emailaddress1: "abc@example.com" },
      { lastname: "Smith" },
    );
    expect(result).toEqual({ id: "49b0be2e-d01c-ed11-b83e-000d3a572421" });
    const [req] = server.requests;
    expect(req?.method).toBe("PATCH");
    expect(req?.url).toBe("/api/data/v9.2/contacts(firstname='Joe',emailaddress1='abc@example.com')");
    expect(req?.headers["if-match"]).toBeUndefined();
    expect(req?.headers["if-none-match"]).toBeUndefined();
  });
});

describe("queries match the documented requests", () => {
  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
  test("paging: Prefer: odata.maxpagesize, then the nextLink unchanged with the same Prefer", async () => {
    const skiptoken =
      "%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%253ccookie%2520page%253d%25221%2522%253e%253ccontactid%2520last%253d%2522%257bD5026A4D-D01C-ED11-B83E-000D3A572421%257d%2522%2520first%253d%2522%257b49B0BE2E-D01C-ED11-B83E-000D3A572421%257d%2522%2520%252f%253e%253c%252fcookie%253e%22%20istracking=%22False%22%20/%3E";
    const { server, client } = await serve((req, res) => {
      if (!req.url.includes("$skiptoken"))
        return json(res, 200, {
          value: [
            { fullname: "Yvonne McKay (sample)", contactid: "49b0be2e-d01c-ed11-b83e-000d3a572421" },
            { fullname: "Susanna Stubberod (sample)", contactid: "70bf4d48-34cb-ed11-b596-0022481d68cd" },
          ],
          "@odata.nextLink": `${server.apiRoot}/contacts?$select=fullname&$skiptoken=${skiptoken}`,
        });
      return json(res, 200, {
        value: [{ fullname: "Nancy Anderson (sample)", contactid: "72bf4d48-34cb-ed11-b596-0022481d68cd" }],
      });
    });
    const rows = await client.retrieveAll("contacts", { select: ["fullname"] }, { maxPageSize: 2 });
    expect(rows.map((r) => r.fullname)).toEqual([
      "Yvonne McKay (sample)",
      "Susanna Stubberod (sample)",
      "Nancy Anderson (sample)",
    ]);
    const [first, second] = server.requests;
    expect(first?.url).toBe("/api/data/v9.2/contacts?$select=fullname");
    expect(first?.headers["prefer"]).toBe("odata.maxpagesize=2");
    expectStandardHeaders(first as Recorded, false);
    expect(second?.url).toBe(`/api/data/v9.2/contacts?$select=fullname&$skiptoken=${skiptoken}`);
    expect(second?.headers["prefer"]).toBe("odata.maxpagesize=2");
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results#dont-use-the-top-query-option-while-paging-records
  test("$top: no page size is asked (Dataverse would ignore $top)", async () => {
    const { server, client } = await serve((_, res) => json(res, 200, { value: [] }));
    await client.retrieveAll("accounts", { select: ["name", "revenue"], top: 3 });
    expect(server.requests[0]?.url).toBe("/api/data/v9.2/accounts?$select=name,revenue&$top=3");
    expect(server.requests[0]?.headers["prefer"]).toBeUndefined();
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables#limit-columns-with-select
  test("$expand of a lookup and a collection, each with its own $select", async () => {
    const { server, client } = await serve((_, res) => json(res, 200, { value: [] }));
    await client.retrieveAll(
      "accounts",
      {
        select: ["name"],
        expand: [
          { property: "primarycontactid", select: ["fullname"] },
          { property: "Account_Tasks", select: ["subject"] },
        ],
      },
      { maxPageSize: 1 },
    );
    const [req] = server.requests;
    expect(decoded(req?.url ?? "")).toBe(
      "/api/data/v9.2/accounts?$select=name&$expand=primarycontactid($select=fullname),Account_Tasks($select=subject)",
    );
    expect(req?.headers["prefer"]).toBe("odata.maxpagesize=1");
    expect(req?.headers["if-none-match"]).toBe("null");
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables#nested-expand-of-single-valued-navigation-properties
  test("nested $expand of single-valued navigation properties", async () => {
    const { server, client } = await serve((_, res) => json(res, 200, { value: [] }));
    await client.retrieveAll(
      "tasks",
      {
        select: ["subject"],
        expand: [
          {
            property: "regardingobjectid_contact_task",
            select: ["fullname"],
            expand: [
              {
                property: "parentcustomerid_account",
                select: ["name"],
                expand: [{ property: "createdby", select: ["fullname"] }],
              },
            ],
          },
        ],
      },
      { maxPageSize: 2 },
    );
    expect(decoded(server.requests[0]?.url ?? "")).toBe(
      "/api/data/v9.2/tasks?$select=subject&$expand=regardingobjectid_contact_task($select=fullname;" +
        "$expand=parentcustomerid_account($select=name;$expand=createdby($select=fullname)))",
    );
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables (the $filter/$orderby in $expand example)
  test("$filter and $orderby inside an $expand", async () => {
    const { server, client } = await serve((_, res) => json(res, 200, { value: [] }));
    await client.retrieveAll("accounts", {
      select: ["name"],
      expand: [
        {
          property: "Account_Tasks",
          select: ["subject"],
          filter: odataFilter`contains(subject,${"Task"})`,
          orderBy: ["createdon desc"],
        },
      ],
    });
    expect(decoded(server.requests[0]?.url ?? "")).toBe(
      "/api/data/v9.2/accounts?$select=name&$expand=Account_Tasks($select=subject;$filter=contains(subject,'Task');$orderby=createdon desc)",
    );
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/count-rows
  test("$count=true yields @odata.count on the page", async () => {
    const { server, client } = await serve((_, res) =>
      json(res, 200, { "@odata.count": 9, value: [{ accountid: "78914942-34cb-ed11-b596-0022481d68cd" }] }),
    );
    const pages = [];
    for await (const page of client.pages("accounts", { select: ["accountid"], count: true }))
      pages.push(page);
    expect(pages[0]?.count).toBe(9);
    expect(server.requests[0]?.url).toBe("/api/data/v9.2/accounts?$select=accountid&$count=true");
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/count-rows (totalrecordcount annotations)
  test("count() asks one row with the total-count annotations and reports the 5,000 limit", async () => {
    const { server, client } = await serve((_, res) =>
      json(res, 200, {
        "@odata.count": 5000,
        "@Microsoft.Dynamics.CRM.totalrecordcount": 5000,
        "@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded": true,
        value: [{ accountid: "78914942-34cb-ed11-b596-0022481d68cd" }],
      }),
    );
    const result = await client.count("accounts", odataFilter`contains(name,${"sample"})`);
    expect(result).toEqual({ count: 5000, limitExceeded: true });
    const [req] = server.requests;
    expect(decoded(req?.url ?? "")).toBe(
      "/api/data/v9.2/accounts?$select=accountid&$filter=contains(name,'sample')&$count=true",
    );
    expect(req?.headers["prefer"]).toBe(
      'odata.maxpagesize=1,odata.include-annotations="Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"',
    );
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns (formatted values)
  test("formatted values are asked with the FormattedValue annotation", async () => {
    const { server, client } = await serve((_, res) =>
      json(res, 200, {
        value: [{ statecode: 0, "statecode@OData.Community.Display.V1.FormattedValue": "Active" }],
      }),
    );
    const rows = await client.retrieveAll("accounts", { select: ["statecode"] }, { formattedValues: true });
    expect(rows[0]?.["statecode@OData.Community.Display.V1.FormattedValue"]).toBe("Active");
    expect(server.requests[0]?.headers["prefer"]).toBe(
      'odata.maxpagesize=5000,odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    );
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results (Web API tab)
  test("FetchXML: first page, then the paging cookie twice-decoded and XML-escaped with page 2", async () => {
    const query =
      "<fetch count='3' page='1'>\r\n<entity name='contact'>\r\n<attribute name='fullname'/>\r\n" +
      "<attribute name='jobtitle'/>\r\n<attribute name='annualincome'/>\r\n<order descending='true' attribute='fullname'/>\r\n</entity>\r\n</fetch>";
    const cookieAnnotation =
      '<cookie pagenumber="2" pagingcookie="%253ccookie%2520page%253d%25221%2522%253e%253cfullname%2520last%253d%2522Susanna%2520Stubberod%2520%2528sample%2529%2522%2520first%253d%2522Yvonne%2520McKay%2520%2528sample%2529%2522%2520%252f%253e%253ccontactid%2520last%253d%2522%257b70BF4D48-34CB-ED11-B596-0022481D68CD%257d%2522%2520first%253d%2522%257b49B0BE2E-D01C-ED11-B83E-000D3A572421%257d%2522%2520%252f%253e%253c%252fcookie%253e" istracking="False" />';
    const { server, client } = await serve((req, res) => {
      const first = server.requests.length === 1;
      json(res, 200, {
        "@Microsoft.Dynamics.CRM.fetchxmlpagingcookie": first ? cookieAnnotation : undefined,
        "@Microsoft.Dynamics.CRM.morerecords": first,
        value: first ? [{ fullname: "Yvonne McKay (sample)" }] : [{ fullname: "Susan Burk (sample)" }],
      });
    });
    const rows = [];
    for await (const row of client.fetchXml(query)) rows.push(row);
    expect(rows.map((r) => r.fullname)).toEqual(["Yvonne McKay (sample)", "Susan Burk (sample)"]);

    const annotations =
      'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords"';
    const sent = server.requests.map((r) => {
      const url = new URL(r.url, server.url);
      expect(url.pathname).toBe("/api/data/v9.2/contacts");
      expect(r.headers["prefer"]).toBe(annotations);
      return url.searchParams.get("fetchXml") ?? "";
    });
    const body = (x: string) => x.slice(x.indexOf(">") + 1);
    expect(sent.map((x) => Object.fromEntries(fetchAttributes(x)))).toEqual([
      { count: "3", page: "1" },
      {
        count: "3",
        page: "2",
        "paging-cookie":
          "&lt;cookie page=&quot;1&quot;&gt;&lt;fullname last=&quot;Susanna Stubberod (sample)&quot; first=&quot;Yvonne McKay (sample)&quot; /&gt;" +
          "&lt;contactid last=&quot;{70BF4D48-34CB-ED11-B596-0022481D68CD}&quot; first=&quot;{49B0BE2E-D01C-ED11-B83E-000D3A572421}&quot; /&gt;&lt;/cookie&gt;",
      },
    ]);
    // Everything after the root start tag is sent exactly as the caller wrote it.
    expect(sent.map(body)).toEqual([body(query), body(query)]);
  });
});

describe("batch operations match the documented requests", () => {
  const task = (n: number) => ({
    subject: `Task ${n} in batch`,
    "regardingobjectid_account_task@odata.bind": `accounts(${ACCOUNT})`,
  });
  const getTasks = retrieveOp(
    "accounts",
    guid(ACCOUNT),
    { select: ["subject"] },
    { navigation: "Account_Tasks" },
  );
  const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");
  const taskPart = (n: number, contentId?: number) =>
    "Content-Type: application/http\nContent-Transfer-Encoding: binary\n" +
    (contentId ? `Content-ID: ${contentId}\n` : "") +
    `\nPOST /api/data/v9.2/tasks HTTP/1.1\nContent-Type: application/json; type=entry\n\n${JSON.stringify(task(n))}\n`;
  const getPart =
    "Content-Type: application/http\nContent-Transfer-Encoding: binary\n\n" +
    `GET /api/data/v9.2/accounts(${ACCOUNT})/Account_Tasks?$select=subject HTTP/1.1\n\n\n`;

  /** The request body with its boundary ids replaced by B and C, for comparison with the documented text. */
  function normalise(req: Recorded): string {
    const batch = /boundary=(batch_[0-9a-f-]+)/.exec(String(req.headers["content-type"]))?.[1] ?? "?";
    const changeSets = [...req.body.matchAll(/boundary=(changeset_[0-9a-f-]+)/g)].map((m) => m[1] ?? "?");
    let body = req.body.split(batch).join("batch_B");
    for (const cs of changeSets) body = body.split(cs).join("changeset_C");
    return body;
  }

  function answer(server: LocalServer, ids: string[], withGet: boolean) {
    const parts = ids.map(
      (id) =>
        `--batchresponse_1\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n\nHTTP/1.1 204 No Content\n` +
        `OData-Version: 4.0\nLocation: ${server.apiRoot}/tasks(${id})\nOData-EntityId: ${server.apiRoot}/tasks(${id})\n\n\n`,
    );
    if (withGet)
      parts.push(
        "--batchresponse_1\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n\nHTTP/1.1 200 OK\n" +
          "Content-Type: application/json; odata.metadata=minimal; odata.streaming=true\nOData-Version: 4.0\n\n" +
          JSON.stringify({
            value: ids.map((id, i) => ({ subject: `Task ${i + 1} in batch`, activityid: id })),
          }) +
          "\n",
      );
    return crlf(parts.join("") + "--batchresponse_1--\n");
  }

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api#batch-requests
  test("three creates and a GET, without change sets: the full body modulo boundary ids", async () => {
    const ids = [
      "d31ba648-c592-ed11-aad1-000d3a993550",
      "d41ba648-c592-ed11-aad1-000d3a993550",
      "d51ba648-c592-ed11-aad1-000d3a993550",
    ];
    const { server, client } = await serve((_, res) => {
      res.writeHead(200, {
        "Content-Type": "multipart/mixed; boundary=batchresponse_1",
        "OData-Version": "4.0",
      });
      res.end(answer(server, ids, true));
    });
    const results = await client.executeBatch([
      createOp("tasks", task(1)),
      createOp("tasks", task(2)),
      createOp("tasks", task(3)),
      getTasks,
    ]);

    const [req] = server.requests;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/api/data/v9.2/$batch");
    expect(req?.headers["content-type"]).toMatch(/^multipart\/mixed; ?boundary="?batch_[0-9a-f-]{36}"?$/);
    expect(req?.headers["prefer"]).toBeUndefined();
    expect(req?.headers["odata-version"]).toBe("4.0");
    expect(normalise(req as Recorded)).toBe(
      crlf(
        `--batch_B\n${taskPart(1)}--batch_B\n${taskPart(2)}--batch_B\n${taskPart(3)}--batch_B\n${getPart}--batch_B--\n`,
      ),
    );

    expect(results.map((r) => [r.index, r.status, r.id])).toEqual([
      [0, 204, ids[0]],
      [1, 204, ids[1]],
      [2, 204, ids[2]],
      [3, 200, undefined],
    ]);
    expect((results[3]?.body as { value: unknown[] }).value).toHaveLength(3);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api#change-sets
  test("a change set with Content-IDs, then a GET outside it: the full body modulo boundary ids", async () => {
    const ids = [
      "e73ffc82-e292-ed11-aad1-000d3a9933c9",
      "e83ffc82-e292-ed11-aad1-000d3a9933c9",
      "e93ffc82-e292-ed11-aad1-000d3a9933c9",
    ];
    const { server, client } = await serve((_, res) => {
      // The documented response: the change set's answers nested under their own boundary.
      const inner = ids
        .map(
          (id, i) =>
            `--changesetresponse_1\nContent-Type: application/http\nContent-Transfer-Encoding: binary\nContent-ID: ${i + 1}\n\n` +
            `HTTP/1.1 204 No Content\nOData-Version: 4.0\nLocation: ${server.apiRoot}/tasks(${id})\nOData-EntityId: ${server.apiRoot}/tasks(${id})\n\n\n`,
        )
        .join("");
      const get = answer(server, ids, true).split("--batchresponse_1").slice(-2, -1)[0] ?? "";
      res.writeHead(200, { "Content-Type": "multipart/mixed; boundary=batchresponse_1" });
      res.end(
        crlf(
          `--batchresponse_1\nContent-Type: multipart/mixed; boundary=changesetresponse_1\n\n${inner}--changesetresponse_1--\n` +
            `--batchresponse_1${get}--batchresponse_1--\n`,
        ),
      );
    });
    const results = await client.executeBatch([
      { changeSet: [createOp("tasks", task(1)), createOp("tasks", task(2)), createOp("tasks", task(3))] },
      getTasks,
    ]);

    expect(normalise(server.requests[0] as Recorded)).toBe(
      crlf(
        "--batch_B\nContent-Type: multipart/mixed; boundary=changeset_C\n\n" +
          `--changeset_C\n${taskPart(1, 1)}--changeset_C\n${taskPart(2, 2)}--changeset_C\n${taskPart(3, 3)}--changeset_C--\n\n` +
          `--batch_B\n${getPart}--batch_B--\n`,
      ),
    );
    expect(results.map((r) => [r.ok, r.id])).toEqual([
      [true, ids[0]],
      [true, ids[1]],
      [true, ids[2]],
      [true, undefined],
    ]);
  });
});
