import path from "node:path";

import { runGraphSync } from "../../server/src/app/graphSync";
import type { LocalGraph } from "../../server/src/sources/graph/local/server";
import {
  canonical,
  comparable,
  graphIngest,
  insightsOf,
  mboxIngest,
  NOW,
  settingsFor,
  startSampleGraph,
  tempDir,
} from "./graphHarness";

// The Graph sync against the local Graph server built from the bundled sample: the real SDK, HTTPS,
// delta paging and the SQLite state store.

let server: LocalGraph;
let dir: string;
let mbox: Awaited<ReturnType<typeof mboxIngest>>;

beforeAll(async () => {
  dir = tempDir("sync");
  [server, mbox] = await Promise.all([startSampleGraph(), mboxIngest()]);
}, 60_000);

afterAll(() => server.close());

describe("syncing the sample", () => {
  let state: string;

  test("yields exactly the interactions and insights of the mbox import of the same mail", async () => {
    state = path.join(dir, "clean.sqlite");
    const result = await runGraphSync(settingsFor(server, dir), { state, now: NOW });
    expect(result.failures).toEqual({});
    expect(result.mailboxes).toBe(10);
    const graph = graphIngest(state, server);
    expect(graph.report.interactions).toBeGreaterThan(10_000);
    expect(comparable(canonical(graph).interactions)).toEqual(comparable(canonical(mbox).interactions));
    expect(insightsOf(canonical(graph))).toEqual(insightsOf(canonical(mbox)));
    // The calendar's events were read, and each is the meeting a request already announced.
    expect(server.stats.pages["e"]).toBeGreaterThanOrEqual(10);
    expect(graph.report.copies).toBeGreaterThan(0);
    expect(server.stats.earlyRetries).toBe(0);
    expect(server.stats.maxInFlightPerMailbox).toBeLessThanOrEqual(4);
  }, 120_000);
});
