import type { Command } from "commander";

import { runInsights } from "../app/insightsCommand";
import { collect, existingPath, mailPath, parseCount, parseDay } from "./args";
import { CliError } from "./errors";
import { domainHelp, fromEnv, fromFlag, fromSettingsFile, orgDomainsForMail } from "./orgDomains";
import { ByteProgress } from "./progress";
import { describeReport } from "./report";

interface InsightsOptions {
  mbox?: string;
  graphJson?: string;
  domain?: string[];
  directory?: string;
  settings?: string;
  now?: string;
  out: string;
  peoplePerList: string;
  quiet?: boolean;
}

async function insights(opts: InsightsOptions): Promise<void> {
  if (!opts.mbox && !opts.graphJson)
    throw new CliError("give --mbox <path> or --graph-json <path> (or both)");
  const progress = new ByteProgress("reading mail", !opts.quiet);
  const say = (line: string): void => {
    progress.stop();
    process.stderr.write(`${line}\n`);
  };
  const orgDomains = await orgDomainsForMail(
    [() => fromFlag(opts.domain ?? []), () => fromEnv(process.env), () => fromSettingsFile(opts.settings)],
    ["the --settings file"],
    say,
  );
  const summary = await runInsights({
    ...(opts.mbox ? { mbox: mailPath("--mbox", opts.mbox) } : {}),
    ...(opts.graphJson ? { graphJson: mailPath("--graph-json", opts.graphJson) } : {}),
    ...(opts.directory ? { directory: existingPath("--directory", opts.directory) } : {}),
    ...(opts.settings ? { settings: existingPath("--settings", opts.settings) } : {}),
    ...orgDomains,
    now: opts.now ? parseDay("--now", opts.now) : Date.now(),
    out: opts.out,
    peoplePerList: parseCount("--people-per-list", opts.peoplePerList),
    onStart: progress.start,
    onBytes: progress.add,
  }).finally(() => progress.stop());
  for (const r of summary.reports) process.stderr.write(`${describeReport(r)}\n`);
  process.stderr.write(
    `wrote ${summary.records} records and ${summary.connections} connections to ${opts.out}\n`,
  );
}

/** `rapport insights`: every record's KPIs, health, trend, reasons and introducers, written as JSON. */
export function addInsightsCommand(program: Command): void {
  program
    .command("insights")
    .description(
      "Compute every record's KPIs, health, trend, reasons and introducers, and write them as JSON.",
    )
    .option("--mbox <path>", "mbox file or folder of mbox files (plain or .gz)")
    .option(
      "--graph-json <path>",
      "Microsoft Graph JSON export: page files of messages and events, or NDJSON (.ndjson[.gz]) as rapport generate writes",
    )
    .option(
      "--domain <domain>",
      domainHelp("the --settings file's orgDomains, else the mailbox owners' most common domain"),
      collect,
    )
    .option(
      "--directory <file>",
      "CRM directory JSON (users, contacts, leads, accounts, opportunities); derived from the mail when absent",
    )
    .option(
      "--settings <file>",
      "settings JSON: weights, cadence, thresholds, excludedDomains, ... (see docs/insights.md)",
    )
    .option("--now <date>", "compute as of this date YYYY-MM-DD (default: today)")
    .requiredOption("--out <file>", "JSON output file")
    .option(
      "--people-per-list <n>",
      "people listed per history item and introducer, as the controls show them (0: all of them)",
      "3",
    )
    .option("--quiet", "no progress bar")
    .action(insights);
}
