import type { Command } from "commander";

import { computeAndPublish, type DataverseRun } from "../app/dataversePipeline";
import { type Ingested, ingestGraphJson, ingestMbox, type IngestOptions } from "../app/ingest";
import { readSettings } from "../app/settingsFile";
import { DataverseClient, SETTING } from "../dataverse/client";
import { readEnabledUserAddresses } from "../dataverse/read/enabledUsers";
import { readOrgSettings } from "../dataverse/read/orgSettings";
import { collect, existingPath, mailPath, parseDay } from "./args";
import { CliError } from "./errors";
import {
  domainHelp,
  fromEnv,
  fromFlag,
  fromSettings,
  fromSettingsFile,
  inferredFrom,
  passedOn,
  resolveOrgDomains,
} from "./orgDomains";
import { orgSettings } from "./orgSettings";
import { ByteProgress, PhaseProgress } from "./progress";

interface PublishOptions {
  mbox?: string;
  graphJson?: string;
  domain?: string[];
  settings?: string;
  now?: string;
  quiet?: boolean;
}

function merge(parts: Ingested[]): Ingested | undefined {
  if (parts.length === 0) return undefined;
  const participantsByFile = new Map<string, Map<string, number>>();
  for (const p of parts) for (const [f, m] of p.participantsByFile) participantsByFile.set(f, m);
  return { interactions: parts.flatMap((p) => p.interactions), report: parts[0]!.report, participantsByFile };
}

/** --domain, RAPPORT_ORG_DOMAINS, the --settings file, the org's settings row, else its enabled users' domain. */
async function orgDomains(client: DataverseClient, opts: PublishOptions): Promise<string[]> {
  const found = await resolveOrgDomains(
    [
      () => fromFlag(opts.domain ?? []),
      () => fromEnv(process.env),
      () => fromSettingsFile(opts.settings),
      async () =>
        fromSettings(
          (await readOrgSettings(client)).config.orgDomains ?? [],
          "from the org's settings (rp_orgdomains)",
        ),
      async () => inferredFrom(await readEnabledUserAddresses(client), "enabled users"),
    ],
    ["the --settings file", "the org's settings (rp_orgdomains)", "its enabled users' addresses"],
    (line) => process.stderr.write(`${line}\n`),
  );
  return passedOn(found);
}

/** The mail to add (mbox and/or Graph JSON), merged; undefined when none is given. */
async function readMail(opts: PublishOptions, read: IngestOptions): Promise<Ingested | undefined> {
  const mail: Ingested[] = [];
  if (opts.mbox) mail.push(await ingestMbox(mailPath("--mbox", opts.mbox), read));
  if (opts.graphJson) mail.push(await ingestGraphJson(mailPath("--graph-json", opts.graphJson), read));
  return merge(mail);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What the run did, table by table, on stdout; the failed writes by kind on stderr, then an error. */
/** Introductions followed this run, counts only ("" when there are none). */
function introductionsLine(r: DataverseRun["introductions"]): string {
  if (r.read === 0) return "";
  const moved = Object.entries(r.changed).map(([status, n]) => `${n} to ${status}`);
  return (
    `introductions: ${r.read} read${r.unreadable ? ` (${r.unreadable} unreadable)` : ""}, ` +
    `${moved.length ? moved.join(", ") : "none changed"}; ${r.profilesWritten} introducer profiles written\n`
  );
}

function report(run: DataverseRun): void {
  const lines = Object.entries(run.published.tables).map(
    ([t, x]) =>
      `${t}: ${x.created} created, ${x.updated} updated, ${x.deleted} deleted, ${x.unchanged} unchanged, ${x.failed} failed`,
  );
  const people = run.crm.opportunityPeople;
  process.stdout.write(
    `${run.result.records.length} records, ${run.result.connections.length} connections from ${run.result.stats.interactions} interactions (${run.tracked.interactions} tracked in Dataverse)\n` +
      `opportunities with stakeholders or a sales team (Dataverse connections): ${people.opportunities} (${plural(people.stakeholders, "stakeholder")}, ${plural(people.salesTeam, "sales team member")})\n` +
      `${lines.join("\n")}\n${run.published.linked} records linked to their insight\n` +
      introductionsLine(run.introductions),
  );
  if (!run.published.failures.length) return;
  const byCode = new Map<string, number>();
  for (const f of run.published.failures) {
    const k = `${f.table} ${f.operation} HTTP ${f.status}${f.code ? ` ${f.code}` : ""}`;
    byCode.set(k, (byCode.get(k) ?? 0) + 1);
  }
  for (const [k, n] of byCode) process.stderr.write(`failed: ${n} × ${k}\n`);
  throw new CliError(`${run.published.failures.length} writes failed; run publish again to retry them`);
}

async function publish(opts: PublishOptions): Promise<void> {
  const client = DataverseClient.fromSettings(orgSettings());
  const config = readSettings(
    opts.settings ? existingPath("--settings", opts.settings) : undefined,
    await orgDomains(client, opts),
  );
  const now = opts.now ? parseDay("--now", opts.now) : Date.now();
  const bytes = new ByteProgress("reading mail", !opts.quiet);
  const phases = new PhaseProgress(!opts.quiet);
  try {
    const read = {
      config,
      now,
      ...(opts.now ? { before: now } : {}),
      onStart: bytes.start,
      onBytes: bytes.add,
    };
    const mail = await readMail(opts, read);
    bytes.stop();
    const run = await computeAndPublish(client, {
      config,
      now,
      // Introductions are followed as of today, whatever date the insights are computed as of.
      followedAt: Date.now(),
      ...(mail ? { mail } : {}),
      onPhase: phases.phase,
      onProgress: phases.progress,
    });
    phases.stop();
    report(run);
  } finally {
    bytes.stop();
    phases.stop();
  }
}

/** `rapport publish`: the main job against an org (or the local endpoint), configured from the environment. */
export function addPublishCommand(program: Command): void {
  program
    .command("publish")
    .description(
      `Read the CRM and its tracked activities from Dataverse, add mail if given, compute every insight and publish what changed. ` +
        `The org comes from the environment: ${SETTING.url}, ${SETTING.auth} (clientSecret: ${SETTING.tenantId}, ${SETTING.clientId}, ${SETTING.clientSecret}; managedIdentity; static: ${SETTING.token}).`,
    )
    .option("--mbox <path>", "mail to add: an mbox file or folder (plain or .gz)")
    .option("--graph-json <path>", "mail to add: a Microsoft Graph JSON export")
    .option(
      "--domain <domain>",
      domainHelp(
        "the --settings file's orgDomains, else the org's rp_orgdomains, else its enabled users' most common domain",
      ),
      collect,
    )
    .option("--settings <file>", "settings JSON: weights, cadence, thresholds, exclusions")
    .option("--now <date>", "compute as of this date YYYY-MM-DD (default: today)")
    .option("--quiet", "no progress bars")
    .action(publish);
}
