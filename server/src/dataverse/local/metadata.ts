import { isLookup } from "../model";
import { edmTypeOf } from "./filterLiterals";
import { SHARING_IMPORTS, SHARING_METADATA } from "./sharing";
import { ALL_INFOS, type TableInfo, wireName } from "./tableInfo";

/** The service document and a minimal CSDL `$metadata`, both generated from the model. */

export function serviceDocument(serviceRoot: string): unknown {
  return {
    "@odata.context": `${serviceRoot}$metadata`,
    value: ALL_INFOS.map((i) => ({ name: i.def.entitySetName, kind: "EntitySet", url: i.def.entitySetName })),
  };
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

/** The table's alternate keys, annotated on its EntityType as Dataverse's CSDL has them. */
function alternateKeys(info: TableInfo): string {
  const keys = info.def.alternateKeys ?? [];
  if (!keys.length) return "";
  const records = keys.map((k) => {
    const refs = k.columns.map((name) => {
      const c = info.byName.get(name);
      const wire = xml(c ? wireName(c) : name);
      return `<Record Type="OData.Community.Keys.V1.PropertyRef"><PropertyValue Property="Alias" String="${wire}" /><PropertyValue Property="Name" PropertyPath="${wire}" /></Record>`;
    });
    return `<Record Type="OData.Community.Keys.V1.AlternateKey"><PropertyValue Property="Key"><Collection>${refs.join("")}</Collection></PropertyValue></Record>`;
  });
  return `<Annotation Term="OData.Community.Keys.V1.AlternateKeys"><Collection>${records.join("")}</Collection></Annotation>`;
}

/**
 * The unbound operations served besides the entity sets (WhoAmI; the opportunity close actions; the
 * sharing actions, sharing.ts).
 */
const OPERATIONS =
  `<Function Name="WhoAmI"><ReturnType Type="mscrm.WhoAmIResponse" Nullable="false" /></Function>` +
  `<ComplexType Name="WhoAmIResponse"><Property Name="BusinessUnitId" Type="Edm.Guid" Nullable="false" />` +
  `<Property Name="UserId" Type="Edm.Guid" Nullable="false" /><Property Name="OrganizationId" Type="Edm.Guid" Nullable="false" /></ComplexType>` +
  ["WinOpportunity", "LoseOpportunity"]
    .map(
      (name) =>
        `<Action Name="${name}"><Parameter Name="OpportunityClose" Type="mscrm.opportunityclose" Nullable="false" />` +
        `<Parameter Name="Status" Type="Edm.Int32" Nullable="false" /></Action>`,
    )
    .join("") +
  SHARING_METADATA;

const OPERATION_IMPORTS =
  `<FunctionImport Name="WhoAmI" Function="Microsoft.Dynamics.CRM.WhoAmI" />` +
  `<ActionImport Name="WinOpportunity" Action="Microsoft.Dynamics.CRM.WinOpportunity" />` +
  `<ActionImport Name="LoseOpportunity" Action="Microsoft.Dynamics.CRM.LoseOpportunity" />` +
  SHARING_IMPORTS;

export function metadataDocument(): string {
  const types: string[] = [];
  const sets: string[] = [];
  for (const info of ALL_INFOS) {
    const props = info.columns.map(
      (c) => `<Property Name="${xml(wireName(c))}" Type="${isLookup(c) ? "Edm.Guid" : edmTypeOf(c)}" />`,
    );
    const navs = [...info.navigations].map(
      ([name, nav]) =>
        `<NavigationProperty Name="${xml(name)}" Type="mscrm.${xml(nav.target.table)}" Nullable="false" />`,
    );
    const collections = [...info.collections.values()].map(
      (c) => `<NavigationProperty Name="${xml(c.name)}" Type="Collection(mscrm.${xml(c.table)})" />`,
    );
    types.push(
      `<EntityType Name="${xml(info.def.logicalName)}"><Key><PropertyRef Name="${xml(info.primaryId.name)}" /></Key>${[
        ...props,
        ...navs,
        ...collections,
        alternateKeys(info),
      ].join("")}</EntityType>`,
    );
    sets.push(
      `<EntitySet Name="${xml(info.def.entitySetName)}" EntityType="Microsoft.Dynamics.CRM.${xml(info.def.logicalName)}" />`,
    );
  }
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>` +
    `<Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">` +
    types.join("") +
    OPERATIONS +
    `<EntityContainer Name="System">${sets.join("")}${OPERATION_IMPORTS}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`
  );
}
