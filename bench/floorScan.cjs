// The floor of reading an mbox folder (bench/floor.mjs): gunzip every file in one go and find every line
// end, on one thread. No reader can do less; Rapport's backtest is measured against it.
//   node bench/floorScan.cjs DIR   -> prints {"files","bytes","lines","ms"}
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const dir = process.argv[2];
const started = performance.now();
let bytes = 0;
let lines = 0;
let files = 0;
for (const name of fs.readdirSync(dir).sort()) {
  if (!name.endsWith(".gz")) continue;
  const data = zlib.gunzipSync(fs.readFileSync(path.join(dir, name)));
  files++;
  bytes += data.length;
  for (let p = data.indexOf(10); p !== -1; p = data.indexOf(10, p + 1)) lines++;
}
console.log(JSON.stringify({ files, bytes, lines, ms: performance.now() - started }));
