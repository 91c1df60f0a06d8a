import type { FieldError } from "../form";
import type { FormFields, Translate } from "../useSettingsForm";

/** What every section gets: the form's fields and the page's strings. */
export interface SectionProps {
  fields: FormFields;
  t: Translate;
}

/** A field's validation props: its message (shown as soon as the field is wrong) and state. */
export function validation(t: Translate, error: FieldError | undefined) {
  return {
    validationMessage: error ? t(error.key, error.params) : undefined,
    validationState: error ? ("error" as const) : ("none" as const),
  };
}
