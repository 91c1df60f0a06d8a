import { resolveConfig } from "../../../server/src/core/config";
import { evaluatePaths } from "../../../server/src/core/insights";
import type { Interaction } from "../../../server/src/core/interaction";
import { DAY_MS } from "../../../server/src/core/time";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const CUTOFF = Date.UTC(2024, 3, 1);
const X = "x@fabrikam.com";

let n = 0;
const mail = (day: number, from: string, to: string[], cc: string[] = []): Interaction => ({
  key: `k${n++}`,
  kind: "email",
  at: CUTOFF + day * DAY_MS,
  from: `${from}@contoso.com`.replace("@fabrikam.com@contoso.com", "@fabrikam.com"),
  to: to.map((t) => (t.includes("@") ? t : `${t}@contoso.com`)),
  cc: cc.map((t) => `${t}@contoso.com`),
  bcc: [],
  recipientCount: to.length + cc.length,
  source: "graph",
});

/**
 * Before the cutoff: Cat knows X better than Bob does; Ann (a seller) works with Bob and not with Cat;
 * Dan (a seller) knows only Ann. After it: Ann writes to Bob, then to X copying Bob; Bob then writes to X;
 * Dan writes to X.
 */
function history(): Interaction[] {
  const out: Interaction[] = [];
  for (let d = -60; d < 0; d += 3) {
    out.push(mail(d, "cat", [X]), mail(d + 1, X, ["cat@contoso.com"]));
    out.push(mail(d, "ann", ["bob"]), mail(d + 1, "bob", ["ann"]), mail(d, "dan", ["ann"]));
  }
  out.push(mail(-30, "bob", [X]), mail(-29, X, ["bob@contoso.com"]));
  out.push(mail(2, "ann", ["bob"]), mail(3, "ann", [X], ["bob"]), mail(10, "bob", [X]), mail(20, "dan", [X]));
  return out;
}

describe("evaluatePaths", () => {
  const result = evaluatePaths(history(), {
    config,
    sellers: ["ann@contoso.com", "dan@contoso.com"],
    cutoff: CUTOFF,
    rounds: 50,
  });

  it("finds sellers' first contacts with a person two colleagues knew, and the two-step coverage", () => {
    expect(result.cutoff).toBe("2024-04-01");
    expect(result.events).toBe(2);
    expect([result.noDirect, result.twoStep]).toEqual([1, 1]);
  });

  it("ranks the colleague the seller turned to first by the path, second by the target side alone", () => {
    const a = result.wroteTo;
    expect(a.events).toBe(1);
    expect(a.byRanking.target.hit1.value).toBe(0);
    expect(a.byRanking.target.mrr.value).toBe(0.5);
    expect(a.byRanking.geometric.hit1.value).toBe(1);
    expect(a.byRanking.product.mrr.value).toBe(1);
    expect(a.geometricMinusTarget.value).toBe(0.5);
    // Bob later wrote to X (after Ann's event; Dan's came after that).
    const b = result.laterCorresponded;
    expect(b.events).toBe(1);
    expect(b.byRanking.geometric.hit1.value).toBe(1);
    expect(b.byRanking.target.hit1.value).toBe(0);
  });
});
