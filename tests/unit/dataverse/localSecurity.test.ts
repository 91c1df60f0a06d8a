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
  expect(readScope(access([["prvReadContact", "Basic"]]), contact)).toEqual({
    sql: '"ownerid" = ?',
    params: [ME],
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
