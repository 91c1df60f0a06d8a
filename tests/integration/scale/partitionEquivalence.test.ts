import { readFileSync } from "node:fs";
import path from "node:path";

import { buildState } from "../../../server/src/app/pipeline";
import { FolderMailboxSource } from "../../../server/src/app/scale/mailboxSource";
import { recomputeOne } from "../../../server/src/app/scale/scaleService";
import { SAMPLE_DIR } from "../../../server/src/app/start";
import { resolveConfig } from "../../../server/src/core/config";
import type { DirectoryData } from "../../../server/src/core/directory";
import { Directory } from "../../../server/src/core/directory";
import { mergeParts, PartitionRouter } from "../../../server/src/core/engine/partitions";
import { computeInsights } from "../../../server/src/core/insights";
import type { Interaction } from "../../../server/src/core/interaction";
import { rowsOf } from "../../../server/src/dataverse/publish/allRows";

const config = resolveConfig({ orgDomains: ["enron.com"] });
const NOW = Date.UTC(2002, 0, 1);

/** Reads each sample mailbox on its own, as a sync worker does. */
async function perMailbox(): Promise<Map<string, Interaction[]>> {
  const source = new FolderMailboxSource(SAMPLE_DIR);
  const out = new Map<string, Interaction[]>();
  for (const m of await source.list()) out.set(m, (await source.read(m, config, NOW)).interactions);
  return out;
}

/** The partitioned computation in one process: route every mailbox's interactions, recompute each partition, merge. */
function partitioned(
  mail: Map<string, Interaction[]>,
  directory: DirectoryData,
  count: number,
  routing: DirectoryData,
) {
  const router = new PartitionRouter(routing, config, count);
  const parts: Interaction[][] = Array.from({ length: count }, () => []);
  for (const list of mail.values())
    for (const i of list) for (const p of router.route(i)) parts[p]!.push(structuredClone(i));
  const results = parts.map((list, p) =>
    recomputeOne(list, directory, config, { now: NOW, partitions: count }, p),
  );
  return mergeParts(results, directory);
}

// The derived-directory case (the sample as `npm start` runs it) is proven end to end over Azurite
// queues and worker processes in scaleOut.test.ts; this suite covers records routed by record.
describe("partitioned recompute", () => {
  let mail: Map<string, Interaction[]>;
  beforeAll(async () => {
    mail = await perMailbox();
  });

  it("routes by record the CRM records whose people span partitions, with the same result", () => {
    const crm = JSON.parse(
      readFileSync(path.join(__dirname, "..", "..", "fixtures", "crm", "sample-crm.json"), "utf8"),
    ) as DirectoryData;
    // An opportunity with stakeholders at two companies: routed by record when their domains part.
    crm.opportunities.push({
      id: "o-two",
      name: "Two companies",
      contactIds: ["c-roths", "c-kdirks"],
      open: true,
    });
    const count = [2, 3, 4, 5, 6, 7, 8].find((n) => new PartitionRouter(crm, config, n).spanning > 0) ?? 0;
    expect(count).toBeGreaterThan(0);
    const single = buildState(
      {
        interactions: [...mail.values()].flat().map((i) => structuredClone(i)),
        participantsByFile: new Map(),
      },
      config,
      crm,
    );
    const expected = computeInsights(single.state, single.scopes, NOW, { detail: "full" });
    const merged = partitioned(mail, crm, count, crm);
    expect(merged.records.find((r) => r.record.id === "o-two")?.status).toBe(
      expected.records.find((r) => r.record.id === "o-two")?.status,
    );
    expect(merged.records).toEqual(expected.records);
    expect(merged.connections).toEqual(expected.connections);
    const dir = new Directory(crm, config);
    expect(rowsOf(merged, dir)).toEqual(rowsOf(expected, dir));
  });
});
