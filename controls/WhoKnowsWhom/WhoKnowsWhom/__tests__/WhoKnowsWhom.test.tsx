import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import axe from "axe-core";

import { CONNECTION_ROWS, CONTACT_ROW, INSIGHT_ROW } from "../../../testing/fixtures";
import { fakeContext, fakeUserSettings, FakeWebApi, lookupProperty, webApiError } from "../../../testing/pcf";
import { emailPayload, introducersFromConnections, introductionEmail, mayUse, rolesOf } from "../data";
import type { IInputs } from "../generated/ManifestTypes";
import { WhoKnowsWhom } from "../index";
import { foldWeak } from "../WhoKnowsWhom";

const ID = String(INSIGHT_ROW.rp_relationshipinsightid);
const rows = (over: Record<string, unknown[]> = {}) => ({
  rp_relationshipinsight: [INSIGHT_ROW],
  rp_connection: CONNECTION_ROWS,
  contact: [CONTACT_ROW],
  rp_settings: [],
  ...over,
});

function mount(
  api: ComponentFramework.WebApi,
  insightId: string | null = ID,
  securityRoles: string[] = [],
  allocatedWidth?: number,
) {
  const openForm = jest.fn(async () => ({ savedEntityReference: [] }));
  const context = fakeContext<IInputs>({
    control: "WhoKnowsWhom",
    parameters: { insight: lookupProperty(insightId) },
    webAPI: api,
    navigation: { openForm },
    userSettings: fakeUserSettings({ securityRoles }),
  });
  if (allocatedWidth !== undefined) context.mode.allocatedWidth = allocatedWidth;
  const control = new WhoKnowsWhom();
  control.init(context);
  return { ...render(control.updateView(context)), openForm, context };
}

describe("who knows whom mapping", () => {
  test("ranks colleagues by strength, one entry each, keeping every address they know", () => {
    const list = introducersFromConnections([
      { rp_introduceremail: "b@enron.com", rp_strength: 30, rp_band: 100000001, rp_target: "x@a.com" },
      {
        rp_introduceremail: "A@enron.com",
        rp_strength: 80,
        rp_band: 100000000,
        rp_target: "x@a.com",
        "_rp_introducerid_value@OData.Community.Display.V1.FormattedValue": "Ann",
      },
      { rp_introduceremail: "a@enron.com", rp_strength: 10, rp_band: 100000002, rp_target: "y@a.com" },
    ]);
    expect(list.map((i) => [i.name, i.strength, i.band, i.knows])).toEqual([
      ["Ann", 80, "strong", ["x@a.com", "y@a.com"]],
      ["b@enron.com", 30, "moderate", ["x@a.com"]],
    ]);
  });

  test("the template fills {colleague}, {person}, {company}, {me}; a Subject: line sets the subject", () => {
    const mail = introductionEmail(
      "Subject: Intro to {person}\n\nHi {colleagueFirstName},\nmeet {person} of {company}?\n\n{me} <3",
      "Default",
      {
        colleague: "John Griffith",
        person: "Ampaez",
        company: "Earthlink",
        me: "Test Seller",
      },
    );
    expect(mail.subject).toBe("Intro to Ampaez");
    expect(mail.description).toBe("<p>Hi John,<br>meet Ampaez of Earthlink?</p><p>Test Seller &lt;3</p>");
    expect(
      introductionEmail("Hello", "Introduction to {person}", {
        colleague: "a",
        person: "P",
        company: "",
        me: "",
      }).subject,
    ).toBe("Introduction to P");
  });

  test("the email goes from me to the colleague, regarding the record", () => {
    const payload = emailPayload(
      { subject: "s", description: "d" },
      { type: "lead", id: "l1", name: "L", company: "C" },
      "{ME}",
      { email: "c@x", name: "C", userId: "u1" } as never,
    );
    expect(payload).toEqual({
      subject: "s",
      description: "d",
      "regardingobjectid_lead@odata.bind": "/leads(l1)",
      email_activity_parties: [
        { "partyid_systemuser@odata.bind": "/systemusers(me)", participationtypemask: 1 },
        { "partyid_systemuser@odata.bind": "/systemusers(u1)", participationtypemask: 2 },
      ],
    });
  });
});

describe("WhoKnowsWhom through init and updateView", () => {
  // The request is shared with the colleague through the host's Web API (GrantAccess), outside webAPI.
  const share = jest.fn(async () => ({ ok: true, status: 204 }) as Response);
  beforeEach(() => {
    share.mockClear();
    globalThis.fetch = share as unknown as typeof fetch;
  });

  test("asks the host for its width; on a phone's 360 px each card stacks its button under its facts", async () => {
    const { context } = mount(new FakeWebApi(rows()), ID, [], 360);
    const cards = await screen.findAllByRole("listitem");
    expect(context.mode.trackContainerResize).toHaveBeenCalledWith(true);
    expect(cards[0]).toHaveAttribute("data-layout", "stacked");
  });

  test("keeps the button beside the facts at 768 px", async () => {
    mount(new FakeWebApi(rows()), ID, [], 768);
    expect((await screen.findAllByRole("listitem"))[0]).toHaveAttribute("data-layout", "row");
  });

  test("lists introducers strongest first with band, strength and evidence", async () => {
    mount(new FakeWebApi(rows()));
    const list = await screen.findByTestId("introducers");
    const names = within(list)
      .getAllByTestId("introducer-name")
      .map((e) => e.textContent);
    expect(names[0]).toBe("John Griffith");
    // A seller with no tie to John yet: the path counts the first step at the floor (10), √(10 × 84) ≈ 29.
    expect(within(list).getAllByTestId("path")[0]).toHaveTextContent(
      "You → John Griffith (not in touch yet) → Ampaez (Strong)",
    );
    expect(within(list).getAllByTestId("introducer-band")[0]).toHaveTextContent(
      "Weak connection, strength 29 of 100",
    );
    expect(within(list).getAllByTestId("evidence")[0]).toHaveTextContent("24 emails sent, 19 received");
  });

  test("opens on the introducers worth asking; the weak ones wait behind an accessible 'Show 3 weak connections'", async () => {
    mount(new FakeWebApi(rows()));
    const list = await screen.findByTestId("introducers");
    expect(
      within(list)
        .getAllByTestId("introducer-name")
        .map((e) => e.textContent),
    ).toEqual(["John Griffith"]);
    const fold = screen.getByRole("button", { name: "Show 3 weak connections" });
    expect(fold).toHaveAttribute("aria-expanded", "false");
    expect(fold).toHaveAttribute("aria-controls", list.id);
    fireEvent.click(fold);
    expect(within(list).getAllByTestId("introducer-name")).toHaveLength(4);
    expect(screen.getByRole("button", { name: "Hide weak connections" })).toHaveAttribute(
      "aria-expanded",
      "true",
    );
    expect(screen.getByRole("status")).toHaveTextContent("4 of 4 colleagues");
  });

  test("when everyone is weak the single best opens, the rest folded; a search looks through everyone", async () => {
    mount(new FakeWebApi(rows({ rp_connection: CONNECTION_ROWS.slice(1) })));
    const list = await screen.findByTestId("introducers");
    expect(within(list).getAllByRole("listitem")).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Show 2 weak connections" })).toBeInTheDocument();
    fireEvent.change(screen.getByRole("searchbox"), { target: { value: "enron.com" } });
    expect(within(list).getAllByRole("listitem")).toHaveLength(3);
    expect(screen.queryByTestId("fold-weak")).toBeNull();
    expect(foldWeak([{ worth: "weak" }, { worth: "moderate" }, { worth: "weak" }]).open).toEqual([
      { worth: "moderate" },
    ]);
    expect(foldWeak([])).toEqual({ open: [], folded: [] });
  });

  test("names from the directory: a colleague known only by address by their user, the person by their contact", async () => {
    const api = new FakeWebApi(
      rows({
        systemuser: [{ internalemailaddress: "brookover.timothy@enron.com", fullname: "Timothy Brookover" }],
        contact: [{ ...CONTACT_ROW, emailaddress1: "ampaez@earthlink.net", fullname: "Ana Ampaez" }],
      }),
    );
    mount(api);
    await screen.findByTestId("introducers");
    fireEvent.click(screen.getByTestId("fold-weak"));
    const names = screen.getAllByTestId("introducer-name").map((e) => e.textContent);
    expect(names).toContain("Timothy Brookover");
    expect(screen.getAllByTestId("evidence")[0]).toHaveTextContent("Knows Ana Ampaez");
    // One query per table: the colleagues without a name, and the people they know.
    expect(api.calls.filter((c) => c.startsWith("list systemuser"))).toHaveLength(1);
    expect(api.calls.filter((c) => c.startsWith("list contact"))).toHaveLength(1);
  });

  test("search narrows the list by name or address", async () => {
    mount(new FakeWebApi(rows()));
    await screen.findByTestId("introducers");
    fireEvent.change(screen.getByRole("searchbox"), { target: { value: "griffith" } });
    expect(screen.getAllByTestId("introducer-name")).toHaveLength(1);
    fireEvent.change(screen.getByRole("searchbox"), { target: { value: "nobody-at-all" } });
    expect(screen.getByText("No colleague matches your search.")).toBeInTheDocument();
  });

  test("asking for an introduction creates the email from the settings template and opens it", async () => {
    const api = new FakeWebApi(
      rows({
        rp_settings: [{ rp_introductiontemplate: "Subject: Meet {person}\nHi {colleague}, from {me}" }],
      }),
    );
    const { openForm } = mount(api);
    await screen.findByTestId("introducers");
    fireEvent.click(screen.getByRole("button", { name: "Ask for an introduction: John Griffith" }));
    await waitFor(() =>
      expect(openForm).toHaveBeenCalledWith({
        entityName: "email",
        entityId: "22222222-2222-2222-2222-222222222222",
      }),
    );
    // The e-mail, then the introduction row (its fields: tests in Introductions.test.tsx), shared with John.
    expect(api.created.map((c) => c.entity)).toEqual(["email", "rp_introduction"]);
    expect(share).toHaveBeenCalledTimes(1);
    const data = api.created[0]!.data;
    expect(data.subject).toBe("Meet Ampaez");
    expect(data.description).toBe("<p>Hi John Griffith, from Test Seller</p>");
    expect(data[`regardingobjectid_contact@odata.bind`]).toBe(
      `/contacts(${String(INSIGHT_ROW.rp_recordid)})`,
    );
  });

  test("without a template the built-in one is used", async () => {
    const api = new FakeWebApi(rows());
    mount(api);
    await screen.findByTestId("introducers");
    fireEvent.click(screen.getByRole("button", { name: "Ask for an introduction: John Griffith" }));
    await waitFor(() => expect(api.created).toHaveLength(2));
    expect(api.created[0]!.data.subject).toBe("Introduction to Ampaez");
    expect(String(api.created[0]!.data.description)).toContain("Hi John,");
    // A contact without a company (a free-mail address) is not "at" anything.
    expect(String(api.created[0]!.data.description)).toContain("I see you know Ampaez. Would you");
  });

  test("the built-in text names the contact's company when there is one", async () => {
    const api = new FakeWebApi(
      rows({
        contact: [
          {
            ...CONTACT_ROW,
            "_parentcustomerid_value@OData.Community.Display.V1.FormattedValue": "Earthlink",
          },
        ],
      }),
    );
    mount(api);
    await screen.findByTestId("introducers");
    fireEvent.click(screen.getByRole("button", { name: "Ask for an introduction: John Griffith" }));
    await waitFor(() => expect(api.created).toHaveLength(2));
    expect(String(api.created[0]!.data.description)).toContain("I see you know Ampaez at Earthlink.");
  });

  test("a user without the reader role sees insufficient privileges", async () => {
    mount(new FakeWebApi(rows(), new Set(["rp_connection"])));
    expect(await screen.findByText(/Insufficient privileges/)).toBeInTheDocument();
  });

  test("no connections means not enough information", async () => {
    mount(new FakeWebApi(rows({ rp_connection: [] })));
    expect(await screen.findByText(/no colleague has been in touch/)).toBeInTheDocument();
  });

  test("is axe clean (jsdom rules)", async () => {
    const { container } = mount(new FakeWebApi(rows()));
    await screen.findByTestId("introducers");
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
  });
});

// Security roles as a tenant has them: the same role has one id per business unit, and one name.
const SALESPERSON = "5a3e8b0c-1d2f-4e5a-8b9c-0d1e2f3a4b5c";
const MANAGER = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
const MANAGER_OTHER_UNIT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const ROLES = [
  { roleid: SALESPERSON, name: "Salesperson" },
  { roleid: MANAGER, name: "Sales Manager" },
  { roleid: MANAGER_OTHER_UNIT, name: "Sales Manager" },
];
const braced = (id: string) => `{${id.toUpperCase()}}`;

describe("who knows whom limited to security roles", () => {
  test("the list is read one entry per line", () => {
    expect(rolesOf(" Sales Manager \r\n\nVice President, Sales\n")).toEqual([
      "Sales Manager",
      "Vice President, Sales",
    ]);
    expect(rolesOf(null)).toEqual([]);
  });

  test("an empty list lets everyone in, without reading roles", async () => {
    const api = new FakeWebApi({ role: ROLES });
    expect(await mayUse(api, [], [])).toBe(true);
    expect(api.calls).toEqual([]);
  });

  test("a role listed by id matches the user's role in any spelling, without reading roles", async () => {
    const api = new FakeWebApi({ role: ROLES });
    expect(await mayUse(api, [`{${MANAGER}}`], [braced(SALESPERSON), braced(MANAGER)])).toBe(true);
    expect(api.calls).toEqual([]);
  });

  test("a role listed by name matches any of its ids, whatever the case; the query names only the user's roles", async () => {
    const api = new FakeWebApi({ role: ROLES });
    expect(await mayUse(api, ["sales manager"], [braced(MANAGER_OTHER_UNIT)])).toBe(true);
    expect(api.calls).toEqual([`list role?$select=roleid,name&$filter=roleid eq ${MANAGER_OTHER_UNIT}`]);
  });

  test("a user without a listed role is refused, even when the table answers with other roles", async () => {
    // The fake ignores $filter: the check itself must keep to the user's own role ids.
    const api = new FakeWebApi({ role: ROLES });
    expect(await mayUse(api, ["Sales Manager", MANAGER], [braced(SALESPERSON)])).toBe(false);
    expect(await mayUse(api, ["Sales Manager"], [])).toBe(false);
  });

  test("a user who may not read roles is refused; an ill-formed role id never reaches the filter", async () => {
    const denied = new FakeWebApi({ role: ROLES }, new Set(["role"]));
    expect(await mayUse(denied, ["Sales Manager"], [braced(MANAGER)])).toBe(false);
    const api = new FakeWebApi({ role: ROLES });
    expect(await mayUse(api, ["Sales Manager"], ["x' or 1 eq 1", braced(SALESPERSON)])).toBe(false);
    expect(api.calls).toEqual([`list role?$select=roleid,name&$filter=roleid eq ${SALESPERSON}`]);
  });

  test("outside the listed roles the control says so and reads no connection", async () => {
    const api = new FakeWebApi(
      rows({ rp_settings: [{ rp_whoknowswhomroles: "Sales Manager" }], role: ROLES }),
    );
    mount(api, ID, [braced(SALESPERSON)]);
    expect(await screen.findByText(/available to selected security roles/)).toBeInTheDocument();
    expect(screen.queryByTestId("introducers")).toBeNull();
    expect(api.calls.some((c) => c.startsWith("list rp_connection"))).toBe(false);
  });

  test("a user holding a listed role sees the introducers", async () => {
    const api = new FakeWebApi(
      rows({ rp_settings: [{ rp_whoknowswhomroles: "Sales Manager" }], role: ROLES }),
    );
    mount(api, ID, [braced(SALESPERSON), braced(MANAGER)]);
    expect(await screen.findByTestId("introducers")).toBeInTheDocument();
  });

  test("settings that cannot be read for another reason show an error to retry, not the introducers", async () => {
    const api = new FakeWebApi(rows());
    const failing: ComponentFramework.WebApi = {
      ...api,
      retrieveRecord: api.retrieveRecord.bind(api),
      createRecord: api.createRecord.bind(api),
      updateRecord: api.updateRecord.bind(api),
      deleteRecord: api.deleteRecord.bind(api),
      retrieveMultipleRecords: async (entity: string, options?: string) => {
        if (entity === "rp_settings") throw webApiError(503, -2147204784, "Service unavailable");
        return api.retrieveMultipleRecords(entity, options);
      },
    };
    mount(failing);
    expect(await screen.findByRole("alert")).toHaveTextContent("Service unavailable");
    expect(screen.queryByTestId("introducers")).toBeNull();
  });

  test("settings the user may not read leave who knows whom open, as before", async () => {
    mount(new FakeWebApi(rows(), new Set(["rp_settings"])));
    expect(await screen.findByTestId("introducers")).toBeInTheDocument();
  });
});
