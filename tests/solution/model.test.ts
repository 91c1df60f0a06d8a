import {
  ALL_TABLES,
  CHOICES,
  type ChoiceSet,
  choiceValue,
  RAPPORT_TABLES,
  tableByLogicalName,
} from "../../server/src/dataverse/model";
import { globalChoiceName } from "../../solution/src/choices";
import { FIRST_OPTION_VALUE, PUBLISHER } from "../../solution/src/identity";
import { lookupRelationships } from "../../solution/src/relationships";
import { privilegesOf, ROLES } from "../../solution/src/roles";
import { systemColumnsOf } from "../../solution/src/systemAttributes";
import { allViews } from "../../solution/src/views";
import { type Doc, findAll, packEmpty, parse, textOf, unzip } from "./helpers";

// The no-drift check: everything the model (model/src) defines is in customizations.xml under the
// same names, and nothing there names a column the model lacks.
const doc = parse(textOf(unzip(packEmpty().unmanaged), "customizations.xml"));
const entities: Doc[] = findAll(doc.ImportExportXml.Entities, "Entity");
const entity = (schemaName: string): Doc => {
  const e = entities.find((x) => x.Name["#text"] === schemaName);
  if (!e) throw new Error(`No <Entity> ${schemaName}`);
  return e;
};
const attributesOf = (schemaName: string): Doc[] =>
  findAll(entity(schemaName).EntityInfo.entity.attributes, "attribute");
const XML_TYPE: Record<string, string[]> = {
  uniqueidentifier: ["primarykey"],
  string: ["nvarchar"],
  memo: ["ntext"],
  integer: ["int"],
  decimal: ["decimal"],
  double: ["float"],
  boolean: ["bit"],
  datetime: ["datetime"],
  dateonly: ["datetime"],
  picklist: ["picklist"],
  lookup: ["lookup"],
  owner: ["owner"],
};

describe("customizations.xml matches the Dataverse model (no drift)", () => {
  test.each(RAPPORT_TABLES.map((t) => [t.logicalName, t] as const))(
    "%s: table, every column, its keys",
    (_, t) => {
      const e = entity(t.schemaName);
      const info = e.EntityInfo.entity;
      expect(info.EntitySetName).toBe(t.entitySetName);
      expect(info.OwnershipTypeMask).toBe(t.ownership === "OrganizationOwned" ? "OrgOwned" : t.ownership);
      expect(info.LocalizedNames.LocalizedName["@description"]).toBe(t.displayName);
      expect(info.LocalizedCollectionNames.LocalizedCollectionName["@description"]).toBe(
        t.displayCollectionName,
      );
      const attrs = new Map(attributesOf(t.schemaName).map((a: Doc) => [a.LogicalName, a]));
      for (const c of t.columns) {
        const a = attrs.get(c.name);
        expect({ column: c.name, present: a !== undefined }).toEqual({ column: c.name, present: true });
        // The owner is the system column, spelt as exports spell it (the model keeps the logical name).
        expect(a["@PhysicalName"]).toBe(c.type === "owner" ? "OwnerId" : c.schemaName);
        expect(XML_TYPE[c.type]).toContain(a.Type);
        expect(a.displaynames.displayname["@description"]).toBe(c.displayName);
        expect(a.RequiredLevel).toBe(
          c.name === t.primaryIdColumn || c.type === "owner"
            ? "systemrequired"
            : c.required
              ? "required"
              : "none",
        );
        if (c.maxLength !== undefined) expect(Number(a.MaxLength)).toBe(c.maxLength);
        if (c.min !== undefined) expect(Number(a.MinValue)).toBe(c.min);
        if (c.max !== undefined) expect(Number(a.MaxValue)).toBe(c.max);
        if (c.precision !== undefined) expect(Number(a.Accuracy)).toBe(c.precision);
        if (c.type === "picklist") expect(a.OptionSetName).toBe(globalChoiceName(c.choiceSet!));
        if (c.name === t.primaryNameColumn) expect(a.DisplayMask).toMatch(/^PrimaryName\|/);
      }
      // Nothing else than the model's columns and the system columns an export carries.
      // The model's ownerid (user-owned tables) is the system column itself: once.
      const expected = new Set([...t.columns.map((c) => c.name), ...systemColumnsOf(t)]);
      expect([...attrs.keys()].sort()).toEqual([...expected].sort());
      expect(attributesOf(t.schemaName)).toHaveLength(expected.size);
      const keys = findAll(info.EntityKeys ?? {}, "EntityKey");
      expect(keys.map((k: Doc) => [k.Name, findAll(k.EntityKeyAttributes, "AttributeName")])).toEqual(
        (t.alternateKeys ?? []).map((k) => [k.schemaName, [...k.columns]]),
      );
    },
  );

  test("the lookups Rapport adds to standard tables are there, and only they", () => {
    for (const t of ALL_TABLES.filter((x) => !x.custom && x.columns.some((c) => c.rapport))) {
      const attrs = attributesOf(t.schemaName);
      expect(attrs.map((a: Doc) => a["@PhysicalName"])).toEqual(
        t.columns.filter((c) => c.rapport).map((c) => c.schemaName),
      );
      expect(attrs.every((a: Doc) => a.Type === "lookup")).toBe(true);
    }
    expect(entities.map((e) => e.Name["#text"]).sort()).toEqual(
      ["Account", "Contact", "Lead", "Opportunity", ...RAPPORT_TABLES.map((t) => t.schemaName)].sort(),
    );
  });

  test("every choice is a global choice with the model's values and labels", () => {
    const sets: Doc[] = findAll(doc.ImportExportXml.optionsets, "optionset");
    expect(sets.map((s) => s["@Name"]).sort()).toEqual(Object.keys(CHOICES).map(globalChoiceName).sort());
    for (const key of Object.keys(CHOICES) as ChoiceSet[]) {
      const s = sets.find((x) => x["@Name"] === globalChoiceName(key));
      expect(s.IsGlobal).toBe("1");
      expect(s.displaynames.displayname["@description"]).toBe(CHOICES[key].displayName);
      expect(s.options.option.map((o: Doc) => [Number(o["@value"]), o.labels.label["@description"]])).toEqual(
        CHOICES[key].options.map((o) => [o.value, o.label]),
      );
    }
    // Health and trend carry the "not enough information" states.
    expect(choiceValue("healthStatus", "notEnoughInfo")).toBeGreaterThan(0);
    expect(choiceValue("healthTrend", "notEnoughInfo")).toBeGreaterThan(0);
  });

  test("option values follow the publisher's option value prefix (prefix × 10,000 + n)", () => {
    expect(FIRST_OPTION_VALUE).toBe(100_000_000);
    for (const c of Object.values(CHOICES)) {
      c.options.forEach((o, i) => expect(o.value).toBe(PUBLISHER.optionValuePrefix * 10_000 + i));
    }
  });

  test("no global choice is named like a column (import rejects the duplicate schema name)", () => {
    const columns = new Set(ALL_TABLES.flatMap((t) => t.columns.map((c) => c.name)));
    for (const key of Object.keys(CHOICES)) expect(columns.has(globalChoiceName(key))).toBe(false);
  });

  test("relationships: one per lookup, named as the model's collections, with its navigation property", () => {
    const rels: Doc[] = findAll(doc.ImportExportXml.EntityRelationships, "EntityRelationship");
    const byName = new Map(rels.map((r) => [r["@Name"], r]));
    const lookups = lookupRelationships();
    const expected = RAPPORT_TABLES.flatMap((t) => t.columns.filter((c) => c.type === "lookup")).length + 4;
    expect(lookups).toHaveLength(expected);
    for (const l of lookups) {
      const r = byName.get(l.name);
      expect(r.ReferencingEntityName).toBe(l.referencing.schemaName);
      expect(r.ReferencedEntityName).toBe(l.referenced.schemaName);
      expect(r.ReferencingAttributeName).toBe(l.column.schemaName);
      expect(r.CascadeDelete).toBe(l.cascadeDelete);
      const roles = r.EntityRelationshipRoles.EntityRelationshipRole;
      expect(roles[0].NavigationPropertyName).toBe(l.column.targets![0]!.navigationProperty);
      expect(roles[1].NavigationPropertyName).toBe(l.name);
    }
    // The collection the model declares (the insight's weekly history) is the relationship's name.
    for (const t of ALL_TABLES) {
      for (const c of t.collections ?? []) {
        if (!tableByLogicalName(c.table)?.custom) continue;
        const l = lookups.find((x) => x.referencing.logicalName === c.table && x.column.name === c.column);
        expect(l?.name).toBe(c.name);
      }
    }
  });

  test("cascade: deleting a record deletes its insight and connections; deleting an insight never deletes a record", () => {
    const by = (from: string, col: string) =>
      lookupRelationships().find((l) => l.referencing.logicalName === from && l.column.name === col)!;
    for (const col of ["rp_contactid", "rp_leadid", "rp_opportunityid", "rp_accountid"]) {
      expect(by("rp_relationshipinsight", col).cascadeDelete).toBe("Cascade");
      expect(by("rp_connection", col).cascadeDelete).toBe("Cascade");
    }
    expect(by("rp_relationshiphistory", "rp_insightid").cascadeDelete).toBe("Cascade");
    expect(by("rp_connection", "rp_introducerid").cascadeDelete).toBe("RemoveLink");
    for (const t of ["contact", "lead", "opportunity", "account"]) {
      expect(by(t, "rp_relationshipinsightid").cascadeDelete).toBe("RemoveLink");
    }
  });

  test("views and forms name only columns the model (or the system columns) define", () => {
    const known = (table: string, column: string) =>
      tableByLogicalName(table)?.columns.some((c) => c.name === column) ||
      (tableByLogicalName(table)?.custom && systemColumnsOf(tableByLogicalName(table)!).includes(column));
    for (const v of allViews()) {
      for (const a of v.fetch.attributes)
        expect(`${v.table}.${a}: ${known(v.table, a)}`).toBe(`${v.table}.${a}: true`);
      for (const l of v.fetch.links ?? []) {
        expect(known(l.name, l.from) && known(v.table, l.to)).toBe(true);
        for (const a of l.attributes) expect(known(l.name, a)).toBe(true);
      }
      for (const cell of v.columns) {
        const [alias, col] = cell.name.includes(".") ? cell.name.split(".") : [undefined, cell.name];
        const table = alias ? v.fetch.links!.find((l) => l.alias === alias)!.name : v.table;
        expect(`${table}.${col}: ${known(table, col!)}`).toBe(`${table}.${col}: true`);
      }
    }
    for (const e of entities) {
      const table = tableByLogicalName(String(e.Name["#text"]).toLowerCase())!;
      for (const c of findAll(e.FormXml ?? {}, "control")) {
        expect(
          `${table.logicalName}.${c["@datafieldname"]}: ${known(table.logicalName, c["@datafieldname"])}`,
        ).toBe(`${table.logicalName}.${c["@datafieldname"]}: true`);
      }
    }
  });

  test("a seller's opportunity views: the open ones with value, close date, stage and probability; the closed ones", () => {
    const queries: Doc[] = findAll(doc, "savedquery");
    const named = (n: string) => queries.find((q) => q.LocalizedNames.LocalizedName["@description"] === n);
    const cells = (q: Doc) => findAll(q.layoutxml, "cell").map((c: Doc) => c["@name"]);
    expect(cells(named("My Open Opportunities by Relationship"))).toEqual(
      expect.arrayContaining(["estimatedvalue", "estimatedclosedate", "salesstage", "closeprobability"]),
    );
    const closed = named("My Closed Opportunities");
    expect(closed.fetchxml.fetch.entity["@name"]).toBe("opportunity");
    expect(cells(closed)).toEqual([
      "name",
      "customerid",
      "statuscode",
      "actualclosedate",
      "actualvalue",
      "estimatedvalue",
    ]);
    const conditions = findAll(closed.fetchxml.fetch.entity.filter, "condition").map((c: Doc) =>
      `${c["@attribute"]} ${c["@operator"]} ${c["@value"] ?? ""}`.trim(),
    );
    expect(conditions).toEqual(["statecode ne 0", "ownerid eq-userid"]);
    expect(closed.fetchxml.fetch.entity.order).toEqual({
      "@attribute": "actualclosedate",
      "@descending": "true",
    });
  });

  test("the PRIOR-ART views exist with the insight's health via link-entity", () => {
    const queries: Doc[] = findAll(doc, "savedquery");
    const named = (n: string) => queries.find((q) => q.LocalizedNames.LocalizedName["@description"] === n);
    for (const [name, table] of [
      ["My Open Opportunities by Relationship", "opportunity"],
      ["My Open Leads by Relationship", "lead"],
    ] as const) {
      const q = named(name);
      expect(q.fetchxml.fetch.entity["@name"]).toBe(table);
      const link = q.fetchxml.fetch.entity["link-entity"][0];
      expect(link["@name"]).toBe("rp_relationshipinsight");
      expect(findAll(q.layoutxml, "cell").map((c: Doc) => c["@name"])).toContain("insight.rp_healthscore");
      // The record's own filter; the scored join's not-null condition only orders (viewOrder.test.ts).
      const conditions = findAll(q.fetchxml.fetch.entity.filter, "condition").map(
        (c: Doc) => `${c["@attribute"]} ${c["@operator"]}`,
      );
      expect(conditions).toEqual(["statecode eq", "ownerid eq-userid"]);
    }
    const attention = named("Relationships Needing Attention");
    expect(attention.fetchxml.fetch.entity["@name"]).toBe("rp_relationshipinsight");
    expect(attention.fetchxml.fetch.entity.order["@attribute"]).toBe("rp_healthscore");
    const values = findAll(attention.fetchxml, "condition").map((c: Doc) => Number(c["@value"]));
    expect(values).toEqual([0, choiceValue("healthStatus", "poor"), choiceValue("healthTrend", "declining")]);
    // Each Rapport table has the views a table needs: public, advanced find, associated, quick find, lookup.
    for (const t of RAPPORT_TABLES) {
      const types = allViews()
        .filter((v) => v.table === t.logicalName && v.isDefault)
        .map((v) => v.queryType);
      expect(types.sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 64]);
    }
  });

  test("roles: reader reads, administrator also writes settings and deletes connections, service writes data and the insight lookup", () => {
    const roles: Doc[] = findAll(doc.ImportExportXml.Roles, "Role");
    const privileges = (name: string) =>
      findAll(
        roles.find((r) => r["@name"] === name),
        "RolePrivilege",
      ).map((p: Doc) => `${p["@name"]}:${p["@level"]}`);
    expect(privileges("Rapport Reader")).toEqual([
      "prvAppendrp_Introduction:Basic",
      "prvCreaterp_IntroducerProfile:Basic",
      "prvCreaterp_Introduction:Basic",
      "prvDeleterp_Introduction:Basic",
      "prvReadrp_Connection:Global",
      "prvReadrp_IntroducerProfile:Global",
      "prvReadrp_Introduction:Basic",
      "prvReadrp_RelationshipHistory:Global",
      "prvReadrp_RelationshipInsight:Global",
      "prvReadrp_Settings:Global",
      "prvSharerp_Introduction:Basic",
      "prvWriterp_IntroducerProfile:Basic",
      "prvWriterp_Introduction:Basic",
    ]);
    expect(privileges("Rapport Administrator")).toEqual(
      expect.arrayContaining([
        "prvCreaterp_Settings:Global",
        "prvWriterp_Settings:Global",
        "prvReadrp_Settings:Global",
        // Forget a person from the settings page.
        "prvDeleterp_Connection:Global",
      ]),
    );
    expect(privileges("Rapport Administrator").some((p) => /^prvWriterp_Relationship/.test(p))).toBe(false);
    expect(privileges("Rapport Administrator").some((p) => /^prv(Write|Create)rp_Connection/.test(p))).toBe(
      false,
    );
    const service = privileges("Rapport Service");
    for (const p of [
      "prvCreaterp_RelationshipInsight",
      "prvWriterp_RelationshipHistory",
      "prvDeleterp_Connection",
      "prvReadContact",
      "prvReadUser",
      "prvReadActivity",
      "prvWriteContact",
      "prvAppendContact",
      "prvAppendTorp_RelationshipInsight",
    ]) {
      expect(service).toContain(`${p}:Global`);
    }
    expect(service).not.toContain("prvWriterp_Settings:Global");
    // Organization-owned tables have no Assign or Share privileges, and only Global ones.
    const orgOwned = RAPPORT_TABLES.filter((t) => t.ownership === "OrganizationOwned").map(
      (t) => t.schemaName,
    );
    for (const r of ROLES)
      for (const p of privilegesOf(r)) {
        const table = orgOwned.find((n) => p.name.endsWith(n));
        if (!table) continue;
        expect(p.name).not.toMatch(/^prv(Assign|Share)/);
        expect(`${p.name}:${p.level}`).toBe(`${p.name}:Global`);
      }
  });
});
