import { Button, Input, Switch } from "@fluentui/react-components";
import * as React from "react";

import type { Formatter } from "../../shared/format";
import { StateView } from "../../shared/states";
import type { Strings } from "../../shared/strings";
import { isPrivilegeError, messageOf, type WebApi } from "../../shared/webapi";
import { type Answer, answer, setAcceptsRequests } from "./asks";
import { type Introduction, OPEN } from "./introductions";
import type { SellerData } from "./paths";
import { ago, daysSince } from "./text";
import { useWhoKnowsWhomStyles } from "./WhoKnowsWhom.styles";

/** The requests the panel lists: still waiting for an answer, snoozed, or accepted and not yet made. */
const LISTED = new Set(["requested", "snoozed", "accepted"]);

export interface RequestsProps {
  api: WebApi;
  t: Strings;
  f: Formatter;
  now: number;
  seller: SellerData;
  forMe: Introduction[];
}

/**
 * The introducer's side: "Requests for you (N)", oldest first, each with who asks, for whom, on which
 * record, the path and its age; Accept, Decline (with an optional reason) and Snooze (7 days) on the
 * oldest `cap` open ones, the rest waiting. Nothing when no request is addressed to the user.
 */
export function Requests(props: RequestsProps): React.ReactElement {
  const { t, f, seller } = props;
  const s = useWhoKnowsWhomStyles();
  const [answered, setAnswered] = React.useState<Record<string, Introduction["status"]>>({});
  const [error, setError] = React.useState<string | null>(null);
  const list = props.forMe
    .map((x) => ({ ...x, status: answered[x.id] ?? x.status }))
    .filter((x) => LISTED.has(x.status));
  const open = list.filter((x) => OPEN.includes(x.status)).slice(0, seller.cap);
  const actionable = new Set(open.map((x) => x.id));
  const respond = async (x: Introduction, a: Answer) => {
    setError(null);
    try {
      await answer(props.api, x.id, a, props.now);
      const status = a.kind === "accept" ? "accepted" : a.kind === "decline" ? "declined" : "snoozed";
      setAnswered((m) => ({ ...m, [x.id]: status }));
    } catch (e) {
      setError(isPrivilegeError(e) ? t("answerNoPrivilege") : messageOf(e));
    }
  };
  if (list.length === 0) return <></>;
  return (
    <section className={s.requests} aria-labelledby="rp-wkw-requests" data-testid="requests">
      <h3 id="rp-wkw-requests" className={s.heading}>
        {t("requestsForYou", { count: f.number(list.length) })}
      </h3>
      {error && <StateView state={{ kind: "error", message: error }} t={t} />}
      <ol className={s.list}>
        {list.map((x) => (
          <RequestCard
            key={x.id}
            x={x}
            actionable={actionable.has(x.id)}
            onAnswer={(a) => void respond(x, a)}
            {...props}
          />
        ))}
      </ol>
    </section>
  );
}

function RequestCard(
  props: RequestsProps & { x: Introduction; actionable: boolean; onAnswer: (a: Answer) => void },
): React.ReactElement {
  const { x, t, f } = props;
  const s = useWhoKnowsWhomStyles();
  const [reason, setReason] = React.useState("");
  const who = { requester: x.requester.name, person: x.targetName, record: x.record };
  // The record is named when it is not the person themselves (a lead, an opportunity, an account).
  const from = x.record && x.record !== x.targetName ? "requestFromRecord" : "requestFrom";
  return (
    <li className={s.card} data-testid="request" data-status={x.status}>
      <div>
        <strong>{t(from, who)}</strong>
        <div className={s.small}>
          {x.pathNames.length > 0 && <span data-testid="request-path">{x.pathNames.join(" → ")} · </span>}
          {t("requestAge", { ago: ago(t, f, daysSince(x.requestedOn, props.now)) })}
        </div>
        {x.status === "accepted" && <div className={s.status}>{t("youAccepted")}</div>}
        {x.status === "snoozed" && (
          <div className={s.status}>{t("youSnoozed", { date: f.date(x.snoozedUntil) })}</div>
        )}
        {OPEN.includes(x.status) && !props.actionable && <div className={s.small}>{t("waiting")}</div>}
      </div>
      {props.actionable && (
        <div className={s.actions}>
          <Button size="small" appearance="primary" onClick={() => props.onAnswer({ kind: "accept" })}>
            {t("accept")}
          </Button>
          <Input
            size="small"
            value={reason}
            aria-label={t("declineReasonLabel", who)}
            placeholder={t("declineReason")}
            onChange={(_, d) => setReason(d.value)}
          />
          <Button size="small" onClick={() => props.onAnswer({ kind: "decline", reason })}>
            {t("decline")}
          </Button>
          {x.status !== "snoozed" && (
            <Button size="small" appearance="subtle" onClick={() => props.onAnswer({ kind: "snooze" })}>
              {t("snooze")}
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

/** "Don't send me introduction requests": the signed-in colleague's own profile (they stay in the data). */
export function OptOut(props: Pick<RequestsProps, "api" | "t" | "seller">): React.ReactElement {
  const { t, seller } = props;
  const mine = seller.profiles.get(seller.me.userId);
  const [optedOut, setOptedOut] = React.useState(mine?.accepts === false);
  // The profile this switch created, so the next change updates it instead of creating another.
  const [profile, setProfile] = React.useState(mine);
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const change = async (off: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const id = await setAcceptsRequests(props.api, seller.me, profile, !off);
      setProfile({
        id,
        userId: seller.me.userId,
        accepts: !off,
        openRequests: 0,
        countedOn: null,
        ...profile,
      });
      setOptedOut(off);
    } catch (e) {
      setError(isPrivilegeError(e) ? t("answerNoPrivilege") : messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Switch
        checked={optedOut}
        disabled={busy}
        label={t("optOut")}
        data-testid="opt-out"
        onChange={(_, d) => void change(d.checked)}
      />
      {error && <StateView state={{ kind: "error", message: error }} t={t} />}
    </>
  );
}
