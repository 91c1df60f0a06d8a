#!/usr/bin/env node
// Builds the bundled sample (server/data/sample) from the Enron header corpus in ../shared/data/enron:
// the ten complete mailboxes with the most distinct external correspondents over 2000-2001, keeping
// only messages dated 2000-01-01 to 2001-12-31, header blocks unchanged. Run once by a maintainer;
// the product reads only the copy it writes. Usage: node scripts/make-sample.mjs [SHARED_ENRON_DIR]
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const SRC = process.argv[2] ?? path.resolve(import.meta.dirname, "../../shared/data/enron");
const OUT = path.resolve(import.meta.dirname, "../server/data/sample");
const MAILBOXES = [
  "lay-k",
  "griffith-j",
  "perlingiere-d",
  "rogers-b",
  "ward-k",
  "williams-j",
  "south-s",
  "baughman-d",
  "ermis-f",
  "ring-r",
];
const FROM = Date.UTC(2000, 0, 1);
const TO = Date.UTC(2002, 0, 1);

fs.mkdirSync(OUT, { recursive: true });
let total = 0;
for (const mailbox of MAILBOXES) {
  const text = zlib
    .gunzipSync(fs.readFileSync(path.join(SRC, "mbox-headers", `${mailbox}.mbox.gz`)))
    .toString("latin1");
  const blocks = text.split(/\n(?=From \S)/);
  const kept = blocks.filter((b) => {
    const m = /^Date: (.*)$/m.exec(b);
    const at = m ? Date.parse(m[1].replace(/\([^)]*\)/g, "")) : NaN;
    return at >= FROM && at < TO;
  });
  // Each message ends with an empty line before the next separator, as mail tools write mbox.
  const body = kept.map((b) => b.replace(/\n*$/, "\n\n")).join("");
  const gz = zlib.gzipSync(Buffer.from(body, "latin1"), { level: 9 });
  fs.writeFileSync(path.join(OUT, `${mailbox}.mbox.gz`), gz);
  total += gz.length;
  console.log(`${mailbox}: ${kept.length} of ${blocks.length} messages, ${gz.length} bytes`);
}
console.log(`total ${total} bytes`);
