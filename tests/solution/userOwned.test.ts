import { RAPPORT_TABLES, type RoleDef, ROLES } from "../../server/src/dataverse/model";
import { lookupRelationships } from "../../solution/src/relationships";
import { checkGrants, roleNodes } from "../../solution/src/roles";
import { toXml } from "../../solution/src/xml";
import { type Doc, findAll, packEmpty, parse, textOf, unzip } from "./helpers";

// User-owned tables (rp_introduction, rp_introducerprofile) as a Dataverse export writes a user-owned custom
// table (the exports in shared/schemas/dataverse/samples): OwnershipTypeMask UserOwned, OwnerId and the
// owning business unit, team and user instead of OrganizationId, their four relationships, and role
// privileges at user depth with Assign and Share.
const doc = parse(textOf(unzip(packEmpty().unmanaged), "customizations.xml"));
const entities: Doc[] = findAll(doc.ImportExportXml.Entities, "Entity");
const info = (schemaName: string): Doc =>
  entities.find((e) => e.Name["#text"] === schemaName).EntityInfo.entity;
const attributes = (schemaName: string): Doc[] => findAll(info(schemaName).attributes, "attribute");
const relationships: Doc[] = findAll(doc.ImportExportXml.EntityRelationships, "EntityRelationship");
const USER_OWNED = RAPPORT_TABLES.filter((t) => t.ownership === "UserOwned");
const ORG_OWNED = RAPPORT_TABLES.filter((t) => t.ownership === "OrganizationOwned");
const OWNERSHIP_COLUMNS = ["ownerid", "owningbusinessunit", "owningteam", "owninguser"];

test("the model has two user-owned tables: introductions and introducer profiles", () => {
  expect(USER_OWNED.map((t) => t.logicalName)).toEqual(["rp_introduction", "rp_introducerprofile"]);
});

describe.each(USER_OWNED.map((t) => [t.logicalName, t] as const))("%s", (_, t) => {
  test("OwnershipTypeMask UserOwned", () => {
    expect(info(t.schemaName).OwnershipTypeMask).toBe("UserOwned");
  });

  test("OwnerId once, of type owner (a user or a team), required; no OrganizationId", () => {
    const owner = attributes(t.schemaName).filter((a) => a.LogicalName === "ownerid");
    expect(owner).toHaveLength(1);
    expect(owner[0]).toMatchObject({
      "@PhysicalName": "OwnerId",
      Type: "owner",
      RequiredLevel: "systemrequired",
      ValidForCreateApi: "1",
      ValidForUpdateApi: "1",
      IsCustomField: "0",
    });
    expect(owner[0].DisplayMask).toContain("RequiredForForm");
    expect(findAll(owner[0].LookupTypes, "LookupType").map((l: Doc) => l["#text"])).toEqual(["8", "9"]);
    expect(attributes(t.schemaName).some((a) => a.LogicalName === "organizationid")).toBe(false);
  });

  test("the owning business unit, team and user: read-only system lookups, team and user logical", () => {
    const byName = new Map(attributes(t.schemaName).map((a) => [a.LogicalName, a]));
    for (const name of ["owningbusinessunit", "owningteam", "owninguser"]) {
      const a = byName.get(name);
      expect(a).toMatchObject({ Type: "lookup", ValidForCreateApi: "0", ValidForUpdateApi: "0" });
      expect(a.IsLogical).toBe(name === "owningbusinessunit" ? undefined : "1");
    }
  });

  test("a main form with every model column, the owner among them (a lookup control)", () => {
    const form = entities.find((e) => e.Name["#text"] === t.schemaName).FormXml;
    const controls = findAll(form, "control");
    expect(controls.map((c: Doc) => c["@datafieldname"])).toEqual(
      t.columns.filter((c) => c.name !== t.primaryIdColumn).map((c) => c.name),
    );
    expect(controls.find((c: Doc) => c["@datafieldname"] === "ownerid")["@classid"]).toBe(
      "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
    );
  });

  test("the ownership relationships as exports name them, and no organization relationship", () => {
    const n = t.logicalName;
    const of = relationships.filter((r) => r.ReferencingEntityName === t.schemaName);
    const rel = (name: string) => of.find((r) => r["@Name"] === name);
    expect(rel(`business_unit_${n}`)).toMatchObject({
      ReferencedEntityName: "BusinessUnit",
      ReferencingAttributeName: "OwningBusinessUnit",
      CascadeDelete: "Restrict",
    });
    expect(rel(`owner_${n}`)).toMatchObject({
      ReferencedEntityName: "Owner",
      ReferencingAttributeName: "OwnerId",
    });
    expect(rel(`team_${n}`)).toMatchObject({
      ReferencedEntityName: "Team",
      ReferencingAttributeName: "OwningTeam",
    });
    expect(rel(`user_${n}`)).toMatchObject({
      ReferencedEntityName: "SystemUser",
      ReferencingAttributeName: "OwningUser",
    });
    expect(rel(`lk_${n}_createdby`)).toBeDefined();
    expect(rel(`lk_${n}_modifiedby`)).toBeDefined();
    expect(rel(`organization_${n}`)).toBeUndefined();
  });
});

test("organization-owned tables keep OrganizationId and no owner columns or relationships", () => {
  for (const t of ORG_OWNED) {
    const names = attributes(t.schemaName).map((a) => a.LogicalName);
    expect(names).toContain("organizationid");
    for (const c of OWNERSHIP_COLUMNS) expect(names).not.toContain(c);
    const rels = relationships.filter((r) => r.ReferencingEntityName === t.schemaName).map((r) => r["@Name"]);
    expect(rels).toContain(`organization_${t.logicalName}`);
    expect(rels.filter((r: string) => /^(business_unit|owner|team|user)_/.test(r))).toEqual([]);
  }
});

test("several lookups from one table to users get distinct relationships; the shipped name stays", () => {
  const name = (table: string, column: string) =>
    lookupRelationships().find((l) => l.referencing.logicalName === table && l.column.name === column)?.name;
  expect(name("rp_connection", "rp_introducerid")).toBe("rp_systemuser_connection");
  expect(name("rp_connection", "rp_colleagueid")).toBe("rp_systemuser_connection_colleagueid");
  expect(name("rp_introduction", "rp_requesterid")).toBe("rp_systemuser_introduction");
  expect(name("rp_introduction", "rp_introducerid")).toBe("rp_systemuser_introduction_introducerid");
  expect(name("rp_introduction", "rp_connectorid")).toBe("rp_systemuser_introduction_connectorid");
  expect(name("rp_introducerprofile", "rp_userid")).toBe("rp_systemuser_introducerprofile");
  const all = relationships.map((r) => r["@Name"]);
  expect(new Set(all).size).toBe(all.length);
});

test("introductions: erased with the record they are about, kept when a user or the request email goes", () => {
  const cascade = (column: string) =>
    lookupRelationships().find(
      (l) => l.referencing.logicalName === "rp_introduction" && l.column.name === column,
    )?.cascadeDelete;
  for (const c of ["rp_contactid", "rp_leadid", "rp_opportunityid", "rp_accountid"])
    expect(cascade(c)).toBe("Cascade");
  for (const c of ["rp_requesterid", "rp_introducerid", "rp_connectorid", "rp_emailid"])
    expect(cascade(c)).toBe("RemoveLink");
  // Assign and share never cascade from the record to the sellers' requests about it.
  for (const r of relationships.filter((x) => x.ReferencingEntityName === "rp_Introduction")) {
    expect([r.CascadeAssign, r.CascadeShare, r.CascadeUnshare]).toEqual([
      "NoCascade",
      "NoCascade",
      "NoCascade",
    ]);
  }
});

describe("role privileges of user-owned tables", () => {
  const privileges = (role: string): string[] =>
    findAll(
      findAll(doc.ImportExportXml.Roles, "Role").find((r: Doc) => r["@name"] === role),
      "RolePrivilege",
    ).map((p: Doc) => `${p["@name"]}:${p["@level"]}`);

  test("a seller asks, shares with the introducer and reads at user depth; reads every profile", () => {
    expect(privileges("Rapport Reader")).toEqual(
      expect.arrayContaining([
        "prvCreaterp_Introduction:Basic",
        "prvReadrp_Introduction:Basic",
        "prvWriterp_Introduction:Basic",
        "prvSharerp_Introduction:Basic",
        "prvReadrp_IntroducerProfile:Global",
        "prvWriterp_IntroducerProfile:Basic",
      ]),
    );
    expect(privileges("Rapport Reader").some((p) => p.startsWith("prvAssign"))).toBe(false);
  });

  test("the administrator reads every introduction; the service creates profiles owned by colleagues (Assign)", () => {
    expect(privileges("Rapport Administrator")).toEqual(
      expect.arrayContaining(["prvReadrp_Introduction:Global", "prvDeleterp_Introduction:Global"]),
    );
    expect(privileges("Rapport Service")).toEqual(
      expect.arrayContaining([
        "prvReadrp_Introduction:Global",
        "prvWriterp_Introduction:Global",
        "prvAssignrp_IntroducerProfile:Global",
        "prvCreaterp_IntroducerProfile:Global",
      ]),
    );
  });

  test("levels are written with the depth's name, as RoleXml does", () => {
    const levels = new Set(ROLES.flatMap((r) => privileges(r.name).map((p) => p.split(":")[1])));
    expect([...levels].sort()).toEqual(["Basic", "Global"]);
  });

  test("the generator refuses a role that grants an organization-owned table what it lacks", () => {
    const role = (grants: RoleDef["grants"]): RoleDef => ({
      key: "x",
      name: "Broken",
      description: "",
      grants,
    });
    expect(() => checkGrants(role([{ tables: ["rp_settings"], verbs: ["Share"], depth: "Global" }]))).toThrow(
      "Role Broken: rp_settings is organization-owned, it has no Share privilege",
    );
    expect(() => checkGrants(role([{ tables: ["rp_connection"], verbs: ["Read"], depth: "Basic" }]))).toThrow(
      "rp_connection is organization-owned, its privileges are Global only",
    );
    expect(() =>
      roleNodes([role([{ tables: ["rp_settings"], verbs: ["Assign"], depth: "Global" }])]),
    ).toThrow("no Assign privilege");
    const ok = role([{ tables: ["rp_introduction"], verbs: ["Assign", "Share"], depth: "Local" }]);
    expect(toXml(roleNodes([ok])[0]!)).toContain(
      '<RolePrivilege name="prvAssignrp_Introduction" level="Local"',
    );
  });
});

describe("introduction views", () => {
  const queries: Doc[] = findAll(doc, "savedquery");
  const named = (n: string) => queries.find((q) => q.LocalizedNames.LocalizedName["@description"] === n);
  const conditions = (q: Doc) =>
    findAll(q.fetchxml.fetch.entity.filter, "condition").map((c: Doc) =>
      `${c["@attribute"]} ${c["@operator"]} ${c["@value"] ?? ""}`.trim(),
    );

  test.each([
    ["My Introduction Requests", ["statecode eq 0", "ownerid eq-userid"]],
    ["Introductions Asked of Me", ["statecode eq 0", "rp_introducerid eq-userid"]],
    ["All Introductions", ["statecode eq 0"]],
  ])("%s: its filter, newest request first", (name, expected) => {
    const q = named(name);
    expect(q.fetchxml.fetch.entity["@name"]).toBe("rp_introduction");
    expect(conditions(q)).toEqual(expected);
    expect(q.fetchxml.fetch.entity.order).toEqual({ "@attribute": "rp_requestedon", "@descending": "true" });
    const cells = findAll(q.layoutxml, "cell").map((c: Doc) => c["@name"]);
    expect(cells).toEqual(
      expect.arrayContaining(["rp_name", "rp_targetname", "rp_status", "rp_requestedon"]),
    );
  });

  test("the colleague asked sees who asked; the asker sees whom they asked", () => {
    const cells = (n: string) => findAll(named(n).layoutxml, "cell").map((c: Doc) => c["@name"]);
    expect(cells("Introductions Asked of Me")).toContain("rp_requesterid");
    expect(cells("My Introduction Requests")).toContain("rp_introducerid");
  });

  test("introducer profiles: the active view is the default", () => {
    const q = named("Active Introducer Profiles");
    expect(q.isdefault).toBe("1");
    expect(conditions(q)).toEqual(["statecode eq 0"]);
    expect(findAll(q.layoutxml, "cell").map((c: Doc) => c["@name"])).toEqual([
      "rp_name",
      "rp_userid",
      "rp_acceptsrequests",
      "rp_openrequests",
      "rp_countedon",
    ]);
  });
});
