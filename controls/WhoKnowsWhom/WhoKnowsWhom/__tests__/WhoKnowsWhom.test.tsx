import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import axe from "axe-core";
import { WhoKnowsWhom } from "../index";
import type { IInputs } from "../generated/ManifestTypes";
import { emailPayload, introducersFromConnections, introductionEmail } from "../data";
import { FakeWebApi, fakeContext, lookupProperty } from "../../../testing/pcf";
import { CONNECTION_ROWS, CONTACT_ROW, INSIGHT_ROW } from "../../../testing/fixtures";

const ID = String(INSIGHT_ROW.rp_relationshipinsightid);
const rows = (over: Record<string, unknown[]> = {}) => ({
  rp_relationshipinsight: [INSIGHT_ROW],
  rp_connection: CONNECTION_ROWS,
  contact: [CONTACT_ROW],
  rp_settings: [],
  ...over,
});

function mount(api: FakeWebApi, insightId: string | null = ID) {
  const openForm = jest.fn(async () => ({ savedEntityReference: [] }));
  const context = fakeContext<IInputs>({
    control: "WhoKnowsWhom",
    parameters: { insight: lookupProperty(insightId) },
    webAPI: api,
    navigation: { openForm },
  });
  const control = new WhoKnowsWhom();
  control.init(context);
  return { ...render(control.updateView(context)), openForm };
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
  test("lists introducers strongest first with band, strength and evidence", async () => {
    mount(new FakeWebApi(rows()));
    const list = await screen.findByTestId("introducers");
    const names = within(list)
      .getAllByTestId("introducer-name")
      .map((e) => e.textContent);
    expect(names[0]).toBe("John Griffith");
    expect(within(list).getAllByTestId("introducer-band")[0]).toHaveTextContent(
      "Strong connection, strength 84 of 100",
    );
    expect(within(list).getAllByTestId("evidence")[0]).toHaveTextContent("24 emails sent, 19 received");
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
    expect(api.created).toHaveLength(1);
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
    await waitFor(() => expect(api.created).toHaveLength(1));
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
    await waitFor(() => expect(api.created).toHaveLength(1));
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
