import { Field, Input } from "@fluentui/react-components";
import * as React from "react";

import { Section } from "./Section";
import { useSectionStyles } from "./sections.styles";
import { type SectionProps, validation } from "./types";

/** The score thresholds of Good and Fair, each with its range. */
const GRADES = [
  { name: "good", min: 2, max: 100 },
  { name: "fair", min: 1, max: 99 },
] as const;

/** The health grades' thresholds. */
export function GradesSection({ fields, t }: SectionProps): React.ReactElement {
  const s = useSectionStyles();
  const { values, errors, set } = fields;
  return (
    <Section id="grades" title={t("gradesHeading")} hint={t("gradesHint")}>
      <div className={s.grid}>
        {GRADES.map(({ name, min, max }) => (
          <Field key={name} label={t(name)} {...validation(t, errors[name])}>
            <Input
              type="number"
              inputMode="numeric"
              min={min}
              max={max}
              value={values[name]}
              name={name}
              onChange={(_, d) => set({ [name]: d.value })}
            />
          </Field>
        ))}
      </div>
    </Section>
  );
}
