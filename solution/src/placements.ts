import type { BuiltControl } from "./controls";
import { PUBLISHER } from "./identity";

/**
 * Where Rapport's PCF controls go. The controls are built in their own issue (controls/<Name>/, one npm
 * workspace each); the solution references a control only when its build output exists.
 *
 * Policy (docs/solution.md): a placement whose control is not built is left out and reported, so the
 * solution packs with zero controls and gains them without code changes; with `requireControls`
 * (`npm run package -- --require-controls`, for release builds) a missing control fails the build.
 * A placement whose control exists but does not fit (no bound Lookup.Simple property, no data set)
 * always fails with a message naming the control and what the form or view needs.
 */
export const CONTROL_NAMES = {
  healthGrid: `${PUBLISHER.prefix}_Rapport.HealthGrid`,
  relationshipAnalytics: `${PUBLISHER.prefix}_Rapport.RelationshipAnalytics`,
  relationshipPipeline: `${PUBLISHER.prefix}_Rapport.RelationshipPipeline`,
  whoKnowsWhom: `${PUBLISHER.prefix}_Rapport.WhoKnowsWhom`,
} as const;

export interface FieldPlacement {
  control: string;
  label: string;
  /** Tables whose Rapport form shows the control, bound to `column`. */
  tables: string[];
  column: string;
}

const RECORDS = ["contact", "lead", "opportunity", "account"];

/** Field controls on each record's Rapport form, bound to the record's insight lookup. */
export const FIELD_PLACEMENTS: FieldPlacement[] = [
  {
    control: CONTROL_NAMES.relationshipAnalytics,
    label: "Relationship analytics",
    tables: RECORDS,
    column: "rp_relationshipinsightid",
  },
  {
    control: CONTROL_NAMES.whoKnowsWhom,
    label: "Who knows whom",
    tables: RECORDS,
    column: "rp_relationshipinsightid",
  },
];

/** The dataset control that shows the views marked `healthGrid` (views.ts). */
export const VIEW_CONTROL = CONTROL_NAMES.healthGrid;

/**
 * The dataset control the views marked `pipeline` (views.ts) offer besides: listed on the view without a
 * form factor, so the grid (or HealthGrid) stays what the view shows and makers and users can switch to it.
 */
export const PIPELINE_CONTROL = CONTROL_NAMES.relationshipPipeline;

export interface ViewControl {
  control: BuiltControl;
  dataSet: string;
}

export interface Resolved {
  field: { placement: FieldPlacement; control: BuiltControl; boundProperty: string; ofType: string }[];
  view?: ViewControl;
  pipeline?: ViewControl;
  skipped: string[];
  unplaced: string[];
}

/** Match placements to the controls that were built; throws on a misfit or, if required, a missing control. */
export function resolvePlacements(controls: BuiltControl[], requireControls: boolean): Resolved {
  const byName = new Map(controls.map((c) => [c.name, c]));
  const skipped: string[] = [];
  const field: Resolved["field"] = [];
  for (const p of FIELD_PLACEMENTS) {
    const c = byName.get(p.control);
    if (!c) {
      skipped.push(`${p.control} (form field ${p.column} on ${p.tables.join(", ")})`);
      continue;
    }
    const bound = c.properties.find((prop) => prop.usage === "bound");
    if (!bound) {
      throw new Error(`Control ${c.name} has no bound property; its form placement binds one to ${p.column}`);
    }
    if (bound.ofType !== undefined && bound.ofType !== "Lookup.Simple") {
      throw new Error(
        `Control ${c.name}: its bound property "${bound.name}" is ${bound.ofType}, but the forms bind it to ` +
          `the lookup ${p.column} (Lookup.Simple)`,
      );
    }
    field.push({
      placement: p,
      control: c,
      boundProperty: bound.name,
      ofType: bound.ofType ?? "Lookup.Simple",
    });
  }
  const view = viewControl(byName.get(VIEW_CONTROL), `${VIEW_CONTROL} (views marked healthGrid)`, skipped);
  const pipeline = viewControl(
    byName.get(PIPELINE_CONTROL),
    `${PIPELINE_CONTROL} (views marked pipeline)`,
    skipped,
  );
  if (requireControls && skipped.length > 0) {
    throw new Error(
      `--require-controls: these placements have no built control:\n  ${skipped.join("\n  ")}\n` +
        "Build them (npm run package builds every controls/*/ workspace) or pack without --require-controls.",
    );
  }
  const placed = new Set([
    ...field.map((f) => f.control.name),
    ...[view, pipeline].flatMap((v) => (v ? [v.control.name] : [])),
  ]);
  const unplaced = controls.filter((c) => !placed.has(c.name)).map((c) => c.name);
  return { field, view, pipeline, skipped, unplaced };
}

/** A view's dataset control with its data set's name; a control not built is reported in `skipped`. */
function viewControl(c: BuiltControl | undefined, what: string, skipped: string[]): ViewControl | undefined {
  if (!c) {
    skipped.push(what);
    return undefined;
  }
  const dataSet = c.dataSets[0];
  if (!dataSet) throw new Error(`Control ${c.name} declares no <data-set>; the views need a dataset control`);
  return { control: c, dataSet };
}
