import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";

import { resolveConfig } from "../../../server/src/core/config";
import type { MessageEnvelope } from "../../../server/src/core/interaction";
import { Normaliser } from "../../../server/src/core/normalise";
import { copyKey, CopySet, HeaderScan, parseMailDate } from "../../../server/src/sources/mbox/headerBlock";
import { parseMeetingWhen } from "../../../server/src/sources/mbox/meetingWhen";
import { readMbox } from "../../../server/src/sources/mbox/readMbox";
import { InteractionDecoder, InteractionEncoder } from "../../../server/src/sources/mbox/workerProtocol";

const SAMPLE = path.join(__dirname, "../../fixtures/mbox/sample.mbox");
const NOW = Date.UTC(2003, 0, 1);

async function mail(target: string, stats = { copies: 0 }): Promise<MessageEnvelope[]> {
  const out: MessageEnvelope[] = [];
  for await (const item of readMbox(target, { seenCopies: new Set(), stats })) {
    if (item.type === "envelope" && item.envelope.kind === "email") out.push(item.envelope);
  }
  return out;
}

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "rapport-mbox-"));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of tempDirs) await fs.rm(d, { recursive: true, force: true });
});

describe("reading mbox headers", () => {
  it("parses quoted display names, RFC 2047 words in names and subjects, and folded lines", async () => {
    const [first] = await mail(SAMPLE);
    expect(first?.from).toEqual({ name: "O'Brien, Pat", address: "Pat.OBrien@Example.com" });
    expect(first?.to).toEqual([
      { name: "José García", address: "jose@example.com" },
      { name: "Smith, Ann", address: "ann@example.com" },
    ]);
    expect(first?.subject).toBe("RE: Pricing é");
    expect(first?.messageId).toBe("1.a@thyme");
  });

  it("gives the exact UTC instant of a date with a time-zone comment", async () => {
    const [first] = await mail(SAMPLE);
    expect(first?.sentAt).toBe(Date.UTC(2001, 4, 14, 23, 39, 0));
    expect(parseMailDate("Wed, 16 May 2001 10:00:00 -0500 (CDT)")).toBe(Date.UTC(2001, 4, 16, 15, 0, 0));
    expect(parseMailDate("16 May 2001 10:00 +0130")).toBe(Date.UTC(2001, 4, 16, 8, 30, 0));
    expect(parseMailDate("Thu, 1 Jan 2044 00:00:00 +0000")).toBe(Date.UTC(2044, 0, 1));
    expect(parseMailDate("next Tuesday")).toBeNaN();
    expect(parseMailDate(undefined)).toBeNaN();
  });

  it("decodes a raw 8-bit UTF-8 header", async () => {
    const all = await mail(SAMPLE);
    const last = all[all.length - 1];
    expect(last?.from).toEqual({ name: "Zoë Example", address: "zoe@example.com" });
    expect(last?.subject).toBe("Café plans");
  });

  it("reads X-Meeting-When as exact instants", async () => {
    const meeting = (await mail(SAMPLE)).find((e) => e.meeting);
    expect(meeting?.meeting).toEqual({
      start: Date.UTC(2001, 7, 6, 16, 0),
      end: Date.UTC(2001, 7, 6, 16, 30),
    });
    expect(parseMeetingWhen("Friday, December 07, 2001 11:30 PM-12:30 AM (GMT-06:00) Central Time.")).toEqual(
      {
        start: Date.UTC(2001, 11, 8, 5, 30),
        end: Date.UTC(2001, 11, 8, 6, 30),
      },
    );
    expect(parseMeetingWhen("Occurs every Monday")).toBeUndefined();
  });

  it("reads plain and gzip files alike, and a folder of files once per message", async () => {
    const dir = await tempDir();
    const text = await fs.readFile(SAMPLE);
    await fs.writeFile(path.join(dir, "a.mbox"), text);
    await fs.writeFile(
      path.join(dir, "b.mbox.gz"),
      gzipSync(
        Buffer.from(text.toString("latin1").replace(/Message-ID: <(\d)/g, "Message-ID: <x$1"), "latin1"),
      ),
    );
    const plain = await mail(path.join(dir, "a.mbox"));
    const gz = await mail(path.join(dir, "b.mbox.gz"));
    expect(gz.map((e) => [e.sentAt, e.subject, e.from])).toEqual(
      plain.map((e) => [e.sentAt, e.subject, e.from]),
    );
    const stats = { copies: 0 };
    const both = await mail(dir, stats);
    expect(both).toHaveLength(plain.length);
    expect(stats.copies).toBe(plain.length);
  });

  it("gives the same copy key to blocks that differ only in Message-ID, and different keys otherwise", () => {
    const a = ["Message-ID: <1@x>", "Date: Mon, 14 May 2001 16:39:00 -0700", "Subject: a"];
    const b = ["Message-ID: <2@x>", "Date: Mon, 14 May 2001 16:39:00 -0700", "Subject: a"];
    const c = ["Message-ID: <1@x>", "Date: Mon, 14 May 2001 16:39:00 -0700", "Subject: b"];
    expect(copyKey(a)).toBe(copyKey(b));
    expect(copyKey(a)).not.toBe(copyKey(c));
  });

  it("reads folded and blank-padded values from bytes as the unfolded, trimmed text", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "fold.mbox");
    const block = (id: string, to: string) =>
      `From x Mon Jan  1 00:00:00 2001\r\nMessage-ID: <${id}>\r\nDate: Mon, 14 May 2001 16:39:00 -0700\r\n` +
      `From: a@x.com\r\nTo:${to}\r\nSubject: \t hi \u00a0\r\n\r\n`;
    await fs.writeFile(
      file,
      Buffer.from(
        block("1@x", " b@x.com,\r\n\t c@x.com ") +
          block("2@x", "  b@x.com,\r\n  c@x.com\u00a0") +
          block("3@x", " b@x.com, c@x.com"),
        "latin1",
      ),
    );
    const stats = { copies: 0 };
    const [first, ...rest] = await mail(file, stats);
    expect(first?.to.map((m) => m.address)).toEqual(["b@x.com", "c@x.com"]);
    expect(first?.subject).toBe("hi");
    // The same unfolded text is the same message, whatever the folding: the later two are copies.
    expect(rest).toHaveLength(0);
    expect(stats.copies).toBe(2);
  });

  it("keeps copy keys in a CopySet as a Set of copyKey() numbers would", () => {
    const set = new Set<number>();
    const copies = new CopySet();
    for (let i = 0; i < 50_000; i++) {
      const scan = new HeaderScan();
      scan.addLine(`Subject: ${i % 20_000}`);
      scan.addLine(`Date: ${i % 3}`);
      scan.endLine();
      const key = scan.copyKey();
      expect(key).toBe(scan.copyHi() * 4294967296 + scan.copyLo());
      const had = set.has(key);
      set.add(key);
      if (copies.add(scan.copyHi(), scan.copyLo()) !== had) throw new Error(`differs at ${i}`);
    }
    expect(copies.size).toBe(set.size);
  });

  it("matches wanted header names in any case and passes over the others", () => {
    const scan = new HeaderScan();
    for (const l of ["SUBJECT: x", "x-to: y", "X-Meeting-When : z", "subject: second"]) scan.addLine(l);
    scan.endLine();
    expect(scan.get("subject")).toBe("x");
    expect(scan.get("x-meeting-when")).toBe("z");
    expect(scan.size).toBe(2);
  });
});

describe("normalising the sample", () => {
  it("skips automated senders and auto-replies with their reason and keeps the rest", async () => {
    const n = new Normaliser(resolveConfig({ orgDomains: ["example.com"] }), NOW);
    const results = (await mail(SAMPLE)).map((e) => n.message(e));
    expect(results.map((r) => (r.ok ? r.interaction.kind : r.reason))).toEqual([
      "email",
      "automatedSender",
      "autoReply",
      "meeting",
      "email",
    ]);
    // Notes names, X.500 and undisclosed recipients are kept out and counted.
    expect(n.dropped).toMatchObject({ notesName: 1, x500: 1, undisclosed: 1 });
    const first = results[0];
    expect(first?.ok && first.interaction.cc).toEqual([]);
    expect(first?.ok && first.interaction.recipientCount).toBe(5);
    expect(first?.ok && first.interaction.isReply).toBe(true);
  });

  it("packs interactions for the worker channel without changing them", async () => {
    const n = new Normaliser(resolveConfig(), NOW);
    const xs = (await mail(SAMPLE)).flatMap((e) => {
      const r = n.message(e);
      return r.ok ? [r.interaction] : [];
    });
    const enc = new InteractionEncoder();
    const dec = new InteractionDecoder();
    for (const x of xs.slice(0, 1)) enc.add(x);
    const part1 = dec.decode(enc.take());
    for (const x of xs.slice(1)) enc.add(x);
    const part2 = dec.decode(enc.take());
    expect([...part1, ...part2]).toStrictEqual(xs);
  });
});

describe("reading with a cutoff", () => {
  const MAILBOX = path.join(__dirname, "../../../server/data/sample/lay-k.mbox.gz");
  const CUTOFF = Date.UTC(2001, 1, 1);

  async function items(
    before?: number,
  ): Promise<{ envelopes: MessageEnvelope[]; issues: string[]; late: number }> {
    const stats = { copies: 0, late: 0 };
    const envelopes: MessageEnvelope[] = [];
    const issues: string[] = [];
    for await (const item of readMbox(MAILBOX, {
      seenCopies: new Set(),
      stats,
      ...(before ? { before } : {}),
    })) {
      if (item.type === "issue") issues.push(`${item.issue.code}@${item.issue.origin.line}`);
      else if (item.envelope.kind === "email") envelopes.push(item.envelope);
    }
    return { envelopes, issues, late: stats.late };
  }

  it("yields exactly the messages dated before it, and counts the others without parsing them", async () => {
    const all = await items();
    const cut = await items(CUTOFF);
    const early = all.envelopes.filter((e) => e.sentAt < CUTOFF);
    // Both sides of the cutoff are well represented in this mailbox, so the test can tell them apart.
    expect(early.length).toBeGreaterThan(500);
    expect(all.envelopes.length - early.length).toBeGreaterThan(500);
    expect(cut.envelopes).toEqual(early);
    expect(cut.late).toBe(all.envelopes.length - early.length);
    expect(cut.issues).toEqual(all.issues);
  });
});
