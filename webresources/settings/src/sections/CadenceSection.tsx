import { Field, Select } from "@fluentui/react-components";
import * as React from "react";

import { CADENCES, RECORD_TYPES } from "../form";
import { Section } from "./Section";
import { useSectionStyles } from "./sections.styles";
import type { SectionProps } from "./types";

/** The expected communication frequency of each record type. */
export function CadenceSection({ fields, t }: SectionProps): React.ReactElement {
  const s = useSectionStyles();
  const { values, set } = fields;
  return (
    <Section id="cadence" title={t("cadenceHeading")} hint={t("cadenceHint")}>
      <div className={s.grid}>
        {RECORD_TYPES.map((type) => (
          <Field key={type} label={t(`cadence_${type}`)}>
            <Select
              className={s.fill}
              value={values.cadence[type]}
              onChange={(_, d) =>
                set({ cadence: { ...values.cadence, [type]: d.value as (typeof CADENCES)[number] } })
              }
            >
              {CADENCES.map((c) => (
                <option key={c} value={c}>
                  {t(`cadence_${c}`)}
                </option>
              ))}
            </Select>
          </Field>
        ))}
      </div>
    </Section>
  );
}
