import { ALL_TABLES, RAPPORT_TABLES, type TableDef } from "@rapport/model";

import { modelAttribute } from "./attributes";
import { globalChoices } from "./choices";
import { INTRODUCED } from "./common";
import type { BuiltControl } from "./controls";
import { formId, RECORD_TABLES, recordForm, recordFormDef, tableMainForm } from "./forms";
import { viewGridBinding } from "./gridBinding";
import type { Resolved } from "./placements";
import { relationshipNodes } from "./relationships";
import { roleNodes } from "./roles";
import { systemAttributes } from "./systemAttributes";
import { allViews, savedQueryNode, type ViewDef, viewId } from "./views";
import type { WebResourceFile } from "./webresources";
import { el, flag, labels, LANGUAGE, text, toXml, type XNode } from "./xml";

/** Standard tables the solution touches: those with a Rapport column, a Rapport form or view. */
export const STANDARD_TABLES = (): TableDef[] =>
  ALL_TABLES.filter((t) => !t.custom && t.columns.some((c) => c.rapport));

const emptyRibbon = (): XNode =>
  el(
    "RibbonDiffXml",
    null,
    el("CustomActions"),
    el("Templates", null, el("RibbonTemplates", { Id: "Mscrm.Templates" })),
    el("CommandDefinitions"),
    el("RuleDefinitions", null, el("TabDisplayRules"), el("DisplayRules"), el("EnableRules")),
    el("LocLabels"),
  );

const byLogical = (a: XNode, b: XNode) => {
  const name = (n: XNode) => {
    const ln = n.children.find((c): c is XNode => typeof c !== "string" && c.name === "LogicalName");
    return String(ln?.children[0] ?? "");
  };
  return name(a).localeCompare(name(b));
};

/** The view's control binding: HealthGrid shown where marked, the pipeline offered besides where marked. */
function gridControl(v: ViewDef, placements: Resolved): XNode | undefined {
  const { view, pipeline } = placements;
  const shown = v.healthGrid && view ? { name: view.control.name, dataSet: view.dataSet } : undefined;
  const alternatives =
    v.pipeline && pipeline ? [{ name: pipeline.control.name, dataSet: pipeline.dataSet }] : [];
  if (!shown && alternatives.length === 0) return undefined;
  return viewGridBinding(shown, alternatives);
}

function savedQueries(table: TableDef, placements: Resolved): XNode | undefined {
  const views = allViews().filter((v) => v.table === table.logicalName);
  if (views.length === 0) return undefined;
  return el(
    "SavedQueries",
    null,
    el(
      "savedqueries",
      null,
      views.map((v) => savedQueryNode(v, table.primaryIdColumn, gridControl(v, placements))),
    ),
  );
}

/**
 * A Rapport table in full, as an export writes a custom table: its names, every model column and the
 * system columns, the entity flags, alternate keys, main form, views and an empty ribbon.
 *
 * Entity flags newer than the 9.0 XSD (IsRetrieveAuditEnabled, IsRetrieveMultipleAuditEnabled,
 * IsSolutionAware) are left out; the platform defaults them.
 */
function rapportEntity(t: TableDef, placements: Resolved): XNode {
  // The model lists ownerid among a user-owned table's columns; it is written once, as the system column.
  const modelColumns = t.columns.filter((c) => c.type !== "owner");
  const attributes = [...modelColumns.map((c) => modelAttribute(t, c)), ...systemAttributes(t)].sort(
    byLogical,
  );
  const settings = t.logicalName === "rp_settings";
  return el(
    "Entity",
    null,
    el("Name", { LocalizedName: t.displayName, OriginalName: t.displayName }, t.schemaName),
    el(
      "EntityInfo",
      null,
      el(
        "entity",
        { Name: t.schemaName },
        labels("LocalizedNames", "LocalizedName", t.displayName),
        labels("LocalizedCollectionNames", "LocalizedCollectionName", t.displayCollectionName),
        labels("Descriptions", "Description", t.description ?? ""),
        el("attributes", null, attributes),
        text("EntitySetName", t.entitySetName),
        entityFlags(t, settings),
        entityKeys(t),
      ),
    ),
    el("FormXml", null, el("forms", { type: "main" }, tableMainForm(t))),
    savedQueries(t, placements),
    emptyRibbon(),
  );
}

/**
 * Solution XML spells organization ownership "OrgOwned" (the model's "OrganizationOwned" is rejected) and
 * user ownership "UserOwned", as the model does.
 */
function ownershipTypeMask(t: TableDef): string {
  if (t.ownership === "OrganizationOwned") return "OrgOwned";
  if (t.ownership === "UserOwned") return "UserOwned";
  throw new Error(`${t.logicalName}: no OwnershipTypeMask for ownership ${t.ownership}`);
}

/** The flags of a custom table's `<entity>`, in export order; `settings`: the settings table (audited). */
function entityFlags(t: TableDef, settings: boolean): XNode[] {
  return [
    text("HasRelatedNotes", "False"),
    text("HasRelatedActivities", "False"),
    flag("IsDuplicateCheckSupported", false),
    flag("IsBusinessProcessEnabled", false),
    flag("IsRequiredOffline", false),
    flag("IsInteractionCentricEnabled", false),
    flag("IsCollaboration", false),
    flag("AutoRouteToOwnerQueue", false),
    flag("IsConnectionsEnabled", false),
    flag("IsDocumentManagementEnabled", false),
    flag("AutoCreateAccessTeams", false),
    flag("IsOneNoteIntegrationEnabled", false),
    flag("IsKnowledgeManagementEnabled", false),
    flag("IsSLAEnabled", false),
    flag("IsDocumentRecommendationsEnabled", false),
    flag("IsBPFEntity", false),
    text("OwnershipTypeMask", ownershipTypeMask(t)),
    // Audit the settings (who changed weights or exclusions); insights churn daily, auditing them would not help.
    flag("IsAuditEnabled", settings),
    flag("IsActivity", false),
    text("ActivityTypeMask", ""),
    flag("IsActivityParty", false),
    flag("IsReplicated", false),
    flag("IsReplicationUserFiltered", false),
    flag("IsMailMergeEnabled", false),
    flag("IsVisibleInMobile", false),
    flag("IsVisibleInMobileClient", true),
    flag("IsReadOnlyInMobileClient", false),
    flag("IsOfflineInMobileClient", false),
    text("DaysSinceRecordLastModified", 0),
    text("MobileOfflineFilters", ""),
    flag("IsMapiGridEnabled", true),
    flag("IsReadingPaneEnabled", true),
    flag("IsQuickCreateEnabled", false),
    flag("SyncToExternalSearchIndex", false),
    text("IntroducedVersion", INTRODUCED),
    flag("IsCustomizable", true),
    flag("IsRenameable", true),
    flag("IsMappable", true),
    flag("CanModifyAuditSettings", true),
    flag("CanModifyMobileVisibility", true),
    flag("CanModifyMobileClientVisibility", true),
    flag("CanModifyMobileClientReadOnly", true),
    flag("CanModifyMobileClientOffline", true),
    flag("CanModifyConnectionSettings", true),
    flag("CanModifyDuplicateDetectionSettings", true),
    flag("CanModifyMailMergeSettings", true),
    flag("CanModifyQueueSettings", true),
    flag("CanCreateAttributes", true),
    flag("CanCreateForms", true),
    flag("CanCreateCharts", true),
    flag("CanCreateViews", true),
    flag("CanModifyAdditionalSettings", true),
    flag("CanEnableSyncToExternalSearchIndex", true),
    flag("EnforceStateTransitions", false),
    flag("CanChangeHierarchicalRelationship", true),
    flag("EntityHelpUrlEnabled", false),
    flag("ChangeTrackingEnabled", false),
    flag("CanChangeTrackingBeEnabled", true),
    flag("IsEnabledForExternalChannels", false),
  ];
}

/** A table's alternate keys. */
function entityKeys(t: TableDef): XNode {
  return el(
    "EntityKeys",
    null,
    (t.alternateKeys ?? []).map((k) =>
      el(
        "EntityKey",
        null,
        text("Name", k.schemaName),
        text("LogicalName", k.schemaName.toLowerCase()),
        text("IntroducedVersion", INTRODUCED),
        flag("IsCustomizable", true),
        el(
          "EntityKeyAttributes",
          null,
          k.columns.map((c) => text("AttributeName", c)),
        ),
        labels("displaynames", "displayname", k.displayName),
      ),
    ),
  );
}

/**
 * A standard table as a solution that extends it exports it: only what the solution adds (the insight
 * lookup, the Rapport form, Rapport's views); the table itself stays Microsoft's.
 */
function standardEntity(t: TableDef, placements: Resolved): XNode {
  const added = t.columns.filter((c) => c.rapport).map((c) => modelAttribute(t, c));
  return el(
    "Entity",
    null,
    el("Name", { LocalizedName: t.displayName, OriginalName: "" }, t.schemaName),
    el("EntityInfo", null, el("entity", { Name: t.schemaName }, el("attributes", null, added))),
    RECORD_TABLES.includes(t.logicalName) &&
      el("FormXml", null, el("forms", { type: "main" }, recordForm(t.logicalName, placements))),
    savedQueries(t, placements),
  );
}

export interface CustomizationsInput {
  placements: Resolved;
  controls: BuiltControl[];
  webResources: WebResourceFile[];
}

export function customizationsXml({ placements, controls, webResources }: CustomizationsInput): string {
  const root = el(
    "ImportExportXml",
    { "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance" },
    el(
      "Entities",
      null,
      RAPPORT_TABLES.map((t) => rapportEntity(t, placements)),
      STANDARD_TABLES().map((t) => standardEntity(t, placements)),
    ),
    el("Roles", null, roleNodes()),
    el("Workflows"),
    el("FieldSecurityProfiles"),
    el("Templates"),
    el("EntityMaps"),
    el("EntityRelationships", null, relationshipNodes()),
    el("OrganizationSettings"),
    el("optionsets", null, globalChoices()),
    el(
      "WebResources",
      null,
      webResources.map((w) =>
        el(
          "WebResource",
          null,
          text("WebResourceId", `{${w.id}}`),
          text("Name", w.name),
          text("DisplayName", w.name.slice(w.name.lastIndexOf("/") + 1)),
          text("WebResourceType", w.type),
          text("IntroducedVersion", INTRODUCED),
          flag("IsEnabledForMobileClient", false),
          flag("IsAvailableForMobileOffline", false),
          flag("IsCustomizable", true),
          flag("CanBeDeleted", true),
          flag("IsHidden", false),
          text("FileName", `/${w.zipPath}`),
        ),
      ),
    ),
    el(
      "CustomControls",
      null,
      controls.map((c) =>
        el(
          "CustomControl",
          null,
          text("Name", c.name),
          text("FileName", `/Controls/${c.name}/ControlManifest.xml`),
        ),
      ),
    ),
    el("EntityDataProviders"),
    el("Languages", null, text("Language", LANGUAGE)),
  );
  return toXml(root);
}

/** Ids of the forms and views the solution adds to standard tables (RootComponents 60 and 26). */
export function standardTableComponents(): { forms: string[]; views: string[] } {
  return {
    forms: RECORD_TABLES.map((t) => formId(recordFormDef(t))),
    views: allViews()
      .filter((v) => STANDARD_TABLES().some((t) => t.logicalName === v.table))
      .map(viewId),
  };
}
