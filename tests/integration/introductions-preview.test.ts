/**
 * The embedded default's "Recompute now" follows introductions with mail added since start: the mbox
 * folder is read again, a meeting appended with the e2e helper (tests/e2e/previewMail.ts) moves an accepted
 * request to "meeting held", and the insights, computed as of the mail's date, are not touched by mail
 * dated after it. A small mail folder of two mailboxes stands in for the sample (same reader, same path).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { openStart, type StartSession } from "../../server/src/app/start";
import { DataverseClient, odataFilter, staticTokenProvider } from "../../server/src/dataverse/client";
import { choiceValue } from "../../server/src/dataverse/model";
import { appendMeeting, meetingWhen } from "../e2e/previewMail";

const ALICE = "alice@enron.com";
const BOB = "bob@enron.com";
const X = "x@partner.com";

/** One mbox message (a plain mail). */
function mboxMessage(n: number, from: string, to: string, date: Date): string {
  return [
    `From MAILER-DAEMON ${date.toUTCString()}`,
    `Message-ID: <m${n}@example.test>`,
    `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
    `From: ${from}`,
    `To: ${to}`,
    `Subject: Note ${n}`,
    "",
    "Body.",
    "",
    "",
  ].join("\n");
}

let dir: string;
let session: StartSession;
let admin: DataverseClient;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rapport-intro-preview-"));
  const mail = path.join(dir, "mail");
  mkdirSync(mail);
  const day = (d: number) => new Date(Date.UTC(2001, 5, d, 15));
  let n = 0;
  const file = (owner: string, lines: [string, string, number][]) =>
    writeFileSync(
      path.join(mail, `${owner.split("@")[0]}.mbox`),
      lines.map(([f, t, d]) => mboxMessage(++n, f, t, day(d))).join(""),
    );
  // Bob knows X well; Alice and Bob write to each other; Alice has never met X.
  file(BOB, [
    [BOB, X, 1],
    [X, BOB, 2],
    [BOB, X, 3],
    [X, BOB, 4],
    [BOB, ALICE, 5],
  ]);
  file(ALICE, [
    [ALICE, BOB, 6],
    [BOB, ALICE, 7],
    [ALICE, BOB, 8],
  ]);
  session = await openStart({ mbox: mail, domains: ["enron.com"], db: path.join(dir, "demo.sqlite") });
  admin = new DataverseClient({
    url: session.dataverse.url,
    token: staticTokenProvider(session.dataverse.token),
  });
});

afterAll(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const userId = async (email: string): Promise<string> => {
  const rows = await admin.retrieveAll("systemusers", {
    select: ["systemuserid"],
    filter: odataFilter`internalemailaddress eq ${email}`,
  });
  return String(rows[0]?.["systemuserid"]);
};

const insightHashes = async () =>
  (await admin.retrieveAll("rp_relationshipinsights", { select: ["rp_key", "rp_contenthash"] }))
    .map((r) => `${String(r["rp_key"])}=${String(r["rp_contenthash"])}`)
    .sort();

test("the helper writes Outlook's When line, to the minute, in UTC", () => {
  expect(meetingWhen(Date.UTC(2026, 11, 7, 21, 30), 30)).toBe(
    "Monday, December 07, 2026 9:30 PM-10:00 PM (GMT) Coordinated Universal Time.",
  );
  expect(meetingWhen(Date.UTC(2026, 0, 1, 0, 5), 60)).toMatch(/^Thursday, January 01, 2026 12:05 AM-1:05 AM/);
});

test("Recompute now reads mail added since start: a meeting moves the accepted request to meeting held", async () => {
  const [alice, bob] = [await userId(ALICE), await userId(BOB)];
  const requestedOn = Date.now();
  const { id } = await admin.create("rp_introductions", {
    rp_name: "Introduction",
    "ownerid@odata.bind": `/systemusers(${alice})`,
    "rp_RequesterId@odata.bind": `/systemusers(${alice})`,
    "rp_IntroducerId@odata.bind": `/systemusers(${bob})`,
    rp_targetemail: X,
    rp_recordtype: choiceValue("recordType", "contact"),
    rp_status: choiceValue("introductionStatus", "accepted"),
    rp_requestedon: new Date(requestedOn).toISOString(),
  });
  const status = async () =>
    (await admin.retrieve("rp_introductions", String(id), {
      select: ["rp_status", "rp_meetingon"],
    })) as Record<string, unknown>;
  const insights = await insightHashes();

  await session.recompute();
  expect((await status())["rp_status"]).toBe(choiceValue("introductionStatus", "accepted"));

  const start = appendMeeting(path.join(dir, "mail"), {
    organizer: ALICE,
    attendees: [X],
    start: Date.now(),
  });
  const run = await session.recompute();
  const after = await status();
  expect(after["rp_status"]).toBe(choiceValue("introductionStatus", "meetingHeld"));
  expect(Date.parse(String(after["rp_meetingon"]))).toBe(start);
  expect(run.introductions.changed).toEqual({ meetingHeld: 1 });
  // Bob, asked once, has a profile with nothing open.
  const profiles = await admin.retrieveAll("rp_introducerprofiles", {
    select: ["_rp_userid_value", "rp_openrequests"],
  });
  expect(profiles).toEqual([expect.objectContaining({ _rp_userid_value: bob, rp_openrequests: 0 })]);
  // The insights are as of the mail's date: the meeting of today is not in them.
  expect(await insightHashes()).toEqual(insights);
});
