import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { INSIGHT_ROW } from "../../testing/fixtures";
import { resxStrings } from "../../testing/pcf";
import { formatter } from "../format";
import {
  choiceOf,
  HEALTH_STATUS,
  parseHistory,
  parseIntroducers,
  parseMostContacted,
  parseReasons,
  parseTimeline,
} from "../insight";
import { fill, SHARED_KEYS, strings } from "../strings";
import { isNotFound, isPrivilegeError } from "../webapi";

describe("insight JSON columns", () => {
  test("parse the columns of a real published insight", () => {
    const reasons = parseReasons(INSIGHT_ROW.rp_reasons as string);
    expect(reasons[0]).toMatchObject({ code: "recentContact", effect: 2 });
    const most = parseMostContacted(INSIGHT_ROW.rp_mostcontacted as string);
    expect(most.mostContactedBy.theirs[0]).toEqual({ address: "ampaez@earthlink.net", count: 19 });
    const timeline = parseTimeline(INSIGHT_ROW.rp_timeline as string);
    expect(timeline.days).toHaveLength(60);
    expect(parseHistory(INSIGHT_ROW.rp_activityhistory as string)[0]).toMatchObject({
      kind: "email",
      direction: "out",
    });
    expect(parseIntroducers(INSIGHT_ROW.rp_introducers as string)[0]).toMatchObject({
      name: "John Griffith",
      band: "strong",
    });
  });

  test("malformed or missing JSON gives empty values, never an exception", () => {
    for (const bad of [null, undefined, "", "{", "42", '"x"', "null"]) {
      expect(parseReasons(bad)).toEqual([]);
      expect(parseHistory(bad)).toEqual([]);
      expect(parseIntroducers(bad)).toEqual([]);
      expect(parseTimeline(bad)).toEqual({ weeks: [], days: [] });
      expect(parseMostContacted(bad).mostContacted).toEqual({ ours: [], theirs: [] });
    }
    expect(
      parseHistory('[{"at":"2001-01-01","kind":"fax","direction":"sideways","ours":[1,"a@x"]}]'),
    ).toEqual([{ at: "2001-01-01", kind: "email", direction: "out", ours: ["a@x"], theirs: [] }]);
  });

  test("history items carry subject and activity id only when the row has them", () => {
    const [plain, tracked] = parseHistory(
      JSON.stringify([
        { at: "a", kind: "email", direction: "in", ours: [], theirs: [] },
        {
          at: "b",
          kind: "meeting",
          direction: "out",
          ours: [],
          theirs: [],
          subject: "QBR",
          activityId: "{AB}",
        },
      ]),
    );
    expect(plain).not.toHaveProperty("subject");
    expect(tracked).toMatchObject({ subject: "QBR", activityId: "{AB}" });
  });

  test("choice values map to names from 100000000, strings included; foreign values to undefined", () => {
    expect(choiceOf(HEALTH_STATUS, 100000002)).toBe("poor");
    expect(choiceOf(HEALTH_STATUS, "100000000")).toBe("good");
    expect(choiceOf(HEALTH_STATUS, 5)).toBeUndefined();
    expect(choiceOf(HEALTH_STATUS, null)).toBeUndefined();
  });
});

describe("formatting", () => {
  test("shifts dates by the user's time-zone offset, never the browser's", () => {
    const f = formatter("en-US", () => 600);
    expect(f.date("2001-12-31T16:41:43Z")).toBe("Jan 1, 2002");
    expect(formatter("en-US").date("2001-12-31T16:41:43Z")).toBe("Dec 31, 2001");
  });
  test("formats durations, rates and missing values", () => {
    const f = formatter("en-US");
    expect(f.minutes(188)).toBe("3 h 8 min");
    expect(f.minutes(45)).toBe("45 min");
    expect(f.hours(1)).toBe("1 h");
    expect(f.percent(0.222)).toBe("22%");
    expect(f.number(null)).toBe("—");
    expect(f.day("2001-07-09")).toBe("Jul 9, 2001");
  });
});

describe("strings", () => {
  test("fills named placeholders and leaves unknown ones", () => {
    expect(fill("Hi {colleague}, {unknown}", { colleague: "Ward" })).toBe("Hi Ward, {unknown}");
    expect(strings(() => "")("missing")).toBe("missing");
  });

  const controls = ["HealthGrid", "RelationshipAnalytics", "RelationshipPipeline", "WhoKnowsWhom"];
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? e.name === "__tests__" || e.name === "generated" || e.name === "strings"
          ? []
          : sources(join(dir, e.name))
        : /\.tsx?$/.test(e.name)
          ? [join(dir, e.name)]
          : [],
    );
  /** The control's own files and the shared files they import, transitively. */
  function filesOf(control: string): string[] {
    const root = join(__dirname, "..", "..");
    const files = new Set(sources(join(root, control, control)));
    const queue = [...files];
    for (let f = queue.shift(); f; f = queue.shift())
      for (const m of readFileSync(f, "utf8").matchAll(/from "(?:\.\.\/\.\.\/shared|\.)\/(\w+)"/g)) {
        const base = join(root, "shared", m[1]!);
        const file = [`${base}.ts`, `${base}.tsx`].find((c) => sources(join(root, "shared")).includes(c));
        if (file && !files.has(file)) {
          files.add(file);
          queue.push(file);
        }
      }
    return [...files];
  }
  test.each(controls)(
    "%s's resx defines every string its code and the shared code it uses read",
    (control) => {
      const resx = resxStrings(control);
      const used = new Set<string>(SHARED_KEYS);
      for (const file of filesOf(control))
        for (const m of readFileSync(file, "utf8").matchAll(/\bt\(\s*"(\w+)"/g)) used.add(m[1]!);
      const manifest = readFileSync(
        join(__dirname, "..", "..", control, control, "ControlManifest.Input.xml"),
        "utf8",
      );
      for (const m of manifest.matchAll(/(?:display-name-key|description-key)="(\w+)"/g)) used.add(m[1]!);
      expect([...used].filter((k) => !(k in resx))).toEqual([]);
    },
  );
});

describe("webAPI errors", () => {
  test("a 403 or Dataverse's privilege code is a privilege error; a 404 is not", () => {
    expect(isPrivilegeError({ errorCode: -2147220960, message: "x" })).toBe(true);
    expect(isPrivilegeError({ status: 403, message: "Forbidden" })).toBe(true);
    expect(isPrivilegeError({ message: "Principal user is missing prvReadrp_Connection privilege" })).toBe(
      true,
    );
    expect(isPrivilegeError({ status: 404, message: "Does Not Exist" })).toBe(false);
    expect(isNotFound({ status: 404 })).toBe(true);
    expect(isPrivilegeError("boom")).toBe(false);
  });
});
