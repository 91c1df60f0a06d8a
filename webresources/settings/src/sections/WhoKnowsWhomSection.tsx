import { Field, Input, Textarea } from "@fluentui/react-components";
import * as React from "react";

import { CAP_RANGE, COOLDOWN_RANGE, DEFAULT_COOLDOWN_DAYS, DEFAULT_INTRODUCTION_CAP } from "../form";
import { Section } from "./Section";
import { useSectionStyles } from "./sections.styles";
import { type SectionProps, validation } from "./types";

/** The section's two text fields: the roles that may see who knows whom, the introduction template. */
const TEXTS = [
  { field: "whoKnowsWhomRoles", name: "roles", label: "roles", hint: "rolesHint", rows: 2 },
  { field: "introductionTemplate", name: "template", label: "template", hint: "templateHint", rows: 6 },
] as const;

/** The fairness limits of introduction requests: the cap per colleague and the cool-down after a decline. */
const LIMITS = [
  { field: "introductionCap", label: "cap", hint: "capHint", empty: DEFAULT_INTRODUCTION_CAP, ...CAP_RANGE },
  {
    field: "cooldownDays",
    label: "cooldown",
    hint: "cooldownHint",
    empty: DEFAULT_COOLDOWN_DAYS,
    ...COOLDOWN_RANGE,
  },
] as const;

/** Who may see who knows whom (roles), the introduction e-mail's template, and the requests' limits. */
export function WhoKnowsWhomSection({ fields, t }: SectionProps): React.ReactElement {
  const s = useSectionStyles();
  const { values, errors, set } = fields;
  return (
    <Section id="wkw" title={t("wkwHeading")}>
      {TEXTS.map((x) => (
        <Field key={x.name} label={t(x.label)} hint={t(x.hint)}>
          <Textarea
            value={values[x.field]}
            name={x.name}
            resize="vertical"
            rows={x.rows}
            onChange={(_, d) => set({ [x.field]: d.value })}
          />
        </Field>
      ))}
      <div className={s.grid}>
        {LIMITS.map((x) => (
          <Field key={x.field} label={t(x.label)} hint={t(x.hint)} {...validation(t, errors[x.field])}>
            <Input
              type="number"
              inputMode="numeric"
              min={x.min}
              max={x.max}
              placeholder={String(x.empty)}
              value={values[x.field]}
              name={x.field}
              onChange={(_, d) => set({ [x.field]: d.value })}
            />
          </Field>
        ))}
      </div>
    </Section>
  );
}
