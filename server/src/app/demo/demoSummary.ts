import type { Introducer } from "../../core/insights";
import { type DataverseClient, FORMATTED_VALUE, odataFilter, type Row } from "../../dataverse/client";
import { CHOICES } from "../../dataverse/model";
import type { DataverseRun } from "../dataversePipeline";

const label = (r: Row, column: string): string =>
  String(r[`${column}@${FORMATTED_VALUE}`] ?? r[column] ?? "");

function line(r: Row): string {
  const reasons = (JSON.parse(String(r["rp_reasons"] ?? "[]")) as { text: string }[])
    .slice(0, 2)
    .map((x) => x.text);
  const score = r["rp_healthscore"] === null ? "  -" : String(r["rp_healthscore"]).padStart(3);
  return `  ${score} ${label(r, "rp_healthstatus").padEnd(6)} ${label(r, "rp_healthtrend").padEnd(10)} ${label(r, "rp_recordtype").padEnd(12)} ${String(r["rp_name"])} (${r["rp_emailssent"] ?? 0} sent / ${r["rp_emailsreceived"] ?? 0} received)\n      ${reasons.join("\n      ")}`;
}

/**
 * The summary `npm start` prints, read back from Dataverse through the Web API (what a seller's form
 * would show), not from memory: healthiest and most at-risk relationships with their reasons, and the
 * colleagues best placed to introduce someone to the ones at risk.
 */
export async function demoSummary(client: DataverseClient, run: DataverseRun, now: number): Promise<string> {
  const select = [
    "rp_name",
    "rp_recordtype",
    "rp_recordid",
    "rp_healthscore",
    "rp_healthstatus",
    "rp_healthtrend",
    "rp_reasons",
    "rp_emailssent",
    "rp_emailsreceived",
    "rp_introducers",
  ];
  const scored = odataFilter`rp_healthscore ne ${null}`;
  const healthiest = await client.retrieveAll(
    "rp_relationshipinsights",
    { select, filter: scored, orderBy: ["rp_healthscore desc", "rp_name"], top: 5 },
    { formattedValues: true },
  );
  const poor = CHOICES.healthStatus.options[2]!.value;
  const declining = CHOICES.healthTrend.options[2]!.value;
  const atRisk = await client.retrieveAll(
    "rp_relationshipinsights",
    {
      select,
      filter: odataFilter`rp_healthscore ne ${null} and (rp_healthstatus eq ${poor} or rp_healthtrend eq ${declining})`,
      orderBy: ["rp_emailsreceived desc", "rp_name"],
      top: 5,
    },
    { formattedValues: true },
  );

  const [open, won, lost] = await Promise.all(
    [0, 1, 2].map(
      async (state) => (await client.count("opportunities", odataFilter`statecode eq ${state}`)).count,
    ),
  );

  const p = run.published;
  const t = (name: string) =>
    p.tables[name] ?? { created: 0, updated: 0, deleted: 0, unchanged: 0, failed: 0 };
  const tableLine = (name: string) => {
    const x = t(name);
    return `${name}: ${x.created} created, ${x.updated} updated, ${x.deleted} deleted, ${x.unchanged} unchanged${x.failed ? `, ${x.failed} failed` : ""}`;
  };
  const c = run.crm.counts;
  // People, not systemuser rows: the service's application user is one too, without an address.
  const people = run.crm.directory.users.length;
  const out: string[] = [];
  out.push(
    `Rapport on the local Dataverse: ${people} users, ${c.accounts} accounts, ${c.contacts} contacts, ${c.leads} leads, ${c.opportunities} opportunities; ` +
      `${run.result.stats.interactions} interactions (${run.tracked.interactions} tracked in Dataverse); as of ${new Date(now).toISOString().slice(0, 10)}.\n`,
  );
  out.push(
    `Sales history (from the mail, docs/demo-crm.md): ${open} open, ${won} won, ${lost} lost opportunities.\n`,
  );
  out.push(
    `Published: ${tableLine("rp_relationshipinsight")}; ${tableLine("rp_relationshiphistory")}; ${tableLine("rp_connection")}; ${p.linked} records linked.\n`,
  );
  out.push(
    `\nHealthiest relationships (score, status, trend, record):\n${healthiest.map(line).join("\n")}\n`,
  );
  out.push(`\nMost at risk (poor or declining):\n${atRisk.map(line).join("\n")}\n`);
  out.push(`\nBest introducers to the relationships at risk (from who knows whom):\n`);
  // An opportunity's people are its owner and sales team already; introductions matter for the others.
  for (const r of atRisk.filter((x) => label(x, "rp_recordtype") !== "Opportunity").slice(0, 3)) {
    const intros = (JSON.parse(String(r["rp_introducers"] ?? "[]")) as Introducer[]).slice(0, 3);
    const text = intros.map(
      (i) =>
        `${i.name ?? i.colleague} (${i.band}, ${Math.round(i.strength)}; last ${i.evidence.last.at.slice(0, 10)})`,
    );
    out.push(`  ${String(r["rp_name"])}: ${text.join("; ") || "no colleague connected"}\n`);
  }
  return out.join("");
}
