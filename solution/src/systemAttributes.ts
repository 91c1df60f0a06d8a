import type { TableDef } from "@rapport/model";

import { attributeNode, type AttributeSpec, FIELD_MASK, range } from "./attributes";
import { INTRODUCED } from "./common";
import { el, flag, labels, text, type XNode } from "./xml";

/** What a system column states; the rest defaults to a plain, not custom, not audited field. */
type SystemColumn = Pick<
  AttributeSpec,
  "physicalName" | "type" | "displayName" | "description" | "validFor" | "typeSpecific"
> &
  Partial<AttributeSpec>;

const system = (c: SystemColumn): AttributeSpec => ({
  logicalName: c.physicalName.toLowerCase(),
  requiredLevel: "none",
  displayMask: FIELD_MASK,
  custom: false,
  audit: false,
  ...c,
});

/** Object type codes of the owner's two kinds, as an export lists them in OwnerId's LookupTypes. */
const OBJECT_TYPE_CODE = { systemuser: 8, team: 9 } as const;
const EMPTY_GUID = "00000000-0000-0000-0000-000000000000";

const READ_ONLY = { create: false, read: true, update: false };
const CREATE_ONLY = { create: true, read: true, update: false };
const ANY = { create: true, read: true, update: true };

/** A read-only single lookup (to a user, or to the organization). */
const lookup = (
  physicalName: string,
  displayName: string,
  description: string,
  extra: Partial<AttributeSpec> = {},
): AttributeSpec =>
  system({
    physicalName,
    type: "lookup",
    displayName,
    description,
    validFor: READ_ONLY,
    typeSpecific: [text("LookupStyle", "single"), el("LookupTypes")],
    ...extra,
  });

const dateTime = (format: "datetime" | "date"): XNode[] => [
  text("Format", format),
  flag("CanChangeDateTimeBehavior", false),
  text("Behavior", 1),
];

/**
 * The system columns a Dataverse export carries for a custom table: an organization-owned one has
 * OrganizationId, a user-owned one OwnerId, OwningBusinessUnit, OwningTeam and OwningUser in its place
 * (as the user-owned tables of the exports in shared/schemas/dataverse/samples). VersionNumber is not
 * among them: exports never carry it, the platform adds it.
 */
export function systemAttributes(table: TableDef): XNode[] {
  return [
    ...recordKeepingColumns(),
    ...ownershipColumns(table),
    stateColumn(table),
    statusColumn(table),
    ...timeZoneColumns(),
  ].map(attributeNode);
}

/** The organization (organization-owned tables) or the owner and what it belongs to (user-owned ones). */
function ownershipColumns(table: TableDef): AttributeSpec[] {
  if (table.ownership === "OrganizationOwned") {
    return [
      lookup("OrganizationId", "Organization Id", "Unique identifier for the organization", {
        displayMask: "ValidForAdvancedFind",
      }),
    ];
  }
  if (table.ownership === "UserOwned") return ownerColumns();
  throw new Error(
    `${table.logicalName}: only organization- and user-owned tables are generated (got ${table.ownership})`,
  );
}

/**
 * OwnerId (type owner: a user, 8, or a team, 9), required and shown on forms, and the three columns the
 * platform derives from it. OwningTeam and OwningUser are logical (no storage of their own).
 */
function ownerColumns(): AttributeSpec[] {
  const owning = (entity: "BusinessUnit" | "Team" | "User", displayName: string, description: string) =>
    lookup(`Owning${entity}`, displayName, description, {
      displayMask: entity === "BusinessUnit" ? FIELD_MASK : undefined,
      logical: entity !== "BusinessUnit",
    });
  return [
    system({
      physicalName: "OwnerId",
      type: "owner",
      displayName: "Owner",
      description: "Owner Id",
      validFor: ANY,
      requiredLevel: "systemrequired",
      displayMask: `${FIELD_MASK}|RequiredForForm`,
      audit: true,
      typeSpecific: [
        text("LookupStyle", "single"),
        el(
          "LookupTypes",
          null,
          [OBJECT_TYPE_CODE.systemuser, OBJECT_TYPE_CODE.team].map((code) =>
            el("LookupType", { id: EMPTY_GUID }, String(code)),
          ),
        ),
      ],
    }),
    owning(
      "BusinessUnit",
      "Owning Business Unit",
      "Unique identifier for the business unit that owns the record",
    ),
    owning("Team", "Owning Team", "Unique identifier for the team that owns the record."),
    owning("User", "Owning User", "Unique identifier for the user that owns the record."),
  ];
}

/** Who created and modified a record and when, and its import. */
function recordKeepingColumns(): AttributeSpec[] {
  return [
    lookup("CreatedBy", "Created By", "Unique identifier of the user who created the record."),
    system({
      physicalName: "CreatedOn",
      type: "datetime",
      displayName: "Created On",
      description: "Date and time when the record was created.",
      validFor: READ_ONLY,
      typeSpecific: dateTime("datetime"),
    }),
    lookup(
      "CreatedOnBehalfBy",
      "Created By (Delegate)",
      "Unique identifier of the delegate user who created the record.",
    ),
    system({
      physicalName: "ImportSequenceNumber",
      type: "int",
      displayName: "Import Sequence Number",
      description: "Sequence number of the import that created this record.",
      validFor: CREATE_ONLY,
      typeSpecific: [text("Format", "none"), ...range(-2147483648, 2147483647)],
      displayMask: "ValidForAdvancedFind",
    }),
    lookup("ModifiedBy", "Modified By", "Unique identifier of the user who modified the record."),
    system({
      physicalName: "ModifiedOn",
      type: "datetime",
      displayName: "Modified On",
      description: "Date and time when the record was modified.",
      validFor: READ_ONLY,
      typeSpecific: dateTime("datetime"),
    }),
    lookup(
      "ModifiedOnBehalfBy",
      "Modified By (Delegate)",
      "Unique identifier of the delegate user who modified the record.",
    ),
    system({
      physicalName: "OverriddenCreatedOn",
      type: "datetime",
      displayName: "Record Created On",
      description: "Date and time that the record was migrated.",
      validFor: CREATE_ONLY,
      typeSpecific: dateTime("date"),
      displayMask: "ValidForAdvancedFind|ValidForGrid",
    }),
  ];
}

/** The option set of a table's statecode ("state") or statuscode ("status"), holding `values`. */
function optionSet(
  table: TableDef,
  kind: "state" | "status",
  displayName: string,
  description: string,
  values: XNode,
): XNode {
  return el(
    "optionset",
    { Name: `${table.logicalName}_${kind}code` },
    text("OptionSetType", kind),
    text("IntroducedVersion", INTRODUCED),
    flag("IsCustomizable", true),
    labels("displaynames", "displayname", displayName),
    labels("Descriptions", "Description", description),
    values,
  );
}

/** statecode: Active (0) or Inactive (1). */
function stateColumn(table: TableDef): AttributeSpec {
  const name = table.displayName;
  return system({
    physicalName: "statecode",
    type: "state",
    displayName: "Status",
    description: `Status of the ${name}`,
    validFor: { create: false, read: true, update: true },
    typeSpecific: [
      optionSet(
        table,
        "state",
        "Status",
        `Status of the ${name}`,
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
    requiredLevel: "systemrequired",
    audit: true,
  });
}

/** statuscode: Active (1) in state 0, Inactive (2) in state 1. */
function statusColumn(table: TableDef): AttributeSpec {
  const name = table.displayName;
  return system({
    physicalName: "statuscode",
    type: "status",
    displayName: "Status Reason",
    description: `Reason for the status of the ${name}`,
    validFor: ANY,
    typeSpecific: [
      optionSet(
        table,
        "status",
        "Status Reason",
        `Reason for the status of the ${name}`,
        el(
          "statuses",
          null,
          el("status", { value: 1, state: 0 }, labels("labels", "label", "Active")),
          el("status", { value: 2, state: 1 }, labels("labels", "label", "Inactive")),
        ),
      ),
    ],
    audit: true,
  });
}

/** The time zone columns, shown nowhere (no display mask). */
function timeZoneColumns(): AttributeSpec[] {
  const column = (physicalName: string, displayName: string, description: string): AttributeSpec =>
    system({
      physicalName,
      type: "int",
      displayName,
      description,
      validFor: ANY,
      typeSpecific: [text("Format", "none"), ...range(-1, 2147483647)],
      displayMask: undefined,
    });
  return [
    column("TimeZoneRuleVersionNumber", "Time Zone Rule Version Number", "For internal use only."),
    column(
      "UTCConversionTimeZoneCode",
      "UTC Conversion Time Zone Code",
      "Time zone code that was in use when the record was created.",
    ),
  ];
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
  "overriddencreatedon",
  "statecode",
  "statuscode",
  "timezoneruleversionnumber",
  "utcconversiontimezonecode",
] as const;

/** The system columns of an organization-owned table beside SYSTEM_COLUMNS. */
export const ORGANIZATION_COLUMNS = ["organizationid"] as const;
/** The system columns of a user-owned table beside SYSTEM_COLUMNS (ownerid also is a model column). */
export const OWNER_COLUMNS = ["ownerid", "owningbusinessunit", "owningteam", "owninguser"] as const;

/** Logical names of every system column of `table`. */
export const systemColumnsOf = (table: TableDef): string[] => [
  ...SYSTEM_COLUMNS,
  ...(table.ownership === "UserOwned" ? OWNER_COLUMNS : ORGANIZATION_COLUMNS),
];
