import { Button, Input } from "@fluentui/react-components";
import * as React from "react";

import type { Formatter } from "../../shared/format";
import { bareId, choiceValue } from "../../shared/insight";
import { useLoad } from "../../shared/load";
import { StateView } from "../../shared/states";
import type { Strings } from "../../shared/strings";
import { type HostTheme, ThemeRoot } from "../../shared/theme";
import { isPrivilegeError, messageOf, type WebApi } from "../../shared/webapi";
import { introductionPayload, pathJson } from "./asks";
import { emailPayload, introductionEmail, type Loaded, loadWhoKnowsWhom, matches } from "./data";
import { type Introduction, introductionFromRow, STATUS } from "./introductions";
import { PathCard } from "./PathCard";
import { type PathView, rankedViews } from "./paths";
import { OptOut, Requests } from "./Requests";
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
  /** Epoch ms: what "now" is for ages, snoozes and cool-downs (Date.now() on a form). */
  now: number;
  /** Shares a request with its introducer (Read and Write; GrantAccess on the host's Web API). */
  share: (introductionId: string, userId: string) => Promise<void>;
}

/** Below this width a card's button goes under its facts instead of beside them. */
export const NARROW_WIDTH = 480;

export function WhoKnowsWhom(props: WhoKnowsWhomProps): React.ReactElement {
  const { insightId, api, t } = props;
  const s = useWhoKnowsWhomStyles();
  // A key, not the array: the host passes a new array on every update.
  const roles = props.roles.join("\n");
  const { state, retry } = useLoad<Loaded>(
    insightId
      ? () =>
          loadWhoKnowsWhom(api, insightId, roles ? roles.split("\n") : [], {
            userId: bareId(props.me.id),
            name: props.me.name,
            email: "",
          })
      : null,
    [insightId, api, roles, props.me.id],
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

/** Loaded: restricted by role, or the requests for the signed-in user and the paths to the record's people. */
function Ready(props: WhoKnowsWhomProps & { data: Loaded }): React.ReactElement {
  const { data, t } = props;
  if (data.restricted) return <StateView state={{ kind: "empty", message: t("restricted") }} t={t} />;
  return (
    <>
      {data.seller && <Requests {...props} seller={data.seller} forMe={data.forMe} />}
      {data.introducers.length === 0 ? (
        <StateView state={{ kind: "notEnoughInfo", message: t("noIntroducers") }} t={t} />
      ) : (
        <Introducers {...props} />
      )}
      {data.seller && <OptOut api={props.api} t={t} seller={data.seller} />}
    </>
  );
}

type Ask = { key: string; status: "creating" | "created" | "failed"; message?: string };

/** The request row as the list shows it until the next load (the seller just created it). */
function justAsked(v: PathView, id: string, now: number, targetEmail: string, name: string): Introduction {
  const row = introductionFromRow({
    rp_introductionid: id,
    _rp_introducerid_value: v.ask.userId,
    "_rp_introducerid_value@OData.Community.Display.V1.FormattedValue": v.ask.name,
    rp_targetemail: targetEmail,
    rp_targetname: name,
    rp_status: choiceValue(STATUS, "requested"),
    rp_requestedon: new Date(now).toISOString(),
  });
  return row as Introduction;
}

/**
 * Asking a colleague for an introduction, as the signed-in seller: the e-mail drafted from the template
 * (to the colleague, regarding the record), the rp_introduction row (requested, the path, bound to the
 * e-mail and the record), shared with the colleague so they can answer it; then the e-mail opens. A
 * colleague who is not a directory user gets the e-mail only (no request can name them).
 */
function useAsk(props: WhoKnowsWhomProps & { data: Loaded }) {
  const { t, data } = props;
  const [ask, setAsk] = React.useState<Ask | null>(null);
  const [asked, setAsked] = React.useState<Introduction[]>([]);
  const askFor = async (v: PathView) => {
    const target = data.target;
    if (!target) return;
    setAsk({ key: v.key, status: "creating" });
    // A person without a known company (a free-mail address) is not "at" anything in the default text.
    const template = data.template ?? t(target.company ? "defaultTemplate" : "defaultTemplateNoCompany");
    const mail = introductionEmail(template, t("defaultSubject"), {
      colleague: v.ask.name,
      person: target.name,
      company: target.company || target.name,
      me: props.me.name,
    });
    try {
      const recipient = { ...v.knower, name: v.ask.name, email: v.ask.email, userId: v.ask.userId || null };
      const email = await props.api.createRecord("email", emailPayload(mail, target, props.me.id, recipient));
      if (v.ask.userId) {
        const names = (k: string) => v.names[v.path.steps.findIndex((x) => x.to === k) + 1] ?? k;
        const row = introductionPayload({
          me: props.me.id,
          introducer: v.ask,
          connector: v.connector,
          target,
          targetEmail: v.path.target,
          targetName: target.name,
          path: v.path,
          pathText: pathJson(v.path, (k) => (k === v.path.steps[0]?.from ? props.me.name : names(k))),
          emailId: email.id,
          now: props.now,
        });
        const created = await props.api.createRecord("rp_introduction", row);
        await props.share(created.id, v.ask.userId);
        setAsked((a) => [...a, justAsked(v, created.id, props.now, v.path.target, target.name)]);
      }
      setAsk({ key: v.key, status: "created" });
      await props.openForm("email", email.id);
    } catch (e) {
      setAsk({
        key: v.key,
        status: "failed",
        message: isPrivilegeError(e) ? t("askNoPrivilege") : messageOf(e),
      });
    }
  };
  // The button's accessible name starts with its visible text (WCAG 2.5.3), then says whom it asks.
  const actionText = (v: PathView) =>
    ask?.key === v.key && ask.status === "creating"
      ? t("asking")
      : ask?.key === v.key && ask.status === "created"
        ? t("asked")
        : t("ask");
  return { ask, askFor, actionText, asked };
}

/**
 * The list opens on the introducers worth asking: strong and moderate ones, or when there are none the
 * single best; the rest wait behind "Show N weak connections". A search looks through everyone.
 */
export function foldWeak<T extends { worth: string }>(list: T[]): { open: T[]; folded: T[] } {
  const open = list.filter((i) => i.worth !== "weak");
  if (open.length > 0) return { open, folded: list.filter((i) => i.worth === "weak") };
  return { open: list.slice(0, 1), folded: list.slice(1) };
}

let instances = 0;

/** The paths ranked for the signed-in seller (the record's introducers as they are when the seller is unknown). */
function useViews(props: WhoKnowsWhomProps & { data: Loaded }, asked: Introduction[]): PathView[] {
  const { data, t } = props;
  return React.useMemo(() => {
    const seller = data.seller ?? {
      me: { userId: bareId(props.me.id), name: props.me.name, email: "" },
      sellerTies: [],
      colleagueTies: [],
      mine: [],
      profiles: new Map(),
      cap: 3,
      coolDownDays: 30,
    };
    const person =
      data.target && ["contact", "lead"].includes(data.target.type) ? data.target.name : undefined;
    const withAsked = { ...seller, mine: [...seller.mine, ...asked] };
    return rankedViews(data.introducers, withAsked, props.now, t("you"), person);
  }, [data, asked, props.now, props.me.id, props.me.name, t]);
}

function Introducers(props: WhoKnowsWhomProps & { data: Loaded }): React.ReactElement {
  const { t, f, data } = props;
  const s = useWhoKnowsWhomStyles();
  // React 16 (the platform's) has no useId: a per-instance id for aria-controls.
  const [listId] = React.useState(() => `rp-wkw-list-${++instances}`);
  const [query, setQuery] = React.useState("");
  const [unfolded, setUnfolded] = React.useState(false);
  const [shown, setShown] = React.useState(props.pageSize ?? 10);
  const { ask, askFor, actionText, asked } = useAsk(props);
  const views = useViews(props, asked);
  const matching = views.filter(
    (v) => matches(v.knower, query) || v.ask.name.toLowerCase().includes(query.trim().toLowerCase()),
  );
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
        {t("count", { shown: f.number(list.length), total: f.number(views.length) })}
      </div>
      {ask?.status === "failed" && <StateView state={{ kind: "error", message: ask.message ?? "" }} t={t} />}
      {matching.length === 0 ? (
        <p className={s.muted}>{t("noMatch")}</p>
      ) : (
        <ol className={s.list} data-testid="introducers" id={listId}>
          {list.slice(0, shown).map((v, rank) => (
            <PathCard key={v.key} v={v} rank={rank} narrow={narrow} now={props.now} t={t} f={f}>
              <Button
                appearance={rank === 0 ? "primary" : "secondary"}
                size="small"
                disabled={!data.target || ask?.status === "creating" || !askable(v)}
                onClick={() => void askFor(v)}
                aria-label={t("askFor", { action: actionText(v), name: v.ask.name })}
              >
                {actionText(v)}
              </Button>
            </PathCard>
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

/** A path can be asked unless something blocks it (a colleague outside the directory gets the e-mail only). */
const askable = (v: PathView): boolean => v.block === null || v.block.kind === "notUser";
