import type { ColumnDef, TableDef } from "@rapport/model";

import { globalChoiceName } from "./choices";
import { INTRODUCED } from "./common";
import { el, flag, labels, text, type XNode } from "./xml";

/**
 * One `<attribute>` of customizations.xml, with the flags a Dataverse export writes for it. Element
 * shapes follow the real exports in shared/schemas/dataverse/samples (sales-crm-2.0 custom tables).
 *
 * Left out on purpose, because CustomizationsSolution.xsd 9.0 does not know them and an import does not
 * need them (the platform fills its defaults): AutoNumberFormat, IsSearchable, IsFilterable,
 * IsRetrievable, IsLocalizable. The generated file therefore validates against the XSD unchanged.
 */
export interface AttributeSpec {
  physicalName: string;
  type: string;
  logicalName: string;
  requiredLevel: "none" | "required" | "systemrequired";
  displayMask?: string;
  validFor: { create: boolean; read: boolean; update: boolean };
  custom: boolean;
  audit: boolean;
  canModifyRequirement?: boolean;
  /** A column the platform derives and does not store (OwningUser, OwningTeam): IsLogical 1. */
  logical?: boolean;
  typeSpecific: XNode[];
  displayName: string;
  description: string;
}

export const FIELD_MASK = "ValidForAdvancedFind|ValidForForm|ValidForGrid";
const PRIMARY_NAME_MASK = "PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm";

export function attributeNode(a: AttributeSpec): XNode {
  return el(
    "attribute",
    { PhysicalName: a.physicalName },
    text("Type", a.type),
    text("Name", a.logicalName),
    text("LogicalName", a.logicalName),
    text("RequiredLevel", a.requiredLevel),
    a.displayMask !== undefined && text("DisplayMask", a.displayMask),
    text("ImeMode", "auto"),
    flag("ValidForUpdateApi", a.validFor.update),
    flag("ValidForReadApi", a.validFor.read),
    flag("ValidForCreateApi", a.validFor.create),
    flag("IsCustomField", a.custom),
    flag("IsAuditEnabled", a.audit),
    a.logical === true && flag("IsLogical", true),
    flag("IsSecured", false),
    text("IntroducedVersion", INTRODUCED),
    flag("IsCustomizable", true),
    flag("IsRenameable", true),
    flag("CanModifySearchSettings", true),
    flag("CanModifyRequirementLevelSettings", a.canModifyRequirement ?? true),
    flag("CanModifyAdditionalSettings", true),
    text("SourceType", 0),
    flag("IsGlobalFilterEnabled", false),
    flag("IsSortableEnabled", false),
    flag("CanModifyGlobalFilterSettings", true),
    flag("CanModifyIsSortableSettings", true),
    flag("IsDataSourceSecret", false),
    a.typeSpecific,
    labels("displaynames", "displayname", a.displayName),
    labels("Descriptions", "Description", a.description),
  );
}

export const range = (min: number, max: number): XNode[] => [text("MinValue", min), text("MaxValue", max)];

type ColumnMapping = { type: string; specific: XNode[] };

/**
 * The `<Type>` and type-specific elements of each model column type; undefined where the column cannot be
 * mapped (a uniqueidentifier other than the primary key, a picklist without a choiceSet).
 */
const COLUMN_TYPES: Partial<
  Record<ColumnDef["type"], (table: TableDef, col: ColumnDef) => ColumnMapping | undefined>
> = {
  uniqueidentifier: (table, col) =>
    col.name === table.primaryIdColumn ? { type: "primarykey", specific: [] } : undefined,
  string: (_table, col) => ({
    type: "nvarchar",
    specific: [
      text("Format", "text"),
      text("MaxLength", need(col, col.maxLength)),
      text("Length", 2 * col.maxLength!),
    ],
  }),
  memo: (_table, col) => ({
    type: "ntext",
    specific: [text("Format", "text"), text("MaxLength", need(col, col.maxLength))],
  }),
  integer: (_table, col) => ({
    type: "int",
    specific: [text("Format", "none"), ...range(need(col, col.min), need(col, col.max))],
  }),
  decimal: (_table, col) => ({
    type: "decimal",
    specific: [text("Accuracy", need(col, col.precision)), ...range(need(col, col.min), need(col, col.max))],
  }),
  // Float columns hold 0-5 decimal places; the model leaves the precision open for raw scores: 5.
  double: (_table, col) => ({
    type: "float",
    specific: [text("Accuracy", col.precision ?? 5), ...range(need(col, col.min), need(col, col.max))],
  }),
  boolean: bitColumn,
  // UserLocal: the column holds an instant (UTC on the wire), shown in each user's time zone.
  datetime: () => ({
    type: "datetime",
    specific: [text("Format", "datetime"), flag("CanChangeDateTimeBehavior", true), text("Behavior", 1)],
  }),
  // DateOnly (Behavior 2): a calendar date with no time zone, e.g. the Monday a week starts on.
  dateonly: () => ({
    type: "datetime",
    specific: [text("Format", "date"), flag("CanChangeDateTimeBehavior", false), text("Behavior", 2)],
  }),
  picklist: (_table, col) =>
    col.choiceSet
      ? {
          type: "picklist",
          specific: [text("AppDefaultValue", -1), text("OptionSetName", globalChoiceName(col.choiceSet))],
        }
      : undefined,
  lookup: () => ({ type: "lookup", specific: [text("LookupStyle", "single"), el("LookupTypes")] }),
};

/** A boolean column: a bit with its own two-option set (labels false then true in the model). */
function bitColumn(table: TableDef, col: ColumnDef): ColumnMapping {
  const [no, yes] = need(col, col.booleanLabels);
  return {
    type: "bit",
    specific: [
      text("AppDefaultValue", 0),
      el(
        "optionset",
        { Name: `${table.logicalName}_${col.name}` },
        text("OptionSetType", "bit"),
        text("IntroducedVersion", INTRODUCED),
        flag("IsCustomizable", true),
        labels("displaynames", "displayname", col.displayName),
        labels("Descriptions", "Description", col.description ?? ""),
        el(
          "options",
          null,
          el("option", { value: 1 }, labels("labels", "label", yes)),
          el("option", { value: 0 }, labels("labels", "label", no)),
        ),
      ),
    ],
  };
}

/** The `<Type>` and type-specific elements of a model column. */
function typeOf(table: TableDef, col: ColumnDef): ColumnMapping {
  const mapped = COLUMN_TYPES[col.type]?.(table, col);
  if (mapped) return mapped;
  throw new Error(
    `${table.logicalName}.${col.name}: the solution generator has no mapping for a "${col.type}" column` +
      (col.type === "picklist" ? " without a choiceSet" : ""),
  );
}

function need<T>(col: ColumnDef, v: T | undefined): T {
  if (v === undefined) throw new Error(`Column ${col.name} (${col.type}) lacks a length, range or labels`);
  return v;
}

/** A column of the model, as the custom attribute it becomes (on Rapport's tables or a standard one). */
export function modelAttribute(table: TableDef, col: ColumnDef): XNode {
  const { type, specific } = typeOf(table, col);
  const primaryKey = type === "primarykey";
  const primaryName = col.name === table.primaryNameColumn && table.custom;
  return attributeNode({
    physicalName: col.schemaName,
    type,
    logicalName: col.name,
    requiredLevel: primaryKey ? "systemrequired" : col.required ? "required" : "none",
    displayMask: primaryKey
      ? "ValidForAdvancedFind|RequiredForGrid"
      : primaryName
        ? PRIMARY_NAME_MASK
        : FIELD_MASK,
    validFor: { create: true, read: true, update: !primaryKey },
    custom: !primaryKey,
    audit: !primaryKey && table.logicalName === "rp_settings",
    canModifyRequirement: !primaryKey,
    typeSpecific: specific,
    displayName: col.displayName,
    description: primaryKey ? "Unique identifier for entity instances" : (col.description ?? ""),
  });
}
