import { Button, Input, mergeClasses } from "@fluentui/react-components";
import * as React from "react";

import type { Formatter } from "../../shared/format";
import { useLoad } from "../../shared/load";
import { useMeterStyles } from "../../shared/meter.styles";
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
import { useWhoKnowsWhomStyles } from "./WhoKnowsWhom.styles";

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

export function WhoKnowsWhom(props: WhoKnowsWhomProps): React.ReactElement {
  const { insightId, api, t } = props;
  const s = useWhoKnowsWhomStyles();
  // A key, not the array: the host passes a new array on every update.
  const roles = props.roles.join("\n");
  const { state, retry } = useLoad<Loaded>(
    insightId ? () => loadWhoKnowsWhom(api, insightId, roles ? roles.split("\n") : []) : null,
    [insightId, api, roles],
    t("noInsight"),
  );

  return (
    <ThemeRoot host={props.theme} rtl={props.rtl} label={t("title")}>
      <div className={s.root}>
        {state.kind === "ready" ? (
          <Ready {...props} data={state.data} />
        ) : (
          <StateView state={state} t={t} onRetry={retry} />
        )}
      </div>
    </ThemeRoot>
  );
}

/** Loaded: restricted by role, nobody who knows them, or the introducers. */
function Ready(props: WhoKnowsWhomProps & { data: Loaded }): React.ReactElement {
  const { data, t } = props;
  if (data.restricted) return <StateView state={{ kind: "empty", message: t("restricted") }} t={t} />;
  if (data.introducers.length === 0)
    return <StateView state={{ kind: "notEnoughInfo", message: t("noIntroducers") }} t={t} />;
  return <Introducers {...props} />;
}

type Ask = { email: string; status: "creating" | "created" | "failed"; message?: string };

/** Asking a colleague for an introduction: the e-mail drafted from the template, created, then opened. */
function useAsk(props: WhoKnowsWhomProps & { data: Loaded }) {
  const { t, data } = props;
  const [ask, setAsk] = React.useState<Ask | null>(null);
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
  return { ask, askFor, actionText };
}

/**
 * The list opens on the introducers worth asking: strong and moderate ones, or when there are none the
 * single best; the rest wait behind "Show N weak connections". A search looks through everyone.
 */
export function foldWeak<T extends { band: string }>(list: T[]): { open: T[]; folded: T[] } {
  const open = list.filter((i) => i.band !== "weak");
  if (open.length > 0) return { open, folded: list.filter((i) => i.band === "weak") };
  return { open: list.slice(0, 1), folded: list.slice(1) };
}

let instances = 0;

function Introducers(props: WhoKnowsWhomProps & { data: Loaded }): React.ReactElement {
  const { t, f, data } = props;
  const s = useWhoKnowsWhomStyles();
  // React 16 (the platform's) has no useId: a per-instance id for aria-controls.
  const [listId] = React.useState(() => `rp-wkw-list-${++instances}`);
  const [query, setQuery] = React.useState("");
  const [unfolded, setUnfolded] = React.useState(false);
  const [shown, setShown] = React.useState(props.pageSize ?? 10);
  const { ask, askFor, actionText } = useAsk(props);
  const matching = data.introducers.filter((i) => matches(i, query));
  const { open, folded } = query.trim() ? { open: matching, folded: [] } : foldWeak(matching);
  const list = unfolded ? [...open, ...folded] : open;
  const narrow = props.width !== undefined && props.width < NARROW_WIDTH;
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
        className={s.search}
      />
      <div role="status" aria-live="polite" className={s.small}>
        {t("count", { shown: f.number(list.length), total: f.number(data.introducers.length) })}
      </div>
      {ask?.status === "failed" && <StateView state={{ kind: "error", message: ask.message ?? "" }} t={t} />}
      {matching.length === 0 ? (
        <p className={s.muted}>{t("noMatch")}</p>
      ) : (
        <ol className={s.list} data-testid="introducers" id={listId}>
          {list.slice(0, shown).map((i, rank) => (
            <IntroducerCard key={i.email} i={i} rank={rank} narrow={narrow} t={t} f={f}>
              <Button
                appearance={rank === 0 ? "primary" : "secondary"}
                size="small"
                disabled={!data.target || ask?.status === "creating"}
                onClick={() => void askFor(i)}
                aria-label={t("askFor", { action: actionText(i), name: i.name })}
              >
                {actionText(i)}
              </Button>
            </IntroducerCard>
          ))}
        </ol>
      )}
      {shown < list.length && (
        <Button appearance="subtle" size="small" onClick={() => setShown((n) => n + (props.pageSize ?? 10))}>
          {t("showMore")}
        </Button>
      )}
      {folded.length > 0 && (
        <Button
          appearance="subtle"
          size="small"
          aria-expanded={unfolded}
          aria-controls={listId}
          data-testid="fold-weak"
          onClick={() => setUnfolded((u) => !u)}
        >
          {unfolded
            ? t("hideWeak")
            : t(folded.length === 1 ? "showWeakOne" : "showWeak", { count: f.number(folded.length) })}
        </Button>
      )}
    </>
  );
}

/** One colleague: rank, name and address, strength, the evidence; the ask button (children) beside or under. */
function IntroducerCard(props: {
  i: Introducer;
  rank: number;
  narrow: boolean;
  t: Strings;
  f: Formatter;
  children: React.ReactNode;
}): React.ReactElement {
  const { i, t, f } = props;
  const s = useWhoKnowsWhomStyles();
  const m = useMeterStyles();
  return (
    <li
      data-email={i.email}
      data-layout={props.narrow ? "stacked" : "row"}
      className={mergeClasses(s.card, props.narrow ? s.stacked : s.row)}
    >
      <div className={s.facts}>
        <div>
          <span className={mergeClasses(s.muted, s.rank)}>{props.rank + 1}.</span>
          <strong data-testid="introducer-name">{i.name}</strong>{" "}
          {i.name.toLowerCase() !== i.email && (
            <span className={mergeClasses(s.muted, s.email)} data-testid="introducer-email">
              {i.email}
            </span>
          )}
        </div>
        <div className={s.strength}>
          <span aria-hidden="true" className={mergeClasses(m.track, s.bar)}>
            {/* The bar's length is this colleague's strength. */}
            <span
              className={mergeClasses(m.fill, s[i.band])}
              style={{ width: `${Math.max(0, Math.min(100, i.strength))}%` }}
            />
          </span>
          <span data-testid="introducer-band" data-band={i.band}>
            {t("strength", { band: t(`band_${i.band}`), strength: f.number(i.strength) })}
          </span>
        </div>
        <Evidence i={i} t={t} f={f} />
      </div>
      {props.children}
    </li>
  );
}

/** What the ranking rests on: the last interaction, the counts, and whom of the record they know. */
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
