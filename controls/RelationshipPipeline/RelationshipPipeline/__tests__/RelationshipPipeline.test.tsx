import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import axe from "axe-core";

import { PIPELINE_ROWS, PIPELINE_TODAY, type PipelineFixture } from "../../../testing/fixtures";
import { datasetColumn, fakeContext, fakeDataSet } from "../../../testing/pcf";
import type { IInputs } from "../generated/ManifestTypes";
import { RelationshipPipeline } from "../index";
import {
  bubbles,
  DAY_MS,
  drawOrder,
  keyboardOrder,
  maxRadius,
  MIN_RADIUS,
  monthTicks,
  nextIndex,
  plotBox,
  radiusOf,
  referenceDay,
  splitDeals,
  today,
  xScale,
  yScale,
} from "../layout";
import { type Deal, missingColumns, pipelineModel, pipelineStatus, requestColumns } from "../model";

type Rec = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;
type DataSet = ComponentFramework.PropertyTypes.DataSet;

const col = datasetColumn;

/** "My Open Opportunities by Relationship" with the insight's reasons and computation time added (as the control asks for). */
const COLUMNS = [
  col("name", "Topic", "SingleLine.Text", 0, true),
  col("estimatedvalue", "Est. Revenue", "Currency", 1),
  col("estimatedclosedate", "Est. Close Date", "DateAndTime.DateOnly", 2),
  col("insight.rp_healthstatus", "Health (Insight)", "OptionSet", 3),
  col("insight.rp_healthscore", "Health Score (Insight)", "Whole.None", 4),
  col("insight.rp_healthtrend", "Health Trend (Insight)", "OptionSet", 5),
  col("insight.rp_reasons", "Reasons (Insight)", "Multiple", 6),
  col("insight.rp_lastcomputedon", "Last Updated (Insight)", "DateAndTime.DateAndTime", 7),
];
const STATUS_TEXT = ["Good", "Fair", "Poor", "Not enough information", "Not scored"];
const TREND_TEXT = ["Improving", "Steady", "Declining", "Not enough information"];
const TODAY = Date.parse(`${PIPELINE_TODAY}T00:00:00Z`);

function record(f: PipelineFixture): Rec {
  const choice = (v: number | null, texts: string[]): [unknown, string] => [
    v,
    v === null ? "" : texts[v - 100000000]!,
  ];
  const values: Record<string, [unknown, string]> = {
    name: [f.name, f.name],
    estimatedvalue: [
      f.estimatedvalue,
      f.estimatedvalue === null ? "" : `$${f.estimatedvalue.toLocaleString("en")}.00`,
    ],
    // A date-only column arrives as a Date at the user's midnight (UTC here).
    estimatedclosedate: [
      f.estimatedclosedate && new Date(`${f.estimatedclosedate}T00:00:00Z`),
      f.estimatedclosedate ?? "",
    ],
    "insight.rp_healthstatus": choice(f.rp_healthstatus, STATUS_TEXT),
    "insight.rp_healthscore": [f.rp_healthscore, f.rp_healthscore === null ? "" : String(f.rp_healthscore)],
    "insight.rp_healthtrend": choice(f.rp_healthtrend, TREND_TEXT),
    "insight.rp_reasons": [f.rp_reasons, f.rp_reasons ?? ""],
    "insight.rp_lastcomputedon": [
      f.rp_lastcomputedon ? new Date(f.rp_lastcomputedon) : null,
      f.rp_lastcomputedon ?? "",
    ],
  };
  return {
    getRecordId: () => f.id,
    getValue: (c: string) => (values[c]?.[0] ?? null) as never,
    getFormattedValue: (c: string) => values[c]?.[1] ?? "",
    getNamedReference: () => ({ id: { guid: f.id }, etn: "opportunity", name: f.name }) as never,
  } as Rec;
}

const dataset = (rows: PipelineFixture[] = PIPELINE_ROWS, over: Partial<DataSet> = {}): DataSet =>
  fakeDataSet(COLUMNS, rows.map(record), "opportunity", over);

const deal = (over: Partial<Deal>): Deal => ({
  id: "d",
  entityName: "opportunity",
  name: "D",
  close: TODAY,
  revenue: 100,
  revenueText: "",
  score: 50,
  status: "fair",
  trend: undefined,
  trendText: "",
  reason: "",
  computedOn: null,
  ...over,
});

function mount(ds: DataSet = dataset(), width = 1100) {
  jest.useFakeTimers({
    now: TODAY + 12 * 3_600_000,
    doNotFake: ["setTimeout", "setInterval", "queueMicrotask"],
  });
  const openForm = jest.fn(async () => ({ savedEntityReference: [] }));
  const context = fakeContext<IInputs>({
    control: "RelationshipPipeline",
    parameters: { records: ds },
    navigation: { openForm },
  });
  (context.mode as { allocatedWidth: number }).allocatedWidth = width;
  const control = new RelationshipPipeline();
  control.init(context);
  const r = render(control.updateView(context));
  jest.useRealTimers();
  return { ...r, openForm, context };
}

const byName = (name: string) => PIPELINE_ROWS.find((r) => r.name === name)!.id;
const bubble = (name: string) =>
  document.querySelector(`circle[data-id="${byName(name)}"]`) as SVGCircleElement;

afterEach(() => cleanup());

describe("pipeline model", () => {
  test("colours by status: the grades, pending for not enough information, none without an insight", () => {
    expect(
      ["good", "fair", "poor", "notEnoughInfo", "notScored"].map((_, i) => pipelineStatus(100000000 + i)),
    ).toEqual(["good", "fair", "poor", "pending", "none"]);
    expect(pipelineStatus(null)).toBe("none");
    expect(pipelineStatus([{ value: 100000002 }].map((x) => x.value))).toBe("poor");
    const m = pipelineModel(dataset());
    const lng = m.deals.find((d) => d.name === "LNG terminal study")!;
    expect(lng).toMatchObject({ status: "pending", score: null, trend: "notEnoughInfo" });
    expect(m.deals.find((d) => d.name === "Broadband capacity")).toMatchObject({
      status: "none",
      score: null,
    });
    expect(m.deals[0]).toMatchObject({
      name: "Pipeline supply 2002",
      close: Date.parse("2001-12-15T00:00:00Z"),
      revenue: 250000,
      revenueText: "$250,000.00",
      score: 82,
      status: "good",
      trend: "improving",
      reason: "Weekly two-way contact.",
    });
  });

  test("a date-only close date keeps its calendar day whatever the user's time zone", () => {
    // 2001-12-15 at the midnight of a user 5 hours behind UTC is 05:00 UTC.
    const ds = dataset([{ ...PIPELINE_ROWS[0]! }]);
    const rec = ds.records[PIPELINE_ROWS[0]!.id]!;
    const shifted = {
      ...rec,
      getValue: (c: string) =>
        c === "estimatedclosedate" ? new Date("2001-12-15T05:00:00Z") : rec.getValue(c),
    };
    const m = pipelineModel({ ...ds, records: { [PIPELINE_ROWS[0]!.id]: shifted as Rec } }, -300);
    expect(m.deals[0]!.close).toBe(Date.parse("2001-12-15T00:00:00Z"));
    expect(today(Date.parse("2001-10-01T03:00:00Z"), -300)).toBe(Date.parse("2001-09-30T00:00:00Z"));
  });

  test("asks the dataset for the columns it lacks, once, through the view's insight link", () => {
    expect(missingColumns(COLUMNS)).toEqual([]);
    const view = COLUMNS.filter((c) => !["estimatedclosedate", "insight.rp_reasons"].includes(c.name));
    expect(missingColumns(view)).toEqual([
      { name: "estimatedclosedate", alias: undefined },
      { name: "rp_reasons", alias: "insight" },
    ]);
    // Without an insight link only the opportunity's own columns can be added.
    expect(missingColumns([{ name: "name" }])).toEqual([
      { name: "estimatedclosedate", alias: undefined },
      { name: "estimatedvalue", alias: undefined },
    ]);
    const ds = dataset(PIPELINE_ROWS, { columns: view });
    expect(requestColumns(ds)).toBe(true);
    expect(ds.addColumn).toHaveBeenCalledWith("rp_reasons", "insight");
    expect(ds.refresh).toHaveBeenCalledTimes(1);
    const full = dataset();
    expect(requestColumns(full)).toBe(false);
    expect(full.refresh).not.toHaveBeenCalled();
  });
});

describe("layout", () => {
  const box = plotBox(800, 380);

  test("deals with a past or no close date go beside the chart; today's stays on it", () => {
    const split = splitDeals(pipelineModel(dataset()).deals, TODAY);
    expect(split.past.map((d) => d.name).sort()).toEqual(["Expired water deal", "Old coal contract"]);
    expect(split.missing.map((d) => d.name)).toEqual(["Undated hedge"]);
    expect(split.onChart).toHaveLength(8);
    expect(split.onChart.map((d) => d.name)).toContain("Retail power pilot");
  });

  test("scales: the earliest close at the left edge, the latest at the right; score 100 up, 0 down, none in the lane", () => {
    const pad = 10;
    const x = xScale([TODAY, TODAY + 100 * DAY_MS], box, pad);
    expect(x(TODAY)).toBe(box.left + pad);
    expect(x(TODAY + 100 * DAY_MS)).toBe(box.right - pad);
    expect(x(TODAY + 50 * DAY_MS)).toBeCloseTo((box.left + box.right) / 2);
    // All on one day: in the middle.
    expect(xScale([TODAY], box, pad)(TODAY)).toBeCloseTo((box.left + box.right) / 2);
    const y = yScale(box, pad);
    expect(y(100)).toBe(box.top + pad);
    expect(y(0)).toBe(box.bottom - pad);
    expect(y(150)).toBe(y(100));
    expect(y(null)).toBe(box.laneY);
    expect(box.laneY).toBeGreaterThan(box.bottom);
    // The lane holds the largest bubble; without unscored deals there is none and the score area grows.
    expect(box.laneBottom - box.laneTop).toBeGreaterThanOrEqual(2 * box.maxR);
    const noLane = plotBox(800, 380, false);
    expect(noLane.laneBottom - noLane.laneTop).toBe(0);
    expect(noLane.bottom).toBeGreaterThan(box.bottom);
  });

  test("radius grows with the square root of revenue: four times the revenue, twice the radius", () => {
    expect(radiusOf(1_000_000, 1_000_000, 5, 30)).toBe(30);
    expect(radiusOf(250_000, 1_000_000, 5, 30)).toBe(15);
    expect(radiusOf(1_000, 1_000_000, 5, 30)).toBe(5);
    expect(radiusOf(null, 1_000_000, 5, 30)).toBe(5);
    expect(radiusOf(0, 0, 5, 30)).toBe(5);
    const drawn = bubbles(
      pipelineModel(dataset()).deals.filter((d) => d.close !== null),
      box,
    );
    const big = drawn.find((b) => b.deal.name === "Trading desk software")!;
    expect(big.r).toBe(maxRadius(box));
    expect(drawn.find((b) => b.deal.name === "Unpriced metals deal")!.r).toBe(MIN_RADIUS);
  });

  test("draws the largest first so the smallest is on top; equal sizes in keyboard order", () => {
    const drawn = bubbles(
      pipelineModel(dataset()).deals.filter((d) => d.close !== null && d.close >= TODAY),
      box,
    );
    const radii = drawn.map((b) => b.r);
    expect(radii).toEqual([...radii].sort((a, b) => b - a));
    expect(drawn[0]!.deal.name).toBe("Trading desk software");
    const twins = drawn.filter((b) => b.deal.revenue === 40000).map((b) => b.deal.name);
    expect(twins).toEqual(["Weather derivatives", "Gas storage expansion"]);
    const same = drawOrder([
      { deal: deal({ id: "b", name: "B" }), cx: 0, cy: 0, r: 5 },
      { deal: deal({ id: "a", name: "A" }), cx: 0, cy: 0, r: 5 },
    ]);
    expect(same.map((b) => b.deal.id)).toEqual(["a", "b"]);
  });

  test("keyboard order: close date first, then the healthiest, unscored and undated last", () => {
    const order = keyboardOrder([
      deal({ id: "1", name: "Late", close: TODAY + 9 * DAY_MS, score: 90 }),
      deal({ id: "2", name: "Undated", close: null, score: 99 }),
      deal({ id: "3", name: "Early weak", close: TODAY, score: 10 }),
      deal({ id: "4", name: "Early strong", close: TODAY, score: 80 }),
      deal({ id: "5", name: "Early unscored", close: TODAY, score: null }),
    ]);
    expect(order.map((d) => d.name)).toEqual([
      "Early strong",
      "Early weak",
      "Early unscored",
      "Late",
      "Undated",
    ]);
    expect(nextIndex("ArrowRight", 0, 3)).toBe(1);
    expect(nextIndex("ArrowDown", 2, 3)).toBe(2);
    expect(nextIndex("ArrowLeft", 0, 3)).toBe(0);
    expect(nextIndex("End", 0, 3)).toBe(2);
    expect(nextIndex("Home", 2, 3)).toBe(0);
    expect(nextIndex("a", 1, 3)).toBeNull();
  });

  test("month ticks start on month boundaries and thin out to fit", () => {
    const from = Date.parse("2001-10-01T00:00:00Z");
    const to = Date.parse("2002-03-05T00:00:00Z");
    const iso = (ts: number[]) => ts.map((t) => new Date(t).toISOString().slice(0, 7));
    expect(iso(monthTicks(from, to, 12))).toEqual([
      "2001-10",
      "2001-11",
      "2001-12",
      "2002-01",
      "2002-02",
      "2002-03",
    ]);
    expect(iso(monthTicks(from, to, 3))).toEqual(["2001-10", "2001-12", "2002-02"]);
    expect(iso(monthTicks(from + DAY_MS, to, 12))[0]).toBe("2001-11");
    // From late December: January once, then on into the new year.
    const dec = Date.parse("2026-12-27T00:00:00Z");
    expect(iso(monthTicks(dec, dec + 70 * DAY_MS, 12))).toEqual(["2027-01", "2027-02", "2027-03"]);
  });
});

describe("the day close dates are split at", () => {
  test("is the day the scores were computed when that is before today, else today", () => {
    const now = TODAY + 12 * 3_600_000;
    const before = Date.parse("2001-09-15T06:00:00Z");
    expect(referenceDay(now, 0, before)).toBe(Date.parse("2001-09-15T00:00:00Z"));
    expect(referenceDay(now, 0, null)).toBe(TODAY);
    expect(referenceDay(now, 0, now + DAY_MS)).toBe(TODAY);
  });

  test("the newest insight's computation time is the model's as-of", () => {
    const rows = PIPELINE_ROWS.map((r, i) => ({
      ...r,
      rp_lastcomputedon: i === 2 ? "2001-09-16T08:00:00Z" : "2001-09-15T06:00:00Z",
    }));
    const ds = fakeDataSet(COLUMNS, rows.map(record), "opportunity");
    expect(pipelineModel(ds).asOf).toBe(Date.parse("2001-09-16T08:00:00Z"));
    expect(pipelineModel(dataset()).asOf).toBeNull();
  });

  test("insights computed before today: the deals coming at that date are charted, and the chart says as of when", () => {
    const rows = PIPELINE_ROWS.map((r) => ({ ...r, rp_lastcomputedon: "2001-09-15T06:00:00Z" }));
    mount(
      fakeDataSet(
        [
          ...COLUMNS,
          col("insight.rp_lastcomputedon", "Last Updated (Insight)", "DateAndTime.DateAndTime", 7),
        ],
        rows.map(record),
        "opportunity",
      ),
    );
    expect(screen.getByTestId("pipeline-as-of")).toHaveTextContent(/Health as of Sep 15, 2001/);
    expect(bubble("Expired water deal")).toBeInTheDocument();
    expect(screen.getByTestId("pipeline-off-chart")).toHaveTextContent(
      "Not on the chart: 1 with a past close date, 1 without one",
    );
  });

  test("insights computed today: no as-of line", () => {
    mount();
    expect(screen.queryByTestId("pipeline-as-of")).toBeNull();
  });
});

describe("RelationshipPipeline through init and updateView", () => {
  test("draws the deals closing today or later as bubbles coloured by status, and lists the rest", () => {
    mount();
    const circles = [...document.querySelectorAll("[data-testid=pipeline-chart] circle[data-id]")];
    expect(circles).toHaveLength(8);
    expect(bubble("Pipeline supply 2002").getAttribute("data-status")).toBe("good");
    expect(bubble("Trading desk software").getAttribute("data-status")).toBe("poor");
    expect(bubble("LNG terminal study").getAttribute("data-status")).toBe("pending");
    expect(bubble("Broadband capacity").getAttribute("data-status")).toBe("none");
    const off = screen.getByTestId("pipeline-off-chart");
    expect(off).toHaveTextContent("Not on the chart: 2 with a past close date, 1 without one");
    for (const n of ["Old coal contract", "Expired water deal", "Undated hedge"])
      expect(within(off).getByRole("button", { name: n })).toBeInTheDocument();
    expect(within(off).getByText(/Health score 35 · Poor · Was to close Aug 30, 2001/)).toBeInTheDocument();
    const legend = screen.getByTestId("pipeline-legend");
    expect(legend).toHaveTextContent("Good (3)Fair (2)Poor (1)");
    expect(legend).toHaveTextContent("Pending: not enough information yet (1)");
    expect(legend).toHaveTextContent("Not computed (1)");
    expect(legend).toHaveTextContent(/Bubble size, estimated revenue:\s*250,000\s*1,000,000/);
    // The size legend is drawn at the chart's scale: its large circle is the largest bubble.
    const legendR = [...legend.querySelectorAll("circle")].map((c) => Number(c.getAttribute("r")));
    expect(legendR).toEqual([
      Number(bubble("Trading desk software").getAttribute("r")) / 2,
      Number(bubble("Trading desk software").getAttribute("r")),
    ]);
  });

  test("hover and focus show the card: name, score, status, trend and top reason", () => {
    mount();
    fireEvent.mouseEnter(bubble("Trading desk software"));
    const card = screen.getByTestId("pipeline-card");
    expect(card).toHaveTextContent("Trading desk software");
    expect(card).toHaveTextContent("Health score 23 · Poor");
    expect(card).toHaveTextContent("Declining");
    expect(card).toHaveTextContent("Top reason: No reply in 40 days.");
    expect(card).toHaveTextContent("Closes Feb 20, 2002 · Estimated revenue $1,000,000.00");
    fireEvent.mouseLeave(bubble("Trading desk software"));
    expect(screen.queryByTestId("pipeline-card")).toBeNull();
    fireEvent.focus(bubble("LNG terminal study"));
    expect(screen.getByTestId("pipeline-card")).toHaveTextContent(
      "Not scored · Pending: not enough information yet",
    );
    expect(bubble("LNG terminal study")).toHaveAttribute(
      "aria-describedby",
      screen.getByTestId("pipeline-card").id,
    );
    // The mouse passing over another bubble and leaving does not take the card or the ring from the focused one.
    fireEvent.mouseEnter(bubble("Trading desk software"));
    expect(screen.getByTestId("pipeline-card")).toHaveTextContent("Trading desk software");
    fireEvent.mouseLeave(bubble("Trading desk software"));
    expect(screen.getByTestId("pipeline-card")).toHaveTextContent("LNG terminal study");
    expect(bubble("LNG terminal study")).toHaveAttribute("data-active", "true");
    expect(bubble("Trading desk software")).not.toHaveAttribute("data-active");
    // Focus moving on while the mouse rests on a bubble: the card goes with the focus.
    fireEvent.mouseEnter(bubble("Trading desk software"));
    fireEvent.focus(bubble("Broadband capacity"));
    expect(screen.getByTestId("pipeline-card")).toHaveTextContent("Broadband capacity");
    fireEvent.blur(bubble("Broadband capacity"));
    expect(screen.queryByTestId("pipeline-card")).toBeNull();
  });

  test("one tab stop; arrows move in keyboard order; Enter and click open the record", () => {
    const { openForm } = mount();
    const tabbable = [...document.querySelectorAll("circle[tabindex='0']")];
    expect(tabbable).toHaveLength(1);
    // The first in keyboard order: today's deal.
    expect(tabbable[0]).toBe(bubble("Retail power pilot"));
    bubble("Retail power pilot").focus();
    fireEvent.keyDown(bubble("Retail power pilot"), { key: "ArrowRight" });
    expect(document.activeElement).toBe(bubble("Weather derivatives"));
    fireEvent.keyDown(document.activeElement!, { key: "ArrowRight" });
    expect(document.activeElement).toBe(bubble("Gas storage expansion"));
    expect(bubble("Gas storage expansion")).toHaveAttribute("tabindex", "0");
    fireEvent.keyDown(document.activeElement!, { key: "Enter" });
    expect(openForm).toHaveBeenCalledWith({
      entityName: "opportunity",
      entityId: byName("Gas storage expansion"),
    });
    fireEvent.click(bubble("Broadband capacity"));
    expect(openForm).toHaveBeenLastCalledWith({
      entityName: "opportunity",
      entityId: byName("Broadband capacity"),
    });
    fireEvent.click(
      within(screen.getByTestId("pipeline-off-chart")).getByRole("button", { name: "Undated hedge" }),
    );
    expect(openForm).toHaveBeenLastCalledWith({
      entityName: "opportunity",
      entityId: byName("Undated hedge"),
    });
  });

  test("the table holds every deal of the view, on the chart or not, in keyboard order", () => {
    mount();
    fireEvent.click(screen.getByText("Show as table"));
    const table = screen.getByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(PIPELINE_ROWS.length);
    expect(rows[0]).toHaveTextContent("Old coal contract");
    expect(rows[rows.length - 1]).toHaveTextContent("Undated hedge");
    const trading = rows.find((r) => r.textContent?.includes("Trading desk software"))!;
    expect(
      within(trading)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["Feb 20, 2002", "$1,000,000.00", "23", "Poor", "Declining", "No reply in 40 days."]);
  });

  test("the no-score lane is drawn only when a deal on the chart has no score", () => {
    mount();
    expect(screen.getByTestId("pipeline-chart")).toHaveTextContent("No score");
    cleanup();
    mount(dataset(PIPELINE_ROWS.filter((r) => r.rp_healthscore !== null)));
    expect(screen.getByTestId("pipeline-chart")).not.toHaveTextContent("No score");
  });

  test("at a phone's width the list goes under the chart and the chart fits the width", () => {
    mount(dataset(), 360);
    const svg = screen.getByTestId("pipeline-chart");
    expect(Number(svg.getAttribute("width"))).toBeLessThanOrEqual(360);
  });

  test("loading, empty and error states; every deal off the chart still lists them", () => {
    mount(dataset([], { loading: true }));
    expect(screen.getByRole("status")).toHaveTextContent("Loading");
    cleanup();
    mount(dataset([]));
    expect(screen.getByText("No open opportunities in this view.")).toBeInTheDocument();
    cleanup();
    mount(dataset([], { error: true, errorMessage: "The view could not be loaded" }));
    expect(screen.getByRole("alert")).toHaveTextContent("The view could not be loaded");
    cleanup();
    mount(dataset(PIPELINE_ROWS.filter((r) => r.estimatedclosedate === null)));
    expect(screen.queryByTestId("pipeline-chart")).toBeNull();
    expect(screen.getByText(/No opportunity in this view closes today or later/)).toBeInTheDocument();
    expect(screen.getByTestId("pipeline-off-chart")).toHaveTextContent(
      "0 with a past close date, 1 without one",
    );
  });

  test("offers the next page when the dataset has one", () => {
    const ds = dataset();
    (ds.paging as { hasNextPage: boolean }).hasNextPage = true;
    mount(ds);
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(ds.paging.loadNextPage).toHaveBeenCalled();
  });

  test("is axe clean (jsdom rules), with a card open", async () => {
    const { container } = mount();
    fireEvent.focus(bubble("Trading desk software"));
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  });
});
