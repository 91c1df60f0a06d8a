import { Button, Input, tokens } from "@fluentui/react-components";
import * as React from "react";

import type { Formatter } from "../../shared/format";
import { useLoad } from "../../shared/load";
import { StateView } from "../../shared/states";
import type { Strings } from "../../shared/strings";
import { type HostTheme, ThemeRoot } from "../../shared/theme";
import { isPrivilegeError, messageOf, type WebApi } from "../../shared/webapi";
import {
  emailPayload,
  type Introducer,
  introductionEmail,
  type Loaded,
  loadWhoKnowsWhom,
  matches,
} from "./data";

export interface WhoKnowsWhomProps {
  insightId: string | null;
  api: WebApi;
  /** Opens a record's form (context.navigation.openForm). */
  openForm: (entityName: string, entityId: string) => Promise<unknown>;
  me: { id: string; name: string };
  /** The user's security role ids (userSettings.securityRoles). */
  roles: readonly string[];
  t: Strings;
  f: Formatter;
  theme: HostTheme | undefined;
  rtl: boolean;
  pageSize?: number;
  /** The width the host gives the control (mode.allocatedWidth), when it says; narrow widths stack each card. */
  width?: number;
}

/** Below this width a card's button goes under its facts instead of beside them. */
export const NARROW_WIDTH = 480;

const BAND_COLOUR = {
  strong: tokens.colorPaletteGreenBackground3,
  moderate: tokens.colorPaletteMarigoldBackground3,
  weak: tokens.colorNeutralStrokeAccessible,
} as const;

const muted: React.CSSProperties = { color: tokens.colorNeutralForeground2 };

export function WhoKnowsWhom(props: WhoKnowsWhomProps): React.ReactElement {
  const { insightId, api, t } = props;
  // A key, not the array: the host passes a new array on every update.
  const roles = props.roles.join("\n");
  const { state, retry } = useLoad<Loaded>(
    insightId ? () => loadWhoKnowsWhom(api, insightId, roles ? roles.split("\n") : []) : null,
    [insightId, api, roles],
    t("noInsight"),
  );

  return (
    <ThemeRoot host={props.theme} rtl={props.rtl} label={t("title")}>
      <div
        style={{
          display: "grid",
          gap: 8,
          fontFamily: tokens.fontFamilyBase,
          fontSize: tokens.fontSizeBase300,
          color: tokens.colorNeutralForeground1,
        }}
      >
        {state.kind === "ready" ? (
          state.data.restricted ? (
            <StateView state={{ kind: "empty", message: t("restricted") }} t={t} />
          ) : state.data.introducers.length === 0 ? (
            <StateView state={{ kind: "notEnoughInfo", message: t("noIntroducers") }} t={t} />
          ) : (
            <Introducers {...props} data={state.data} />
          )
        ) : (
          <StateView state={state} t={t} onRetry={retry} />
        )}
      </div>
    </ThemeRoot>
  );
}

type Ask = { email: string; status: "creating" | "created" | "failed"; message?: string };

// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function Introducers(props: WhoKnowsWhomProps & { data: Loaded }): React.ReactElement {
  const { t, f, data } = props;
  const [query, setQuery] = React.useState("");
  const [shown, setShown] = React.useState(props.pageSize ?? 10);
  const [ask, setAsk] = React.useState<Ask | null>(null);
  const list = data.introducers.filter((i) => matches(i, query));
  const visible = list.slice(0, shown);
  const narrow = props.width !== undefined && props.width < NARROW_WIDTH;

  const askFor = async (i: Introducer) => {
    if (!data.target) return;
    setAsk({ email: i.email, status: "creating" });
    // A person without a known company (a free-mail address) is not "at" anything in the default text.
    const company = data.target.company;
    const template = data.template ?? t(company ? "defaultTemplate" : "defaultTemplateNoCompany");
    const mail = introductionEmail(template, t("defaultSubject"), {
      colleague: i.name,
      person: data.target.name,
      company: company || data.target.name,
      me: props.me.name,
    });
    try {
      const created = await props.api.createRecord("email", emailPayload(mail, data.target, props.me.id, i));
      setAsk({ email: i.email, status: "created" });
      await props.openForm("email", created.id);
    } catch (e) {
      setAsk({
        email: i.email,
        status: "failed",
        message: isPrivilegeError(e) ? t("askNoPrivilege") : messageOf(e),
      });
    }
  };

  // The button's accessible name starts with its visible text (WCAG 2.5.3), then says whom it asks.
  const actionText = (i: Introducer) =>
    ask?.email === i.email && ask.status === "creating"
      ? t("asking")
      : ask?.email === i.email && ask.status === "created"
        ? t("asked")
        : t("ask");

  return (
    <>
      {/* Fluent 9.46.2, the platform's library, has no SearchBox: a search-typed Input (the browser's clear
          button and Escape-to-clear come with it). */}
      <Input
        type="search"
        placeholder={t("searchPlaceholder")}
        aria-label={t("searchLabel")}
        value={query}
        onChange={(_, d) => setQuery(d.value)}
        style={{ maxWidth: 360 }}
      />
      <div role="status" aria-live="polite" style={{ ...muted, fontSize: tokens.fontSizeBase200 }}>
        {t("count", { shown: f.number(list.length), total: f.number(data.introducers.length) })}
      </div>
      {ask?.status === "failed" && <StateView state={{ kind: "error", message: ask.message ?? "" }} t={t} />}
      {list.length === 0 ? (
        <p style={muted}>{t("noMatch")}</p>
      ) : (
        <ol
          style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 8 }}
          data-testid="introducers"
        >
          {/* eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes */}
          {visible.map((i, rank) => (
            <li
              key={i.email}
              data-email={i.email}
              data-layout={narrow ? "stacked" : "row"}
              style={{
                border: `1px solid ${tokens.colorNeutralStroke2}`,
                borderRadius: tokens.borderRadiusMedium,
                padding: "8px 12px",
                background: tokens.colorNeutralBackground1,
                display: "grid",
                gridTemplateColumns: narrow ? "minmax(0, 1fr)" : "minmax(0, 1fr) auto",
                gap: narrow ? 8 : 4,
                alignItems: "center",
                justifyItems: narrow ? "start" : undefined,
              }}
            >
              <div style={{ minWidth: 0 }}>
                <div>
                  <span style={{ ...muted, marginInlineEnd: 6 }}>{rank + 1}.</span>
                  <strong data-testid="introducer-name">{i.name}</strong>{" "}
                  {i.name.toLowerCase() !== i.email && (
                    <span style={{ ...muted, overflowWrap: "anywhere" }} data-testid="introducer-email">
                      {i.email}
                    </span>
                  )}
                </div>
                <div
                  style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 8, marginTop: 4 }}
                >
                  <span
                    aria-hidden="true"
                    style={{
                      width: 120,
                      height: 6,
                      borderRadius: 3,
                      background: tokens.colorNeutralBackground4,
                      overflow: "hidden",
                      flex: "none",
                    }}
                  >
                    <span
                      style={{
                        display: "block",
                        height: "100%",
                        width: `${Math.max(0, Math.min(100, i.strength))}%`,
                        background: BAND_COLOUR[i.band],
                      }}
                    />
                  </span>
                  <span data-testid="introducer-band" data-band={i.band}>
                    {t("strength", { band: t(`band_${i.band}`), strength: f.number(i.strength) })}
                  </span>
                </div>
                <div
                  style={{ ...muted, fontSize: tokens.fontSizeBase200, marginTop: 2 }}
                  data-testid="evidence"
                >
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
                      {t("knows", { people: i.knows.join(", ") })}
                    </>
                  )}
                </div>
              </div>
              <Button
                appearance={rank === 0 ? "primary" : "secondary"}
                size="small"
                disabled={!data.target || ask?.status === "creating"}
                onClick={() => void askFor(i)}
                aria-label={t("askFor", { action: actionText(i), name: i.name })}
              >
                {actionText(i)}
              </Button>
            </li>
          ))}
        </ol>
      )}
      {shown < list.length && (
        <Button appearance="subtle" size="small" onClick={() => setShown((s) => s + (props.pageSize ?? 10))}>
          {t("showMore")}
        </Button>
      )}
    </>
  );
}
