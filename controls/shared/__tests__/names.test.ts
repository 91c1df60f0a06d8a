import { FakeWebApi } from "../../testing/pcf";
import {
  addressFilter,
  COLLEAGUE_NAMES,
  directoryNames,
  NAMES_PER_QUERY,
  odataString,
  PEOPLE_NAMES,
} from "../names";

describe("directory names", () => {
  test("literals double their quotes and are percent-encoded, so an address cannot end the filter", () => {
    expect(decodeURIComponent(odataString("o'brien@x.com"))).toBe("'o''brien@x.com'");
    expect(odataString("a+b&c#d@x.com")).not.toMatch(/[+&#]/);
    expect(decodeURIComponent(addressFilter("emailaddress1", ["a@x", "b@x"]))).toBe(
      "emailaddress1 eq 'a@x' or emailaddress1 eq 'b@x'",
    );
  });

  test("one query per table for a page; the first table naming an address wins; unknown ones are absent", async () => {
    const api = new FakeWebApi({
      contact: [{ emailaddress1: "Ann@X.com", fullname: "Ann Contact" }],
      lead: [
        { emailaddress1: "ann@x.com", fullname: "Ann Lead" },
        { emailaddress1: "bo@x.com", fullname: "Bo Lead" },
        // The fake ignores $filter: a row for an address not asked for must not be taken.
        { emailaddress1: "other@x.com", fullname: "Other" },
      ],
    });
    const names = await directoryNames(
      api,
      ["ann@x.com", "BO@x.com", "cy@x.com", "ann@x.com", ""],
      PEOPLE_NAMES,
    );
    expect([...names]).toEqual([
      ["ann@x.com", "Ann Contact"],
      ["bo@x.com", "Bo Lead"],
    ]);
    expect(api.calls.map((c) => c.split("?")[0])).toEqual(["list contact", "list lead"]);
    expect(api.calls[0]).toContain("$select=fullname,emailaddress1&$filter=emailaddress1 eq ");
  });

  test("batches of 50 addresses; a table the user may not read names nobody", async () => {
    const many = Array.from({ length: NAMES_PER_QUERY + 1 }, (_, k) => `p${k}@x.com`);
    const api = new FakeWebApi({ systemuser: [{ internalemailaddress: "p50@x.com", fullname: "Fifty" }] });
    expect(await directoryNames(api, many, [COLLEAGUE_NAMES])).toEqual(new Map([["p50@x.com", "Fifty"]]));
    expect(api.calls).toHaveLength(2);
    const denied = new FakeWebApi(
      { contact: [{ emailaddress1: "a@x", fullname: "A" }] },
      new Set(["contact"]),
    );
    expect(await directoryNames(denied, ["a@x"], PEOPLE_NAMES)).toEqual(new Map());
  });

  test("any other failure is not hidden", async () => {
    const api = new FakeWebApi({});
    jest.spyOn(api, "retrieveMultipleRecords").mockRejectedValueOnce(new Error("Network down"));
    await expect(directoryNames(api, ["a@x"], [COLLEAGUE_NAMES])).rejects.toThrow("Network down");
  });
});
