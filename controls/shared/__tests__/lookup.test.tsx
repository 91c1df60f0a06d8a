import { render, screen } from "@testing-library/react";

import type { IInputs } from "../../RelationshipAnalytics/RelationshipAnalytics/generated/ManifestTypes";
import { RelationshipAnalytics } from "../../RelationshipAnalytics/RelationshipAnalytics/index";
import { HISTORY_ROWS, INSIGHT_ROW } from "../../testing/fixtures";
import { fakeContext, FakeWebApi, lookupProperty } from "../../testing/pcf";
import { lookupIdOf } from "../lookup";

const ID = String(INSIGHT_ROW.rp_relationshipinsightid);

describe("lookupIdOf", () => {
  test("a model-driven lookup: the first LookupValue's id", () => {
    expect(lookupIdOf([{ id: ID, name: "Insight", entityType: "rp_relationshipinsight" }])).toBe(ID);
    expect(lookupIdOf([])).toBeNull();
    expect(lookupIdOf([{ id: "", entityType: "rp_relationshipinsight" }])).toBeNull();
    expect(lookupIdOf(null)).toBeNull();
    expect(lookupIdOf(undefined)).toBeNull();
  });

  test("pcf-start's plain text: a GUID (braces and spaces dropped) is the id, anything else is none", () => {
    expect(lookupIdOf(ID)).toBe(ID);
    expect(lookupIdOf(` {${ID.toUpperCase()}} `)).toBe(ID.toUpperCase());
    expect(lookupIdOf("val")).toBeNull();
    expect(lookupIdOf("")).toBeNull();
    expect(lookupIdOf(`${ID}x`)).toBeNull();
  });
});

describe("a control bound to a lookup given as text (as pcf-start gives it)", () => {
  function mount(raw: unknown) {
    const insight = { ...lookupProperty(null), raw } as ComponentFramework.PropertyTypes.LookupProperty;
    const context = fakeContext<IInputs>({
      control: "RelationshipAnalytics",
      parameters: { insight },
      webAPI: new FakeWebApi({ rp_relationshipinsight: [INSIGHT_ROW], rp_relationshiphistory: HISTORY_ROWS }),
    });
    const control = new RelationshipAnalytics();
    control.init(context);
    return render(control.updateView(context));
  }

  test("a GUID loads that insight", async () => {
    mount(ID);
    expect(await screen.findByTestId("health-score")).toHaveTextContent(String(INSIGHT_ROW.rp_healthscore));
  });

  test("the placeholder text is no insight, not the lookup of its first letter", async () => {
    mount("val");
    expect(await screen.findByText(/No relationship insight for this record yet/)).toBeInTheDocument();
  });
});
