import { DataverseError, odataString, settingsApi } from "../../../webresources/settings/src/api";

// The page's Web API calls over a recording fetch: paths, quoting, bodies, errors.

interface Call {
  url: string;
  method: string;
  body?: string;
  headers: Record<string, string>;
}

function recorder(answer: (call: Call) => { status: number; body?: unknown }) {
  const calls: Call[] = [];
  const fetchFn = async (url: string, init: RequestInit = {}) => {
    const call: Call = {
      url,
      method: init.method ?? "GET",
      headers: (init.headers ?? {}) as Record<string, string>,
      ...(typeof init.body === "string" ? { body: init.body } : {}),
    };
    calls.push(call);
    const a = answer(call);
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), {
      status: a.status,
      headers: { "Content-Type": "application/json" },
    });
  };
  return { calls, api: settingsApi(fetchFn) };
}

describe("settings page: Web API calls", () => {
  test("OData string literals double single quotes", () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
    expect(odataString("') or true or ('")).toBe("''') or true or ('''");
  });

  test("load filters on rp_key 'default', encoded; no row is undefined", async () => {
    const { calls, api } = recorder(() => ({ status: 200, body: { value: [] } }));
    expect(await api.load()).toBeUndefined();
    const url = new URL(calls[0]!.url, "https://org.example");
    expect(url.pathname).toBe("/api/data/v9.2/rp_settingses");
    expect(url.searchParams.get("$filter")).toBe("rp_key eq 'default'");
    expect(calls[0]!.headers["OData-Version"]).toBe("4.0");
  });

  test("save upserts by alternate key with a JSON body", async () => {
    const { calls, api } = recorder(() => ({ status: 204 }));
    await api.save({ rp_name: "Default", rp_introductiontemplate: 'Hi "{colleague}" </p>' });
    expect(calls[0]!.method).toBe("PATCH");
    expect(calls[0]!.url).toBe("/api/data/v9.2/rp_settingses(rp_key='default')");
    expect(JSON.parse(calls[0]!.body!)).toEqual({
      rp_name: "Default",
      rp_introductiontemplate: 'Hi "{colleague}" </p>',
    });
    expect(calls[0]!.headers["Content-Type"]).toMatch(/^application\/json/);
  });

  test("a colleague search quotes what was typed", async () => {
    const { calls, api } = recorder(() => ({
      status: 200,
      body: {
        value: [{ systemuserid: "1", fullname: "Dermot O'Brien", internalemailaddress: "DOB@x.example" }],
      },
    }));
    expect(await api.searchColleagues("O'Bri")).toEqual([
      { id: "1", name: "Dermot O'Brien", email: "dob@x.example" },
    ]);
    const filter = new URL(calls[0]!.url, "https://org.example").searchParams.get("$filter");
    expect(filter).toBe("contains(fullname,'O''Bri') or contains(internalemailaddress,'O''Bri')");
  });

  test("forget excludes the address, then deletes its connections (a row already gone counts)", async () => {
    const { calls, api } = recorder((c) => {
      if (c.method === "GET" && c.url.includes("rp_settingses"))
        return { status: 200, body: { value: [{ rp_excludedaddresses: "a@x.example" }] } };
      if (c.method === "GET" && c.url.includes("rp_connections?"))
        return { status: 200, body: { value: [{ rp_connectionid: "c1" }, { rp_connectionid: "c2" }] } };
      if (c.method === "GET") return { status: 200, body: { value: [] } };
      if (c.method === "DELETE" && c.url.endsWith("(c2)"))
        return { status: 404, body: { error: { code: "0x80040217", message: "gone" } } };
      return { status: 204 };
    });
    expect(await api.forget(" Mary.O'Hara@Fabrikam.example ")).toEqual({
      newlyExcluded: true,
      connectionsDeleted: 2,
      introductionsDeleted: 0,
    });
    const patch = calls.find((c) => c.method === "PATCH")!;
    expect(JSON.parse(patch.body!)).toEqual({
      rp_excludedaddresses: "a@x.example\nmary.o'hara@fabrikam.example",
    });
    const find = calls.find((c) => c.url.includes("rp_connections?"))!;
    expect(new URL(find.url, "https://org.example").searchParams.get("$filter")).toBe(
      "rp_target eq 'mary.o''hara@fabrikam.example' or rp_introduceremail eq 'mary.o''hara@fabrikam.example'",
    );
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.url)).toEqual([
      "/api/data/v9.2/rp_connections(c1)",
      "/api/data/v9.2/rp_connections(c2)",
    ]);
  });

  test("forget deletes the introductions to the person and, for a colleague, theirs and their profile", async () => {
    const user = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const { calls, api } = recorder((c) => {
      const url = new URL(c.url, "https://org.example");
      if (c.method === "GET" && url.pathname.endsWith("/systemusers"))
        return { status: 200, body: { value: [{ systemuserid: user }, { systemuserid: "x) or (1 eq 1" }] } };
      if (c.method === "GET" && url.pathname.endsWith("/rp_introductions"))
        return { status: 200, body: { value: [{ rp_introductionid: "i1" }, { rp_introductionid: "i2" }] } };
      if (c.method === "GET" && url.pathname.endsWith("/rp_introducerprofiles"))
        return { status: 200, body: { value: [{ rp_introducerprofileid: "p1" }] } };
      if (c.method === "GET") return { status: 200, body: { value: [] } };
      return { status: 204 };
    });
    expect(await api.forget("sally@us.example")).toMatchObject({ introductionsDeleted: 2 });
    const filterOf = (set: string) =>
      new URL(calls.find((c) => c.url.includes(`${set}?`))!.url, "https://org.example").searchParams.get(
        "$filter",
      );
    expect(filterOf("rp_introductions")).toBe(
      `rp_targetemail eq 'sally@us.example' or _rp_requesterid_value eq ${user} or ` +
        `_rp_introducerid_value eq ${user} or _rp_connectorid_value eq ${user}`,
    );
    expect(filterOf("rp_introducerprofiles")).toBe(`_rp_userid_value eq ${user}`);
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.url)).toEqual([
      "/api/data/v9.2/rp_introductions(i1)",
      "/api/data/v9.2/rp_introductions(i2)",
      "/api/data/v9.2/rp_introducerprofiles(p1)",
    ]);
  });

  test("a Dataverse error carries its message, code and status", async () => {
    const { api } = recorder(() => ({
      status: 403,
      body: {
        error: { code: "0x80040220", message: "Principal user is missing prvWriterp_settings privilege" },
      },
    }));
    const err = await api.save({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataverseError);
    expect(err).toMatchObject({
      status: 403,
      code: "0x80040220",
      message: expect.stringMatching(/prvWrite/),
    });
  });

  test("recompute POSTs to the configured endpoint; a failure is an error", async () => {
    const { calls, api } = recorder(() => ({ status: 503 }));
    await expect(api.recompute()).rejects.toBeInstanceOf(DataverseError);
    expect(calls[0]).toMatchObject({ url: "/rapport/recompute", method: "POST" });
  });
});
