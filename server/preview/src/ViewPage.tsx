import type { Theme } from "@fluentui/react-components";
import { Caption1, Field, makeStyles, Select, Title2, tokens } from "@fluentui/react-components";
import * as React from "react";

import { ControlHost } from "./ControlHost";
import type { HostUser } from "./pcfHost";
import { dataSet } from "./pcfHost";
import { href } from "./route";
import type { TableSpec } from "./spec";
import { Loading } from "./states";
import { STRINGS } from "./strings";
import { useLoad } from "./usePromise";
import { inViewOrder } from "./viewOrder";
import { checkedId, getAll } from "./webApi";

const useStyles = makeStyles({
  bar: { display: "flex", alignItems: "flex-end", gap: tokens.spacingHorizontalL, flexWrap: "wrap" },
  title: { margin: 0 },
  grid: { marginTop: tokens.spacingVerticalM },
});

export interface ViewPageProps {
  table: TableSpec;
  viewId: string | undefined;
  user: HostUser;
  theme: Theme;
  dark: boolean;
  webAPI: ComponentFramework.WebApi;
  openForm: (entityName: string, entityId: string) => void;
}

type Shown = "HealthGrid" | "RelationshipPipeline";

/**
 * A model-driven view page: the view selector and the records, shown by the HealthGrid control, or, on a
 * view that offers it ("Show as", as the platform's command bar switches a view's control), by the
 * RelationshipPipeline.
 */
export function ViewPage(props: ViewPageProps): React.ReactElement {
  const s = useStyles();
  const { table } = props;
  const view = table.views.find((v) => v.id === props.viewId) ?? table.views[0]!;
  const [chosen, setChosen] = React.useState<Shown>("HealthGrid");
  const control: Shown = view.pipeline ? chosen : "HealthGrid";
  const [rows] = useLoad(
    async () =>
      inViewOrder(
        await getAll(`${table.entitySet}${view.query.split("{userid}").join(checkedId(props.user.id))}`),
        view.sort,
      ),
    [table.entitySet, view.id, props.user.id],
  );
  const height = Math.max(360, window.innerHeight - 190);
  // As in an org, a view whose query fails (a missing privilege) still shows the grid, with the error.
  const records =
    rows.state === "done"
      ? dataSet({
          entity: table.logicalName,
          idColumn: table.primaryIdColumn,
          columns: view.columns,
          rows: rows.value,
        })
      : rows.state === "error"
        ? dataSet({
            entity: table.logicalName,
            idColumn: table.primaryIdColumn,
            columns: view.columns,
            rows: [],
            errorMessage: rows.message,
          })
        : undefined;
  return (
    <section aria-labelledby="view-title">
      <div className={s.bar}>
        <Title2 as="h1" id="view-title" className={s.title}>
          {table.displayCollectionName}
        </Title2>
        <Field label={STRINGS.view}>
          <Select
            value={view.id}
            onChange={(_, d) => {
              location.hash = href({ page: "view", table: table.logicalName, viewId: d.value });
            }}
          >
            {table.views.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </Select>
        </Field>
        {view.pipeline ? <ShowAs value={control} onChange={setChosen} /> : null}
        {rows.state === "done" ? (
          <Caption1 aria-live="polite">{STRINGS.records(rows.value.length)}</Caption1>
        ) : null}
      </div>
      <Caption1>{view.description}</Caption1>
      <div className={s.grid}>
        {rows.state === "loading" ? <Loading /> : null}
        {records ? (
          <ControlHost
            key={`${table.logicalName}-${control}`}
            control={control}
            parameters={{ records }}
            user={props.user}
            webAPI={props.webAPI}
            openForm={props.openForm}
            theme={props.theme}
            dark={props.dark}
            width={Math.min(1400, window.innerWidth - 260)}
            height={height}
          />
        ) : null}
      </div>
    </section>
  );
}

/** The control a view that offers several is shown with. */
function ShowAs(props: { value: Shown; onChange: (c: Shown) => void }): React.ReactElement {
  return (
    <Field label={STRINGS.showAs}>
      <Select value={props.value} onChange={(_, d) => props.onChange(d.value as Shown)} data-testid="show-as">
        <option value="HealthGrid">{STRINGS.showAsGrid}</option>
        <option value="RelationshipPipeline">{STRINGS.showAsPipeline}</option>
      </Select>
    </Field>
  );
}
