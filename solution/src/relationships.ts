import {
  ALL_TABLES,
  type ColumnDef,
  RAPPORT_TABLES,
  tableByLogicalName,
  type TableDef,
} from "../../server/src/dataverse/model";
import { INTRODUCED } from "./common";
import { PUBLISHER } from "./identity";
import { el, flag, labels, text, type XNode } from "./xml";

export type CascadeDelete = "Cascade" | "RemoveLink" | "NoCascade" | "Restrict";

/** One lookup of the model as the one-to-many relationship Dataverse stores it as. */
export interface LookupRelationship {
  name: string;
  referencing: TableDef;
  column: ColumnDef;
  referenced: TableDef;
  /** The lookup's single-valued navigation property (the model's, used in $expand and @odata.bind). */
  navigationProperty: string;
  cascadeDelete: CascadeDelete;
  why: string;
}

const TRACKED = new Set(["contact", "lead", "opportunity", "account"]);
const unprefixed = (name: string) => name.replace(new RegExp(`^${PUBLISHER.prefix}_`), "");

/**
 * What deleting the referenced row does to the rows that point at it:
 *
 * - insight / connection → contact, lead, opportunity, account: **Cascade**. The insight and the
 *   connections describe interactions with that person or company; once the record is deleted (often an
 *   erasure request), the derived data must go with it rather than linger unlinked.
 * - history → insight: **Cascade**. A week of history means nothing without its insight.
 * - connection → systemuser (the introducer): **RemoveLink**. Users are disabled rather than deleted;
 *   if one ever is, the connection keeps its address and evidence until the service recomputes it.
 * - contact, lead, opportunity, account → insight (the lookup the solution adds): **RemoveLink**. Deleting
 *   or recomputing an insight row must never delete a customer record.
 * - introduction → contact, lead, opportunity, account: **Cascade**, like the insight: the request names
 *   the person (address, name), so an erasure of the record takes it along.
 * - introduction → systemuser (requester, introducer, connector), profile → systemuser: **RemoveLink**.
 * - introduction → email (the request's email): **RemoveLink**. The request outlives its email.
 *
 * Assign, share, unshare and reparent never cascade: the organization-owned tables have no owner to
 * cascade to, and an introduction (user-owned) is not the child of the record it is about: assigning a
 * contact to another seller must not hand over the sellers' requests about it.
 */
function cascadeFor(referencing: TableDef, referenced: TableDef): { delete: CascadeDelete; why: string } {
  if (referencing.custom && TRACKED.has(referenced.logicalName)) {
    return { delete: "Cascade", why: "derived data about the record goes with it" };
  }
  if (referencing.custom && referenced.custom)
    return { delete: "Cascade", why: "history belongs to its insight" };
  if (referenced.logicalName === "systemuser") return { delete: "RemoveLink", why: "keep the evidence" };
  if (referencing.custom && referenced.logicalName === "email")
    return { delete: "RemoveLink", why: "the request outlives its email" };
  if (!referencing.custom && referenced.custom)
    return { delete: "RemoveLink", why: "never delete a customer record" };
  throw new Error(`No cascade rule for ${referencing.logicalName} → ${referenced.logicalName}`);
}

/**
 * `rp_<referenced>_<referencing>` (unprefixed), the name every shipped relationship has. A table's second
 * and later lookups to the same table (model order) add their column: rp_connection's introducer keeps
 * rp_systemuser_connection, its colleague is rp_systemuser_connection_colleagueid. A relationship is never
 * renamed once shipped (an upgrade would drop it with its column), so the first lookup keeps the plain name.
 */
function defaultName(referencing: TableDef, column: ColumnDef, referenced: string): string {
  const plain = `${PUBLISHER.prefix}_${unprefixed(referenced)}_${unprefixed(referencing.logicalName)}`;
  const first = referencing.columns.find(
    (c) =>
      c.type === "lookup" &&
      (referencing.custom || c.rapport) &&
      c.targets?.length === 1 &&
      c.targets[0]!.table === referenced,
  );
  return first === column ? plain : `${plain}_${unprefixed(column.name)}`;
}

/** Every lookup the solution creates: those of Rapport's tables and those it adds to standard tables. */
export function lookupRelationships(): LookupRelationship[] {
  const out: LookupRelationship[] = [];
  const owners = [...RAPPORT_TABLES, ...ALL_TABLES.filter((t) => !t.custom)];
  for (const referencing of owners) {
    for (const column of referencing.columns) {
      if (column.type !== "lookup" || (!referencing.custom && !column.rapport)) continue;
      const targets = column.targets ?? [];
      if (targets.length !== 1) {
        throw new Error(
          `${referencing.logicalName}.${column.name}: a solution lookup must have exactly one target`,
        );
      }
      const target = targets[0]!;
      const referenced = tableByLogicalName(target.table);
      if (!referenced)
        throw new Error(`${referencing.logicalName}.${column.name}: unknown table ${target.table}`);
      const collection = referenced.collections?.find(
        (c) => c.table === referencing.logicalName && c.column === column.name,
      );
      const name = collection?.name ?? defaultName(referencing, column, referenced.logicalName);
      const cascade = cascadeFor(referencing, referenced);
      out.push({
        name,
        referencing,
        column,
        referenced,
        navigationProperty: target.navigationProperty,
        cascadeDelete: cascade.delete,
        why: cascade.why,
      });
    }
  }
  const seen = new Set<string>();
  for (const r of out) {
    if (seen.has(r.name)) throw new Error(`Two relationships would be named ${r.name}`);
    seen.add(r.name);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export interface RelationshipXml {
  name: string;
  referencing: string;
  referenced: string;
  attribute: string;
  cascadeDelete: CascadeDelete;
  description: string;
  roles?: { navigationProperty: string; navPane: "UseCollectionName" | "DoNotDisplay" };
}

function relationshipNode(r: RelationshipXml): XNode {
  return el(
    "EntityRelationship",
    { Name: r.name },
    text("EntityRelationshipType", "OneToMany"),
    flag("IsCustomizable", true),
    text("IntroducedVersion", INTRODUCED),
    flag("IsHierarchical", false),
    text("ReferencingEntityName", r.referencing),
    text("ReferencedEntityName", r.referenced),
    text("CascadeAssign", "NoCascade"),
    text("CascadeDelete", r.cascadeDelete),
    text("CascadeReparent", "NoCascade"),
    text("CascadeShare", "NoCascade"),
    text("CascadeUnshare", "NoCascade"),
    r.roles && text("CascadeRollupView", "NoCascade"),
    r.roles && flag("IsValidForAdvancedFind", true),
    text("ReferencingAttributeName", r.attribute),
    el("RelationshipDescription", null, labels("Descriptions", "Description", r.description)),
    r.roles &&
      el(
        "EntityRelationshipRoles",
        null,
        el(
          "EntityRelationshipRole",
          null,
          text("NavPaneDisplayOption", r.roles.navPane),
          text("NavPaneArea", "Details"),
          text("NavPaneOrder", 10000),
          text("NavigationPropertyName", r.roles.navigationProperty),
          text("RelationshipRoleType", 1),
        ),
        el(
          "EntityRelationshipRole",
          null,
          text("NavigationPropertyName", r.name),
          text("RelationshipRoleType", 0),
        ),
      ),
  );
}

/**
 * The relationships of a Rapport table's system lookups, named as exports name them: created and modified
 * by, and the organization (organization-owned tables) or the owner, its business unit, team and user
 * (user-owned ones; the owning business unit restricts deletion, as in the exports).
 */
export function systemRelationships(t: TableDef): RelationshipXml[] {
  const rel = (
    name: string,
    referenced: string,
    attribute: string,
    description: string,
    cascadeDelete: CascadeDelete = "NoCascade",
  ): RelationshipXml => ({
    name,
    referencing: t.schemaName,
    referenced,
    attribute,
    cascadeDelete,
    description,
  });
  const n = t.logicalName;
  const ownership =
    t.ownership === "UserOwned"
      ? [
          rel(`business_unit_${n}`, "BusinessUnit", "OwningBusinessUnit", OWNING_BU, "Restrict"),
          rel(`owner_${n}`, "Owner", "OwnerId", "Owner Id"),
          rel(`team_${n}`, "Team", "OwningTeam", "Unique identifier for the team that owns the record."),
          rel(
            `user_${n}`,
            "SystemUser",
            "OwningUser",
            "Unique identifier for the user that owns the record.",
          ),
        ]
      : [
          rel(
            `organization_${n}`,
            "Organization",
            "OrganizationId",
            "Unique identifier for the organization",
          ),
        ];
  return [
    rel(
      `lk_${n}_createdby`,
      "SystemUser",
      "CreatedBy",
      "Unique identifier of the user who created the record.",
    ),
    rel(
      `lk_${n}_modifiedby`,
      "SystemUser",
      "ModifiedBy",
      "Unique identifier of the user who modified the record.",
    ),
    ...ownership,
  ];
}
const OWNING_BU = "Unique identifier for the business unit that owns the record";

/**
 * All `<EntityRelationship>` elements, at the root of customizations.xml (where an import looks for
 * them: lookups whose relationship is missing there fail with "... are missing their associated
 * relationship definition"). The system lookups of each Rapport table (created/modified by, the
 * organization) come first, as an export writes them; CascadeArchive, newer than the XSD, is left out.
 */
export function relationshipNodes(): XNode[] {
  const systemRels = RAPPORT_TABLES.flatMap(systemRelationships);
  const lookups: RelationshipXml[] = lookupRelationships().map((r) => ({
    name: r.name,
    referencing: r.referencing.schemaName,
    referenced: r.referenced.schemaName,
    attribute: r.column.schemaName,
    cascadeDelete: r.cascadeDelete,
    description: r.column.description ?? "",
    roles: {
      navigationProperty: r.navigationProperty,
      navPane: r.referenced.custom && !r.referencing.custom ? "DoNotDisplay" : "UseCollectionName",
    },
  }));
  return [...systemRels, ...lookups].sort((a, b) => a.name.localeCompare(b.name)).map(relationshipNode);
}
