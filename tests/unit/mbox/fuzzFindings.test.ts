import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";

import { gunzipChunkSize, readMbox } from "../../../server/src/sources/mbox/readMbox";
import type { SourceItem } from "../../../server/src/sources/sourceItem";

/** Regression tests for what the seeded fuzz test (tests/fuzz) found in the mbox reader. */

async function readText(text: string | Buffer, name = "x.mbox"): Promise<SourceItem[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "rapport-fuzzfind-"));
  try {
    const file = path.join(dir, name);
    await fs.writeFile(file, text);
    const out: SourceItem[] = [];
    for await (const item of readMbox(file)) out.push(item);
    return out;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const HEADERS =
  "Message-ID: <a@t>\nDate: Mon, 14 May 2001 16:39:00 -0700\nFrom: a@example.com\nTo: b@example.org\n";

describe("mbox reader, fuzz findings", () => {
  it("counts a separator with no header line as a skipped message, at the separator's line", async () => {
    const items = await readText(`From x\n${HEADERS}\nFrom y\n\nFrom z\n${HEADERS}\nFrom end\n`);
    expect(items.filter((i) => i.type === "envelope")).toHaveLength(2);
    const issues = items.flatMap((i) => (i.type === "issue" ? [i.issue] : []));
    expect(issues.map((i) => [i.code, i.origin.line])).toEqual([
      ["malformedHeader", 7],
      ["malformedHeader", 15],
    ]);
    expect(issues[0]?.message).toBe("no header lines after the separator");
  });

  it("does the same on the streaming path's chunk boundaries (gzip)", async () => {
    const items = await readText(gzipSync(`From x\n\nFrom z\n${HEADERS}\n`), "x.mbox.gz");
    expect(items.map((i) => i.type)).toEqual(["issue", "envelope"]);
  });

  it("does not believe a gzip trailer that claims more than deflate can give", () => {
    const honest = gzipSync(Buffer.alloc(1_000_000, 120));
    expect(gunzipChunkSize(honest)).toBe(1_000_001);
    const lying = Buffer.from(honest);
    lying.writeUInt32LE(0xffff_fff0, lying.length - 4);
    // ~1 KB of gzip can inflate to about 1 MB at most: the buffer stays near that, not 256 MiB.
    expect(gunzipChunkSize(lying)).toBeLessThanOrEqual(lying.length * 1033 + 1);
    expect(gunzipChunkSize(lying)).toBeGreaterThanOrEqual(1_000_001);
    const tiny = Buffer.concat([gzipSync("From x\n"), Buffer.alloc(0)]);
    tiny.writeUInt32LE(200 * 2 ** 20, tiny.length - 4);
    expect(gunzipChunkSize(tiny)).toBeLessThan(2 ** 20);
  });
});
