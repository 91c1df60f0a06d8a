import { Field, Textarea } from "@fluentui/react-components";
import * as React from "react";

import { Section } from "./Section";
import { type SectionProps, validation } from "./types";

const LISTS = ["orgDomains", "excludedDomains", "excludedAddresses"] as const;

/** The organisation's domains and what is left out: one entry per line. */
export function DataSection({ fields, t }: SectionProps): React.ReactElement {
  const { values, errors, set } = fields;
  return (
    <Section id="data" title={t("dataHeading")}>
      {LISTS.map((k) => (
        <Field key={k} label={t(k)} hint={t(`${k}Hint`)} {...validation(t, errors[k])}>
          <Textarea
            value={values[k]}
            name={k}
            resize="vertical"
            rows={3}
            onChange={(_, d) => set({ [k]: d.value })}
          />
        </Field>
      ))}
    </Section>
  );
}
