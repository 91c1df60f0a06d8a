import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { resolveConfig } from "../../../server/src/core/config";
import type { MessageEnvelope } from "../../../server/src/core/interaction";
import { Normaliser } from "../../../server/src/core/normalise";
import { readMbox } from "../../../server/src/sources/mbox/readMbox";
import type { SourceIssue, SourceItem } from "../../../server/src/sources/sourceItem";

const BAD = path.join(__dirname, "../../fixtures/bad/mbox");

async function readAll(target: string, stats = { copies: 0 }): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of readMbox(target, { seenCopies: new Set(), stats })) out.push(item);
  return out;
}

const issuesOf = (items: SourceItem[]): SourceIssue[] =>
  items.flatMap((i) => (i.type === "issue" ? [i.issue] : []));
const mailOf = (items: SourceItem[]): MessageEnvelope[] =>
  items.flatMap((i) => (i.type === "envelope" && i.envelope.kind === "email" ? [i.envelope] : []));
const base = (f: string): string => path.basename(f);

describe("the bad mbox corpus", () => {
  let items: SourceItem[];
  const stats = { copies: 0 };
  beforeAll(async () => {
    items = await readAll(BAD, stats);
  });

  it("reads every good message in the damaged files and nothing else", () => {
    const perFile: Record<string, number> = {};
    for (const e of mailOf(items)) perFile[base(e.origin.file)] = (perFile[base(e.origin.file)] ?? 0) + 1;
    expect(perFile).toEqual({
      "b-no-separators.mbox": 1,
      "c-truncated.mbox.gz": 19,
      "d-corrupt.mbox.gz": 2,
      "e-invalid-dates.mbox": 1,
      "f-bad-bytes.mbox": 1,
      "g-no-colon.mbox": 1,
      "h-duplicates.mbox": 3,
    });
    // The truncated file's messages are the whole ones before the cut, in order.
    const gz = mailOf(items).filter((e) => base(e.origin.file) === "c-truncated.mbox.gz");
    expect(gz.map((e) => e.subject)).toEqual(Array.from({ length: 19 }, (_, i) => `gz ${i + 1}`));
  });

  it("names each bad item with a code, its file and line", () => {
    const named = issuesOf(items).map((i) => `${i.code} ${base(i.origin.file)}:${i.origin.line}`);
    expect(named).toEqual([
      "notMbox b-no-separators.mbox:1",
      "truncatedGzip c-truncated.mbox.gz:159",
      "corruptGzip d-corrupt.mbox.gz:14",
      "invalidDate e-invalid-dates.mbox:1",
      "invalidDate e-invalid-dates.mbox:7",
      "malformedHeader g-no-colon.mbox:1",
      "malformedHeader g-no-colon.mbox:8",
      "notMbox notes.txt:1",
      "malformedHeader notes.txt:1",
    ]);
  });

  it("counts the same message filed twice once, as a copy, while two messages sharing an id stay two", () => {
    expect(stats.copies).toBe(1);
    const dup = mailOf(items).filter((e) => base(e.origin.file) === "h-duplicates.mbox");
    expect(dup.map((e) => e.messageId)).toEqual(["copy1@t", "same@t", "same@t"]);
    const n = new Normaliser(resolveConfig(), Date.UTC(2003, 0, 1));
    const keys = dup.map((e) => {
      const r = n.message(e);
      if (!r.ok) throw new Error(r.reason);
      return r.interaction.key;
    });
    expect(new Set(keys).size).toBe(3);
  });

  it("never puts an address or a subject into an issue message", () => {
    for (const i of issuesOf(items)) {
      expect(i.message).not.toMatch(/@|example|gz \d|filed twice|good one|eml file/i);
    }
  });

  it("keeps the latin1 reading of invalid UTF-8 and leaves malformed encoded words as text", () => {
    const [e] = mailOf(items).filter((x) => base(x.origin.file) === "f-bad-bytes.mbox");
    expect(e?.from).toEqual({ name: "René", address: "rene@example.com" });
    expect(e?.subject).not.toContain("\ufffd");
    expect(e?.subject?.startsWith("Café ")).toBe(true);
  });

  it("reads a header with 20,000 recipients and the normaliser truncates it at the limit, counted", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "rapport-mbox-"));
    try {
      const to = Array.from({ length: 20_000 }, (_, i) => `r${i}@example.com`).join(",\n\t");
      const file = path.join(dir, "huge.mbox");
      await fs.writeFile(
        file,
        `From x\nMessage-ID: <h@t>\nDate: Mon, 14 May 2001 16:39:00 -0700\nFrom: a@example.com\nTo: ${to}\n\n`,
      );
      const [e] = mailOf(await readAll(file));
      expect(e?.to).toHaveLength(20_000);
      const n = new Normaliser(resolveConfig({ maxRecipients: 5000 }), Date.UTC(2003, 0, 1));
      const r = e ? n.message(e) : undefined;
      expect(r?.ok && r.interaction.to.length).toBe(4999);
      expect(r?.ok && r.interaction.recipientCount).toBe(20_000);
      expect(n.dropped.truncated).toBe(15_001);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("reports a missing path as one named issue", async () => {
    const items2 = await readAll(path.join(BAD, "no-such-file.mbox"));
    expect(issuesOf(items2).map((i) => i.code)).toEqual(["fileNotFound"]);
  });
});
