import type { Command } from "commander";

import { computeAndPublish } from "../app/dataversePipeline";
import { forgetPerson } from "../app/forgetPerson";
import { type Ingested, ingestGraphJson, ingestMbox } from "../app/ingest";
import { readSettings } from "../app/settingsFile";
import {
  DataverseClient,
  DataverseConfigError,
  ForbiddenError,
  readDataverseSettings,
  SETTING,
} from "../dataverse/client";
import { collect, existingPath, mailPath, parseDay, parseDomains } from "./args";
import { CliError } from "./errors";
import { ByteProgress, PhaseProgress } from "./progress";

function merge(parts: Ingested[]): Ingested | undefined {
  if (parts.length === 0) return undefined;
  const participantsByFile = new Map<string, Map<string, number>>();
  for (const p of parts) for (const [f, m] of p.participantsByFile) participantsByFile.set(f, m);
  return { interactions: parts.flatMap((p) => p.interactions), report: parts[0]!.report, participantsByFile };
}

function orgSettings() {
  try {
    return readDataverseSettings(process.env);
  } catch (err) {
    if (err instanceof DataverseConfigError) throw new CliError(err.message, { cause: err });
    throw err;
  }
}

/** `rapport publish`: the main job against an org (or the local endpoint), configured from the environment. */
// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function addPublishCommand(program: Command): void {
  program
    .command("forget")
    .description(
      "Forget an external person or a colleague on request: exclude the address from every source (rp_settings) and delete " +
        "their who-knows-whom rows now; the next publish rewrites every insight without them. The org comes from the environment, as for publish, " +
        "but with an administrator's credentials (the Rapport Administrator role): the service's role may only read the settings.",
    )
    .argument("<address>", "the person's e-mail address")
    .action(async (address: string) => {
      const r = await forgetPerson(DataverseClient.fromSettings(orgSettings()), address).catch(
        (err: unknown) => {
          if (err instanceof ForbiddenError)
            throw new CliError(
              `forget needs the Rapport Administrator role; these credentials lack a privilege (${err.code}). Run it as an administrator, not as the service.`,
              { cause: err },
            );
          throw err;
        },
      );
      process.stdout.write(
        `${r.newlyExcluded ? "excluded from now on" : "already excluded"}; ${r.connectionsDeleted} connection rows deleted. ` +
          `Run publish to rewrite the insights without them.\n`,
      );
    });

  program
    .command("publish")
    .description(
      `Read the CRM and its tracked activities from Dataverse, add mail if given, compute every insight and publish what changed. ` +
        `The org comes from the environment: ${SETTING.url}, ${SETTING.auth} (clientSecret: ${SETTING.tenantId}, ${SETTING.clientId}, ${SETTING.clientSecret}; managedIdentity; static: ${SETTING.token}).`,
    )
    .option("--mbox <path>", "mail to add: an mbox file or folder (plain or .gz)")
    .option("--graph-json <path>", "mail to add: a Microsoft Graph JSON export")
    .option("--domain <domain>", "organisation domain (repeat or comma-separate)", collect, [])
    .option("--settings <file>", "settings JSON: weights, cadence, thresholds, exclusions")
    .option("--now <date>", "compute as of this date YYYY-MM-DD (default: today)")
    .option("--quiet", "no progress bars")
    .action(
      async (opts: {
        mbox?: string;
        graphJson?: string;
        domain: string[];
        settings?: string;
        now?: string;
        quiet?: boolean;
      }) => {
        const settings = orgSettings();
        const config = readSettings(
          opts.settings ? existingPath("--settings", opts.settings) : undefined,
          parseDomains(opts.domain),
        );
        const now = opts.now ? parseDay("--now", opts.now) : Date.now();
        const bytes = new ByteProgress("reading mail", !opts.quiet);
        const phases = new PhaseProgress(!opts.quiet);
        try {
          const mail: Ingested[] = [];
          const read = {
            config,
            now,
            ...(opts.now ? { before: now } : {}),
            onStart: bytes.start,
            onBytes: bytes.add,
          };
          if (opts.mbox) mail.push(await ingestMbox(mailPath("--mbox", opts.mbox), read));
          if (opts.graphJson)
            mail.push(await ingestGraphJson(mailPath("--graph-json", opts.graphJson), read));
          bytes.stop();
          const merged = merge(mail);
          const run = await computeAndPublish(DataverseClient.fromSettings(settings), {
            config,
            now,
            ...(merged ? { mail: merged } : {}),
            onPhase: phases.phase,
            onProgress: phases.progress,
          });
          phases.stop();
          const lines = Object.entries(run.published.tables).map(
            ([t, x]) =>
              `${t}: ${x.created} created, ${x.updated} updated, ${x.deleted} deleted, ${x.unchanged} unchanged, ${x.failed} failed`,
          );
          process.stdout.write(
            `${run.result.records.length} records, ${run.result.connections.length} connections from ${run.result.stats.interactions} interactions (${run.tracked.interactions} tracked in Dataverse)\n` +
              `${lines.join("\n")}\n${run.published.linked} records linked to their insight\n`,
          );
          if (run.published.failures.length) {
            const byCode = new Map<string, number>();
            for (const f of run.published.failures) {
              const k = `${f.table} ${f.operation} HTTP ${f.status}${f.code ? ` ${f.code}` : ""}`;
              byCode.set(k, (byCode.get(k) ?? 0) + 1);
            }
            for (const [k, n] of byCode) process.stderr.write(`failed: ${n} × ${k}\n`);
            throw new CliError(
              `${run.published.failures.length} writes failed; run publish again to retry them`,
            );
          }
        } finally {
          bytes.stop();
          phases.stop();
        }
      },
    );
}
