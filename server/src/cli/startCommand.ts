import type { Command } from "commander";

import { openStart, SAMPLE_DIR, type StartSession } from "../app/start";
import { locatePreviewAssets, type Preview, PreviewStartError, servePreview } from "../preview";
import { collect, DEFAULT_PORT, domainList, existingPath, mailPath, parseDay, parsePort } from "./args";
import { CliError } from "./errors";
import { ByteProgress, PhaseProgress } from "./progress";

interface StartOptions {
  mbox?: string;
  domain?: string[];
  db: string;
  settings?: string;
  now?: string;
  port?: string;
  preview: boolean;
  graphLocal?: boolean;
  quiet?: boolean;
}

/** The pipeline on the sample (or the given mail) into the local Dataverse, with progress on stderr. */
async function openSession(opts: StartOptions): Promise<StartSession> {
  const bytes = new ByteProgress("reading mail", !opts.quiet);
  const phases = new PhaseProgress(!opts.quiet);
  return openStart({
    mbox: opts.mbox ? mailPath("--mbox", opts.mbox) : SAMPLE_DIR,
    domains: opts.domain?.length ? domainList("--domain", opts.domain) : ["enron.com"],
    db: opts.db,
    ...(opts.graphLocal ? { graphLocal: true } : {}),
    ...(opts.settings ? { settings: existingPath("--settings", opts.settings) } : {}),
    ...(opts.now ? { now: parseDay("--now", opts.now) } : {}),
    onStart: bytes.start,
    onBytes: bytes.add,
    onPhase: (phase, total) => {
      bytes.stop();
      if (phase !== "read mail") phases.phase(phase, total);
    },
    onProgress: phases.progress,
  }).finally(() => {
    // A bar's timer would keep the process alive after an error.
    bytes.stop();
    phases.stop();
  });
}

/** Serves the preview of the session until Ctrl-C or SIGTERM, then closes both. */
async function previewUntilStopped(session: StartSession, port: number): Promise<void> {
  let preview: Preview;
  try {
    preview = await servePreview(session, { port });
  } catch (err) {
    await session.close();
    if (err instanceof PreviewStartError) throw new CliError(err.message);
    throw err;
  }
  process.stdout.write(
    `\nRapport preview: ${preview.launchUrl}\n` +
      `  Open it in your browser (the link carries the key that admits you). Ctrl-C stops it.\n` +
      `  Web API: ${preview.url}/api/data/v9.2/ (Authorization: Bearer <the key>)\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () =>
      void preview
        .close()
        .then(() => session.close())
        .then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

async function start(opts: StartOptions): Promise<void> {
  // Fail before the work, not after it: a bad port or an unbuilt preview is known now.
  const port = opts.preview ? parsePort(opts.port ?? process.env["PORT"] ?? String(DEFAULT_PORT)) : 0;
  if (opts.preview) locatePreviewAssets();
  const session = await openSession(opts);
  process.stdout.write(session.summary);
  if (!opts.preview) return session.close();
  return previewUntilStopped(session, port);
}

/** `rapport start`: the whole pipeline on the bundled sample (or your mail), then the local preview. */
export function addStartCommand(program: Command): void {
  program
    .command("start")
    .description(
      "Run Rapport end to end on the embedded default: the bundled Enron sample (or your own mail), a demo CRM " +
        "derived from it in a local Dataverse-compatible endpoint, insights computed and published there, a summary " +
        "read back, then a local preview of the controls and the settings page in your browser.",
    )
    .option("--mbox <path>", "your own mbox file or folder instead of the bundled sample")
    .option("--domain <domain>", "organisation domain of your own mail", collect)
    .option("--db <file>", "the local Dataverse database (SQLite), kept between runs", ".rapport/demo.sqlite")
    .option("--settings <file>", "settings JSON: weights, cadence, thresholds, exclusions")
    .option("--now <date>", "as-of date YYYY-MM-DD (default: the day after the newest message)")
    .option("--port <port>", "port of the local preview (default: $PORT, else 4280; 0 picks a free one)")
    .option("--no-preview", "print the summary and exit instead of serving the preview")
    .option(
      "--graph-local",
      "read the mail through the local Graph server and the Graph sync, as production reads Graph",
    )
    .option("--quiet", "no progress bar")
    .action(start);
}
