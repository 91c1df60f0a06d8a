// The settings page rendered in jsdom over a fake Web API: each section in its place, the form hook's
// validation, dirty state and forget kept in step (the browser flows are in tests/e2e/settings.test.ts).
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import * as React from "react";

import type { SettingsApi } from "../api";
import { SettingsPage } from "../App";
import { STRINGS } from "../strings";

const en = STRINGS["en"]!;

// jsdom's window has no structuredClone (browsers and Node do); the form is plain JSON data.
globalThis.structuredClone ??= <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function fakeApi(row: Record<string, unknown> | undefined) {
  const calls = { save: [] as Record<string, unknown>[], forget: [] as string[] };
  const api: SettingsApi = {
    load: async () => row,
    save: async (r) => void calls.save.push(r),
    searchColleagues: async () => [],
    forget: async (a) => {
      calls.forget.push(a);
      return { newlyExcluded: true, connectionsDeleted: 2, introductionsDeleted: 1 };
    },
    recompute: async () => undefined,
  };
  return { api, calls };
}

const page = (api: SettingsApi) => render(<SettingsPage api={api} strings={en} />);

describe("settings page: sections and form hook", () => {
  test("shows every section under its heading once the row is loaded", async () => {
    page(fakeApi({ rp_goodthreshold: 70, rp_fairthreshold: 45 }).api);
    await screen.findByRole("heading", { level: 1, name: en.pageTitle });
    const headings = screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual([
      en.featuresHeading,
      en.weightsHeading,
      en.cadenceHeading,
      en.gradesHeading,
      en.dataHeading,
      en.privacyHeading,
      en.wkwHeading,
    ]);
    expect((screen.getByRole("spinbutton", { name: en.good }) as HTMLInputElement).value).toBe("70");
    expect(screen.queryByText(en.unsaved)).toBeNull();
  });

  test("a wrong threshold shows its message, marks the form unsaved, and Save does not write", async () => {
    const { api, calls } = fakeApi(undefined);
    page(api);
    const good = (await screen.findByRole("spinbutton", { name: en.good })) as HTMLInputElement;
    fireEvent.change(good, { target: { value: "30" } });
    expect(screen.getByText("Good (30) must be higher than Fair (40).")).toBeTruthy();
    expect(screen.getByText(en.unsaved)).toBeTruthy();
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: en.save })));
    expect(screen.getByText(en.fixErrors)).toBeTruthy();
    expect(calls.save).toEqual([]);
  });

  test("the introduction cap and cool-down: empty means the defaults, out of range refuses to save", async () => {
    const { api, calls } = fakeApi({ rp_introductioncap: 5 });
    page(api);
    const cap = (await screen.findByRole("spinbutton", { name: en.cap })) as HTMLInputElement;
    const cooldown = screen.getByRole("spinbutton", { name: en.cooldown }) as HTMLInputElement;
    expect([cap.value, cooldown.value, cooldown.placeholder]).toEqual(["5", "", "30"]);
    fireEvent.change(cap, { target: { value: "51" } });
    fireEvent.change(cooldown, { target: { value: "-1" } });
    expect(screen.getByText(en.capRange)).toBeTruthy();
    expect(screen.getByText(en.cooldownRange)).toBeTruthy();
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: en.save })));
    expect(calls.save).toEqual([]);
    fireEvent.change(cap, { target: { value: "" } });
    fireEvent.change(cooldown, { target: { value: "0" } });
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: en.save })));
    await waitFor(() => expect(calls.save).toHaveLength(1));
    expect(calls.save[0]).toMatchObject({ rp_introductioncap: null, rp_introductioncooldowndays: 0 });
  });

  test("forgetting an address adds it to the excluded addresses without leaving the form unsaved", async () => {
    const { api, calls } = fakeApi({ rp_excludedaddresses: "x@y.example" });
    page(api);
    const input = (await screen.findByRole("textbox", { name: en.forget })) as HTMLInputElement;
    fireEvent.change(input, { target: { value: " A@B.example " } });
    fireEvent.click(screen.getByRole("button", { name: en.forgetButton }));
    await act(
      async () => void fireEvent.click(await screen.findByRole("button", { name: en.forgetConfirm })),
    );
    await waitFor(() => expect(calls.forget).toEqual(["a@b.example"]));
    // The closing dialog may still hide the page from the accessibility tree: find the field by its name.
    const excluded = document.querySelector("textarea[name=excludedAddresses]") as HTMLTextAreaElement;
    expect(excluded.value).toBe("x@y.example\na@b.example");
    expect(screen.queryByText(en.unsaved)).toBeNull();
    expect(input.value).toBe("");
  });
});
