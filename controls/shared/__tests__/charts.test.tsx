import { render, screen, within } from "@testing-library/react";
import * as React from "react";

import { resxStrings } from "../../testing/pcf";
import { ActivityChart, ChartTable, HealthHistoryChart } from "../charts";
import { formatter } from "../format";
import { strings } from "../strings";

const resx = resxStrings("RelationshipAnalytics");
const t = strings((id) => resx[id] ?? id);
const f = formatter("en-US");

/** Each row of a table as its cells' text, header row first. */
const cellsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole("row")
    .map((r) => [...r.children].map((c) => `${c.tagName.toLowerCase()}:${c.textContent ?? ""}`));

describe("ChartTable", () => {
  test("a table behind Show as table: caption, column headers, one row header and the cells per row", () => {
    render(
      <ChartTable
        caption="Numbers"
        columns={["Week", "Score", "Other"]}
        rows={[
          { key: "a", head: "Jan 1", cells: [1, "x"] },
          { key: "b", head: "Jan 8", cells: [2, "y"] },
        ]}
        t={t}
      />,
    );
    expect(screen.getByText("Show as table").tagName).toBe("SUMMARY");
    const table = screen.getByRole("table", { name: "Numbers" });
    expect(cellsOf(table)).toEqual([
      ["th:Week", "th:Score", "th:Other"],
      ["th:Jan 1", "td:1", "td:x"],
      ["th:Jan 8", "td:2", "td:y"],
    ]);
    expect(within(table).getAllByRole("columnheader")).toHaveLength(3);
    expect(within(table).getAllByRole("rowheader")).toHaveLength(2);
  });

  test("the activity chart's table lists only the days with activity; the health chart's only scored weeks", () => {
    const day = (date: string, n: number) => ({
      date,
      emailsSent: n,
      emailsReceived: 2 * n,
      meetingsSent: n,
      meetingsReceived: 0,
      callsMade: 0,
      callsReceived: n,
    });
    render(
      <>
        <ActivityChart
          days={[day("2001-01-01", 1), day("2001-01-02", 0), day("2001-01-03", 3)]}
          t={t}
          f={f}
        />
        <HealthHistoryChart
          points={[
            { weekStart: "2001-01-01", score: 40 },
            { weekStart: "2001-01-08", score: null },
            { weekStart: "2001-01-15", score: 61.5 },
          ]}
          t={t}
          f={f}
        />
      </>,
    );
    const [activity, health] = screen.getAllByRole("table");
    expect(cellsOf(activity!)).toEqual([
      ["th:Date", "th:Emails sent", "th:Emails received", "th:Meetings", "th:Phone calls"],
      ["th:Jan 1, 2001", "td:1", "td:2", "td:1", "td:1"],
      ["th:Jan 3, 2001", "td:3", "td:6", "td:3", "td:3"],
    ]);
    expect(cellsOf(health!)).toEqual([
      ["th:Week", "th:Health score"],
      ["th:Jan 1, 2001", "td:40"],
      ["th:Jan 15, 2001", "td:62"],
    ]);
  });
});
