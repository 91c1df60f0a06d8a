import type { Command } from "commander";

import { runInsights } from "../app/insightsCommand";
import { collect, existingPath, mailPath, parseCount, parseDay, parseDomains } from "./args";
import { CliError } from "./errors";
import { ByteProgress } from "./progress";
import { describeReport } from "./report";

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
    .requiredOption("--domain <domain>", "organisation domain (repeat or comma-separate)", collect, [])
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
    .action(
      async (opts: {
        mbox?: string;
        graphJson?: string;
        domain: string[];
        directory?: string;
        settings?: string;
        now?: string;
        out: string;
        peoplePerList: string;
        quiet?: boolean;
      }) => {
        if (!opts.mbox && !opts.graphJson)
          throw new CliError("give --mbox <path> or --graph-json <path> (or both)");
        const progress = new ByteProgress("reading mail", !opts.quiet);
        const summary = await runInsights({
          ...(opts.mbox ? { mbox: mailPath("--mbox", opts.mbox) } : {}),
          ...(opts.graphJson ? { graphJson: mailPath("--graph-json", opts.graphJson) } : {}),
          ...(opts.directory ? { directory: existingPath("--directory", opts.directory) } : {}),
          ...(opts.settings ? { settings: existingPath("--settings", opts.settings) } : {}),
          domains: parseDomains(opts.domain),
          now: opts.now ? parseDay("--now", opts.now) : Date.now(),
          out: opts.out,
          peoplePerList: parseCount("--people-per-list", opts.peoplePerList),
          onStart: progress.start,
          onBytes: progress.add,
        });
        progress.stop();
        for (const r of summary.reports) process.stderr.write(`${describeReport(r)}\n`);
        process.stderr.write(
          `wrote ${summary.records} records and ${summary.connections} connections to ${opts.out}\n`,
        );
      },
    );
}
