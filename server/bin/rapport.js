#!/usr/bin/env node
"use strict";
// The `rapport` command runs the compiled CLI (npm install builds it through the root "prepare" script).
const path = require("node:path");
const { existsSync } = require("node:fs");
const entry = path.join(__dirname, "..", "dist", "cli", "main.js");
if (!existsSync(entry)) {
  process.stderr.write(
    "rapport: the server is not built yet: run `npm install` (or `npm run build`) at the repository root\n",
  );
  process.exit(2);
}
require(entry)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
