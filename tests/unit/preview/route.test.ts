/**
 * @jest-environment jsdom
 */
/// <reference lib="dom" />
import * as React from "react";
import { render, unmountComponentAtNode } from "react-dom";
import { act } from "react-dom/test-utils";

import { parseRoute, type Route, useRoute } from "../../../server/preview/src/route";

const ID = "0b7c9a8e-1f2d-4c3b-9a8e-7d6c5b4a3f2e";

describe("parseRoute", () => {
  test.each<[string, Route]>([
    ["", { page: "view", table: "contact" }],
    ["#/settings", { page: "settings" }],
    ["#/view/account", { page: "view", table: "account" }],
    [`#/record/contact/${ID.toUpperCase()}`, { page: "record", table: "contact", id: ID }],
    ["#/record/contact/%E0%A4%A", { page: "notFound" }],
    ["#/view/%E0%A4%A", { page: "notFound" }],
    ["#/%", { page: "notFound" }],
    ["#/view/%F0%9F%98%80", { page: "view", table: "😀" }],
  ])("reads %s", (hash, expected) => {
    expect(parseRoute(hash, "contact")).toEqual(expected);
  });
});

describe("useRoute", () => {
  test("a malformed fragment renders the not-found state instead of throwing (a blank preview)", () => {
    function Page(): React.ReactElement {
      return React.createElement("p", null, useRoute("contact").page);
    }
    location.hash = "#/record/contact/%E0%A4%A";
    const root = document.createElement("div");
    act(() => {
      render(React.createElement(Page), root);
    });
    expect(root.textContent).toBe("notFound");
    act(() => {
      location.hash = "#/settings";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    });
    expect(root.textContent).toBe("settings");
    act(() => {
      unmountComponentAtNode(root);
    });
  });
});
