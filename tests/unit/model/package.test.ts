import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  ALL_TABLES,
  CHOICES,
  CHOICE_NAMES,
  ConnectionColumns,
  RelationshipInsightColumns,
  SettingsColumns,
  SettingsTable,
  choiceName,
  choiceValue,
  type ChoiceSet,
} from "@rapport/model";
import { generateTables } from "../../../model/src/codegen";

const root = join(__dirname, "..", "..", "..");
const src = join(root, "model", "src");

describe("@rapport/model", () => {
  it("has generated names and rows that match the table definitions (npm run generate:model)", () => {
    const onDisk = readFileSync(join(src, "generated", "tables.ts"), "utf8");
    expect(onDisk).toBe(generateTables(ALL_TABLES));
  });

  it("names every column of every table once, by its logical name", () => {
    const table = (name: string) => ALL_TABLES.find((t) => t.logicalName === name)!;
    expect(Object.values(RelationshipInsightColumns)).toEqual(
      table("rp_relationshipinsight").columns.map((c) => c.name),
    );
    expect(Object.values(ConnectionColumns)).toEqual(table("rp_connection").columns.map((c) => c.name));
    expect(Object.values(SettingsColumns)).toEqual(table("rp_settings").columns.map((c) => c.name));
    expect(SettingsTable).toEqual({ logicalName: "rp_settings", entitySetName: "rp_settingses" });
  });

  it("refuses a table definition whose columns would generate the same name twice", () => {
    const [first] = ALL_TABLES;
    const twice = { ...first!, columns: [first!.columns[0]!, first!.columns[0]!] };
    expect(() => generateTables([twice])).toThrow(`Two columns of ${first!.logicalName} generate the key`);
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
