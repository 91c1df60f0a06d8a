import { defaultParser } from "@odata/parser";

import {
  and,
  type FilterValue,
  guid,
  identifier,
  InvalidValueError,
  keySegment,
  literal,
  not,
  odataFilter,
  or,
  xml,
} from "../../../server/src/dataverse/client";
import {
  fetchAttributes,
  pagingCookieFrom,
  withFetchAttributes,
} from "../../../server/src/dataverse/client/fetchXml";
import { queryOptions } from "../../../server/src/dataverse/client/odata";

const ID = "7eb682f1-ca75-e511-80d4-00155d2a68d1";

describe("OData literals", () => {
  test.each<[string, FilterValue, string]>([
    ["plain string", "Contoso", "'Contoso'"],
    ["apostrophe doubled", "O'Brien", "'O''Brien'"],
    ["injection attempt stays one literal", "') or true or ('", "''') or true or ('''"],
    ["unicode kept as is", "Zoë 山田 🚀", "'Zoë 山田 🚀'"],
    ["empty string", "", "''"],
    ["integer", 42, "42"],
    ["decimal", 5000000.25, "5000000.25"],
    ["negative zero", -0, "0"],
    ["bigint", 9007199254740993n, "9007199254740993"],
    ["boolean", true, "true"],
    ["null", null, "null"],
    ["date as ISO", new Date(Date.UTC(2024, 0, 31, 12, 30)), "2024-01-31T12:30:00.000Z"],
    ["GUID bare and lower-cased", guid("{7EB682F1-CA75-E511-80D4-00155D2A68D1}"), ID],
    ["identifier bare", identifier("emailaddress1"), "emailaddress1"],
  ])("%s", (_, value, expected) => {
    expect(literal(value)).toBe(expected);
  });

  test.each<[string, FilterValue]>([
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["invalid date", new Date("nope")],
    ["lone surrogate", "a\uD800b"],
    ["undefined", undefined as unknown as FilterValue],
    ["object", {} as unknown as FilterValue],
  ])("refuses %s with InvalidValueError", (_, value) => {
    expect(() => literal(value)).toThrow(InvalidValueError);
  });
});

describe("odataFilter", () => {
  test("writes strings as quoted literals and GUIDs bare", () => {
    const f = odataFilter`fullname eq ${"O'Brien"} and _parentcustomerid_value eq ${guid(ID)}`;
    expect(f.text).toBe(`fullname eq 'O''Brien' and _parentcustomerid_value eq ${ID}`);
  });

  test.each(["') or true or ('", "x' or fullname ne 'y", "'; drop", "a'b'c''", "\\' or 1 eq 1 or '"])(
    "a hostile value %j parses as one comparison with one string literal",
    (hostile) => {
      const f = odataFilter`fullname eq ${hostile}`;
      const tree = defaultParser.filter(f.text) as { type: string; value: { right: { type: string } } };
      expect(tree.type).toBe("EqualsExpression");
      expect(tree.value.right.type).toBe("Literal");
    },
  );

  test("composes with and/or/not, parenthesising each part", () => {
    const emails = ["a@contoso.com", "b'c@contoso.com"];
    const f = and(
      or(...emails.map((e) => odataFilter`emailaddress1 eq ${e}`)),
      not(odataFilter`statecode eq ${1}`),
    );
    expect(f.text).toBe(
      "((emailaddress1 eq 'a@contoso.com') or (emailaddress1 eq 'b''c@contoso.com')) and (not (statecode eq 1))",
    );
    expect(() => defaultParser.filter(f.text)).not.toThrow();
  });

  test("names the value's position when one is refused", () => {
    expect(() => odataFilter`a eq ${1} and b eq ${NaN}`).toThrow(
      "Invalid filter value 2: number is not finite",
    );
  });
});

describe("guid", () => {
  test.each([
    ["not hex", "zzzzzzzz-ca75-e511-80d4-00155d2a68d1"],
    ["too short", "7eb682f1-ca75-e511-80d4-00155d2a68d"],
    ["injection", `${ID}) or (true`],
    ["number", 12 as unknown as string],
  ])("refuses %s, naming the role and not echoing the input", (_, value) => {
    const attempt = () => guid(value, "parentcustomerid");
    expect(attempt).toThrow(InvalidValueError);
    expect(attempt).toThrow(/^Invalid parentcustomerid: not a GUID/);
    if (typeof value === "string") expect(attempt).not.toThrow(value);
  });

  test("a long bad value is described by its length only", () => {
    const long = "x".repeat(10_000);
    expect(() => guid(long, "record id")).toThrow("Invalid record id: not a GUID (10000 characters)");
  });
});

describe("keySegment", () => {
  test.each<[string, Parameters<typeof keySegment>[0], string]>([
    ["id", ID, `(${ID})`],
    ["single alternate key", { accountnumber: "ABC123" }, "(accountnumber='ABC123')"],
    // Alternate-key doc example (use-alternate-key-reference-record): contacts(firstname='Joe',emailaddress1='abc@example.com')
    [
      "multi-part key in the caller's order",
      { firstname: "Joe", emailaddress1: "abc@example.com" },
      "(firstname='Joe',emailaddress1='abc@example.com')",
    ],
    ["apostrophe doubled", { lastname: "O'Brien" }, "(lastname='O''Brien')"],
    ["space and unicode percent-encoded", { name: "Zoë Ltd" }, "(name='Zo%C3%AB%20Ltd')"],
    ["number bare", { rp_year: 2024 }, "(rp_year=2024)"],
    ["lookup key as GUID", { _primarycontactid_value: guid(ID) }, `(_primarycontactid_value=${ID})`],
  ])("%s", (_, key, expected) => {
    expect(keySegment(key)).toBe(expected);
  });

  test.each([
    ["a value Dataverse cannot address", { rp_key: "a/b" }],
    ["an injected key name", { "name='x') or (a": "b" }],
    ["no columns", {}],
    ["a bad id", "not-a-guid"],
  ])("refuses %s", (_, key) => {
    expect(() => keySegment(key as Parameters<typeof keySegment>[0])).toThrow(InvalidValueError);
  });
});

describe("query options", () => {
  test("$select, $filter, $orderby, $top, $expand with nested options, $count, encoded", () => {
    const q = queryOptions({
      select: ["name", "revenue"],
      filter: odataFilter`name eq ${"A&B #1 + 50%"}`,
      orderBy: ["name", "createdon desc"],
      top: 3,
      expand: [
        { property: "primarycontactid", select: ["fullname"] },
        { property: "Account_Tasks", select: ["subject"], filter: odataFilter`contains(subject,${"Task"})` },
      ],
      count: true,
    });
    expect(q).toBe(
      "$select=name,revenue&$filter=name%20eq%20'A%26B%20%231%20%2B%2050%25'&$orderby=name,createdon%20desc" +
        "&$top=3&$expand=primarycontactid($select=fullname),Account_Tasks($select=subject;$filter=contains(subject,'Task'))" +
        "&$count=true",
    );
    const params = new URLSearchParams(q);
    expect(params.get("$filter")).toBe("name eq 'A&B #1 + 50%'");
  });

  test.each([
    ["a select name with a comma", { select: ["name,revenue"] }],
    ["an orderby with injected text", { orderBy: ["name desc,(x"] }],
    ["top 0", { top: 0 }],
    ["top over 5000", { top: 5001 }],
    ["a raw string filter", { filter: "name eq 'x'" as never }],
  ])("refuses %s", (_, query) => {
    expect(() => queryOptions(query)).toThrow(InvalidValueError);
  });
});

describe("FetchXML", () => {
  test("xml`` escapes every value for attributes and text", () => {
    const name = `O'Brien & "Sons" <b>`;
    expect(xml`<condition attribute="lastname" operator="eq" value="${name}" />`).toBe(
      `<condition attribute="lastname" operator="eq" value="O&apos;Brien &amp; &quot;Sons&quot; &lt;b&gt;" />`,
    );
    expect(xml`<value>${guid(ID)}</value><value>${3}</value>`).toBe(`<value>${ID}</value><value>3</value>`);
    expect(() => xml`<value>${"bell\u0007"}</value>`).toThrow(InvalidValueError);
  });

  test("paging attributes are set on the root element only, the rest kept as written", () => {
    const query = `<fetch count='3' page='1'>\n  <entity name='contact'>\n    <attribute name='fullname' />\n  </entity>\n</fetch>`;
    const next = withFetchAttributes(query, {
      page: "2",
      "paging-cookie": '<cookie page="1"><contactid last="{A}" /></cookie>',
    });
    expect(next).toBe(
      `<fetch count="3" page="2" paging-cookie="&lt;cookie page=&quot;1&quot;&gt;&lt;contactid last=&quot;{A}&quot; /&gt;&lt;/cookie&gt;">` +
        `\n  <entity name='contact'>\n    <attribute name='fullname' />\n  </entity>\n</fetch>`,
    );
    expect(fetchAttributes(next).get("page")).toBe("2");
  });

  test("the paging cookie is the annotation's pagingcookie attribute, URL-decoded twice", () => {
    // Annotation shape from fetchxml/page-results (Web API tab), values shortened.
    const annotation =
      '<cookie pagenumber="2" pagingcookie="%253ccookie%2520page%253d%25221%2522%253e%253ccontactid%2520last%253d%2522%257b70BF4D48-34CB-ED11-B596-0022481D68CD%257d%2522%2520%252f%253e%253c%252fcookie%253e" istracking="False" />';
    expect(pagingCookieFrom(annotation)).toBe(
      '<cookie page="1"><contactid last="{70BF4D48-34CB-ED11-B596-0022481D68CD}" /></cookie>',
    );
    expect(pagingCookieFrom(undefined)).toBeUndefined();
  });
});
