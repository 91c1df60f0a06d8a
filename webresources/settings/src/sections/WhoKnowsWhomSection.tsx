import { Field, Textarea } from "@fluentui/react-components";
import * as React from "react";

import { Section } from "./Section";
import type { SectionProps } from "./types";

/** The section's two text fields: the roles that may see who knows whom, the introduction template. */
const TEXTS = [
  { field: "whoKnowsWhomRoles", name: "roles", label: "roles", hint: "rolesHint", rows: 2 },
  { field: "introductionTemplate", name: "template", label: "template", hint: "templateHint", rows: 6 },
] as const;

/** Who may see who knows whom (roles), and the introduction e-mail's template. */
export function WhoKnowsWhomSection({ fields, t }: SectionProps): React.ReactElement {
  const { values, set } = fields;
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
    </Section>
  );
}
