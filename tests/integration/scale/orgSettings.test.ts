import { choiceValue } from "@rapport/model";

import { type Azurite, startAzurite } from "../../../scripts/azurite.cjs";
import { computeAndPublish } from "../../../server/src/app/dataversePipeline";
import { seedDemo } from "../../../server/src/app/demo/seedDemo";
import { runConfig } from "../../../server/src/app/orgPolicy";
import { DataverseTrackedSource, TRACKED_SHARE } from "../../../server/src/app/scale/trackedSource";
import { SAMPLE_DIR } from "../../../server/src/app/start";
import { domainOf } from "../../../server/src/core/address";
import type { InsightsResult } from "../../../server/src/core/insights";
import {
  DataverseClient,
  odataFilter,
  type RequestEvent,
  type Row,
  staticTokenProvider,
} from "../../../server/src/dataverse/client";
import { openScaleHost, type ScaleHost } from "../../../server/src/functions/services";
import { readScaleSettings } from "../../../server/src/functions/settings";
import { actor } from "../actors";
import { config, NOW, type SampleOrgs, sampleOrgs } from "../sampleOrg";
import { runInProcess } from "./inProcessRun";

// The org's settings row (rp_settings) honoured by the scale-out as `rapport publish` honours it: read
// when a run starts (with the CRM), kept with the run, applied by every sync, recompute and publish.
// Against the local Dataverse endpoint and Azurite, on the real sample.

let sample: SampleOrgs;
let azurite: Azurite;
let one: DataverseClient;
let scale: DataverseClient;
/** The service's own client on `one`: `rapport publish` runs as Rapport Service, as the scale-out does. */
let oneService: DataverseClient;
let scaleServiceToken: string;
let scaleUrl: string;
let host: ScaleHost;
let optedOutUser: string;
let excludedDomain: string;
let firstCounts: Record<string, number>;

const TABLES = ["rp_relationshipinsights", "rp_relationshiphistories", "rp_connections"] as const;
const COLLEAGUE = choiceValue("targetType", "colleague");

const settingsRow = (client: DataverseClient, values: Row) =>
  client.upsert("rp_settingses", { rp_key: "default" }, { rp_name: "Default", ...values });

/**
 * Rows per published table, counted by reading them. Connections between colleagues (target type
 * Colleague) are left out: the scale-out does not compute colleague ties yet (docs/scale-out.md), `rapport
 * publish` does.
 */
async function counts(client: DataverseClient): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const filter = t === "rp_connections" ? odataFilter`rp_targettype ne ${COLLEAGUE}` : undefined;
    out[t] = (await client.retrieveAll(t, { select: ["rp_key"], ...(filter ? { filter } : {}) })).length;
  }
  return out;
}

/**
 * Records and connections in a canonical order, as JSON lines (the merge of partitions orders its own way).
 * Without `similar`: the scale-out does not compare open opportunities with closed ones (that needs every
 * closed deal's activity in one partition; docs/scale-out.md says so), `rapport publish` does.
 */
const canonical = (r: InsightsResult) => ({
  records: r.records.map(({ similar: _similar, ...x }) => JSON.stringify(x)).sort(),
  connections: r.connections.map((x) => JSON.stringify(x)).sort(),
});

/** The three tracked activities (an email, a phone call, a meeting) between a colleague and two contacts. */
const TRACKED = 3;

/**
 * Tracks an email, a phone call and a meeting in an org, as Dynamics keeps them (activity parties by
 * participation type), between a colleague other than `not` and two of the CRM's contacts.
 */
async function trackActivities(client: DataverseClient, not: string): Promise<void> {
  const user = sample.crm.systemusers.find((u) => u["internalemailaddress"] !== not)!;
  const [x, y] = sample.crm.contacts;
  const colleague = (mask: number) => ({
    "partyid_systemuser@odata.bind": `/systemusers(${String(user["systemuserid"])})`,
    participationtypemask: mask,
    addressused: String(user["internalemailaddress"]),
  });
  // Without the address used, a party's address is its record's (read from the CRM).
  const contact = (mask: number, row: Row, withAddress = true) => ({
    "partyid_contact@odata.bind": `/contacts(${String(row["contactid"])})`,
    participationtypemask: mask,
    ...(withAddress ? { addressused: String(row["emailaddress1"]) } : {}),
  });
  // Participation types: 1 sender, 2 to, 5 required attendee, 7 organizer. Fixed ids: the two orgs must
  // hold the same activities (their ids reach the published history).
  const activities: [string, Row][] = [
    [
      "emails",
      {
        subject: "Pipeline capacity for Q3",
        senton: "2001-06-04T15:20:00Z",
        directioncode: true,
        "regardingobjectid_contact@odata.bind": `/contacts(${String(x!["contactid"])})`,
        email_activity_parties: [colleague(1), contact(2, x!)],
      },
    ],
    [
      "phonecalls",
      {
        subject: "Follow-up on capacity",
        actualstart: "2001-06-06T16:00:00Z",
        actualdurationminutes: 25,
        directioncode: true,
        phonecall_activity_parties: [colleague(1), contact(2, y!)],
      },
    ],
    [
      "appointments",
      {
        subject: "Capacity review",
        scheduledstart: "2001-06-12T17:00:00Z",
        scheduledend: "2001-06-12T18:00:00Z",
        appointment_activity_parties: [colleague(7), contact(5, x!), contact(5, y!, false)],
      },
    ],
  ];
  for (const [k, [set, row]] of activities.entries())
    await client.create(set, {
      activityid: `a0000000-0000-4000-8000-00000000000${k + 1}`,
      statecode: 1,
      ...row,
    });
}

/** The opportunity given a stakeholder and a sales team member (the same in both orgs). */
let connected: { opportunity: string; stakeholder: string; member: string };

/** The id a `…@odata.bind` value names (`/accounts(<id>)` → `<id>`). */
const boundId = (row: Row, bind: string): string | undefined =>
  /\(([^)]+)\)$/.exec(String(row[`${bind}@odata.bind`] ?? ""))?.[1];

/**
 * Connects the first opportunity to another contact of its account in a Stakeholder role and to a
 * colleague other than its owner in a Sales Team role, as the opportunity form's subgrids do.
 */
async function connectPeople(client: DataverseClient): Promise<void> {
  const opportunity = sample.crm.opportunities[0]!;
  const account = boundId(opportunity, "parentaccountid");
  const customer = boundId(opportunity, "parentcontactid");
  // Another contact of its account when it has one, else any other contact (an adviser, say).
  const others = sample.crm.contacts.filter((c) => c["contactid"] !== customer);
  const stakeholder = others.find((c) => boundId(c, "parentcustomerid_account") === account) ?? others[0]!;
  const owner = boundId(opportunity, "ownerid");
  const member = sample.crm.systemusers.find((u) => u["systemuserid"] !== owner)!;
  connected = {
    opportunity: String(opportunity["opportunityid"]),
    stakeholder: String(stakeholder["contactid"]),
    member: String(member["systemuserid"]),
  };
  const roles = {
    stakeholder: "c0000000-0000-4000-8000-000000001000",
    team: "c0000000-0000-4000-8000-000000001001",
  };
  await client.create("connectionroles", {
    connectionroleid: roles.stakeholder,
    name: "Stakeholder",
    category: 1000,
  });
  await client.create("connectionroles", {
    connectionroleid: roles.team,
    name: "Sales Team Member",
    category: 1001,
  });
  const from = { "record1id_opportunity@odata.bind": `/opportunities(${connected.opportunity})` };
  await client.create("connections", {
    ...from,
    "record2id_contact@odata.bind": `/contacts(${connected.stakeholder})`,
    "record2roleid@odata.bind": `/connectionroles(${roles.stakeholder})`,
  });
  await client.create("connections", {
    ...from,
    "record2id_systemuser@odata.bind": `/systemusers(${connected.member})`,
    "record2roleid@odata.bind": `/connectionroles(${roles.team})`,
  });
}

/** The most frequent value of a list (ties: the first in sorted order, so the choice is stable). */
function mostFrequent(values: readonly string[]): string {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

beforeAll(async () => {
  [sample, azurite] = await Promise.all([sampleOrgs("scale-settings"), startAzurite()]);
  const a = await sample.org("one");
  const b = await sample.org("scale");
  one = a.client;
  scale = b.client;
  scaleUrl = b.server.url;
  await seedDemo(one, sample.crm);
  await seedDemo(scale, sample.crm);
  // Who counts on an opportunity: both read its stakeholders and sales team from its connections.
  await connectPeople(one);
  await connectPeople(scale);
  // Settings that change the result a lot: the colleague with the most connections opts out, the
  // external domain with the most connections is excluded, meetings weigh 50% more.
  const baseline = await computeAndPublish(one, { config, now: NOW, mail: sample.mail });
  optedOutUser = mostFrequent(baseline.result.connections.map((c) => c.colleague));
  excludedDomain = mostFrequent(baseline.result.connections.map((c) => domainOf(c.external)));
  // Activities tracked in Dataverse join the mail in both (the scale-out reads them as one more share).
  await trackActivities(one, optedOutUser);
  await trackActivities(scale, optedOutUser);
  oneService = actor(a.server, "Rapport service", ["service"]).client;
  scaleServiceToken = actor(b.server, "Rapport service", ["service"]).token;
  host = await openScaleHost(
    readScaleSettings({
      AzureWebJobsStorage: azurite.connectionString,
      RAPPORT_ORG_DOMAINS: "enron.com",
      RAPPORT_PARTITIONS: "3",
      RAPPORT_MAILBOX_FOLDER: SAMPLE_DIR,
      GRAPH_CLIENT_STATE: "test-client-state-not-a-real-secret",
      RAPPORT_AS_OF: "2002-01-01",
      DATAVERSE_URL: b.server.url,
      DATAVERSE_AUTH: "static",
      DATAVERSE_TOKEN: scaleServiceToken,
    }),
  );
}, 180_000);

afterAll(async () => {
  await azurite?.stop();
  await sample?.close();
});

/**
 * Saves the same settings row in both orgs, runs `rapport publish` on one and the scale-out on the
 * other, and checks they agree: the same records and connections, the same rows in every table.
 */
async function bothWith(values: Row, minute: number) {
  await settingsRow(one, values);
  await settingsRow(scale, values);
  const want = await computeAndPublish(oneService, { config, now: NOW, mail: sample.mail });
  const got = await runInProcess(host, minute);
  const g = canonical(got.result);
  const w = canonical(want.result);
  expect(g.records.length).toBe(w.records.length);
  expect(g.connections.length).toBe(w.connections.length);
  expect(g.records.filter((x, k) => x !== w.records[k])).toEqual([]);
  expect(g.connections.filter((x, k) => x !== w.connections[k])).toEqual([]);
  const rows = await counts(scale);
  expect(rows).toEqual(await counts(one));
  return { got, want, rows, manifest: (await host.store.manifest(got.run))! };
}

describe("the org's settings row in the scale-out", () => {
  test("opt-out, exclusion and weights: the scale-out gives exactly what rapport publish gives", async () => {
    const trackedReads = jest.spyOn(DataverseTrackedSource.prototype, "read");
    const { want, manifest, rows } = await bothWith(
      {
        rp_optedoutusers: optedOutUser.toUpperCase(), // as an admin may type it
        rp_excludeddomains: excludedDomain,
        rp_meetingweight: 9,
      },
      0,
    );
    // The settings bite: the colleague and the domain are gone from the result.
    expect(want.result.connections.length).toBeGreaterThan(500);
    expect(want.result.connections.some((c) => c.colleague === optedOutUser)).toBe(false);
    expect(want.result.connections.some((c) => domainOf(c.external) === excludedDomain)).toBe(false);
    // Kept with the run: every step (and every retry) computes with the settings the run started with.
    expect(manifest.settings?.optedOutUsers).toEqual([optedOutUser]);
    expect(manifest.settings?.config.weights?.meeting).toBe(1.5);
    expect(manifest.crm?.users.find((u) => u.emails.includes(optedOutUser))?.optedOut).toBe(true);
    expect(manifest.mailboxes[0]).toBe(TRACKED_SHARE);
    // The run's directory holds the opportunity's stakeholder and sales team, read as Rapport Service.
    expect(manifest.crm?.opportunities.find((o) => o.id === connected.opportunity)).toMatchObject({
      contactIds: expect.arrayContaining([connected.stakeholder]),
      teamUserIds: expect.arrayContaining([connected.member]),
    });
    expect(want.tracked.interactions).toBe(TRACKED);
    // Their subjects (only tracked activities carry one) reach the records' history, in both.
    const subjects = new Set(
      want.result.records.flatMap((r) => r.kpis?.history.map((h) => h.subject) ?? []).filter(Boolean),
    );
    expect(subjects).toEqual(
      new Set(["Pipeline capacity for Q3", "Follow-up on capacity", "Capacity review"]),
    );
    expect(rows["rp_connections"]).toBeGreaterThanOrEqual(want.result.connections.length);
    firstCounts = rows;

    // The tracked sync takes the parties' addresses from the directory the run started with: it reads the
    // activities and nothing of the CRM, and the attendee tracked without an address still has theirs.
    expect(trackedReads).toHaveBeenCalledTimes(1);
    expect(trackedReads.mock.calls[0]![2]).toEqual(manifest.crm);
    trackedReads.mockRestore();
    const paths: string[] = [];
    const counted = new DataverseClient({
      url: scaleUrl,
      token: staticTokenProvider(scaleServiceToken),
      onRequest: (e: RequestEvent) => paths.push(e.path),
    });
    const read = await new DataverseTrackedSource(counted).read(
      runConfig(config, manifest.settings!),
      NOW,
      manifest.crm,
    );
    expect(read.interactions).toHaveLength(TRACKED);
    const y = String(sample.crm.contacts[1]!["emailaddress1"]).toLowerCase();
    expect(read.interactions.find((i) => i.kind === "meeting")?.to).toContain(y);
    const sets = new Set(paths.map((p) => /\/api\/data\/v9\.2\/([a-z_]+)/.exec(p)?.[1]));
    expect([...sets].sort()).toEqual(["appointments", "emails", "phonecalls"]);
  }, 240_000);

  test("who knows whom off, then analytics off: each next run removes what it published before", async () => {
    const noWkw = await bothWith({ rp_whoknowswhomenabled: false }, 1);
    expect(noWkw.got.result.connections).toEqual([]);
    expect(noWkw.got.result.records.length).toBeGreaterThan(100);
    expect(noWkw.got.result.records.every((r) => r.introducers.length === 0)).toBe(true);
    expect(noWkw.rows["rp_connections"]).toBe(0);
    expect(noWkw.rows["rp_relationshipinsights"]).toBe(firstCounts["rp_relationshipinsights"]);

    const noAnalytics = await bothWith({ rp_whoknowswhomenabled: true, rp_analyticsenabled: false }, 2);
    expect(noAnalytics.rows["rp_relationshipinsights"]).toBe(0);
    expect(noAnalytics.rows["rp_relationshiphistories"]).toBe(0);
    expect(noAnalytics.rows["rp_connections"]).toBe(firstCounts["rp_connections"]);
  }, 300_000);

  test("Microsoft 365 data off: no mailbox is read, only the tracked activities, and what came from mail is removed", async () => {
    const off = await bothWith({ rp_analyticsenabled: true, rp_m365enabled: false }, 3);
    expect(off.manifest.mailboxes).toEqual([TRACKED_SHARE]);
    expect(off.want.tracked.interactions).toBe(TRACKED);
    expect(off.want.result.stats.interactions).toBe(TRACKED);
    // The CRM's records stay (most with nothing to say); only the tracked people keep connections.
    expect(off.rows["rp_relationshipinsights"]).toBeGreaterThan(100);
    expect(off.rows["rp_connections"]).toBeGreaterThan(0);
    expect(off.rows["rp_connections"]).toBeLessThan(10);
  }, 240_000);
});
