import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip, gzipSync } from "node:zlib";

import { ingestMbox } from "../../../server/src/app/ingest";
import { resolveConfig } from "../../../server/src/core/config";
import { type MboxReadOptions, readMbox } from "../../../server/src/sources/mbox/readMbox";
import type { SourceItem } from "../../../server/src/sources/sourceItem";

// Hostile files (docs/security.md, "Hostile files"): caps are injected small so that the attacks stay cheap.
const KIB = 1024;
const MIB = 1024 * KIB;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rapport-hostile-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const message = (n: number): string =>
  `From sender Mon Jan  1 00:00:00 2001\nMessage-ID: <m${n}@x.example>\nDate: Mon, 1 Jan 2001 10:00:00 +0000\n` +
  `From: a${n}@x.example\nTo: b${n}@y.example\nSubject: s${n}\n\nbody\n`;

async function readAll(target: string, options: MboxReadOptions = {}): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of readMbox(target, { seenCopies: new Set(), stats: { copies: 0 }, ...options }))
    out.push(item);
  return out;
}

/** What was read, in order: each message by its sender, each issue as `code:line`. */
const summary = (items: SourceItem[]): string[] =>
  items.map((i) =>
    i.type === "issue"
      ? `${i.issue.code}:${i.issue.origin.line ?? "-"}`
      : i.envelope.kind === "email"
        ? (i.envelope.from?.address ?? "?")
        : "event",
  );

const small = { headerLine: 64 * KIB, headerBlock: 256 * KIB };
const streamed: MboxReadOptions = { limits: { ...small, wholeFile: 0 } };
const whole: MboxReadOptions = { limits: small };

describe("a header line longer than its cap", () => {
  const longLine = (tail: string): string =>
    message(1) + "From sender Mon Jan  1 00:00:00 2001\nX-Long: " + "a".repeat(200 * KIB) + tail;

  it.each([
    ["streamed", streamed],
    ["read whole", whole],
  ])("skips the message and counts it, then reads on (%s)", async (_, options) => {
    const file = path.join(dir, "long-then-more.mbox");
    writeFileSync(file, longLine("\nSubject: x\n\nbody\n" + message(3)));
    expect(summary(await readAll(file, options))).toEqual([
      "a1@x.example",
      "oversizedHeader:9",
      "a3@x.example",
    ]);
  });

  it("skips a line that never ends, in gzip, streamed", async () => {
    const file = path.join(dir, "long-to-end.mbox.gz");
    writeFileSync(file, gzipSync(longLine("")));
    expect(summary(await readAll(file, streamed))).toEqual(["a1@x.example", "oversizedHeader:9"]);
  });

  it("reads a 32 MiB unbroken line from a gzip stream in time linear in its length", async () => {
    const file = path.join(dir, "long-32m.mbox.gz");
    const text = Buffer.alloc(32 * MIB + 64, "a");
    text.write("From sender Mon Jan  1 00:00:00 2001\nX-Long: ", "latin1");
    writeFileSync(file, gzipSync(text, { level: 1 }));
    const started = performance.now();
    expect(summary(await readAll(file, streamed))).toEqual(["oversizedHeader:1"]);
    // Re-joining the unfinished line for every 16 KB chunk took minutes; one pass takes about a second.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it.each([
    ["streamed", streamed],
    ["read whole", whole],
  ])("keeps the line numbers of the messages after it (%s)", async (_, options) => {
    const file = path.join(dir, "long-lines.mbox");
    writeFileSync(file, longLine("\n") + "\n" + message(3));
    const lines = (await readAll(file, options)).map((i) =>
      i.type === "issue" ? i.issue.origin.line : i.envelope.origin.line,
    );
    // The separator of the skipped message is line 9, its long header line 10, a blank line 11.
    expect(lines).toEqual([1, 9, 12]);
  });
});

describe("a header block longer than its cap", () => {
  it.each([
    ["streamed", streamed],
    ["read whole", whole],
  ])("skips the message made of many short lines and counts it (%s)", async (_, options) => {
    const file = path.join(dir, "long-block.mbox");
    const lines = Array.from({ length: 8000 }, (_, i) => `X-Filler-${i}: ${"b".repeat(40)}\n`).join("");
    writeFileSync(
      file,
      message(1) + "From sender Mon Jan  1 00:00:00 2001\n" + lines + "\nbody\n" + message(3),
    );
    expect(summary(await readAll(file, options))).toEqual([
      "a1@x.example",
      "oversizedHeader:9",
      "a3@x.example",
    ]);
  });
});

describe("a gzip file that inflates past the whole-file limit", () => {
  it("is streamed with the same result, never held whole", async () => {
    const file = path.join(dir, "bomb.mbox.gz");
    // 125 MiB of whole lines, written through a gzip stream so that the test itself holds no large buffer.
    const line = "body text, the same line again and again\n";
    const block = Buffer.alloc(line.length * 25_000, line);
    const gz = createGzip();
    const written = pipeline(gz, createWriteStream(file));
    gz.write(message(1));
    for (let i = 0; i < 128; i++) if (!gz.write(block)) await once(gz, "drain");
    gz.end(message(2));
    await written;
    let peak = 0;
    const items: SourceItem[] = [];
    for await (const item of readMbox(file, {
      limits: { wholeFile: 4 * MIB },
      onBytes: () => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)),
    })) {
      items.push(item);
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }
    expect(summary(items)).toEqual(["a1@x.example", "a2@x.example"]);
    // The inflated 125 MiB was held at once before; streaming holds a few chunks, plus the chunks already
    // parsed that GC has not freed yet (V8 collects them at about 64 MiB of external memory).
    expect(peak).toBeLessThan(96 * MIB);
  });
});

describe("what is not a regular file", () => {
  it("refuses a named pipe without waiting for a writer", async () => {
    const fifo = path.join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    expect(summary(await readAll(fifo))).toEqual(["notRegularFile:-"]);
  });

  it("refuses a character device without reading it", async () => {
    expect(summary(await readAll("/dev/zero"))).toEqual(["notRegularFile:-"]);
  });

  it("counts symbolic links and special files in a folder with a reason, and reads the regular files", async () => {
    const folder = path.join(dir, "folder");
    mkdirSync(folder);
    writeFileSync(path.join(folder, "a.mbox"), message(1));
    writeFileSync(path.join(dir, "outside.mbox"), message(2));
    symlinkSync(path.join(dir, "outside.mbox"), path.join(folder, "b-link.mbox"));
    symlinkSync("/dev/zero", path.join(folder, "c-zero.mbox"));
    execFileSync("mkfifo", [path.join(folder, "d-pipe.mbox")]);
    mkdirSync(path.join(folder, "e-sub"));
    const items = await readAll(folder);
    expect(summary(items)).toEqual([
      "notRegularFile:-",
      "notRegularFile:-",
      "notRegularFile:-",
      "a1@x.example",
    ]);
    const reasons = items.flatMap((i) =>
      i.type === "issue" ? [`${path.basename(i.issue.origin.file)} ${i.issue.message}`] : [],
    );
    expect(reasons).toEqual([
      expect.stringMatching(/^b-link\.mbox a symbolic link: not followed/),
      expect.stringMatching(/^c-zero\.mbox a symbolic link: not followed/),
      "d-pipe.mbox a named pipe: not read",
    ]);

    // The ingestion report counts them, on one thread and on workers alike.
    for (const workers of [1, 2]) {
      const { report } = await ingestMbox(folder, {
        config: resolveConfig({ orgDomains: ["x.example"] }),
        now: 0,
        workers,
      });
      expect(report.issues).toEqual({ notRegularFile: 3 });
      expect(report.files).toBe(1);
    }
  });
});

describe("the streaming reader", () => {
  it("yields exactly what reading whole yields, on real mail and on the damaged plain files", async () => {
    const sample = path.join(__dirname, "../../../server/data/sample");
    const bad = path.join(__dirname, "../../fixtures/bad/mbox");
    // The damaged gzip files are left out: read whole, a binary search finds more of what precedes the damage.
    const targets = [
      path.join(sample, "ring-r.mbox.gz"),
      path.join(sample, "south-s.mbox.gz"),
      ...[
        "b-no-separators.mbox",
        "e-invalid-dates.mbox",
        "f-bad-bytes.mbox",
        "g-no-colon.mbox",
        "h-duplicates.mbox",
      ].map((f) => path.join(bad, f)),
    ];
    for (const target of targets) {
      const whole = await readAll(target);
      expect(whole.length).toBeGreaterThan(0);
      expect(await readAll(target, { limits: { wholeFile: 0 } })).toEqual(whole);
    }
  });
});
