import { type Command, Option } from "commander";

import { runBacktest } from "../app/backtest";
import { collect, mailPath, parseDay, parseWorkers } from "./args";
import { domainHelp, fromEnv, fromFlag, orgDomainsForMail } from "./orgDomains";
import { ByteProgress } from "./progress";
import { describeReport } from "./report";

interface BacktestOptions {
  mbox: string;
  domain?: string[];
  asOf: string;
  out: string;
  workers: string;
  quiet?: boolean;
}

async function backtest(opts: BacktestOptions): Promise<void> {
  const asOf = parseDay("--as-of", opts.asOf);
  const progress = new ByteProgress("reading mail", !opts.quiet);
  const say = (line: string): void => {
    progress.stop();
    process.stderr.write(`${line}\n`);
  };
  const orgDomains = await orgDomainsForMail(
    [() => fromFlag(opts.domain ?? []), () => fromEnv(process.env)],
    [],
    say,
  );
  const mbox = mailPath("--mbox", opts.mbox);
  const workers = parseWorkers(opts.workers);
  const started = performance.now();
  const summary = await runBacktest({
    mbox,
    ...orgDomains,
    asOf,
    out: opts.out,
    workers,
    onStart: progress.start,
    onBytes: progress.add,
  }).finally(() => progress.stop());
  process.stderr.write(
    `${describeReport(summary.report)}\n` +
      `${summary.interactions} unique interactions; ${summary.users} mailbox owners; wrote ${summary.connections} connections and ${summary.contacts} contacts to ${opts.out} ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s (read ${summary.timings.readMs} ms, compute ${summary.timings.computeMs} ms, write ${summary.timings.writeMs} ms)\n`,
  );
}

/** `rapport backtest`: the evaluation output, computed only from mail strictly before --as-of. */
export function addBacktestCommand(program: Command): void {
  program
    .command("backtest")
    .description(
      "Write the evaluation output of the quality measurement (docs/quality.md): strengths and health computed only from mail strictly before --as-of.",
    )
    .requiredOption("--mbox <path>", "mbox file or folder of mbox files (plain or .gz)")
    .option("--domain <domain>", domainHelp("the mailbox owners' most common domain"), collect)
    .requiredOption(
      "--as-of <date>",
      "cutoff date YYYY-MM-DD (UTC midnight); only mail strictly before it is read",
    )
    .requiredOption("--out <file>", "JSONL output file")
    .addOption(new Option("--workers <n>", "worker threads for reading mail").default("2"))
    .option("--quiet", "no progress bar")
    .action(backtest);
}
