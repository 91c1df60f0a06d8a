import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { writeInsightsJson } from "../../../server/src/app/insightsCommand";
import type { InsightsResult } from "../../../server/src/core/insights";

describe("writeInsightsJson", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rapport-insights-json-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["empty lists", 0],
    ["lists larger than one write", 30_000],
  ])("writes the bytes JSON.stringify gives for the whole document (%s)", async (_, n) => {
    const record = (i: number) => ({
      record: { type: "contact", id: `c-${i}`, name: `Ünïcode "${i}"\n` },
      score: i / 3,
      introducers: [],
    });
    const result = {
      computedAt: "2001-12-31T00:00:00.000Z",
      records: Array.from({ length: n }, (_, i) => record(i)),
      connections: Array.from({ length: n }, (_, i) => ({
        colleague: `a${i}`,
        external: `b${i}`,
        strength: i,
      })),
      stats: { interactions: n, relationshipInteractions: n, records: n, connections: n },
    } as unknown as InsightsResult;
    const directory = { users: 1, contacts: 2, accounts: 3 };
    const file = path.join(dir, `out-${n}.json`);
    await writeInsightsJson(file, result, directory);
    expect(readFileSync(file, "utf8")).toBe(JSON.stringify({ ...result, directory }));
  });

  it("rejects, naming the cause, when the file cannot be written", async () => {
    const result = { computedAt: "", records: [], connections: [], stats: {} } as unknown as InsightsResult;
    await expect(
      writeInsightsJson(path.join(dir, "no/such/folder/x.json"), result, {
        users: 0,
        contacts: 0,
        accounts: 0,
      }),
    ).rejects.toMatchObject({ code: "ENOENT" });
  });
});
