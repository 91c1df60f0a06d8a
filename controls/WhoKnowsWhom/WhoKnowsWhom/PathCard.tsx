import { Badge, mergeClasses } from "@fluentui/react-components";
import type { PathStep } from "@rapport/model";
import * as React from "react";

import type { Formatter } from "../../shared/format";
import { useMeterStyles } from "../../shared/meter.styles";
import type { Strings } from "../../shared/strings";
import type { Introducer } from "./data";
import type { PathView } from "./paths";
import { adjustmentText, blockText, statusText } from "./text";
import { useWhoKnowsWhomStyles } from "./WhoKnowsWhom.styles";

/**
 * One way to reach the record's person: the colleague to ask, the whole path with each step's band
 * ("You → Sally Beck (Strong) → Jane Doe (Moderate)"), its strength, why feedback moved it, where the
 * seller's own request stands or why they cannot ask now, and the evidence; the ask button (children).
 */
export function PathCard(props: {
  v: PathView;
  rank: number;
  narrow: boolean;
  now: number;
  t: Strings;
  f: Formatter;
  children: React.ReactNode;
}): React.ReactElement {
  const { v, t, f } = props;
  const s = useWhoKnowsWhomStyles();
  const m = useMeterStyles();
  const i = v.knower;
  const blocked = blockText(t, f, v.block, v.ask.name);
  return (
    <li
      data-email={i.email}
      data-introducer={v.ask.userId || i.email}
      data-layout={props.narrow ? "stacked" : "row"}
      className={mergeClasses(s.card, props.narrow ? s.stacked : s.row)}
    >
      <div className={s.facts}>
        <div>
          <span className={mergeClasses(s.muted, s.rank)}>{props.rank + 1}.</span>
          <strong data-testid="introducer-name">{v.ask.name}</strong>{" "}
          {v.ask.email && v.ask.name.toLowerCase() !== v.ask.email && (
            <span className={mergeClasses(s.muted, s.email)} data-testid="introducer-email">
              {v.ask.email}
            </span>
          )}{" "}
          {v.connector && (
            <Badge appearance="outline" size="small" data-testid="two-step">
              {t("twoStep")}
            </Badge>
          )}
        </div>
        <div className={s.small} data-testid="path">
          {v.names
            .map((name, k) =>
              k === 0 ? name : t("pathStep", { name, band: stepBand(t, v.path.steps[k - 1]) }),
            )
            .join(" → ")}
        </div>
        <div className={s.strength}>
          <span aria-hidden="true" className={mergeClasses(m.track, s.bar)}>
            {/* The bar's length is the whole path's strength. */}
            <span
              className={mergeClasses(m.fill, s[v.band])}
              style={{ width: `${Math.max(0, Math.min(100, v.strength))}%` }}
            />
          </span>
          <span data-testid="introducer-band" data-band={v.band} data-strength={v.strength}>
            {t("strength", { band: t(`band_${v.band}`), strength: f.number(Math.round(v.strength)) })}
          </span>
        </div>
        {v.path.adjustment && (
          <div className={s.small} data-testid="adjustment" data-delta={v.path.adjustment.delta}>
            {adjustmentText(t, f, v.path.adjustment)}
          </div>
        )}
        {v.latest && (
          <div className={s.status} data-testid="request-status" data-status={v.latest.status}>
            {statusText(t, f, v.latest, props.now)}
          </div>
        )}
        {blocked && (
          <div className={s.small} data-testid="ask-blocked">
            {blocked}
          </div>
        )}
        <Evidence i={i} t={t} f={f} />
      </div>
      {props.children}
    </li>
  );
}

/** A step's band as the path line says it; "not in touch yet" where the seller has no tie to the colleague. */
function stepBand(t: Strings, step: PathStep | undefined): string {
  if (!step || step.assumed) return t("notInTouch");
  return t(`band_${step.band}`);
}

/** What the target side rests on: the last interaction, the counts, and whom of the record they know. */
function Evidence(props: { i: Introducer; t: Strings; f: Formatter }): React.ReactElement {
  const { i, t, f } = props;
  const s = useWhoKnowsWhomStyles();
  return (
    <div className={mergeClasses(s.small, s.evidence)} data-testid="evidence">
      {i.last
        ? t("evidenceLast", {
            date: f.date(i.last.at),
            kind: t(`kind_${i.last.kind}`),
            direction: t(`dir_${i.last.direction}`),
          })
        : t("evidenceNoLast")}
      {" · "}
      {t("evidenceCounts", {
        sent: f.number(i.sent),
        received: f.number(i.received),
        meetings: f.number(i.meetings),
        calls: f.number(i.calls),
        days: f.number(i.daysInTouch),
      })}
      {i.knows.length > 0 && (
        <>
          {" · "}
          {t("knows", { people: (i.knowsNames ?? i.knows).join(", ") })}
        </>
      )}
    </div>
  );
}
