import { act, fireEvent, render, screen, within } from "@testing-library/react";
import axe from "axe-core";

import { HISTORY_ROWS, INSIGHT_ROW } from "../../../testing/fixtures";
import { fakeContext, FakeWebApi, lookupProperty } from "../../../testing/pcf";
import { healthPoints, insightFromRow, readableSubjects } from "../data";
import type { IInputs } from "../generated/ManifestTypes";
import { RelationshipAnalytics } from "../index";

const ID = String(INSIGHT_ROW.rp_relationshipinsightid);

/** Let the subject reads of the history table finish inside act(). */
const settle = () => act(async () => new Promise<void>((r) => setTimeout(r, 0)));

async function ready(): Promise<void> {
  await screen.findByTestId("health-score");
  await settle();
}

function mount(insightId: string | null, api: FakeWebApi, allocatedWidth?: number) {
  const context = fakeContext<IInputs>({
    control: "RelationshipAnalytics",
    parameters: { insight: lookupProperty(insightId) },
    webAPI: api,
  });
  if (allocatedWidth !== undefined) context.mode.allocatedWidth = allocatedWidth;
  const control = new RelationshipAnalytics();
  control.init(context);
  return { ...render(control.updateView(context)), context };
}

describe("insightFromRow", () => {
  test("maps a real insight row: score, status, trend, KPIs by us and by them, last interaction", () => {
    const v = insightFromRow(INSIGHT_ROW);
    expect(v).toMatchObject({ score: 99, status: "good", trend: "steady", interactionCount: 48 });
    expect(v.kpis.emails).toEqual({ us: 24, them: 24 });
    expect(v.kpis.firstResponseHours).toEqual({ us: 1, them: null });
    expect(v.last).toEqual({ at: "2001-12-31T16:41:43Z", kind: "email", direction: "out" });
    expect(v.next).toBeNull();
  });
  test("an empty row is a valid view with nothing in it", () => {
    expect(insightFromRow({})).toMatchObject({
      score: null,
      status: undefined,
      reasons: [],
      history: [],
      days: [],
    });
  });
  test("health points are ordered by week and keep unscored weeks as gaps", () => {
    expect(
      healthPoints([
        { rp_weekstart: "2001-02-05", rp_healthscore: null },
        { rp_weekstart: "2001-01-29", rp_healthscore: 40 },
      ]),
    ).toEqual([
      { weekStart: "2001-01-29", score: 40 },
      { weekStart: "2001-02-05", score: null },
    ]);
  });
  test("subjects come from the activities the user can read, not from the insight row", async () => {
    const api = new FakeWebApi(
      { email: [{ activityid: "a1", subject: "Read as the user" }] },
      new Set(["appointment"]),
    );
    const subjects = await readableSubjects(api, [
      {
        at: "x",
        kind: "email",
        direction: "out",
        ours: [],
        theirs: [],
        subject: "Stale copy",
        activityId: "{A1}",
      },
      {
        at: "y",
        kind: "meeting",
        direction: "in",
        ours: [],
        theirs: [],
        subject: "Secret",
        activityId: "b2",
      },
      { at: "z", kind: "email", direction: "in", ours: [], theirs: [] },
    ]);
    expect([...subjects]).toEqual([["a1", "Read as the user"]]);
  });
});

describe("RelationshipAnalytics through init and updateView", () => {
  test("asks the host for its width and, on a phone's 360 px, stacks the history as a list", async () => {
    const api = new FakeWebApi({
      rp_relationshipinsight: [INSIGHT_ROW],
      rp_relationshiphistory: HISTORY_ROWS,
    });
    const { context } = mount(ID, api, 360);
    await ready();
    expect(context.mode.trackContainerResize).toHaveBeenCalledWith(true);
    const history = screen.getByTestId("history");
    expect(history).toHaveAttribute("data-layout", "list");
    expect(within(history).queryAllByRole("row")).toHaveLength(0);
    expect(within(history).getAllByRole("listitem")).toHaveLength(15);
    expect(within(history).getAllByRole("listitem")[0]).toHaveTextContent(/Email · (Outgoing|Incoming)/);
  });

  test("keeps the history table where the width allows it (768 px) or is not given", async () => {
    const api = new FakeWebApi({
      rp_relationshipinsight: [INSIGHT_ROW],
      rp_relationshiphistory: HISTORY_ROWS,
    });
    mount(ID, api, 768);
    await ready();
    expect(screen.getByTestId("history")).toHaveAttribute("data-layout", "table");
  });

  test("shows the score, status and trend as text, KPIs by us and by them, charts and history", async () => {
    const api = new FakeWebApi({
      rp_relationshipinsight: [INSIGHT_ROW],
      rp_relationshiphistory: HISTORY_ROWS,
    });
    const { container } = mount(`{${ID.toUpperCase()}}`, api);
    await ready();
    expect(screen.getByTestId("health-score")).toHaveTextContent("99");
    expect(screen.getByTestId("health-status")).toHaveTextContent("Good");
    expect(screen.getByTestId("health-trend")).toHaveTextContent("Steady");
    const emails = container.querySelector('[data-kpi="emails"]') as HTMLElement;
    expect(emails.querySelector('[data-side="us"]')).toHaveTextContent("24");
    expect(emails.querySelector('[data-side="them"]')).toHaveTextContent("24");
    const time = container.querySelector('[data-kpi="time"]') as HTMLElement;
    expect(time.querySelector('[data-side="us"]')).toHaveTextContent("3 h 8 min");
    expect(screen.getByRole("img", { name: /Activity in the last 60 days/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /Health score by week/ })).toBeInTheDocument();
    expect(screen.getByTestId("most-theirs")).toHaveTextContent("ampaez@earthlink.net (19 messages)");
    const history = screen.getByTestId("history");
    expect(within(history).getAllByRole("row")).toHaveLength(1 + 15);
    fireEvent.click(screen.getByRole("button", { name: "Show more" }));
    await settle();
    expect(within(history).getAllByRole("row")).toHaveLength(1 + 20);
    expect(api.calls[0]).toMatch(new RegExp(`^get rp_relationshipinsight\\(${ID}\\)\\?\\$select=`));
  });

  test("the seven KPI tiles keep their order, ids, labels and data-side values", async () => {
    const api = new FakeWebApi({
      rp_relationshipinsight: [INSIGHT_ROW],
      rp_relationshiphistory: HISTORY_ROWS,
    });
    mount(ID, api);
    await ready();
    const tiles = [...screen.getByTestId("kpis").querySelectorAll("dl[data-kpi]")].map((dl) => ({
      id: dl.getAttribute("data-kpi"),
      label: dl.querySelector("dt")?.textContent,
      rows: [...dl.querySelectorAll("dd")].map((dd) => [
        dd.firstElementChild?.textContent,
        dd.querySelector("[data-side]")?.getAttribute("data-side"),
      ]),
      us: dl.querySelector('[data-side="us"]')?.textContent,
      them: dl.querySelector('[data-side="them"]')?.textContent,
    }));
    expect(tiles.map((x) => x.id)).toEqual([
      "emails",
      "meetings",
      "calls",
      "time",
      "replies",
      "responsetime",
      "responserate",
    ]);
    for (const x of tiles)
      expect(x.rows).toEqual([
        ["By us", "us"],
        ["By them", "them"],
      ]);
    expect(tiles.map((x) => [x.label, x.us, x.them])).toEqual([
      ["Emails", "24", "24"],
      ["Meetings", "0", "0"],
      ["Phone calls", "0", "0"],
      ["Time spent", "3 h 8 min", "3 h 0 min"],
      ["Replies", "4", "0"],
      ["Average first response", "1 h", "—"],
      ["Response rate", "22%", "0%"],
    ]);
  });

  test("is axe clean (jsdom rules)", async () => {
    const api = new FakeWebApi({
      rp_relationshipinsight: [INSIGHT_ROW],
      rp_relationshiphistory: HISTORY_ROWS,
    });
    const { container } = mount(ID, api);
    await ready();
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  });

  test("a record without an insight shows the empty state", async () => {
    mount(null, new FakeWebApi({}));
    expect(await screen.findByText(/No relationship insight for this record yet/)).toBeInTheDocument();
  });

  test("a user without the reader role sees insufficient privileges, not an error", async () => {
    mount(ID, new FakeWebApi({}, new Set(["rp_relationshipinsight"])));
    expect(await screen.findByText(/Insufficient privileges/)).toBeInTheDocument();
  });

  test("a failure shows the error with a retry that reloads", async () => {
    const api = new FakeWebApi({
      rp_relationshipinsight: [INSIGHT_ROW],
      rp_relationshiphistory: HISTORY_ROWS,
    });
    const spy = jest.spyOn(api, "retrieveMultipleRecords").mockRejectedValueOnce(new Error("Network down"));
    mount(ID, api);
    expect(await screen.findByRole("alert")).toHaveTextContent("Network down");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await ready();
    expect(screen.getByTestId("health-score")).toHaveTextContent("99");
    // The load ran twice (the directory-name lookups of the history's people are not the load).
    expect(spy.mock.calls.filter((c) => !["systemuser", "contact", "lead"].includes(c[0]))).toHaveLength(2);
  });

  test("the history names people from the directory where the CRM knows them, else shows the address", async () => {
    const api = new FakeWebApi({
      rp_relationshipinsight: [INSIGHT_ROW],
      rp_relationshiphistory: HISTORY_ROWS,
      systemuser: [{ internalemailaddress: "John.Griffith@enron.com", fullname: "John Griffith" }],
      contact: [{ emailaddress1: "ampaez@earthlink.net", fullname: "Ana Ampaez" }],
    });
    mount(ID, api);
    await ready();
    const history = screen.getByTestId("history");
    expect(history).toHaveTextContent("John Griffith → Ana Ampaez");
    expect(history).not.toHaveTextContent("john.griffith@enron.com");
    // One query per table for the page, not one per row.
    expect(api.calls.filter((c) => /^list (systemuser|contact|lead)\?/.test(c))).toHaveLength(3);
  });

  test("an unscored insight says there is not enough information", async () => {
    const row = {
      ...INSIGHT_ROW,
      rp_healthscore: null,
      rp_healthstatus: 100000003,
      rp_interactioncount: 0,
      rp_activityhistory: "[]",
      rp_timeline: '{"weeks":[],"days":[]}',
    };
    mount(ID, new FakeWebApi({ rp_relationshipinsight: [row], rp_relationshiphistory: [] }));
    expect(await screen.findByText(/Not enough information yet/)).toBeInTheDocument();
    expect(screen.getByTestId("health-status")).toHaveTextContent("Not enough information");
  });
});
