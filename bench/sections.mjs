// docs/benchmarks.md is written by several benchmark scripts: each owns the part between its markers
// (<!-- bench:NAME --> ... <!-- /bench:NAME -->) and leaves the rest of the file as it is.
import fs from "node:fs";

export function writeSection(file, name, markdown) {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  const next =
    a >= 0 && b > a
      ? text.slice(0, a) + block + text.slice(b + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, next);
}

/** The sections other scripts own, to keep when a script rewrites the file's own part. */
export function otherSections(file, except) {
  if (!fs.existsSync(file)) return "";
  const text = fs.readFileSync(file, "utf8");
  const out = [];
  for (const m of text.matchAll(/<!-- bench:([\w-]+) -->[\s\S]*?<!-- \/bench:\1 -->/g))
    if (m[1] !== except) out.push(m[0]);
  return out.join("\n\n");
}
