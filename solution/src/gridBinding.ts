import { el, type XNode } from "./xml";

/**
 * The class id of the platform's read-only grid control. A view's or table's grid binding names it in
 * the first `<customControl>` entry (the grid the code component replaces, and the one the platform
 * falls back to where the component is not configured); the code component follows per form factor.
 */
export const GRID_CONTROL_CLASS_ID = "{E7A81278-8635-4d9e-8D4D-59480B391C5B}";

/** Form factors a binding lists the code component for: 0 phone, 1 tablet, 2 web. */
export const FORM_FACTORS = [0, 1, 2] as const;

/**
 * The `<controlDescriptions>` that binds a dataset code component to one view's grid, as exports write
 * it at the end of the savedquery's `<layoutxml><grid>` (docs/solution.md, "HealthGrid on views").
 *
 * It carries no `forControl`: on a form that attribute names the uniqueid of the subgrid control it
 * replaces, but a view has no such control; the default grid entry identifies what is replaced.
 */
export function viewGridBinding(
  shown: { name: string; dataSet: string } | undefined,
  alternatives: { name: string; dataSet: string }[] = [],
): XNode {
  const parameters = (dataSet: string) => el("parameters", null, el("data-set", { name: dataSet }));
  return el(
    "controlDescriptions",
    null,
    el(
      "controlDescription",
      null,
      el("customControl", { id: GRID_CONTROL_CLASS_ID }, el("parameters")),
      shown
        ? FORM_FACTORS.map((formFactor) =>
            el("customControl", { formFactor, name: shown.name }, parameters(shown.dataSet)),
          )
        : [],
      // Listed without a form factor: added to the view but shown on none, the one users switch to.
      alternatives.map((a) => el("customControl", { name: a.name }, parameters(a.dataSet))),
    ),
  );
}
