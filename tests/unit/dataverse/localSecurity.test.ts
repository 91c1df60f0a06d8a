import { DataverseHttpError } from "../../../server/src/dataverse/local/errors";
import { type Access, demand, readScope } from "../../../server/src/dataverse/local/security";
import { infoByLogicalName } from "../../../server/src/dataverse/local/tableInfo";

// Depth as the endpoint applies it. No built-in role reads at user depth, so the access is made here.

const ME = "11111111-1111-4111-8111-111111111111";
const access = (privileges: [string, "Basic" | "Global"][]): Access => ({
  caller: { userId: ME, administrator: false },
  roleCount: 1,
  privileges: new Map(privileges),
});
const contact = infoByLogicalName("contact")!;
const insight = infoByLogicalName("rp_relationshipinsight")!;

test("user-depth Read narrows lists of a user-owned table to the caller's records; Global does not", () => {
  // Owned, or shared with the caller with ReadAccess (1), as PrincipalObjectAccess holds it.
  expect(readScope(access([["prvReadContact", "Basic"]]), contact)).toEqual({
    sql:
      '"ownerid" = ? OR "contactid" IN (SELECT objectid FROM "_principalobjectaccess" ' +
      "WHERE objecttable = ? AND principalid = ? AND (accessrightsmask & ?) <> 0)",
    params: [ME, "contact", ME, 1],
  });
  expect(readScope(access([["prvReadContact", "Global"]]), contact)).toBeUndefined();
  // Organization-owned tables have no owner to narrow by.
  expect(readScope(access([["prvReadrp_RelationshipInsight", "Basic"]]), insight)).toBeUndefined();
});

test("a record of another owner at user depth is Dataverse's AccessCheckEx 403; one's own passes", () => {
  const a = access([["prvWriteContact", "Basic"]]);
  expect(() => demand(a, contact, "Write", { contactid: "c1", ownerid: ME })).not.toThrow();
  let err: unknown;
  try {
    demand(a, contact, "Write", { contactid: "c2", ownerid: "22222222-2222-4222-8222-222222222222" });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DataverseHttpError);
  expect((err as DataverseHttpError).status).toBe(403);
  expect((err as DataverseHttpError).code).toBe("0x80040265");
  expect((err as DataverseHttpError).message).toMatch(
    /ObjectID: c2, .*CallingUser: 1111.*ObjectTypeCode: 2,.*AccessRights: WriteAccess/,
  );
});

test("no privilege at all is the 0x80040220 error naming it; no access (seeding) checks nothing", () => {
  expect(() => readScope(access([]), contact)).toThrow(
    /is missing prvReadContact privilege .* on OTC=2 for entity 'contact'/,
  );
  expect(readScope(undefined, contact)).toBeUndefined();
});

test("a record shared with the caller reaches them at user depth for exactly the rights shared", () => {
  const other = { contactid: "c3", ownerid: "22222222-2222-4222-8222-222222222222" };
  const shared = (mask: number): Access => ({
    ...access([
      ["prvReadContact", "Basic"],
      ["prvWriteContact", "Basic"],
      ["prvDeleteContact", "Basic"],
    ]),
    sharedRights: (table, id) => (table === "contact" && id === "c3" ? mask : 0),
  });
  // ReadAccess 1 + WriteAccess 2.
  expect(() => demand(shared(3), contact, "Read", other)).not.toThrow();
  expect(() => demand(shared(3), contact, "Write", other)).not.toThrow();
  expect(() => demand(shared(3), contact, "Delete", other)).toThrow(/AccessRights: DeleteAccess/);
  expect(() => demand(shared(0), contact, "Read", other)).toThrow(/AccessRights: ReadAccess/);
  // Sharing extends depth, not privilege: no prvAssign, no assigning, whatever was shared.
  expect(() => demand(shared(524288), contact, "Assign", other)).toThrow(
    /is missing prvAssignContact privilege/,
  );
});
