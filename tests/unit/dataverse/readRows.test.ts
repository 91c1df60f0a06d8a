import { resolveConfig } from "../../../server/src/core/config";
import { Normaliser } from "../../../server/src/core/normalise";
import {
  appointmentEnvelope,
  emailEnvelope,
  phoneCallEnvelope,
} from "../../../server/src/dataverse/read/activityEnvelopes";
import {
  type CrmRows,
  directoryFromRows,
  domainOfWebsite,
  linkedRecords,
} from "../../../server/src/dataverse/read/directoryFromRows";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const U1 = "11111111-1111-1111-1111-111111111111";
const A1 = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
const C1 = "cccccccc-cccc-cccc-cccc-cccccccccccc";
const C2 = "cccccccc-cccc-cccc-cccc-ccccccccccc2";
const L1 = "dddddddd-dddd-dddd-dddd-dddddddddddd";
const O1 = "eeeeeeee-eeee-eeee-eeee-eeeeeeeeeeee";
const LOGICAL = "@Microsoft.Dynamics.CRM.lookuplogicalname";

const rows: CrmRows = {
  systemusers: [
    {
      systemuserid: U1.toUpperCase(),
      fullname: "Ann Lee",
      internalemailaddress: "Ann@Contoso.com",
      domainname: "ann.lee@contoso.com",
      isdisabled: false,
    },
    {
      systemuserid: "22222222-2222-2222-2222-222222222222",
      fullname: "Gone",
      internalemailaddress: "gone@contoso.com",
      isdisabled: true,
    },
  ],
  accounts: [
    {
      accountid: A1,
      name: "Fabrikam",
      websiteurl: "https://www.fabrikam.com/about",
      emailaddress1: "info@fabrikam.co.uk",
      _rp_relationshipinsightid_value: "99999999-9999-9999-9999-999999999999",
    },
  ],
  contacts: [
    {
      contactid: C1,
      fullname: "Xavier O'Brien",
      emailaddress1: "x@fabrikam.com",
      emailaddress2: "X@FABRIKAM.COM",
      _parentcustomerid_value: A1,
      [`_parentcustomerid_value${LOGICAL}`]: "account",
    },
    {
      contactid: C2,
      fullname: "Yo",
      emailaddress1: "yo@hotmail.com",
      _parentcustomerid_value: A1,
      [`_parentcustomerid_value${LOGICAL}`]: "account",
    },
  ],
  leads: [
    {
      leadid: L1,
      fullname: "Lu",
      companyname: "Tailspin",
      emailaddress1: "lu@tailspin.com",
      _ownerid_value: U1,
      statecode: 1,
    },
  ],
  opportunities: [
    {
      opportunityid: O1,
      name: "Deal",
      _customerid_value: C1,
      [`_customerid_value${LOGICAL}`]: "contact",
      _parentaccountid_value: A1,
      _ownerid_value: U1,
      statecode: 0,
    },
  ],
};

describe("directoryFromRows", () => {
  const d = directoryFromRows(rows, config);
  test("enabled users with their addresses, lower-cased, each once", () => {
    expect(d.users).toEqual([
      { id: U1, name: "Ann Lee", emails: ["ann@contoso.com", "ann.lee@contoso.com"] },
    ]);
  });
  test("account domains from website, e-mail and contacts, never free mail", () => {
    expect(d.accounts[0]?.domains).toEqual(["fabrikam.co.uk", "fabrikam.com"]);
  });
  test("contacts keep their account; duplicate addresses collapse", () => {
    expect(d.contacts[0]).toEqual({
      id: C1,
      name: "Xavier O'Brien",
      emails: ["x@fabrikam.com"],
      accountId: A1,
    });
  });
  test("qualified leads are not open; opportunities take a contact customer as a contact", () => {
    expect(d.leads[0]).toMatchObject({ id: L1, open: false, ownerId: U1, companyName: "Tailspin" });
    expect(d.opportunities[0]).toMatchObject({ id: O1, accountId: A1, contactIds: [C1], open: true });
  });
  test("records already linked to their insight row", () => {
    expect([...linkedRecords(rows)]).toEqual([A1]);
  });
  test.each([
    ["https://www.contoso.com/x", "contoso.com"],
    ["contoso.com", "contoso.com"],
    ["http://sales.contoso.com:8080", "sales.contoso.com"],
    ["not a url at all", undefined],
    [undefined, undefined],
  ])("website %s → %s", (url, domain) => expect(domainOfWebsite(url)).toBe(domain));
});

describe("tracked activities", () => {
  const addressOf = (id: string | undefined) => (id === U1 ? "ann@contoso.com" : undefined);
  const normaliser = () => new Normaliser(config, Date.UTC(2024, 0, 1));

  test("an email with its parties becomes an interaction, keeping subject, regarding and activity id", () => {
    const { envelope, tracked } = emailEnvelope(
      {
        activityid: "f0000000-0000-0000-0000-000000000001",
        subject: "Pricing",
        senton: "2023-11-02T10:00:00Z",
        messageid: "<abc@fabrikam.com>",
        _regardingobjectid_value: O1,
        [`_regardingobjectid_value${LOGICAL}`]: "opportunity",
        email_activity_parties: [
          { participationtypemask: 1, addressused: "x@fabrikam.com" },
          { participationtypemask: 2, addressused: null, _partyid_value: U1 },
          { participationtypemask: 3, addressused: "y@fabrikam.com" },
        ],
      },
      addressOf,
      0,
    );
    expect(envelope).toMatchObject({
      messageId: "abc@fabrikam.com",
      from: { address: "x@fabrikam.com" },
      source: "dataverse",
    });
    expect(envelope.to).toEqual([{ address: "ann@contoso.com" }]);
    expect(envelope.cc).toEqual([{ address: "y@fabrikam.com" }]);
    expect(tracked).toEqual({
      activityId: "f0000000-0000-0000-0000-000000000001",
      subject: "Pricing",
      regarding: { type: "opportunity", id: O1 },
    });
    const r = normaliser().message(envelope);
    expect(r.ok).toBe(true);
  });

  test("an appointment: organiser, required and optional attendees; canceled ones are skipped by the normaliser", () => {
    const row = {
      activityid: "f0000000-0000-0000-0000-000000000002",
      scheduledstart: "2023-11-03T15:00:00Z",
      scheduledend: "2023-11-03T15:30:00Z",
      globalobjectid: "ical-1",
      statecode: 2,
      appointment_activity_parties: [
        { participationtypemask: 7, addressused: "ann@contoso.com" },
        { participationtypemask: 5, addressused: "x@fabrikam.com" },
        { participationtypemask: 6, addressused: "y@fabrikam.com" },
      ],
    };
    const { envelope } = appointmentEnvelope(row, addressOf, 0);
    expect(envelope.attendees.map((a) => [a.mailbox.address, a.type])).toEqual([
      ["x@fabrikam.com", "required"],
      ["y@fabrikam.com", "optional"],
    ]);
    expect(envelope.iCalUId).toBe("ical-1");
    expect(normaliser().event(envelope)).toEqual({ ok: false, reason: "cancelledMeeting" });
    expect(normaliser().event({ ...envelope, isCancelled: false }).ok).toBe(true);
  });

  test("a phone call reads as caller to called party, with its duration", () => {
    const c = phoneCallEnvelope(
      {
        activityid: "f0000000-0000-0000-0000-000000000003",
        actualstart: "2023-11-04T09:00:00Z",
        actualdurationminutes: 12,
        phonecall_activity_parties: [
          { participationtypemask: 1, _partyid_value: U1 },
          { participationtypemask: 2, addressused: "x@fabrikam.com" },
        ],
      },
      addressOf,
      0,
    );
    expect(c.envelope.from).toEqual({ address: "ann@contoso.com" });
    expect(c.envelope.to).toEqual([{ address: "x@fabrikam.com" }]);
    expect(c.durationMin).toBe(12);
    expect(c.cancelled).toBe(false);
  });

  test("an email without a readable date is skipped by the normaliser, named", () => {
    const { envelope } = emailEnvelope(
      {
        activityid: "x",
        email_activity_parties: [{ participationtypemask: 1, addressused: "x@fabrikam.com" }],
      },
      addressOf,
      3,
    );
    expect(envelope.origin).toEqual({ file: "dataverse:emails", index: 3 });
    const r = normaliser().message(envelope);
    expect(r.ok).toBe(false);
  });
});
