import {
  Card,
  CardHeader,
  Link,
  makeStyles,
  Subtitle2,
  Text,
  type Theme,
  Title2,
  tokens,
} from "@fluentui/react-components";
import { ContactColumns, lookupValueName, RelationshipInsightTable } from "@rapport/model";
import * as React from "react";

import { ControlHost } from "./ControlHost";
import { useFieldListStyles } from "./fieldList";
import { type HostUser, lookupParameter } from "./pcfHost";
import { href } from "./route";
import type { TableSpec } from "./spec";
import { Failed, Loading } from "./states";
import { STRINGS } from "./strings";
import { useLoad } from "./usePromise";
import { checkedId, formatted, getJson, type Row } from "./webApi";

const LOOKUP_TABLE = "@Microsoft.Dynamics.CRM.lookuplogicalname";

const useStyles = makeStyles({
  header: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  sections: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(min(420px, 100%), 1fr))",
    gap: tokens.spacingHorizontalL,
    alignItems: "start",
    marginTop: tokens.spacingVerticalL,
  },
  // Grid items may shrink below their content's width, so long text wraps instead of overflowing.
  cell: { minWidth: 0 },
  summary: { marginTop: tokens.spacingVerticalM },
});

export interface RecordPageProps {
  table: TableSpec;
  id: string;
  user: HostUser;
  theme: Theme;
  dark: boolean;
  webAPI: ComponentFramework.WebApi;
  openForm: (entityName: string, entityId: string) => void;
}

/**
 * A record's "– Rapport" main form: the record's key fields, then the two field controls bound to its
 * rp_relationshipinsightid lookup, as the solution places them.
 */
/** The record's lookup to its insight row (every tracked table has it), as the Web API returns it. */
const INSIGHT_ID = lookupValueName(ContactColumns.relationshipInsightId);

export function RecordPage(props: RecordPageProps): React.ReactElement {
  const s = { ...useFieldListStyles(), ...useStyles() };
  const { table } = props;
  const select = [...new Set([table.primaryIdColumn, ...table.fields.map((f) => f.property), INSIGHT_ID])];
  const [record, reload] = useLoad(
    () => getJson(`${table.entitySet}(${checkedId(props.id)})?$select=${select.join(",")}`),
    [table.entitySet, props.id],
  );
  if (record.state === "loading") return <Loading />;
  if (record.state === "error") return <Failed message={record.message} onRetry={reload} />;
  const row = record.value;
  const name = String(row[table.fields[0]!.property] ?? "");
  const insightId = row[INSIGHT_ID];
  const controlProps = {
    parameters: {
      insight: lookupParameter(
        typeof insightId === "string" ? insightId : undefined,
        RelationshipInsightTable.logicalName,
      ),
    },
    user: props.user,
    webAPI: props.webAPI,
    openForm: props.openForm,
    theme: props.theme,
    dark: props.dark,
    width: 640,
    height: -1,
  };
  return (
    <article aria-labelledby="record-title">
      <div className={s.header}>
        <Link href={href({ page: "view", table: table.logicalName })}>{STRINGS.backToList}</Link>
        <Text size={200} block>
          {table.displayName}
        </Text>
        <Title2 as="h1" id="record-title">
          {name}
        </Title2>
      </div>
      <Card appearance="outline" className={s.summary}>
        <CardHeader header={<Subtitle2 as="h2">{STRINGS.summary}</Subtitle2>} />
        <dl className={s.fields}>
          {table.fields.slice(1).map((f) => (
            <React.Fragment key={f.name}>
              <dt className={s.term}>{f.displayName}</dt>
              <dd className={s.def}>
                <FieldValue row={row} property={f.property} />
              </dd>
            </React.Fragment>
          ))}
        </dl>
      </Card>
      <div className={s.sections}>
        {/* The controls label their own regions. */}
        <div className={s.cell}>
          <ControlHost key={`ra-${props.id}`} control="RelationshipAnalytics" {...controlProps} />
        </div>
        <div className={s.cell}>
          <ControlHost key={`wkw-${props.id}`} control="WhoKnowsWhom" {...controlProps} />
        </div>
      </div>
    </article>
  );
}

/** A field's formatted value; a lookup to a record the preview shows is a link to its form. */
function FieldValue(props: { row: Row; property: string }): React.ReactElement {
  const v = props.row[props.property];
  const text = formatted(props.row, props.property) ?? (v === null || v === undefined ? "" : String(v));
  const target = props.row[`${props.property}${LOOKUP_TABLE}`];
  if (
    typeof v === "string" &&
    typeof target === "string" &&
    ["account", "contact", "lead", "opportunity"].includes(target)
  )
    return <Link href={href({ page: "record", table: target, id: v })}>{text}</Link>;
  return <Text>{text || "—"}</Text>;
}
