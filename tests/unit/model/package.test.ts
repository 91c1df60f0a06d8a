import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import {
  ALL_TABLES,
  CHOICE_NAMES,
  choiceName,
  CHOICES,
  type ChoiceSet,
  choiceValue,
  ConnectionColumns,
  RelationshipInsightColumns,
  SettingsColumns,
  SettingsTable,
} from "@rapport/model";

import { generateTables } from "../../../model/src/codegen";

const root = join(__dirname, "..", "..", "..");
const src = join(root, "model", "src");

describe("@rapport/model", () => {
  it("has generated names and rows that match the table definitions (npm run generate:model)", () => {
    const files = generateTables(ALL_TABLES);
    const dir = join(src, "generated");
    const onDisk = ["tables.ts", ...readdirSync(join(dir, "columns")).map((f) => `columns/${f}`)];
    expect(onDisk.sort()).toEqual(Object.keys(files).sort());
    for (const [file, text] of Object.entries(files))
      expect([file, readFileSync(join(dir, file), "utf8")]).toEqual([file, text]);
  });

  it("names every column of every table once, by its logical name", () => {
    const table = (name: string) => ALL_TABLES.find((t) => t.logicalName === name)!;
    const names = (columns: object) => Object.values(columns).sort();
    const defined = (t: string) =>
      table(t)
        .columns.map((c) => c.name)
        .sort();
    expect(names(RelationshipInsightColumns)).toEqual(defined("rp_relationshipinsight"));
    expect(names(ConnectionColumns)).toEqual(defined("rp_connection"));
    expect(names(SettingsColumns)).toEqual(defined("rp_settings"));
    expect(RelationshipInsightColumns.healthScore).toBe("rp_healthscore");
    expect(SettingsTable).toEqual({ logicalName: "rp_settings", entitySetName: "rp_settingses" });
  });

  it("refuses a table definition whose columns would generate the same name twice", () => {
    const [first] = ALL_TABLES;
    const twice = { ...first!, columns: [first!.columns[0]!, first!.columns[0]!] };
    expect(() => generateTables([twice])).toThrow(`Two columns of ${first!.logicalName} generate the key`);
    const reserved = { ...first!, columns: [{ ...first!.columns[0]!, schemaName: "Delete" }] };
    expect(() => generateTables([reserved])).toThrow("generates the reserved word delete");
  });

  it("numbers each choice's options as its names are ordered", () => {
    for (const set of Object.keys(CHOICE_NAMES) as ChoiceSet[]) {
      const names = CHOICE_NAMES[set] as readonly string[];
      expect(CHOICES[set].core).toBe(CHOICE_NAMES[set]);
      expect(CHOICES[set].options.map((o) => o.value)).toEqual(names.map((n) => choiceValue(set, n)));
      for (const n of names) expect(choiceName(set, choiceValue(set, n))).toBe(n);
    }
    expect(() => choiceValue("band", "unknown")).toThrow('No band choice for "unknown"');
  });

  it("is pure: its sources import only each other (no Node modules, no server code)", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
      );
    const offending: string[] = [];
    for (const file of files(src)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bfrom\s+"([^"]+)"|\brequire\("([^"]+)"\)|\bimport\("([^"]+)"\)/g)) {
        const spec = m[1] ?? m[2] ?? m[3]!;
        if (!spec.startsWith("./") && !spec.startsWith("../")) offending.push(`${file}: ${spec}`);
        if (spec.startsWith("../") && !join(file, "..", spec).startsWith(src))
          offending.push(`${file}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it("is marked free of side effects, so bundlers keep only the constants a control uses", () => {
    const pkg = JSON.parse(readFileSync(join(root, "model", "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(pkg).toMatchObject({ name: "@rapport/model", sideEffects: false });
  });
});
