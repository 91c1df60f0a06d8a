import { CHOICES, RAPPORT_TABLES } from "@rapport/model";

import { globalChoiceName } from "./choices";
import type { BuiltControl } from "./controls";
import { STANDARD_TABLES, standardTableComponents } from "./customizations";
import { missingDependencyNode, salesDependencies } from "./dependencies";
import { PUBLISHER, SOLUTION } from "./identity";
import { roleId, ROLES } from "./roles";
import type { WebResourceFile } from "./webresources";
import { el, labels, LANGUAGE, text, toXml, type XNode } from "./xml";

/** solution.component componenttype codes used here. */
export const COMPONENT = {
  entity: 1,
  optionSet: 9,
  role: 20,
  savedQuery: 26,
  systemForm: 60,
  webResource: 61,
  customControl: 66,
} as const;

const nil = (name: string) => el(name, { "xsi:nil": "true" });

/** The two empty addresses every exported publisher carries. */
const address = (n: number): XNode =>
  el(
    "Address",
    null,
    text("AddressNumber", n),
    text("AddressTypeCode", 1),
    [
      "City",
      "County",
      "Country",
      "Fax",
      "FreightTermsCode",
      "ImportSequenceNumber",
      "Latitude",
      "Line1",
      "Line2",
      "Line3",
    ].map(nil),
    ["Longitude", "Name", "PostalCode", "PostOfficeBox", "PrimaryContactName"].map(nil),
    text("ShippingMethodCode", 1),
    [
      "StateOrProvince",
      "Telephone1",
      "Telephone2",
      "Telephone3",
      "TimeZoneRuleVersionNumber",
      "UPSZone",
      "UTCOffset",
    ].map(nil),
    nil("UTCConversionTimeZoneCode"),
  );

export interface RootComponent {
  type: number;
  schemaName?: string;
  id?: string;
  behavior: 0 | 1 | 2;
}

/**
 * What the solution is made of. Rapport's tables are included whole (behavior 0: with their columns,
 * keys, forms and views). The standard tables it extends are included as shells (behavior 2, as real
 * exports include account/contact/lead when a solution only adds to them), so the solution never takes
 * ownership of Microsoft's tables; the column, form and views it adds travel inside their <Entity>
 * elements, the new form and views also as their own root components.
 */
export function rootComponents(controls: BuiltControl[], webResources: WebResourceFile[]): RootComponent[] {
  const extra = standardTableComponents();
  return [
    ...RAPPORT_TABLES.map((t) => ({
      type: COMPONENT.entity,
      schemaName: t.logicalName,
      behavior: 0 as const,
    })),
    ...STANDARD_TABLES().map((t) => ({
      type: COMPONENT.entity,
      schemaName: t.logicalName,
      behavior: 2 as const,
    })),
    ...Object.keys(CHOICES).map((s) => ({
      type: COMPONENT.optionSet,
      schemaName: globalChoiceName(s),
      behavior: 0 as const,
    })),
    ...ROLES.map((r) => ({ type: COMPONENT.role, id: roleId(r), behavior: 0 as const })),
    ...extra.views.map((id) => ({ type: COMPONENT.savedQuery, id, behavior: 0 as const })),
    ...extra.forms.map((id) => ({ type: COMPONENT.systemForm, id, behavior: 0 as const })),
    ...webResources.map((w) => ({ type: COMPONENT.webResource, schemaName: w.name, behavior: 0 as const })),
    ...controls.map((c) => ({ type: COMPONENT.customControl, schemaName: c.name, behavior: 0 as const })),
  ];
}

export function solutionXml(version: string, managed: boolean, components: RootComponent[]): string {
  const root = el(
    "ImportExportXml",
    {
      version: "9.2.0.0",
      SolutionPackageVersion: "9.2",
      languagecode: LANGUAGE,
      generatedBy: "CrmLive",
      "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    },
    el(
      "SolutionManifest",
      null,
      text("UniqueName", SOLUTION.uniqueName),
      labels("LocalizedNames", "LocalizedName", SOLUTION.displayName),
      labels("Descriptions", "Description", SOLUTION.description),
      text("Version", version),
      text("Managed", managed ? 1 : 0),
      el(
        "Publisher",
        null,
        text("UniqueName", PUBLISHER.uniqueName),
        labels("LocalizedNames", "LocalizedName", PUBLISHER.displayName),
        labels("Descriptions", "Description", PUBLISHER.description),
        nil("EMailAddress"),
        nil("SupportingWebsiteUrl"),
        text("CustomizationPrefix", PUBLISHER.prefix),
        text("CustomizationOptionValuePrefix", PUBLISHER.optionValuePrefix),
        el("Addresses", null, address(1), address(2)),
      ),
      el(
        "RootComponents",
        null,
        components.map((c) =>
          el("RootComponent", { type: c.type, schemaName: c.schemaName, id: c.id, behavior: c.behavior }),
        ),
      ),
      el("MissingDependencies", null, salesDependencies().map(missingDependencyNode)),
    ),
  );
  return toXml(root);
}
