// A seeded synthetic stream of interactions for the core aggregation benchmark: an organisation of
// users writing to external people at companies, with heavy-tailed (Zipf-like) activity per person, as
// real mail has. Deterministic for a seed.

// The seeded PRNG of server/src/core/random.ts (built: npm run bench builds first).
const require = (await import("node:module")).createRequire(import.meta.url);
export const { mulberry32: prng } = require("../server/dist/core/random.js");

/** Index in [0, n) with a heavy tail: a few people carry most of the traffic. */
function zipf(rand, n) {
  return Math.min(n - 1, Math.floor(Math.pow(n, rand()) - 1));
}

export function syntheticInteractions({
  count,
  users = 500,
  externals = 50_000,
  companies = 5_000,
  seed = 1,
  start = Date.UTC(2024, 0, 1),
  days = 365,
}) {
  const rand = prng(seed);
  const userAddr = Array.from({ length: users }, (_, i) => `user${i}@contoso.com`);
  const extAddr = Array.from({ length: externals }, (_, i) => `person${i}@company${i % companies}.example`);
  const out = new Array(count);
  for (let k = 0; k < count; k++) {
    // Each external person deals with a few colleagues (their account team), as in real mail
    // (the Enron sample has about five interactions per pair): pick the person, then one of theirs.
    const ei = zipf(rand, externals);
    const e = extAddr[ei];
    const u = userAddr[(ei * 7919 + Math.floor(rand() * 3) * 104729) % users];
    const outbound = rand() < 0.5;
    const r = rand();
    const kind = r < 0.9 ? "email" : r < 0.97 ? "meeting" : "call";
    const extra = rand() < 0.2 ? [extAddr[zipf(rand, externals)]] : [];
    const at = start + Math.floor(rand() * days * 86_400_000);
    out[k] = {
      key: `s:${seed}:${k}`,
      kind,
      at,
      ...(kind === "email" ? {} : { durationMin: 30 }),
      from: outbound ? u : e,
      to: outbound ? [e, ...extra] : [u],
      cc: [],
      bcc: [],
      recipientCount: outbound ? 1 + extra.length : 1,
      thread: `t${k % 50_000}`,
      source: "mbox",
    };
  }
  return out;
}
