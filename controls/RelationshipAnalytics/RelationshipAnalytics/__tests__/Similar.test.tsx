import { render, screen, within } from "@testing-library/react";
import axe from "axe-core";

import { formatter } from "../../../shared/format";
import { parseSimilarDeals, type SimilarDealsJson } from "../../../shared/insight";
import { HISTORY_ROWS, INSIGHT_ROW } from "../../../testing/fixtures";
import { fakeContext, FakeWebApi, lookupProperty } from "../../../testing/pcf";
import type { IInputs } from "../generated/ManifestTypes";
import { RelationshipAnalytics } from "../index";
import { keyText } from "../Similar";

const ID = String(INSIGHT_ROW.rp_relationshipinsightid);

const SIMILAR: SimilarDealsJson = {
  version: 1,
  basis: "alike",
  ageDays: 40,
  wonCount: 34,
  lostCount: 21,
  closedWon: 60,
  closedLost: 45,
  minimum: 30,
  metrics: [
    { metric: "emailsSent", this: 12, won: 14, lost: 9 },
    { metric: "meetingsByUs", this: 0, won: 3, lost: 0 },
    { metric: "callsByUs", this: 0, won: 0, lost: 0 },
    { metric: "timeByTeamMin", this: 90, won: 240, lost: 60 },
    { metric: "responseRateByThem", this: 0.5, won: 0.8, lost: 0.4 },
    { metric: "responseHoursByThem", this: null, won: null, lost: null },
  ],
  key: { metric: "meetingsByUs", this: 0, won: 3, lost: 0, day: 40 },
  score: -0.2,
};

async function mountWith(similar: unknown) {
  const row =
    similar === undefined ? INSIGHT_ROW : { ...INSIGHT_ROW, rp_similardeals: JSON.stringify(similar) };
  const api = new FakeWebApi({ rp_relationshipinsight: [row], rp_relationshiphistory: HISTORY_ROWS });
  const context = fakeContext<IInputs>({
    control: "RelationshipAnalytics",
    parameters: { insight: lookupProperty(ID) },
    webAPI: api,
  });
  const control = new RelationshipAnalytics();
  control.init(context);
  const out = render(control.updateView(context));
  await screen.findByTestId("health-score");
  return { ...out, api };
}

describe("parseSimilarDeals", () => {
  test("reads the document, keeps the measures in the model's order and drops unknown ones", () => {
    const text = JSON.stringify({
      ...SIMILAR,
      metrics: [{ metric: "nonsense" }, ...SIMILAR.metrics.reverse()],
    });
    const s = parseSimilarDeals(text);
    expect(s?.metrics.map((m) => m.metric)).toEqual([
      "emailsSent",
      "meetingsByUs",
      "callsByUs",
      "timeByTeamMin",
      "responseHoursByThem",
      "responseRateByThem",
    ]);
    SIMILAR.metrics.reverse();
  });
  test("is null when missing, malformed or of another version", () => {
    expect(parseSimilarDeals(null)).toBeNull();
    expect(parseSimilarDeals("{oops")).toBeNull();
    expect(parseSimilarDeals(JSON.stringify({ ...SIMILAR, version: 2 }))).toBeNull();
  });
});

describe("the Similar won deals card", () => {
  test("shows the basis, the key difference in plain words, a chart and the numbers", async () => {
    const { api } = await mountWith(SIMILAR);
    const card = screen.getByRole("region", { name: "Similar won deals" });
    expect(within(card).getByTestId("similar-basis")).toHaveTextContent(
      "Compared with 34 won deals like this one (and 21 lost), each at day 40 of its life or at its close if sooner.",
    );
    expect(within(card).getByTestId("similar-key")).toHaveTextContent(
      "Won deals like this one had 3 meetings set up by us by day 40; this one has none.",
    );
    expect(
      within(card).getByRole("img", { name: /^Similar won deals\. Each measure at day 40/ }),
    ).toBeInTheDocument();
    const rows = within(card)
      .getAllByRole("row")
      .map((r) => r.textContent);
    expect(rows).toEqual([
      "MeasureThis dealTypical won dealTypical lost deal",
      "Emails by us12149",
      "Meetings by us030",
      "Calls by us000",
      "Time spent by us (hours)1.541",
      "Their response rate50%80%40%",
    ]);
    // Bars for the measures with a value (calls: zeros, in the table only; response time: none, in neither).
    const drawn = [...card.querySelectorAll("svg[data-measure]")].map((e) => e.getAttribute("data-measure"));
    expect(drawn).toEqual(["emailsSent", "meetingsByUs", "timeByTeamMin", "responseRateByThem"]);
    expect(api.calls[0]).toMatch(/rp_similardeals/);
  });

  test("says when it fell back to the most recent won deals", async () => {
    await mountWith({ ...SIMILAR, basis: "recent", wonCount: 100, lostCount: 45 });
    expect(screen.getByTestId("similar-basis")).toHaveTextContent(
      "Compared with the 100 most recent won deals (and 45 lost)",
    );
    expect(screen.getByTestId("similar-key")).toHaveTextContent(/^The most recent won deals had 3 meetings/);
  });

  test("says there are too few closed deals, with the counts, and draws no chart", async () => {
    await mountWith({ ...SIMILAR, basis: "tooFew", closedWon: 12, closedLost: 8, key: null });
    expect(screen.getByTestId("similar-basis")).toHaveTextContent(
      "Too few closed deals: 12 won and 8 lost; Dynamics 365 and Rapport need 30 of each.",
    );
    expect(screen.queryByTestId("similar-key")).toBeNull();
    expect(screen.queryByTestId("similar-chart")).toBeNull();
  });

  test("is absent for a record without the document", async () => {
    await mountWith(undefined);
    expect(screen.queryByRole("region", { name: "Similar won deals" })).toBeNull();
  });

  test("renders rates, hours and time in the sentence as the table does", () => {
    const f = formatter("en-US");
    const t = (k: string, p?: Record<string, string | number>) => `${k}${p ? JSON.stringify(p) : ""}`;
    const key = { metric: "responseRateByThem" as const, this: 0.5, won: 0.8, lost: 0.4, day: 12 };
    expect(keyText({ ...SIMILAR, key }, t, f)).toBe(
      'similarKey_alike{"won":"similarValue_responseRateByThem{\\"n\\":\\"80%\\"}","day":"12","this":"similarValue_responseRateByThem{\\"n\\":\\"50%\\"}"}',
    );
  });

  test("says one in the singular, and when this deal keeps up", async () => {
    const key = { metric: "meetingsByUs" as const, this: 0, won: 1, lost: 0, day: 40 };
    await mountWith({ ...SIMILAR, key });
    expect(screen.getByTestId("similar-key")).toHaveTextContent(
      "Won deals like this one had 1 meeting set up by us by day 40; this one has none.",
    );
  });

  test("says when this deal keeps up with won deals on every measure", async () => {
    await mountWith({ ...SIMILAR, key: null });
    expect(screen.getByTestId("similar-key")).toHaveTextContent(
      "This deal keeps up with won deals like it on every measure at day 40.",
    );
  });

  test("is axe clean (jsdom rules)", async () => {
    const { container } = await mountWith(SIMILAR);
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  });
});
