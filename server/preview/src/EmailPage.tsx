import {
  Card,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Text,
  Title2,
  tokens,
} from "@fluentui/react-components";
import * as React from "react";

import { useFieldListStyles } from "./fieldList";
import { href } from "./route";
import { Failed, Loading } from "./states";
import { STRINGS } from "./strings";
import { useLoad } from "./usePromise";
import { checkedId, formatted, getJson, type Row } from "./webApi";

const useStyles = makeStyles({
  body: { whiteSpace: "pre-wrap", margin: 0, fontFamily: "inherit" },
  note: { margin: `${tokens.spacingVerticalM} 0` },
});

const PARTY = { from: 1, to: 2 } as const;

/**
 * An email's HTML description as plain text: line breaks kept, markup dropped, entities decoded. Parsed with
 * DOMParser, which runs no script and loads nothing, and only its text is rendered (never as HTML).
 */
export function htmlToText(html: string): string {
  const marked = html.replace(/<br\s*\/?>/gi, "\n").replace(/<\/p\s*>/gi, "\n\n");
  const text = new DOMParser().parseFromString(marked, "text/html").body.textContent ?? "";
  return text.replace(/\n{3,}/g, "\n\n").trim();
}

/** The email form, read only: the introduction request the who-knows-whom control drafted. */
export function EmailPage(props: { id: string }): React.ReactElement {
  const s = { ...useFieldListStyles(), ...useStyles() };
  const [email, reload] = useLoad(
    () =>
      getJson(
        `emails(${checkedId(props.id)})?$select=subject,description,_regardingobjectid_value` +
          `&$expand=email_activity_parties($select=participationtypemask,addressused,_partyid_value)`,
      ),
    [props.id],
  );
  if (email.state === "loading") return <Loading />;
  if (email.state === "error") return <Failed message={email.message} onRetry={reload} />;
  const row = email.value;
  const parties = (row["email_activity_parties"] as Row[] | undefined) ?? [];
  const who = (mask: number) =>
    parties
      .filter((p) => p["participationtypemask"] === mask)
      .map((p) => formatted(p, "_partyid_value") ?? String(p["addressused"] ?? ""))
      .join("; ");
  const regardingId = row["_regardingobjectid_value"];
  const regardingTable = row["_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname"];
  return (
    <article aria-labelledby="email-title">
      <Text size={200} block>
        {STRINGS.emailTitle}
      </Text>
      <Title2 as="h1" id="email-title">
        {String(row["subject"] ?? "")}
      </Title2>
      <MessageBar intent="info" className={s.note}>
        <MessageBarBody>{STRINGS.emailNote}</MessageBarBody>
      </MessageBar>
      <Card appearance="outline">
        <dl className={s.fields}>
          <dt className={s.term}>{STRINGS.emailFrom}</dt>
          <dd className={s.def}>{who(PARTY.from)}</dd>
          <dt className={s.term}>{STRINGS.emailTo}</dt>
          <dd className={s.def}>{who(PARTY.to)}</dd>
          <dt className={s.term}>{STRINGS.emailRegarding}</dt>
          <dd className={s.def}>
            {typeof regardingId === "string" && typeof regardingTable === "string" ? (
              <Link href={href({ page: "record", table: regardingTable, id: regardingId })}>
                {formatted(row, "_regardingobjectid_value") ?? regardingId}
              </Link>
            ) : (
              "—"
            )}
          </dd>
          <dt className={s.term}>{STRINGS.emailBody}</dt>
          <dd className={s.def}>
            <p className={s.body}>{htmlToText(String(row["description"] ?? ""))}</p>
          </dd>
        </dl>
      </Card>
    </article>
  );
}
