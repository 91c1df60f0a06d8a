import { readFileSync } from "node:fs";
import path from "node:path";

import {
  ALL_TABLES,
  type Depth,
  roleByKey,
  roleMatrix,
  type Verb,
  VERBS,
} from "../../server/src/dataverse/model";

// The role matrix in docs/solution.md is the model's: this renders it from the role definitions (the same
// ones the solution ships and the local endpoint enforces) and checks the doc holds exactly that table.

const COLUMNS = ["reader", "administrator", "service", "salesperson"].map(roleByKey);
const LETTER: Record<Verb, string> = {
  Create: "C",
  Read: "R",
  Write: "W",
  Delete: "D",
  Append: "A",
  AppendTo: "T",
  Assign: "G",
  Share: "S",
};

function cell(verbs: Map<Verb, Depth> | undefined): string {
  if (!verbs) return "";
  const at = (d: (x: Depth) => boolean) =>
    VERBS.filter((v) => verbs.has(v) && d(verbs.get(v)!))
      .map((v) => LETTER[v])
      .join("");
  const global = at((d) => d !== "Basic");
  const own = at((d) => d === "Basic");
  return [global, own ? `${own} (own)` : ""].filter(Boolean).join(" + ");
}

export function renderRoleMatrix(): string {
  const matrices = COLUMNS.map(roleMatrix);
  const rows = ALL_TABLES.filter((t) => matrices.some((m) => m.has(t.logicalName))).map(
    (t) => `| \`${t.logicalName}\` | ${matrices.map((m) => cell(m.get(t.logicalName))).join(" | ")} |`,
  );
  return [
    `| Table | ${COLUMNS.map((r) => r.name).join(" | ")} |`,
    `|---|${COLUMNS.map(() => "---").join("|")}|`,
    ...rows,
  ].join("\n");
}

test("docs/solution.md's role matrix is the model's roles, table by table", () => {
  const doc = readFileSync(path.join(__dirname, "../../docs/solution.md"), "utf8");
  const table = renderRoleMatrix();
  if (!doc.includes(table)) throw new Error(`docs/solution.md should hold this role matrix:\n\n${table}\n`);
});

test("the matrix could tell a change: Rapport Service reads settings and may not write them", () => {
  const service = roleMatrix(roleByKey("service")).get("rp_settings");
  expect([...(service?.keys() ?? [])]).toEqual(["Read"]);
  expect(cell(roleMatrix(roleByKey("salesperson")).get("contact"))).toBe("RT + CWDA (own)");
});
