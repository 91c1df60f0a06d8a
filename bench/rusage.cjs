// Preloaded by bench/floor.mjs (`node --require bench/rusage.cjs ...`): when the process exits, writes its
// CPU time (user and system, all threads) and peak RSS to the file named by RAPPORT_BENCH_RUSAGE, so the
// benchmark measures the real command line without changing it.
const fs = require("node:fs");
const { isMainThread } = require("node:worker_threads");

const file = process.env.RAPPORT_BENCH_RUSAGE;
if (file && isMainThread) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    fs.writeFileSync(
      file,
      JSON.stringify({ userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKiB: u.maxRSS }),
    );
  });
}
