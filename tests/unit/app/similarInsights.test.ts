import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { runInsights } from "../../../server/src/app/insightsCommand";

/** `rapport insights --directory crm.json`: open opportunities with a deal get "similar won deals". */
test("rapport insights compares open opportunities of a CRM file with its closed ones", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rapport-similar-"));
  try {
    const deal = (id: string, outcome: string, closedOn?: string) => ({
      id,
      name: id,
      contactIds: [],
      deal: { outcome, createdOn: "2001-01-01T00:00:00Z", ...(closedOn ? { closedOn } : {}) },
    });
    const crm = {
      users: [{ id: "u", name: "Ann", emails: ["ann@contoso.com"] }],
      opportunities: [
        deal("open", "open"),
        deal("won", "won", "2001-02-01"),
        deal("lost", "lost", "2001-03-01"),
      ],
    };
    writeFileSync(path.join(dir, "crm.json"), JSON.stringify(crm));
    await runInsights({
      directory: path.join(dir, "crm.json"),
      domains: ["contoso.com"],
      now: Date.UTC(2001, 3, 1),
      out: path.join(dir, "out.json"),
    });
    const out = JSON.parse(readFileSync(path.join(dir, "out.json"), "utf8")) as {
      records: { record: { id: string }; similar?: { basis: string; closedWon: number; ageDays: number } }[];
    };
    const similar = out.records.filter((r) => r.similar).map((r) => [r.record.id, r.similar]);
    expect(similar).toEqual([
      ["open", expect.objectContaining({ basis: "tooFew", closedWon: 1, ageDays: 90 })],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
