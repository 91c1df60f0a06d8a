import { Body1, Field, Slider } from "@fluentui/react-components";
import * as React from "react";

import { formatPercent, WEIGHT_KINDS, WEIGHT_MAX, WEIGHT_MIN } from "../form";
import { Section } from "./Section";
import { useSectionStyles, useWeightStyles } from "./sections.styles";
import type { SectionProps } from "./types";

/** One slider per activity kind, its percentage beside it. */
export function WeightsSection({ fields, t }: SectionProps): React.ReactElement {
  const s = useSectionStyles();
  const w = useWeightStyles();
  const { values, set } = fields;
  return (
    <Section id="weights" title={t("weightsHeading")} hint={t("weightsHint")}>
      <div className={s.grid}>
        {WEIGHT_KINDS.map((kind) => {
          const v = values.weights[kind];
          return (
            <Field key={kind} label={t(`weight_${kind}`)}>
              <div className={w.weight}>
                <Slider
                  className={w.slider}
                  min={WEIGHT_MIN}
                  max={WEIGHT_MAX}
                  step={1}
                  value={v}
                  aria-valuetext={formatPercent(v)}
                  data-weight={kind}
                  onChange={(_, d) => set({ weights: { ...values.weights, [kind]: d.value } })}
                />
                <Body1 className={w.weightValue} aria-hidden="true">
                  {formatPercent(v)}
                </Body1>
              </div>
            </Field>
          );
        })}
      </div>
    </Section>
  );
}
