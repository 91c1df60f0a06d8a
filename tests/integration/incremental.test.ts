import path from "node:path";

import { type Ingested, ingestMbox } from "../../server/src/app/ingest";
import { buildState, StateBuilder } from "../../server/src/app/pipeline";
import { resolveConfig } from "../../server/src/core/config";
import { RelationshipState } from "../../server/src/core/engine/state";
import { InteractionStore } from "../../server/src/core/engine/store";
import { computeInsights, type InsightsResult } from "../../server/src/core/insights";
import type { Interaction } from "../../server/src/core/interaction";

const SAMPLE = path.resolve(__dirname, "../../server/data/sample");
const config = resolveConfig({ orgDomains: ["enron.com"] });
const NOW = Date.UTC(2001, 9, 1); // 2001-10-01: the sample runs to the end of 2001, so some mail is "future"

let ingested: Ingested;

beforeAll(async () => {
  ingested = await ingestMbox(SAMPLE, { config, now: Date.UTC(2026, 0, 1), workers: 1 });
});

/** Deterministic shuffle (a linear congruential generator), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Full detail (KPIs, history, weekly health) for the companies, scores for every person, as JSON text. */
function compute(builder: StateBuilder): string {
  const built = builder.finish(ingested.participantsByFile);
  const accounts = computeInsights(
    built.state,
    built.scopes.filter((s) => s.type === "account"),
    NOW,
    { detail: "full" },
  );
  const contacts = computeInsights(
    built.state,
    built.scopes.filter((s) => s.type === "contact"),
    NOW,
    { detail: "scores" },
  );
  return JSON.stringify({ accounts, contacts: contacts.records });
}

describe("incremental updates on the real sample", () => {
  let full: string;

  beforeAll(() => {
    const builder = new StateBuilder(config);
    builder.add(ingested.interactions);
    full = compute(builder);
  });

  test("the sample yields thousands of interactions, records and connections", () => {
    const parsed = JSON.parse(full) as { accounts: InsightsResult; contacts: InsightsResult["records"] };
    expect(ingested.interactions.length).toBeGreaterThan(10_000);
    expect(parsed.accounts.records.length).toBeGreaterThan(1_000);
    expect(parsed.contacts.length).toBeGreaterThan(5_000);
    expect(parsed.accounts.connections.length).toBeGreaterThan(1_000);
    expect(parsed.contacts.some((r) => r.status === "good")).toBe(true);
    expect(parsed.contacts.some((r) => r.status === "poor")).toBe(true);
  });

  test("batches applied one after another, in time order, equal a full recompute exactly", () => {
    const byTime = [...ingested.interactions].sort((a, b) => a.at - b.at);
    const builder = new StateBuilder(config);
    const size = Math.ceil(byTime.length / 7);
    for (let i = 0; i < byTime.length; i += size) builder.add(byTime.slice(i, i + size));
    expect(compute(builder)).toBe(full);
  });

  test("batches out of time order, with copies re-delivered, equal a full recompute exactly", () => {
    const mixed = shuffled(ingested.interactions, 42);
    const redelivered = shuffled(ingested.interactions, 7).slice(0, 2_000);
    const builder = new StateBuilder(config);
    builder.add(mixed.slice(0, 5_000));
    builder.add(redelivered);
    builder.add(mixed.slice(5_000));
    expect(compute(builder)).toBe(full);
  });

  test("a state saved mid-way and restored, then given the rest, equals a full recompute", () => {
    const mixed = shuffled(ingested.interactions, 3);
    const first = new StateBuilder(config);
    first.add(mixed.slice(0, 8_000));
    const saved = JSON.parse(JSON.stringify(first.state.snapshot())) as ReturnType<
      RelationshipState["snapshot"]
    >;
    const resumed = new StateBuilder(config);
    resumed.add(InteractionStore.fromSnapshot(saved).sorted());
    resumed.add(mixed.slice(8_000));
    expect(compute(resumed)).toBe(full);
  });

  test("a later batch changes the insights of the records it touches", () => {
    const cut = NOW - 60 * 86_400_000;
    const early = ingested.interactions.filter((i: Interaction) => i.at < cut);
    const partial = buildState(
      { interactions: early, participantsByFile: ingested.participantsByFile },
      config,
    );
    const before = computeInsights(
      partial.state,
      partial.scopes.filter((s) => s.type === "account"),
      NOW,
      { detail: "scores" },
    );
    const after = computeInsights(
      (() => {
        partial.state.addAll(ingested.interactions.filter((i) => i.at >= cut));
        return partial.state;
      })(),
      partial.scopes.filter((s) => s.type === "account"),
      NOW,
      { detail: "scores" },
    );
    const changed = after.records.filter((r, i) => r.exactScore !== before.records[i]?.exactScore);
    expect(changed.length).toBeGreaterThan(10);
  });
});
