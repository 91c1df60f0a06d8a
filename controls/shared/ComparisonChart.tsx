import { makeStyles, shorthands, tokens } from "@fluentui/react-components";
import * as React from "react";

import { ChartTable } from "./ChartTable";
import type { Strings } from "./strings";

/** One series of a comparison (e.g. "this deal", "typical won deal"): its name and colour. */
export interface ComparisonSeries {
  key: string;
  label: string;
  colour: string;
}

/** One measure: its label and one value per series (null: none), with each value as the table shows it. */
export interface ComparisonRow {
  key: string;
  label: string;
  values: (number | null)[];
  text: string[];
}

const useStyles = makeStyles({
  figure: { ...shorthands.margin(0) },
  rows: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 2fr) minmax(0, 3fr)",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXS,
    fontSize: tokens.fontSizeBase200,
  },
  label: { color: tokens.colorNeutralForeground2 },
  bars: { width: "100%", height: "16px", display: "block" },
  legend: {
    display: "flex",
    flexWrap: "wrap",
    ...shorthands.gap(tokens.spacingHorizontalM),
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    marginTop: tokens.spacingVerticalXS,
  },
  swatch: {
    display: "inline-block",
    width: "8px",
    height: "8px",
    marginInlineEnd: tokens.spacingHorizontalXS,
  },
});

/** Bar height and gap in SVG units (the viewBox is 100 wide, one bar a series). */
const BAR = 4;
const GAP = 1;

/**
 * Measures side by side: for each with a value, one horizontal bar a series, scaled to the largest of that
 * measure (the measures have different units), with a legend and the numbers as a table behind "Show as table". The
 * figure is one image to screen readers, labelled by `title` and `desc`.
 */
export function ComparisonChart(props: {
  title: string;
  desc: string;
  measure: string;
  series: ComparisonSeries[];
  rows: ComparisonRow[];
  t: Strings;
  testId?: string;
}): React.ReactElement {
  const s = useStyles();
  const { series, rows } = props;
  const height = series.length * (BAR + GAP);
  // A measure with nothing in any series draws no bars: it stays in the table only.
  const drawn = rows.filter((r) => r.values.some((v) => v !== null && v > 0));
  return (
    <figure className={s.figure}>
      <div role="img" aria-label={`${props.title}. ${props.desc}`} data-testid={props.testId}>
        <div className={s.rows} aria-hidden="true">
          {drawn.map((r) => {
            const max = Math.max(0, ...r.values.map((v) => v ?? 0));
            return (
              <React.Fragment key={r.key}>
                <span className={s.label}>{r.label}</span>
                <svg
                  viewBox={`0 0 100 ${height}`}
                  preserveAspectRatio="none"
                  className={s.bars}
                  data-measure={r.key}
                >
                  {r.values.map((v, i) =>
                    v !== null && v > 0 && max > 0 ? (
                      <rect
                        key={i}
                        x={0}
                        y={i * (BAR + GAP)}
                        width={(v / max) * 100}
                        height={BAR}
                        fill={series[i]?.colour}
                        data-series={series[i]?.key}
                      />
                    ) : null,
                  )}
                </svg>
              </React.Fragment>
            );
          })}
        </div>
      </div>
      <figcaption className={s.legend}>
        {series.map((x) => (
          <span key={x.key}>
            <svg aria-hidden="true" className={s.swatch} viewBox="0 0 8 8">
              <rect width={8} height={8} fill={x.colour} />
            </svg>
            {x.label}
          </span>
        ))}
      </figcaption>
      <ChartTable
        caption={props.title}
        columns={[props.measure, ...series.map((x) => x.label)]}
        rows={rows.map((r) => ({ key: r.key, head: r.label, cells: r.text }))}
        t={props.t}
      />
    </figure>
  );
}
