import { mergeClasses } from "@fluentui/react-components";
import * as React from "react";

import { usePanelStyles } from "./RelationshipAnalytics.styles";

/** One card of the panel: a section named by its heading (`ra-<id>`). */
export function Card(props: { id: string; title: string; children: React.ReactNode }): React.ReactElement {
  const s = usePanelStyles();
  return (
    <section className={s.card} aria-labelledby={`ra-${props.id}`}>
      <h2 id={`ra-${props.id}`} className={s.heading}>
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}

/** A card's body when it has nothing to show. */
export function Muted(props: { children: React.ReactNode; flat?: boolean }): React.ReactElement {
  const s = usePanelStyles();
  return <p className={mergeClasses(s.muted, props.flat && s.flat)}>{props.children}</p>;
}
