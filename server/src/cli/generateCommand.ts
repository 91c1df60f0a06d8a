import type { Command } from "commander";

import { generateOrg } from "../app/scale/generateOrg";
import { CliError } from "./errors";
import { PhaseProgress } from "./progress";

function positive(option: string, value: string, max: number): number {
  const n = Number(value.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new CliError(`${option}: expected an integer from 1 to ${max}`);
  return n;
}

/** `rapport generate`: a seeded synthetic organisation for scale tests and the scale-out benchmark. */
export function addGenerateCommand(program: Command): void {
  program
    .command("generate")
    .description(
      "Write a seeded synthetic organisation: one gzipped NDJSON file of Graph message objects per mailbox " +
        "(colleagues at contoso.com, external companies and people, heavy-tailed activity), for scale tests.",
    )
    .option("--seed <n>", "seed: the same seed writes the same files", "1")
    .option("--mailboxes <n>", "mailboxes (colleagues)", "500")
    .option("--interactions <n>", "distinct messages", "5000000")
    .option("--days <n>", "days of history, up to 2026-01-01", "365")
    .requiredOption("--out <dir>", "folder to write <mailbox>.ndjson.gz into")
    .option("--quiet", "no progress bar")
    .action(
      async (opts: {
        seed: string;
        mailboxes: string;
        interactions: string;
        days: string;
        out: string;
        quiet?: boolean;
      }) => {
        const interactions = positive("--interactions", opts.interactions, 50_000_000);
        const progress = new PhaseProgress(!opts.quiet);
        progress.phase("generating", interactions);
        const started = performance.now();
        const g = await generateOrg({
          seed: positive("--seed", opts.seed, 2 ** 31),
          mailboxes: positive("--mailboxes", opts.mailboxes, 1_000_000),
          interactions,
          days: positive("--days", opts.days, 3650),
          out: opts.out,
          onProgress: progress.progress,
        }).finally(() => progress.stop());
        process.stderr.write(
          `wrote ${g.mailboxes} mailboxes, ${g.messages} messages (${g.copies} mailbox copies), ${g.companies} companies, ` +
            `${g.people} people, ${(g.bytes / 1e6).toFixed(1)} MB to ${opts.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
        );
      },
    );
}
