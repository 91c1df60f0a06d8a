import type { Command } from "commander";

import { runGraphSync } from "../app/graphSync";
import { GraphConfigError, readGraphSettings } from "../sources/graph/graphSettings";
import { parseDay } from "./args";
import { CliError } from "./errors";
import { PhaseProgress } from "./progress";

/** `rapport sync`: delta-syncs the tenant's mailboxes in scope into the state file. */
export function addSyncCommand(program: Command): void {
  program
    .command("sync")
    .description(
      "Sync mail and calendar metadata from Microsoft Graph (delta, per mailbox) into the state file. " +
        "The tenant and credentials come from the environment: GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET " +
        "(or GRAPH_AUTH=managedIdentity), GRAPH_GROUPS, GRAPH_OPTED_OUT, GRAPH_WINDOW_MONTHS_BACK/AHEAD (see docs/graph-sync.md).",
    )
    .option("--state <file>", "the sync state (SQLite), kept between runs", ".rapport/graph-state.sqlite")
    .option("--now <date>", "the calendar window is placed around this date YYYY-MM-DD (default: today)")
    .option("--quiet", "no progress bar")
    .action(async (opts: { state: string; now?: string; quiet?: boolean }) => {
      let settings;
      try {
        settings = readGraphSettings(process.env);
      } catch (e) {
        if (e instanceof GraphConfigError) throw new CliError(e.message, { cause: e });
        throw e;
      }
      const progress = new PhaseProgress(!opts.quiet);
      let done = 0;
      const started = performance.now();
      const result = await runGraphSync(settings, {
        state: opts.state,
        now: opts.now ? parseDay("--now", opts.now) : Date.now(),
        onUsers: (n) => progress.phase("sync mailboxes", n),
        onMailboxDone: () => progress.progress(++done),
      }).finally(() => progress.stop());
      // Counts only: never an address or a subject.
      process.stderr.write(
        `synced ${result.mailboxes} mailbox(es) (${result.skipped.optedOut} opted out, ${result.skipped.disabled} disabled): ` +
          `${result.pages} pages, ${result.stored} items stored, ${result.removed} removed, ${result.resyncs} resyncs ` +
          `in ${((performance.now() - started) / 1000).toFixed(1)} s\n` +
          (Object.keys(result.issues).length ? `skipped items: ${JSON.stringify(result.issues)}\n` : "") +
          (Object.keys(result.failures).length
            ? `folders stopped (resumed next run): ${JSON.stringify(result.failures)}\n`
            : ""),
      );
      if (Object.keys(result.failures).length) process.exitCode = 1;
    });
}
