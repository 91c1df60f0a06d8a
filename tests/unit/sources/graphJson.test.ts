import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { isAutomatedHeaderValue } from "../../../server/src/core/automated";
import type { EventEnvelope, MessageEnvelope, Origin } from "../../../server/src/core/interaction";
import {
  eventToEnvelope,
  ianaZoneOf,
  WINDOWS_TIME_ZONES,
  zonedWallToUtc,
} from "../../../server/src/sources/graphJson/graphEvent";
import { messageToEnvelope, parseIsoDateTime } from "../../../server/src/sources/graphJson/graphMessage";
import { type GraphSourceItem, readGraphJson } from "../../../server/src/sources/graphJson/readGraphJson";
import type { SourceIssue } from "../../../server/src/sources/sourceItem";

const FIXTURES = path.join(__dirname, "../../fixtures/graph");
const BAD = path.join(__dirname, "../../fixtures/bad/graph");
const ORIGIN: Origin = { file: "test.json", index: 0 };

async function readAll(p: string): Promise<GraphSourceItem[]> {
  const out: GraphSourceItem[] = [];
  for await (const item of readGraphJson(p)) out.push(item);
  return out;
}

function envelopes(items: GraphSourceItem[]) {
  return items.flatMap((i) => (i.type === "envelope" ? [i.envelope] : []));
}

function messages(items: GraphSourceItem[]): MessageEnvelope[] {
  return envelopes(items).filter((e): e is MessageEnvelope => e.kind === "email");
}

function events(items: GraphSourceItem[]): EventEnvelope[] {
  return envelopes(items).filter((e): e is EventEnvelope => e.kind === "meeting");
}

function issues(items: GraphSourceItem[]): SourceIssue[] {
  return items.flatMap((i) => (i.type === "issue" ? [i.issue] : []));
}

function message(item: unknown): MessageEnvelope {
  const r = messageToEnvelope(item, ORIGIN);
  if (!("envelope" in r)) throw new Error(`expected an envelope, got ${JSON.stringify(r)}`);
  return r.envelope;
}

function event(item: unknown): EventEnvelope {
  const r = eventToEnvelope(item, ORIGIN);
  if (!("envelope" in r)) throw new Error(`expected an envelope, got ${JSON.stringify(r)}`);
  return r.envelope;
}

const box = (address: string) => ({ emailAddress: { name: "X", address } });
const at = (dateTime: string, timeZone: string) => ({ dateTime, timeZone });

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "rapport-graph-"));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

describe("messageToEnvelope", () => {
  it("maps addresses, Message-ID without brackets, conversation and sent time", () => {
    const env = message({
      id: "AAMk1",
      internetMessageId: "<abc@contoso.com>",
      conversationId: "conv-1",
      subject: "Q2 pricing",
      sentDateTime: "2024-04-15T14:03:27Z",
      receivedDateTime: "2024-04-15T14:03:29Z",
      from: { emailAddress: { name: "Jane Doe", address: "jane.doe@contoso.com" } },
      sender: box("assistant@contoso.com"),
      toRecipients: [box("a@fabrikam.com"), box("b@fabrikam.com")],
      ccRecipients: [box("c@fabrikam.com")],
      bccRecipients: null,
    });
    expect(env).toEqual({
      kind: "email",
      messageId: "abc@contoso.com",
      messageIdIsPerCopy: false,
      sentAt: Date.UTC(2024, 3, 15, 14, 3, 27),
      from: { name: "Jane Doe", address: "jane.doe@contoso.com" },
      sender: { name: "X", address: "assistant@contoso.com" },
      to: [
        { name: "X", address: "a@fabrikam.com" },
        { name: "X", address: "b@fabrikam.com" },
      ],
      cc: [{ name: "X", address: "c@fabrikam.com" }],
      bcc: [],
      subject: "Q2 pricing",
      conversationId: "conv-1",
      source: "graph",
      origin: ORIGIN,
    });
  });

  it("leaves out a from without name or address, so that normalise falls back to sender", () => {
    const env = message({
      from: { emailAddress: { name: null, address: null } },
      sender: box("s@contoso.com"),
    });
    expect(env.from).toBeUndefined();
    expect(env.sender).toEqual({ name: "X", address: "s@contoso.com" });
  });

  it("falls back to receivedDateTime when sentDateTime is null", () => {
    expect(message({ sentDateTime: null, receivedDateTime: "2024-04-17T16:45:00Z" }).sentAt).toBe(
      Date.UTC(2024, 3, 17, 16, 45),
    );
  });

  it("leaves sentAt NaN when both dates are missing, for normalise to count", () => {
    expect(message({ from: box("a@contoso.com") }).sentAt).toBeNaN();
  });

  it("honours an explicit offset and fractional seconds in a date", () => {
    expect(message({ sentDateTime: "2024-04-15T16:03:27.1234567+02:00" }).sentAt).toBe(
      Date.UTC(2024, 3, 15, 14, 3, 27, 123),
    );
  });

  it.each([
    ["2024-13-01T00:00:00Z"],
    ["2023-02-29T10:00:00Z"],
    ["2024-04-31T10:00:00Z"],
    ["2024-04-15T24:00:00Z"],
    ["15/04/2024 10:00"],
    ["April 15, 2024"],
    [""],
  ])("reports sentDateTime %j as invalidDate naming the field", (sentDateTime) => {
    expect(messageToEnvelope({ sentDateTime, from: box("a@contoso.com") }, ORIGIN)).toEqual({
      issue: { code: "invalidDate", message: expect.stringContaining("sentDateTime"), origin: ORIGIN },
    });
  });

  it("reads a leap day as a real date", () => {
    expect(message({ sentDateTime: "2024-02-29T12:00:00Z" }).sentAt).toBe(Date.UTC(2024, 1, 29, 12));
  });

  it("maps bulk, list and auto-submitted headers to automatedHeader", () => {
    const headers = (pairs: [string, string][]) => ({
      internetMessageHeaders: pairs.map(([name, value]) => ({ name, value })),
    });
    expect(message(headers([["Precedence", "bulk"]])).automatedHeader).toBe("bulk");
    expect(message(headers([["List-Id", "News <news.fabrikam.com>"]])).automatedHeader).toBe(
      "News <news.fabrikam.com>",
    );
    expect(message(headers([["auto-submitted", "auto-generated"]])).automatedHeader).toBe("auto-generated");
    expect(message(headers([["X-Auto-Response-Suppress", "All"]])).automatedHeader).toBe("All");
  });

  it("maps auto-reply headers to autoReplyHeader", () => {
    const one = (name: string, value: string) => message({ internetMessageHeaders: [{ name, value }] });
    expect(one("Auto-Submitted", "auto-replied").autoReplyHeader).toBe("auto-replied");
    expect(one("Auto-Submitted", "auto-replied").automatedHeader).toBeUndefined();
    expect(one("X-Autoreply", "yes").autoReplyHeader).toBe("yes");
    expect(one("X-Autorespond", "true").autoReplyHeader).toBe("true");
  });

  it("ignores headers that a person's mail carries", () => {
    const env = message({
      internetMessageHeaders: [
        { name: "Auto-Submitted", value: "no" },
        { name: "Precedence", value: "first-class" },
        { name: "Received", value: "from mx.contoso.com" },
        null,
        { name: null, value: "bulk" },
      ],
    });
    expect(env.automatedHeader).toBeUndefined();
    expect(env.autoReplyHeader).toBeUndefined();
  });

  it("reports a draft as a badItem, since a draft is not an interaction", () => {
    expect(messageToEnvelope({ id: "d", isDraft: true, sentDateTime: null }, ORIGIN)).toEqual({
      issue: { code: "badItem", message: "isDraft: a draft is not an interaction", origin: ORIGIN },
    });
  });

  it("returns a delta removal as { removed: id }", () => {
    expect(messageToEnvelope({ id: "AAMk9", "@removed": { reason: "deleted" } }, ORIGIN)).toEqual({
      removed: "AAMk9",
    });
  });

  it("keeps recipients whose parts are null as unresolvable mailboxes, so they are counted", () => {
    const env = message({ toRecipients: [null, { emailAddress: null }, box("a@fabrikam.com")] });
    expect(env.to).toEqual([{ address: "" }, { address: "" }, { name: "X", address: "a@fabrikam.com" }]);
  });

  it("keeps all 10,000 recipients of a huge list, for normalise to count and truncate", () => {
    const toRecipients = Array.from({ length: 10_000 }, (_, i) => box(`person${i}@fabrikam.com`));
    const env = message({
      sentDateTime: "2024-04-15T10:00:00Z",
      from: box("jane@contoso.com"),
      toRecipients,
    });
    expect(env.to).toHaveLength(10_000);
    expect(env.to[9_999]).toEqual({ name: "X", address: "person9999@fabrikam.com" });
  });
});

describe("parseIsoDateTime", () => {
  it("reads a zone-less Graph wall time as its wall clock, without the local zone", () => {
    expect(parseIsoDateTime("2024-05-01T09:00:00.0000000")).toEqual({ wall: Date.UTC(2024, 4, 1, 9) });
  });

  it("reads years below 100 as written, not as 19xx", () => {
    expect(parseIsoDateTime("0001-01-01T00:00:00Z")?.wall).toBe(new Date("0001-01-01T00:00:00Z").getTime());
  });

  it("keeps a written offset (east positive) and reads Z as offset 0", () => {
    expect(parseIsoDateTime("2024-05-01T09:00:00Z")).toEqual({ wall: Date.UTC(2024, 4, 1, 9), offsetMs: 0 });
    expect(parseIsoDateTime("2024-05-01T09:00:00+02:00")?.offsetMs).toBe(2 * 3_600_000);
    expect(parseIsoDateTime("2024-05-01T09:00:00-0530")?.offsetMs).toBe(-(5 * 60 + 30) * 60_000);
  });

  it("cuts fractions of a second to milliseconds", () => {
    expect(parseIsoDateTime("2024-05-01T09:00:00.1239999")?.wall).toBe(Date.UTC(2024, 4, 1, 9, 0, 0, 123));
    expect(parseIsoDateTime("2024-05-01T09:00:00.5")?.wall).toBe(Date.UTC(2024, 4, 1, 9, 0, 0, 500));
  });

  it.each([
    ["a 29 February outside a leap year", "2023-02-29T00:00:00Z"],
    ["a 29 February of a century year that is not a leap year", "1900-02-29T00:00:00Z"],
    ["month 13", "2024-13-01T00:00:00Z"],
    ["day 0", "2024-05-00T00:00:00Z"],
    ["hour 24", "2024-05-01T24:00:00Z"],
    ["minute 60", "2024-05-01T09:60:00Z"],
    ["a leap second", "2024-06-30T23:59:60Z"],
    ["an offset of 24 hours", "2024-05-01T09:00:00+24:00"],
    ["an offset with 60 minutes", "2024-05-01T09:00:00+01:60"],
  ])("refuses %s", (_what, value) => {
    expect(parseIsoDateTime(value)).toBeUndefined();
  });

  it("accepts 29 February of a leap century year and the last second of a day", () => {
    expect(parseIsoDateTime("2000-02-29T23:59:59Z")?.wall).toBe(Date.UTC(2000, 1, 29, 23, 59, 59));
  });
});

describe("eventToEnvelope", () => {
  const pacific = (dateTime: string) =>
    event({ start: at(dateTime, "Pacific Standard Time"), end: at(dateTime, "Pacific Standard Time") }).start;

  it("converts Pacific wall time to UTC across the DST change", () => {
    expect(pacific("2024-03-08T09:00:00.0000000")).toBe(Date.UTC(2024, 2, 8, 17));
    expect(pacific("2024-03-12T09:00:00.0000000")).toBe(Date.UTC(2024, 2, 12, 16));
    expect(pacific("2024-11-01T09:00:00.0000000")).toBe(Date.UTC(2024, 10, 1, 16));
    expect(pacific("2024-11-05T09:00:00.0000000")).toBe(Date.UTC(2024, 10, 5, 17));
  });

  it("moves a wall time skipped by the spring change forward by the gap", () => {
    // 02:30 does not exist on 2024-03-10 in Los Angeles; it is read as 03:30 PDT.
    expect(pacific("2024-03-10T02:30:00.0000000")).toBe(Date.UTC(2024, 2, 10, 10, 30));
  });

  it("takes the earlier instant for a wall time the autumn change repeats", () => {
    expect(pacific("2024-11-03T01:30:00.0000000")).toBe(Date.UTC(2024, 10, 3, 8, 30));
  });

  it.each([
    ["W. Europe Standard Time", "2024-03-29T10:00:00", Date.UTC(2024, 2, 29, 9)],
    ["W. Europe Standard Time", "2024-04-02T10:00:00", Date.UTC(2024, 3, 2, 8)],
    ["GMT Standard Time", "2024-07-01T10:00:00", Date.UTC(2024, 6, 1, 9)],
    ["India Standard Time", "2024-05-01T09:00:00", Date.UTC(2024, 4, 1, 3, 30)],
    ["Tokyo Standard Time", "2024-05-01T09:00:00", Date.UTC(2024, 4, 1, 0)],
    ["AUS Eastern Standard Time", "2024-01-15T09:00:00", Date.UTC(2024, 0, 14, 22)],
    ["AUS Eastern Standard Time", "2024-07-15T09:00:00", Date.UTC(2024, 6, 14, 23)],
    ["Eastern Standard Time", "2024-01-15T09:00:00", Date.UTC(2024, 0, 15, 14)],
    ["eastern standard time", "2024-07-15T09:00:00", Date.UTC(2024, 6, 15, 13)],
    ["Europe/Paris", "2024-07-02T12:30:00", Date.UTC(2024, 6, 2, 10, 30)],
    ["America/Sao_Paulo", "2024-07-02T12:30:00", Date.UTC(2024, 6, 2, 15, 30)],
    ["UTC", "2024-07-02T12:30:00", Date.UTC(2024, 6, 2, 12, 30)],
  ])("converts %s wall time %s to the exact UTC instant", (timeZone, dateTime, expected) => {
    expect(event({ start: at(dateTime, timeZone) }).start).toBe(expected);
  });

  it("knows every IANA zone its Windows table maps to", () => {
    for (const iana of Object.values(WINDOWS_TIME_ZONES)) expect(ianaZoneOf(iana)).toBe(iana);
  });

  it("reads a dateTime without a timeZone as UTC, as Graph returns by default", () => {
    expect(event({ start: { dateTime: "2024-05-01T09:00:00.0000000" } }).start).toBe(Date.UTC(2024, 4, 1, 9));
  });

  it("reports an unknown time zone as a badItem naming the field and the zone", () => {
    const r = eventToEnvelope({ start: at("2024-05-01T09:00:00", "Mars Standard Time") }, ORIGIN);
    expect(r).toEqual({
      issue: {
        code: "badItem",
        message: 'start.timeZone: unknown time zone "Mars Standard Time"',
        origin: ORIGIN,
      },
    });
  });

  it("maps attendee types and the documented PascalCase responses to ResponseStatus", () => {
    const responses = [
      "None",
      "Organizer",
      "TentativelyAccepted",
      "Accepted",
      "Declined",
      "NotResponded",
      "Maybe",
    ];
    const env = event({
      attendees: responses.map((response, i) => ({
        type: ["Required", "optional", "resource", undefined][i % 4],
        status: { response },
        emailAddress: { address: `p${i}@fabrikam.com` },
      })),
    });
    expect(env.attendees.map((a) => a.response)).toEqual([
      "none",
      "organizer",
      "tentativelyAccepted",
      "accepted",
      "declined",
      "notResponded",
      "none",
    ]);
    expect(env.attendees.map((a) => a.type)).toEqual([
      "required",
      "optional",
      "resource",
      "required",
      "required",
      "optional",
      "resource",
    ]);
  });

  it("keeps zone arithmetic out of UTC and invalid zones", () => {
    expect(zonedWallToUtc(Date.UTC(2024, 0, 1), "UTC")).toBe(Date.UTC(2024, 0, 1));
    expect(zonedWallToUtc(Date.UTC(2024, 0, 1), "Not/AZone")).toBeNaN();
  });
});

describe("readGraphJson on Graph pages", () => {
  it("reads a folder of message delta pages in name order and yields the removal", async () => {
    const items = await readAll(path.join(FIXTURES, "mail"));
    expect(items).toHaveLength(7);
    expect(issues(items)).toEqual([]);
    const mail = messages(items);
    expect(mail.map((m) => m.origin)).toEqual([
      ...[0, 1, 2, 3, 4].map((index) => ({
        file: path.join(FIXTURES, "mail", "messages-delta-1.json"),
        index,
      })),
      { file: path.join(FIXTURES, "mail", "messages-delta-2.json"), index: 0 },
    ]);
    expect(items[6]).toEqual({
      type: "removed",
      id: "AAMkAGI2TG93AAA2",
      origin: { file: path.join(FIXTURES, "mail", "messages-delta-2.json"), index: 1 },
    });
    const [first, newsletter, autoReply, fallback, meetingRequest, legal] = mail;
    expect(first?.messageId).toBe("AM0PR83MB0401A1B2C3D4E5F6@AM0PR83MB0401.EURPRD83.prod.outlook.com");
    expect(first?.to.map((t) => t.address)).toEqual(["carlos.ruiz@fabrikam.com", "Mei.Chen@fabrikam.com"]);
    expect(first?.sentAt).toBe(Date.UTC(2024, 3, 15, 14, 3, 27));
    expect(newsletter?.automatedHeader).toBe("bulk");
    expect(autoReply?.autoReplyHeader).toBe("auto-replied");
    expect(fallback?.sentAt).toBe(Date.UTC(2024, 3, 17, 16, 45));
    expect(meetingRequest?.messageId).toBe("BY5PR21MB1234ABCD@BY5PR21MB1234.namprd21.prod.outlook.com");
    expect(legal?.sender).toEqual({ name: "Legal Team", address: "legal@contoso.com" });
    expect(legal?.bcc).toEqual([{ name: "Archive", address: "archive@contoso.com" }]);
  });

  it("keeps header values that core/automated judges as machine mail", async () => {
    const mail = messages(await readAll(path.join(FIXTURES, "mail")));
    expect(mail.map((m) => isAutomatedHeaderValue(m.automatedHeader))).toEqual([
      false,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(mail.map((m) => isAutomatedHeaderValue(m.autoReplyHeader))).toEqual([
      false,
      false,
      true,
      false,
      false,
      false,
    ]);
  });

  it("reads a calendarView page: occurrence, exception, cancelled, declined, all-day and zones", async () => {
    const file = path.join(FIXTURES, "calendar", "calendarview-delta.json");
    const items = await readAll(file);
    expect(issues(items)).toEqual([]);
    expect(items.filter((i) => i.type === "removed")).toEqual([
      { type: "removed", id: "AAMkAGI2TGuLAAA0", origin: { file, index: 9 } },
    ]);
    const evs = events(items);
    expect(evs).toHaveLength(9);
    expect(evs.map((e) => e.origin.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const [single, occurrence, exception, cancelled, declined, allDay, beforeDst, afterDst, paris] = evs;

    expect(single?.start).toBe(Date.UTC(2024, 4, 1, 9));
    expect(single?.end).toBe(Date.UTC(2024, 4, 1, 10));
    expect(single?.type).toBe("singleInstance");
    expect(single?.seriesMasterId).toBeUndefined();
    expect(single?.attendees.map((a) => [a.type, a.response])).toEqual([
      ["required", "accepted"],
      ["optional", "tentativelyAccepted"],
      ["resource", "accepted"],
    ]);

    expect(occurrence).toMatchObject({ type: "occurrence", seriesMasterId: "AAMkAGI2TGuLAAAseries" });
    expect(occurrence?.start).toBe(Date.UTC(2024, 4, 6, 15));
    expect(exception).toMatchObject({ type: "exception", seriesMasterId: "AAMkAGI2TGuLAAAseries" });
    expect(exception?.start).toBe(Date.UTC(2024, 4, 13, 16));
    expect(exception?.attendees[0]?.response).toBe("notResponded");
    expect(cancelled?.isCancelled).toBe(true);
    expect(declined?.attendees.map((a) => a.response)).toEqual(["accepted", "declined"]);
    expect(allDay).toMatchObject({
      isAllDay: true,
      start: Date.UTC(2024, 4, 10),
      end: Date.UTC(2024, 4, 11),
    });
    expect([beforeDst?.start, beforeDst?.end]).toEqual([
      Date.UTC(2024, 2, 8, 17),
      Date.UTC(2024, 2, 8, 17, 30),
    ]);
    expect([afterDst?.start, afterDst?.end]).toEqual([
      Date.UTC(2024, 2, 12, 16),
      Date.UTC(2024, 2, 12, 16, 30),
    ]);
    expect([paris?.start, paris?.end]).toEqual([Date.UTC(2024, 6, 2, 10, 30), Date.UTC(2024, 6, 2, 12)]);
  });
});

describe("readGraphJson on bad input", () => {
  const file = (name: string) => path.join(BAD, name);
  let items: GraphSourceItem[];
  beforeAll(async () => {
    items = await readAll(BAD);
  });

  it("yields every good item and nothing more: 14 envelopes, 1 removal, 21 issues", () => {
    expect(envelopes(items).map((e) => `${path.basename(e.origin.file)}[${e.origin.index}]`)).toEqual([
      "a-nulls.json[0]",
      "a-nulls.json[1]",
      "a-nulls.json[2]",
      "a-nulls.json[3]",
      "b-missing-fields.json[0]",
      "b-missing-fields.json[1]",
      "b-missing-fields.json[3]",
      "c-unknown-fields.json[0]",
      "c-unknown-fields.json[1]",
      "d-duplicates.json[0]",
      "d-duplicates.json[1]",
      "d-duplicates.json[3]",
      "g-invalid-dates.json[3]",
      "h-wrong-types.json[7]",
    ]);
    expect(items.filter((i) => i.type === "removed")).toEqual([
      { type: "removed", id: "dup-1", origin: { file: file("d-duplicates.json"), index: 5 } },
    ]);
    expect(issues(items)).toHaveLength(21);
  });

  it("names every bad item or file with its code and origin", () => {
    const got = issues(items).map((i) => [i.code, path.basename(i.origin.file), i.origin.index, i.message]);
    expect(got).toEqual([
      ["badItem", "a-nulls.json", 4, "item is not a JSON object"],
      ["badItem", "a-nulls.json", 5, expect.stringContaining("neither a message nor an event")],
      ["badItem", "a-nulls.json", 6, "@removed item has no id"],
      ["badItem", "b-missing-fields.json", 2, expect.stringContaining("neither a message nor an event")],
      ["duplicateId", "d-duplicates.json", 2, expect.stringContaining("d-duplicates.json[0]")],
      ["duplicateId", "d-duplicates.json", 4, expect.stringContaining("d-duplicates.json[3]")],
      ["invalidJson", "e-invalid-json.json", undefined, "invalid JSON at line 7 column 46 (position 215)"],
      ["notGraphPage", "f-not-a-page.json", undefined, expect.stringContaining('"value" array')],
      ["invalidDate", "g-invalid-dates.json", 0, "sentDateTime is not a valid ISO 8601 date-time"],
      ["invalidDate", "g-invalid-dates.json", 1, "receivedDateTime is not a valid ISO 8601 date-time"],
      ["invalidDate", "g-invalid-dates.json", 2, "start.dateTime is not a valid date-time"],
      ["invalidDate", "g-invalid-dates.json", 4, "end.dateTime is not a valid date-time"],
      ["badItem", "g-invalid-dates.json", 5, 'start.timeZone: unknown time zone "Mars Standard Time"'],
      ["badItem", "h-wrong-types.json", 0, "isDraft: a draft is not an interaction"],
      ["badItem", "h-wrong-types.json", 1, "toRecipients is not an array"],
      ["badItem", "h-wrong-types.json", 2, "from is not a recipient object"],
      ["badItem", "h-wrong-types.json", 3, "attendees is not an array"],
      ["badItem", "h-wrong-types.json", 4, "start is not a dateTimeTimeZone object"],
      ["badItem", "h-wrong-types.json", 5, "item is not a JSON object"],
      ["badItem", "h-wrong-types.json", 6, "item is not a JSON object"],
      ["invalidJson", "i-empty.json", undefined, "invalid JSON: the file is empty"],
    ]);
  });

  it("never puts an address or a subject in an issue message", () => {
    for (const issue of issues(items)) {
      expect(issue.message).not.toMatch(/[\w.+-]+@[\w-]+\.\w|secret|merger|pricing/i);
    }
  });

  it("tolerates nulls everywhere, keeping what is there", () => {
    const [allNull, nullParts, nullEvent, nullEventParts] = envelopes(items);
    expect(allNull).toMatchObject({ kind: "email", to: [], cc: [], bcc: [], source: "graph" });
    expect((allNull as MessageEnvelope).sentAt).toBeNaN();
    expect(nullParts).not.toHaveProperty("from");
    expect(nullParts).not.toHaveProperty("sender");
    expect(nullParts).toMatchObject({
      to: [{ address: "" }, { address: "ok.person@fabrikam.com" }, { name: "Only A Name", address: "" }],
      cc: [{ address: "" }],
      sentAt: Date.UTC(2024, 3, 10, 10),
    });
    expect(nullEvent).toMatchObject({ kind: "meeting", attendees: [], isCancelled: false, isAllDay: false });
    expect((nullEvent as EventEnvelope).start).toBeNaN();
    expect(nullEventParts).toMatchObject({
      end: Date.UTC(2024, 3, 10, 11),
      organizer: { name: "Null Organizer", address: "" },
      attendees: [
        { mailbox: { address: "" }, type: "required", response: "none" },
        { mailbox: { address: "" }, type: "required", response: "none" },
      ],
    });
    expect((nullEventParts as EventEnvelope).start).toBeNaN();
  });

  it("ignores unknown fields", () => {
    const unknown = envelopes(items).filter((e) => path.basename(e.origin.file) === "c-unknown-fields.json");
    expect(unknown[0]).toMatchObject({ kind: "email", to: [{ address: "carlos.ruiz@fabrikam.com" }] });
    expect(unknown[1]).toMatchObject({ kind: "meeting", start: Date.UTC(2024, 3, 11, 15) });
  });
});

describe("readGraphJson on files and folders", () => {
  it("reports a missing path as fileNotFound", async () => {
    const missing = path.join(BAD, "no-such-export");
    expect(await readAll(missing)).toEqual([
      {
        type: "issue",
        issue: { code: "fileNotFound", message: "no such file or folder", origin: { file: missing } },
      },
    ]);
  });

  it("reports a folder without .json files as fileNotFound", async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, "readme.txt"), "nothing here");
    expect(issues(await readAll(dir))).toEqual([
      { code: "fileNotFound", message: "folder holds no .json file", origin: { file: dir } },
    ]);
  });

  it("reads a bare array of items as a page", async () => {
    const items = await readAll(path.join(BAD, "b-missing-fields.json"));
    expect(envelopes(items)).toHaveLength(3);
  });

  it("reads page files in numeric name order and reports an id repeated in a later file", async () => {
    const dir = await tempDir();
    const page = (id: string) =>
      JSON.stringify({ value: [{ id, sentDateTime: "2024-04-01T10:00:00Z", from: box("a@contoso.com") }] });
    await fs.writeFile(path.join(dir, "page-10.json"), page("m10"));
    await fs.writeFile(path.join(dir, "page-2.json"), page("m2"));
    await fs.writeFile(path.join(dir, "page-3.json"), page("m2"));
    const items = await readAll(dir);
    expect(envelopes(items).map((e) => path.basename(e.origin.file))).toEqual([
      "page-2.json",
      "page-10.json",
    ]);
    expect(issues(items)).toEqual([
      {
        code: "duplicateId",
        message: `id already read at ${path.join(dir, "page-2.json")}[0]; this copy is skipped`,
        origin: { file: path.join(dir, "page-3.json"), index: 0 },
      },
    ]);
  });

  it("reads a page holding a message with 10,000 recipients", async () => {
    const dir = await tempDir();
    const toRecipients = Array.from({ length: 10_000 }, (_, i) => box(`person${i}@fabrikam.com`));
    const big = {
      value: [{ id: "big", sentDateTime: "2024-04-01T10:00:00Z", from: box("a@contoso.com"), toRecipients }],
    };
    await fs.writeFile(path.join(dir, "big.json"), JSON.stringify(big));
    const [only] = messages(await readAll(dir));
    expect(only?.to).toHaveLength(10_000);
    expect(only?.to[9_999]?.address).toBe("person9999@fabrikam.com");
  });

  it("locates a JSON error by line and column without quoting the file", async () => {
    const dir = await tempDir();
    const f = path.join(dir, "broken.json");
    await fs.writeFile(f, '\uFEFF{\n  "value": [\n    { "id": "x" }\n    { "id": "y" }\n  ]\n}\n');
    expect(issues(await readAll(f))).toEqual([
      { code: "invalidJson", message: "invalid JSON at line 4 column 5 (position 37)", origin: { file: f } },
    ]);
  });
});
