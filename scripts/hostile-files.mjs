#!/usr/bin/env node
// Writes the hostile inputs measured in docs/security.md ("Hostile files") into a folder, so that anyone can
// run the same attacks against `rapport insights` / `backtest`. Nothing here is committed output: every
// file is generated (the large ones are streamed through gzip, so writing them needs little memory).
//
//   node scripts/hostile-files.mjs <folder>
//
// long-line.mbox.gz   a separator and one header line of 300 MiB with no line break (306 KB gzip)
// rcpt-1500.mbox      one message to 1,500 external recipients
// rcpt-4500.mbox      one message to 4,500 external recipients
// inflate-1g.mbox.gz  one message whose body inflates to 1 GiB (about 1 MB gzip)
// fifo                a named pipe (no writer: opening it for reading blocks)
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createGzip } from "node:zlib";

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: node scripts/hostile-files.mjs <folder>\n");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });

const MIB = 1024 * 1024;

/** Streams `total` bytes made of `head` then repeats of `unit` into a gzip file. */
async function gzipFile(file, head, unit, total) {
  const gz = createGzip({ level: 9 });
  const out = createWriteStream(file);
  gz.pipe(out);
  gz.write(head);
  const block = Buffer.alloc(MIB, unit);
  let left = total - Buffer.byteLength(head);
  while (left > 0) {
    const piece = left >= block.length ? block : block.subarray(0, left);
    if (!gz.write(piece)) await once(gz, "drain");
    left -= piece.length;
  }
  gz.end();
  await once(out, "close");
}

function recipients(n) {
  const to = [];
  for (let i = 0; i < n; i++) to.push(`p${i}@ext${i % 50}.example`);
  return (
    "From alice@enron.com Fri Jun  1 10:00:00 2001\n" +
    "Message-ID: <many@enron.com>\n" +
    "Date: Fri, 1 Jun 2001 10:00:00 +0000\n" +
    "From: alice@enron.com\n" +
    `To: ${to.join(",\n\t")}\n` +
    "Subject: hello\n\n"
  );
}

await gzipFile(
  path.join(dir, "long-line.mbox.gz"),
  "From alice@enron.com Fri Jun  1 10:00:00 2001\nX-Long: ",
  "a",
  300 * MIB,
);
writeFileSync(path.join(dir, "rcpt-1500.mbox"), recipients(1500));
writeFileSync(path.join(dir, "rcpt-4500.mbox"), recipients(4500));
await gzipFile(
  path.join(dir, "inflate-1g.mbox.gz"),
  "From alice@enron.com Fri Jun  1 10:00:00 2001\nDate: Fri, 1 Jun 2001 10:00:00 +0000\n" +
    "From: alice@enron.com\nTo: bob@other.example\n\n",
  "body text, the same line again and again\n",
  1024 * MIB,
);
try {
  execFileSync("mkfifo", [path.join(dir, "fifo")]);
} catch {
  process.stderr.write("mkfifo failed (exists already, or not available here)\n");
}
process.stdout.write(`wrote hostile inputs to ${dir}\n`);
