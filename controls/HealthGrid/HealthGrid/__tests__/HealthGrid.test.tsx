import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import axe from "axe-core";

import { datasetColumn, fakeContext, fakeDataSet } from "../../../testing/pcf";
import type { IInputs } from "../generated/ManifestTypes";
import { HealthGrid } from "../index";
import { gridModel, sortRows, visibleRange } from "../model";

type Rec = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;

const col = datasetColumn;

/** The "My Open Opportunities by Relationship" view: the record's columns and the insight's through its alias. */
const COLUMNS = [
  col("name", "Topic", "SingleLine.Text", 0, true),
  col("estimatedvalue", "Est. Revenue", "Currency", 1),
  col("insight.rp_healthstatus", "Health (Insight)", "OptionSet", 2),
  col("insight.rp_healthscore", "Health Score (Insight)", "Whole.None", 3),
  col("insight.rp_healthtrend", "Health Trend (Insight)", "OptionSet", 4),
  col("insight.rp_lastactivityon", "Last Activity (Insight)", "DateAndTime.DateAndTime", 5),
];
const STATUS = ["Good", "Fair", "Poor", "Not enough information"];
const TREND = ["Improving", "Steady", "Declining", "Not enough information"];

function record(i: number): Rec {
  const status = i % 4;
  const values: Record<string, [unknown, string]> = {
    name: [`Deal ${i}`, `Deal ${i}`],
    estimatedvalue: [i * 1000, `$${i},000.00`],
    "insight.rp_healthstatus": [100000000 + status, STATUS[status]!],
    "insight.rp_healthscore": status === 3 ? [null, ""] : [(i * 37) % 101, String((i * 37) % 101)],
    "insight.rp_healthtrend": [100000000 + (i % 4), TREND[i % 4]!],
    "insight.rp_lastactivityon": [new Date(Date.UTC(2001, 0, 1 + i)), `1/${1 + i}/2001`],
  };
  return {
    getRecordId: () => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
    getValue: (c: string) => (values[c]?.[0] ?? null) as never,
    getFormattedValue: (c: string) => values[c]?.[1] ?? "",
    getNamedReference: () => ({ id: { guid: String(i) }, etn: "opportunity", name: `Deal ${i}` }) as never,
  } as Rec;
}

const dataset = (
  n: number,
  over: Partial<ComponentFramework.PropertyTypes.DataSet> = {},
): ComponentFramework.PropertyTypes.DataSet =>
  fakeDataSet(
    COLUMNS,
    Array.from({ length: n }, (_, i) => record(i)),
    "opportunity",
    over,
  );

function mount(ds: ComponentFramework.PropertyTypes.DataSet) {
  const openForm = jest.fn(async () => ({ savedEntityReference: [] }));
  const context = fakeContext<IInputs>({
    control: "HealthGrid",
    parameters: { records: ds },
    navigation: { openForm },
  });
  const control = new HealthGrid();
  control.init(context);
  return { ...render(control.updateView(context)), openForm, context };
}

describe("grid model", () => {
  test("takes the view's columns and reads the linked insight's health through its alias", () => {
    const m = gridModel(dataset(3));
    expect(m.columns.map((c) => [c.name, c.role])).toEqual([
      ["name", "text"],
      ["estimatedvalue", "number"],
      ["insight.rp_healthstatus", "status"],
      ["insight.rp_healthscore", "score"],
      ["insight.rp_healthtrend", "trend"],
      ["insight.rp_lastactivityon", "date"],
    ]);
    expect(m.rows[1]!.cells["insight.rp_healthstatus"]).toMatchObject({ text: "Fair", status: "fair" });
    expect(m.rows[1]!.cells["insight.rp_healthscore"]).toMatchObject({ score: 37 });
    expect(m.rows[2]!.cells["insight.rp_healthtrend"]).toMatchObject({
      trend: "declining",
      text: "Declining",
    });
  });

  test("sorting by score puts the weakest first and unscored rows last, in both directions", () => {
    const m = gridModel(dataset(8));
    const asc = sortRows(m.rows, "insight.rp_healthscore", "ascending").map(
      (r) => r.cells["insight.rp_healthscore"]!.score ?? null,
    );
    expect(asc).toEqual([0, 20, 37, 47, 74, 84, null, null]);
    const desc = sortRows(m.rows, "insight.rp_healthscore", "descending").map(
      (r) => r.cells["insight.rp_healthscore"]!.score ?? null,
    );
    expect(desc).toEqual([84, 74, 47, 37, 20, 0, null, null]);
  });

  test("the visible window covers the viewport plus overscan", () => {
    expect(visibleRange(0, 360, 36, 5000)).toEqual({ start: 0, end: 18 });
    expect(visibleRange(36 * 1000, 360, 36, 5000)).toEqual({ start: 992, end: 1018 });
    expect(visibleRange(36 * 4999, 360, 36, 5000)).toEqual({ start: 4991, end: 5000 });
  });
});

describe("HealthGrid through init and updateView", () => {
  test("asks for 5,000-row pages and renders only the visible window of 5,000 rows", () => {
    const ds = dataset(5000);
    mount(ds);
    expect(ds.paging.setPageSize).not.toHaveBeenCalled();
    const grid = screen.getByTestId("health-grid");
    expect(grid).toHaveAttribute("aria-rowcount", "5001");
    expect(within(grid).getAllByRole("row").length).toBeLessThan(40);
    expect(screen.getByTestId("grid-status")).toHaveTextContent("5,000 of 5,000 rows");
  });

  test("shows status and trend as text next to the colour, and sorts by health on request", () => {
    mount(dataset(8));
    const first = () => screen.getAllByRole("row")[1]!;
    expect(within(first()).getByText("Good")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: /Health Score \(Insight\)/ }));
    expect(first()).toHaveTextContent("Deal 0");
    expect(screen.getByRole("columnheader", { name: /Health Score/ })).toHaveAttribute(
      "aria-sort",
      "ascending",
    );
    fireEvent.click(screen.getByRole("button", { name: /Health Score \(Insight\)/ }));
    expect(first()).toHaveTextContent("Deal 5");
    expect(screen.getByTestId("grid-status")).toHaveTextContent(
      "sorted by Health Score (Insight), descending",
    );
  });

  test("opens the record with navigation.openForm", () => {
    const { openForm } = mount(dataset(3));
    fireEvent.click(screen.getByRole("button", { name: "Deal 1" }));
    expect(openForm).toHaveBeenCalledWith({
      entityName: "opportunity",
      entityId: "00000000-0000-0000-0000-000000000001",
    });
  });

  test("loading, empty and error states", () => {
    mount(dataset(0, { loading: true }));
    expect(screen.getByRole("status")).toHaveTextContent("Loading");
    cleanup();
    mount(dataset(0));
    expect(screen.getByText("No records in this view.")).toBeInTheDocument();
    cleanup();
    mount(dataset(0, { error: true, errorMessage: "The view could not be loaded" }));
    expect(screen.getByRole("alert")).toHaveTextContent("The view could not be loaded");
  });

  test("offers the next page when the dataset has one", () => {
    const ds = dataset(5);
    (ds.paging as { hasNextPage: boolean }).hasNextPage = true;
    mount(ds);
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(ds.paging.loadNextPage).toHaveBeenCalled();
  });

  test("is axe clean (jsdom rules)", async () => {
    const { container } = mount(dataset(20));
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  });
});
