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
interface AttributeSpec {
  physicalName: string;
  type: string;
  logicalName: string;
  requiredLevel: "none" | "required" | "systemrequired";
  displayMask?: string;
  validFor: { create: boolean; read: boolean; update: boolean };
  custom: boolean;
  audit: boolean;
  canModifyRequirement?: boolean;
  typeSpecific: XNode[];
  displayName: string;
  description: string;
}

const FIELD_MASK = "ValidForAdvancedFind|ValidForForm|ValidForGrid";
const PRIMARY_NAME_MASK = "PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm";

function attributeNode(a: AttributeSpec): XNode {
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

const range = (min: number, max: number): XNode[] => [text("MinValue", min), text("MaxValue", max)];

/** The `<Type>` and type-specific elements of a model column. */
// eslint-disable-next-line complexity, max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function typeOf(table: TableDef, col: ColumnDef): { type: string; specific: XNode[] } {
  switch (col.type) {
    case "uniqueidentifier":
      if (col.name !== table.primaryIdColumn) break;
      return { type: "primarykey", specific: [] };
    case "string":
      return {
        type: "nvarchar",
        specific: [
          text("Format", "text"),
          text("MaxLength", need(col, col.maxLength)),
          text("Length", 2 * col.maxLength!),
        ],
      };
    case "memo":
      return {
        type: "ntext",
        specific: [text("Format", "text"), text("MaxLength", need(col, col.maxLength))],
      };
    case "integer":
      return {
        type: "int",
        specific: [text("Format", "none"), ...range(need(col, col.min), need(col, col.max))],
      };
    case "decimal":
      return {
        type: "decimal",
        specific: [
          text("Accuracy", need(col, col.precision)),
          ...range(need(col, col.min), need(col, col.max)),
        ],
      };
    case "double":
      // Float columns hold 0-5 decimal places; the model leaves the precision open for raw scores: 5.
      return {
        type: "float",
        specific: [text("Accuracy", col.precision ?? 5), ...range(need(col, col.min), need(col, col.max))],
      };
    case "boolean": {
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
    case "datetime":
      // UserLocal: the column holds an instant (UTC on the wire), shown in each user's time zone.
      return {
        type: "datetime",
        specific: [text("Format", "datetime"), flag("CanChangeDateTimeBehavior", true), text("Behavior", 1)],
      };
    case "dateonly":
      // DateOnly (Behavior 2): a calendar date with no time zone, e.g. the Monday a week starts on.
      return {
        type: "datetime",
        specific: [text("Format", "date"), flag("CanChangeDateTimeBehavior", false), text("Behavior", 2)],
      };
    case "picklist":
      if (!col.choiceSet) break;
      return {
        type: "picklist",
        specific: [text("AppDefaultValue", -1), text("OptionSetName", globalChoiceName(col.choiceSet))],
      };
    case "lookup":
      return { type: "lookup", specific: [text("LookupStyle", "single"), el("LookupTypes")] };
    default:
      break;
  }
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

const lookupSpecific = (): XNode[] => [text("LookupStyle", "single"), el("LookupTypes")];

const system = (
  physicalName: string,
  type: string,
  displayName: string,
  description: string,
  validFor: AttributeSpec["validFor"],
  typeSpecific: XNode[],
  extra: Partial<AttributeSpec> = {},
  // eslint-disable-next-line max-params -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
): AttributeSpec => ({
  physicalName,
  type,
  logicalName: physicalName.toLowerCase(),
  requiredLevel: "none",
  displayMask: FIELD_MASK,
  validFor,
  custom: false,
  audit: false,
  typeSpecific,
  displayName,
  description,
  ...extra,
});

const READ_ONLY = { create: false, read: true, update: false };
const ANY = { create: true, read: true, update: true };

/**
 * The system columns a Dataverse export carries for an organization-owned custom table (the export of a
 * user-owned one has OwnerId, OwningUser, OwningTeam and OwningBusinessUnit where this has
 * OrganizationId). VersionNumber is not among them: exports never carry it, the platform adds it.
 */
// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function systemAttributes(table: TableDef): XNode[] {
  if (table.ownership !== "OrganizationOwned") {
    throw new Error(
      `${table.logicalName}: only organization-owned tables are generated (got ${table.ownership})`,
    );
  }
  const name = table.displayName;
  const specs: AttributeSpec[] = [
    system(
      "CreatedBy",
      "lookup",
      "Created By",
      "Unique identifier of the user who created the record.",
      READ_ONLY,
      lookupSpecific(),
    ),
    system("CreatedOn", "datetime", "Created On", "Date and time when the record was created.", READ_ONLY, [
      text("Format", "datetime"),
      flag("CanChangeDateTimeBehavior", false),
      text("Behavior", 1),
    ]),
    system(
      "CreatedOnBehalfBy",
      "lookup",
      "Created By (Delegate)",
      "Unique identifier of the delegate user who created the record.",
      READ_ONLY,
      lookupSpecific(),
    ),
    system(
      "ImportSequenceNumber",
      "int",
      "Import Sequence Number",
      "Sequence number of the import that created this record.",
      { create: true, read: true, update: false },
      [text("Format", "none"), ...range(-2147483648, 2147483647)],
      { displayMask: "ValidForAdvancedFind" },
    ),
    system(
      "ModifiedBy",
      "lookup",
      "Modified By",
      "Unique identifier of the user who modified the record.",
      READ_ONLY,
      lookupSpecific(),
    ),
    system(
      "ModifiedOn",
      "datetime",
      "Modified On",
      "Date and time when the record was modified.",
      READ_ONLY,
      [text("Format", "datetime"), flag("CanChangeDateTimeBehavior", false), text("Behavior", 1)],
    ),
    system(
      "ModifiedOnBehalfBy",
      "lookup",
      "Modified By (Delegate)",
      "Unique identifier of the delegate user who modified the record.",
      READ_ONLY,
      lookupSpecific(),
    ),
    system(
      "OrganizationId",
      "lookup",
      "Organization Id",
      "Unique identifier for the organization",
      READ_ONLY,
      lookupSpecific(),
      {
        displayMask: "ValidForAdvancedFind",
      },
    ),
    system(
      "OverriddenCreatedOn",
      "datetime",
      "Record Created On",
      "Date and time that the record was migrated.",
      { create: true, read: true, update: false },
      [text("Format", "date"), flag("CanChangeDateTimeBehavior", false), text("Behavior", 1)],
      { displayMask: "ValidForAdvancedFind|ValidForGrid" },
    ),
    system(
      "statecode",
      "state",
      "Status",
      `Status of the ${name}`,
      { create: false, read: true, update: true },
      [
        el(
          "optionset",
          { Name: `${table.logicalName}_statecode` },
          text("OptionSetType", "state"),
          text("IntroducedVersion", INTRODUCED),
          flag("IsCustomizable", true),
          labels("displaynames", "displayname", "Status"),
          labels("Descriptions", "Description", `Status of the ${name}`),
          el(
            "states",
            null,
            el(
              "state",
              { value: 0, defaultstatus: 1, invariantname: "Active" },
              labels("labels", "label", "Active"),
            ),
            el(
              "state",
              { value: 1, defaultstatus: 2, invariantname: "Inactive" },
              labels("labels", "label", "Inactive"),
            ),
          ),
        ),
      ],
      { requiredLevel: "systemrequired", audit: true },
    ),
    system(
      "statuscode",
      "status",
      "Status Reason",
      `Reason for the status of the ${name}`,
      ANY,
      [
        el(
          "optionset",
          { Name: `${table.logicalName}_statuscode` },
          text("OptionSetType", "status"),
          text("IntroducedVersion", INTRODUCED),
          flag("IsCustomizable", true),
          labels("displaynames", "displayname", "Status Reason"),
          labels("Descriptions", "Description", `Reason for the status of the ${name}`),
          el(
            "statuses",
            null,
            el("status", { value: 1, state: 0 }, labels("labels", "label", "Active")),
            el("status", { value: 2, state: 1 }, labels("labels", "label", "Inactive")),
          ),
        ),
      ],
      { audit: true },
    ),
    system(
      "TimeZoneRuleVersionNumber",
      "int",
      "Time Zone Rule Version Number",
      "For internal use only.",
      ANY,
      [text("Format", "none"), ...range(-1, 2147483647)],
      { displayMask: undefined },
    ),
    system(
      "UTCConversionTimeZoneCode",
      "int",
      "UTC Conversion Time Zone Code",
      "Time zone code that was in use when the record was created.",
      ANY,
      [text("Format", "none"), ...range(-1, 2147483647)],
      { displayMask: undefined },
    ),
  ];
  return specs.map(attributeNode);
}

/** Logical names of the system columns added to every Rapport table (for views, forms and tests). */
export const SYSTEM_COLUMNS = [
  "createdby",
  "createdon",
  "createdonbehalfby",
  "importsequencenumber",
  "modifiedby",
  "modifiedon",
  "modifiedonbehalfby",
  "organizationid",
  "overriddencreatedon",
  "statecode",
  "statuscode",
  "timezoneruleversionnumber",
  "utcconversiontimezonecode",
] as const;
