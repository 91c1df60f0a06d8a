import { Field, Switch } from "@fluentui/react-components";
import * as React from "react";

import { Section } from "./Section";
import { useSectionStyles } from "./sections.styles";
import type { SectionProps } from "./types";

const FEATURES = ["analytics", "whoKnowsWhom", "m365"] as const;

/** The three feature switches, each saying whether it is on. */
export function FeaturesSection({ fields, t }: SectionProps): React.ReactElement {
  const s = useSectionStyles();
  const { values, set } = fields;
  return (
    <Section id="features" title={t("featuresHeading")}>
      <div className={s.grid}>
        {FEATURES.map((k) => (
          <Field key={k} hint={t(`${k}Hint`)}>
            <Switch
              label={`${t(k)}: ${values[k] ? t("on") : t("off")}`}
              checked={values[k]}
              onChange={(_, d) => set({ [k]: d.checked })}
            />
          </Field>
        ))}
      </div>
    </Section>
  );
}
