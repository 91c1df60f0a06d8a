import { mergeClasses } from "@fluentui/react-components";
import * as React from "react";

import { useChartTableStyles } from "./charts.styles";
import type { Strings } from "./strings";

/** One row of a chart's table: a row header (the day or week) and the values, one per further column. */
export interface ChartTableRow {
  key: string;
  head: string;
  cells: React.ReactNode[];
}

/**
 * The numbers behind a chart, as a table behind a "Show as table" disclosure: `columns[0]` heads the row
 * headers, the rest head `cells`.
 */
export function ChartTable(props: {
  caption: string;
  columns: string[];
  rows: ChartTableRow[];
  t: Strings;
}): React.ReactElement {
  const s = useChartTableStyles();
  // No `const [first, ...rest] =`: Babel would add its destructuring helpers to the bundle.
  const first = props.columns[0];
  const rest = props.columns.slice(1);
  return (
    <details>
      <summary className={s.summary}>{props.t("showTable")}</summary>
      <table className={s.table}>
        <caption className={s.caption}>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={mergeClasses(s.cell, s.head, s.start)}>
              {first}
            </th>
            {rest.map((c, i) => (
              <th key={i} scope="col" className={mergeClasses(s.cell, s.head)}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row" className={mergeClasses(s.cell, s.rowHead)}>
                {r.head}
              </th>
              {r.cells.map((v, i) => (
                <td key={i} className={s.cell}>
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
