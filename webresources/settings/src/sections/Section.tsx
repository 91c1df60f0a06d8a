import { Body1, Subtitle1 } from "@fluentui/react-components";
import * as React from "react";

import { useSectionStyles } from "./sections.styles";

/** One card of the page: a heading (its accessible name), an optional hint, the fields. */
export function Section(props: {
  id: string;
  title: string;
  hint?: string;
  children: React.ReactNode;
}): React.ReactElement {
  const s = useSectionStyles();
  return (
    <section className={s.section} aria-labelledby={`rp-${props.id}`}>
      <Subtitle1 as="h2" id={`rp-${props.id}`} className={s.heading}>
        {props.title}
      </Subtitle1>
      {props.hint ? <Body1 className={s.hint}>{props.hint}</Body1> : null}
      {props.children}
    </section>
  );
}
