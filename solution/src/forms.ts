import {
  type ColumnDef,
  columnOf,
  RAPPORT_TABLES,
  tableByLogicalName,
  type TableDef,
} from "../../server/src/dataverse/model";
import { INTRODUCED } from "./common";
import { braced } from "./ids";
import type { Resolved } from "./placements";
import { roleId, ROLES } from "./roles";
import { el, flag, labels, text, type XNode } from "./xml";

/** Class ids of the platform's standard form controls, by column type. */
const CLASS_ID: Record<string, string> = {
  string: "{4273EDBD-AC1D-40d3-9FB2-095C621B552D}",
  memo: "{E0DECE4B-6FC8-4A8F-A065-082708572369}",
  integer: "{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}",
  decimal: "{C3EFE0C3-0EC6-42be-8349-CBD9079DFD8E}",
  double: "{0D2C745A-E5A8-4c8f-BA63-C6D3BB604660}",
  money: "{533B9E00-756B-4312-95A0-DC888637AC78}",
  boolean: "{B0C6723A-8503-4fd7-BB28-C8A06AC933C2}",
  datetime: "{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}",
  dateonly: "{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}",
  picklist: "{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}",
  state: "{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}",
  lookup: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
  owner: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
  customer: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
};
const LOOKUP_CLASS = CLASS_ID.lookup!;

export interface FormDef {
  key: string;
  table: TableDef;
  name: string;
  description: string;
  /** Restricted to these roles; undefined: everyone (the table's own main form). */
  roles?: string[];
}

export const formId = (f: FormDef): string => braced(`form:${f.table.logicalName}:${f.key}`);

const cellId = (form: FormDef, part: string) => braced(`form:${form.table.logicalName}:${form.key}:${part}`);

function fieldCell(form: FormDef, col: ColumnDef, controlId = col.name, uniqueid?: string): XNode {
  const classid = CLASS_ID[col.type];
  if (!classid) throw new Error(`No form control for ${form.table.logicalName}.${col.name} (${col.type})`);
  return el(
    "row",
    null,
    el(
      "cell",
      { id: cellId(form, `cell:${controlId}`) },
      labels("labels", "label", col.displayName),
      el("control", { id: controlId, classid, datafieldname: col.name, uniqueid }),
    ),
  );
}

function section(form: FormDef, name: string, label: string, rows: XNode[]): XNode {
  return el(
    "section",
    { name, showlabel: "true", showbar: "false", IsUserDefined: "0", id: cellId(form, `section:${name}`) },
    labels("labels", "label", label),
    el("rows", null, rows),
  );
}

function tab(form: FormDef, name: string, label: string, sections: XNode[]): XNode {
  return el(
    "tab",
    { name, verticallayout: "true", id: cellId(form, `tab:${name}`), IsUserDefined: "1" },
    labels("labels", "label", label),
    el("columns", null, el("column", { width: "100%" }, el("sections", null, sections))),
  );
}

function systemForm(form: FormDef, body: XNode[], controlDescriptions?: XNode): XNode {
  const roles = form.roles;
  return el(
    "systemform",
    null,
    text("formid", formId(form)),
    text("IntroducedVersion", INTRODUCED),
    text("FormPresentation", 1),
    text("FormActivationState", 1),
    el(
      "form",
      null,
      el("tabs", null, body),
      controlDescriptions,
      roles
        ? el(
            "DisplayConditions",
            { Order: 100, FallbackForm: "false" },
            roles.map((id) => el("Role", { Id: id })),
          )
        : el("DisplayConditions", { Order: 0, FallbackForm: "true" }, el("Everyone")),
    ),
    flag("IsCustomizable", true),
    flag("CanBeDeleted", true),
    labels("LocalizedNames", "LocalizedName", form.name),
    labels("Descriptions", "Description", form.description),
  );
}

/** The main form of one of Rapport's tables: every column of the model, in model order. */
export function tableMainForm(t: TableDef): XNode {
  const form: FormDef = {
    key: "main",
    table: t,
    name: "Information",
    description: `A form for ${t.displayName}.`,
  };
  const rows = t.columns.filter((c) => c.name !== t.primaryIdColumn).map((c) => fieldCell(form, c));
  return systemForm(form, [tab(form, "general", "General", [section(form, "general", "General", rows)])]);
}

/**
 * "Contact – Rapport" and its kin: a NEW main form on each tracked record table rather than a change to
 * the system form. Changing Microsoft's form in a solution means shipping a diff against that exact
 * form's XML (its form id, cell ids and `solutionaction` markers), which differs across Dynamics 365
 * versions and cannot be obtained or checked without an org; a new form is additive, upgrades and
 * uninstalls cleanly, and admins can copy its section into their own forms in the designer.
 *
 * The form is shown to holders of the Rapport Reader or Administrator role only, after the forms they
 * already have (Order 100: it never becomes anyone's default by surprise). It shows the record's name
 * and owner, the insight lookup, and each placed control bound to that lookup.
 */
export const RECORD_TABLES = ["contact", "lead", "opportunity", "account"];

export const recordFormDef = (table: string): FormDef => {
  const t = tableByLogicalName(table);
  if (!t) throw new Error(`Unknown table ${table}`);
  return {
    key: "rapport",
    table: t,
    name: `${t.displayName} – Rapport`,
    description: `${t.displayName} with its relationship insight (Rapport).`,
    roles: ROLES.filter((r) => r.key !== "service").map(roleId),
  };
};

export function recordForm(table: string, placements: Resolved): XNode {
  const form = recordFormDef(table);
  const t = form.table;
  const col = (name: string) => {
    const c = columnOf(t, name);
    if (!c) throw new Error(`${t.logicalName} has no column ${name} in the model`);
    return c;
  };
  const recordRows = [fieldCell(form, col(t.primaryNameColumn)), fieldCell(form, col("ownerid"))];
  const relationshipRows: XNode[] = [fieldCell(form, col("rp_relationshipinsightid"))];
  const descriptions: XNode[] = [];
  placements.field
    .filter((f) => f.placement.tables.includes(table))
    .forEach((f, i) => {
      // The same column twice on a form: the second control is <column>1, the third <column>2, ...
      const controlId = `${f.placement.column}${i + 1}`;
      const uniqueid = cellId(form, `control:${f.control.name}`);
      relationshipRows.push(fieldCell(form, col(f.placement.column), controlId, uniqueid));
      descriptions.push(
        el(
          "controlDescription",
          { forControl: uniqueid },
          el(
            "customControl",
            { id: LOOKUP_CLASS },
            el("parameters", null, text("datafieldname", f.placement.column)),
          ),
          [0, 1, 2].map((formFactor) =>
            el(
              "customControl",
              { formFactor, name: f.control.name },
              el("parameters", null, el(f.boundProperty, { type: f.ofType }, f.placement.column)),
            ),
          ),
        ),
      );
    });
  return systemForm(
    form,
    [
      tab(form, "rapport", "Relationship", [
        section(form, "record", t.displayName, recordRows),
        section(form, "relationship", "Relationship", relationshipRows),
      ]),
    ],
    descriptions.length > 0 ? el("controlDescriptions", null, descriptions) : undefined,
  );
}

/** Form ids of Rapport's own tables' main forms, for tests. */
export const tableFormIds = (): string[] =>
  RAPPORT_TABLES.map((t) => formId({ key: "main", table: t, name: "", description: "" }));
