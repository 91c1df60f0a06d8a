import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { runInsights } from "../../../server/src/app/insightsCommand";
import { generateOrg } from "../../../server/src/app/scale/generateOrg";
import { FolderMailboxSource } from "../../../server/src/app/scale/mailboxSource";
import { type QueueName, QUEUES } from "../../../server/src/app/scale/messages";
import { ScaleService } from "../../../server/src/app/scale/scaleService";
import { StoreSink } from "../../../server/src/app/scale/sinks";
import { resolveConfig } from "../../../server/src/core/config";
import { mergeParts } from "../../../server/src/core/engine/partitions";
import type { InsightsResult } from "../../../server/src/core/insights";
import { MemoryScaleStore } from "./memoryScaleStore";

const NOW = Date.UTC(2026, 0, 1);
let tmp: string;
beforeAll(() => (tmp = mkdtempSync(path.join(os.tmpdir(), "rapport-same-data-"))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The scale-out over the folder, in this process, its partitions merged. */
async function scaleOut(folder: string, partitions: number): Promise<InsightsResult> {
  const config = resolveConfig({ orgDomains: ["contoso.com"] });
  const store = new MemoryScaleStore();
  const queue: { queue: QueueName; body: unknown }[] = [];
  const service = new ScaleService({
    store,
    source: new FolderMailboxSource(folder),
    enqueue: async (q, body) => void queue.push({ queue: q, body }),
    sink: new StoreSink(store, config),
    config,
  });
  await service.startRun({ run: "r", now: NOW, partitions });
  for (let m = queue.shift(); m; m = queue.shift())
    if (m.queue === QUEUES.sync) await service.syncMailbox(m.body);
    else if (m.queue === QUEUES.recompute) await service.recomputePartition(m.body);
    else await service.publishPartition(m.body);
  return mergeParts(await store.results("r"), (await store.directory("r"))!);
}

describe("the single-process CLI reads what rapport generate writes", () => {
  it("rapport insights --graph-json over a generated org gives the scale-out's records and connections", async () => {
    const folder = path.join(tmp, "org");
    await generateOrg({ seed: 5, mailboxes: 4, interactions: 1500, out: folder });
    const out = path.join(tmp, "insights.json");
    const summary = await runInsights({
      graphJson: folder,
      domains: ["contoso.com"],
      now: NOW,
      out,
      peoplePerList: 0,
    });
    // Every line of every mailbox file read: a message is in each colleague's mailbox it involves.
    expect(summary.reports[0]!.files).toBe(4);
    expect(summary.records).toBeGreaterThan(100);
    const single = JSON.parse(readFileSync(out, "utf8")) as InsightsResult;
    const merged = await scaleOut(folder, 3);
    expect(single.records.map((r) => JSON.stringify(r))).toEqual(
      merged.records.map((r) => JSON.stringify(r)),
    );
    expect(single.connections.map((c) => JSON.stringify(c))).toEqual(
      merged.connections.map((c) => JSON.stringify(c)),
    );
  });
});
