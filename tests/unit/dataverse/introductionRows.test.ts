import { choiceValue } from "../../../server/src/dataverse/model";
import { profileKey, profileWrites } from "../../../server/src/dataverse/publish/introducerProfiles";
import { introductionFromRow } from "../../../server/src/dataverse/read/readIntroductions";

const U1 = "11111111-1111-4111-8111-111111111111";
const U2 = "22222222-2222-4222-8222-222222222222";
const U3 = "33333333-3333-4333-8333-333333333333";
const P1 = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const P2 = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";

describe("an introduction row as the service reads it", () => {
  const row = {
    rp_introductionid: "CCCCCCCC-CCCC-4CCC-8CCC-CCCCCCCCCCCC",
    rp_status: choiceValue("introductionStatus", "snoozed"),
    _rp_requesterid_value: U1.toUpperCase(),
    _rp_introducerid_value: U2,
    rp_targetemail: " X@Fabrikam.com ",
    _rp_contactid_value: P1,
    _rp_opportunityid_value: P2,
    rp_requestedon: "2001-05-01T10:00:00Z",
    rp_snoozeduntil: "2001-05-08T10:00:00Z",
  };

  test("ids and the address lower case, the opportunity first among the records, dates in ms", () => {
    expect(introductionFromRow(row)).toEqual({
      id: "cccccccc-cccc-4ccc-8ccc-cccccccccccc",
      status: "snoozed",
      requesterId: U1,
      introducerId: U2,
      targetEmail: "x@fabrikam.com",
      record: { type: "opportunity", id: P2 },
      requestedOn: Date.UTC(2001, 4, 1, 10),
      snoozedUntil: Date.UTC(2001, 4, 8, 10),
    });
  });

  test("without rp_requestedon the creation date stands in; a row missing what the rules need is not followed", () => {
    const { rp_requestedon: _, ...noDate } = row;
    expect(introductionFromRow({ ...noDate, createdon: "2001-06-01T00:00:00Z" })?.requestedOn).toBe(
      Date.UTC(2001, 5, 1),
    );
    expect(introductionFromRow(noDate)).toBeUndefined();
    for (const k of ["rp_status", "_rp_requesterid_value", "_rp_introducerid_value", "rp_targetemail"])
      expect(introductionFromRow({ ...row, [k]: null })).toBeUndefined();
    expect(introductionFromRow({ ...row, rp_status: 42 })).toBeUndefined();
  });
});

describe("introducer profile writes", () => {
  const at = "2026-12-07T21:00:00.000Z";

  test("an existing profile is written only when its count changed or it holds open requests; never its choice", () => {
    const writes = profileWrites(
      [
        { userId: U1, name: "Ann", openRequests: 0 },
        { userId: U2, name: "Bob", openRequests: 2 },
        { userId: U3, name: "Cy", openRequests: 0 },
      ],
      [
        { id: P1, userId: U1, openRequests: 0 },
        { id: P2, userId: U2, openRequests: 2 },
        { id: "dddddddd-dddd-4ddd-8ddd-dddddddddddd", userId: U3, openRequests: 1 },
      ],
      at,
    );
    expect(writes.map((w) => "url" in w && [w.method, w.url, w.body])).toEqual([
      ["PATCH", `rp_introducerprofiles(${P2})`, { rp_openrequests: 2, rp_countedon: at }],
      [
        "PATCH",
        "rp_introducerprofiles(dddddddd-dddd-4ddd-8ddd-dddddddddddd)",
        { rp_openrequests: 0, rp_countedon: at },
      ],
    ]);
  });

  test("a missing profile is created by its key, owned by the colleague", () => {
    const [w] = profileWrites([{ userId: U1.toUpperCase(), name: "Ann", openRequests: 1 }], [], at);
    expect(w).toMatchObject({
      method: "PATCH",
      url: `rp_introducerprofiles(rp_key='${profileKey(U1)}')`,
      body: {
        rp_name: "Ann",
        rp_openrequests: 1,
        rp_countedon: at,
        "ownerid@odata.bind": `/systemusers(${U1})`,
        "rp_UserId@odata.bind": `/systemusers(${U1})`,
      },
    });
    expect(w && "headers" in w ? w.headers : {}).not.toHaveProperty("If-Match");
    expect(profileKey(U1)).toMatch(/^[0-9a-f]{40}$/);
    expect(profileKey(U1.toUpperCase())).toBe(profileKey(U1));
  });
});
