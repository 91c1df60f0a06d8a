/**
 * Mail a preview test can add to while the preview runs: "Recompute now" reads the mbox folder again
 * (server/src/app/start.ts), so a meeting appended here moves an accepted introduction to "meeting held".
 *
 *   const mail = previewMailDir();                       // a copy of the bundled sample, in a temp folder
 *   session = await openStart({ mbox: mail, domains: ["enron.com"], db });
 *   …ask, accept…
 *   appendMeeting(mail, { organizer: seller, attendees: [person], start: Date.now() });
 *   …click "Recompute now"…
 *
 * The meeting is an Outlook meeting request in mbox form (an X-Meeting-When line, as the sample's own),
 * which the mbox reader takes as a meeting starting at that time. Its start is written to the minute (the
 * line's precision) in UTC; the rules count a meeting in the minute of the request as after it, and a
 * meeting that starts after the recompute's clock as not held yet, so `start: Date.now()` taken after the
 * request is what a test wants.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { SAMPLE_DIR } from "../../server/src/app/start";

/** The file the meetings go to (sorted after the sample's files). */
export const ADDED_MAIL_FILE = "zz-added.mbox";

/** A temporary copy of the bundled sample's mbox folder (remove it after the test). */
export function previewMailDir(source: string = SAMPLE_DIR): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rapport-preview-mail-"));
  for (const f of readdirSync(source))
    if (f.endsWith(".mbox.gz")) copyFileSync(path.join(source, f), path.join(dir, f));
  return dir;
}

export interface MeetingToAdd {
  /** The organiser's address (the seller, say). */
  organizer: string;
  /** Required attendees' addresses (the person introduced, say). */
  attendees: string[];
  /** Start, epoch ms or a Date; written to the minute, in UTC. */
  start: number | Date;
  /** Length in minutes (default 30). */
  minutes?: number;
  subject?: string;
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const two = (n: number) => String(n).padStart(2, "0");
const clock = (d: Date) =>
  `${((d.getUTCHours() + 11) % 12) + 1}:${two(d.getUTCMinutes())} ${d.getUTCHours() < 12 ? "AM" : "PM"}`;

/** Outlook's When line in UTC: "Monday, December 07, 2026 9:30 PM-10:00 PM (GMT) Coordinated Universal Time." */
export function meetingWhen(start: number, minutes: number): string {
  const s = new Date(start);
  const e = new Date(start + minutes * 60_000);
  const day = `${DAYS[s.getUTCDay()]}, ${MONTHS[s.getUTCMonth()]} ${two(s.getUTCDate())}, ${s.getUTCFullYear()}`;
  return `${day} ${clock(s)}-${clock(e)} (GMT) Coordinated Universal Time.`;
}

let added = 0;

/**
 * Appends a meeting request from `organizer` to `attendees` to the folder's added-mail file. Returns the
 * meeting's start as written (the minute), epoch ms.
 */
export function appendMeeting(dir: string, m: MeetingToAdd): number {
  const start = Math.floor(new Date(m.start).getTime() / 60_000) * 60_000;
  const sent = new Date(start);
  const id = `<rapport-test-meeting-${start}-${++added}-${process.pid}@example.test>`;
  const lines = [
    `From MAILER-DAEMON ${sent.toUTCString()}`,
    `Message-ID: ${id}`,
    `Date: ${sent.toUTCString().replace("GMT", "+0000")}`,
    `From: ${m.organizer}`,
    `To: ${m.attendees.join(", ")}`,
    `Subject: ${m.subject ?? "Introduction follow-up"}`,
    "Mime-Version: 1.0",
    "Content-Type: text/plain; charset=us-ascii",
    `X-Meeting-When: ${meetingWhen(start, m.minutes ?? 30)}`,
    "",
    "Meeting request added by a test.",
    "",
    "",
  ];
  appendFileSync(path.join(dir, ADDED_MAIL_FILE), lines.join("\n"));
  return start;
}
