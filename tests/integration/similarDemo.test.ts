import fs from "node:fs";
import path from "node:path";

import { demoDeals } from "../../server/src/app/similarDemo";
import { evaluateSimilar } from "../../server/src/core/insights";
import { similarDeals } from "../../server/src/core/insights/similarDeals";

const ROOT = path.resolve(__dirname, "../..");
const committed = JSON.parse(fs.readFileSync(path.join(ROOT, "bench/results/similar.json"), "utf8")) as {
  deals: { won: number; lost: number; open: number };
  amountHidden: { point: string; similar: { auc: number }; baseline: { auc: number } }[];
};

/** The quick form of bench/similar.mjs: the same deals and AUCs as docs/quality.md reports (fewer resamples). */
describe("similar won deals on the demo's sales history", () => {
  let deals: Awaited<ReturnType<typeof demoDeals>>["deals"];
  let now: number;
  beforeAll(async () => {
    ({ deals, now } = await demoDeals(path.join(ROOT, "server/data/sample"), { domains: ["enron.com"] }));
  }, 120_000);

  test("has at least 30 won and 30 lost deals, as committed in bench/results/similar.json", () => {
    const count = (o: string) => deals.filter((d) => d.outcome === o).length;
    expect({ won: count("won"), lost: count("lost"), open: count("open") }).toEqual(committed.deals);
    expect(count("won")).toBeGreaterThanOrEqual(30);
    expect(count("lost")).toBeGreaterThanOrEqual(30);
  });

  test("every open deal is compared (30 of each closed), with a key difference or none", () => {
    const closed = deals.filter((d) => d.outcome !== "open");
    for (const d of deals.filter((x) => x.outcome === "open")) {
      const s = similarDeals(d, closed, now);
      expect(s.basis).not.toBe("tooFew");
      expect(s.wonCount).toBeGreaterThan(0);
    }
  });

  test("the AUCs reported in docs/quality.md come out again", () => {
    const points = evaluateSimilar(deals, { rounds: 50, hideAmount: true });
    expect(points.map((p) => [p.point, p.similar.auc, p.baseline.auc])).toEqual(
      committed.amountHidden.map((p) => [p.point, p.similar.auc, p.baseline.auc]),
    );
  });
});
