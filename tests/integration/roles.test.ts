import { computeAndPublish } from "../../server/src/app/dataversePipeline";
import { seedDemo } from "../../server/src/app/demo/seedDemo";
import { forgetPerson } from "../../server/src/app/forgetPerson";
import { ForbiddenError, odataFilter, unboundActionOp } from "../../server/src/dataverse/client";
import { choiceValue } from "../../server/src/dataverse/model";
import { settingsApi } from "../../webresources/settings/src/api";
import { actor } from "./actors";
import { config, NOW, type SampleOrgs, sampleOrgs } from "./sampleOrg";

// Each actor under its own role against the enforcing local endpoint: the service publishes as Rapport
// Service, sellers read as Salesperson + Rapport Reader, the settings page and `rapport forget` run as
// an administrator with Rapport Administrator.

let sample: SampleOrgs;
beforeAll(async () => {
  sample = await sampleOrgs("roles");
}, 60_000);
afterAll(() => sample.close());

/** A demo org (seeded by the System Administrator) published once by the service under its role. */
async function publishedOrg(name: string) {
  const { server, client: sysadmin } = await sample.org(name);
  await seedDemo(sysadmin, sample.crm);
  const service = actor(server, "Rapport service", ["service"]);
  const run = await computeAndPublish(service.client, { config, now: NOW, mail: sample.mail });
  return { server, sysadmin, service, run };
}

/** The settings page's own Web API calls, signed in with `token`. */
const pageAs = (url: string, token: string) =>
  settingsApi(
    (input, init) =>
      fetch(new URL(input, url), {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), Authorization: `Bearer ${token}` },
      }),
    "/api/data/v9.2/",
  );

test("the service publishes end to end as Rapport Service: every row, every record linked, a rerun writes nothing", async () => {
  const { service, run } = await publishedOrg("service");
  expect(run.published.failures).toEqual([]);
  expect(run.published.tables["rp_relationshipinsight"]!.created).toBe(run.result.records.length);
  expect(run.published.linked).toBe(run.result.records.length);
  const again = await computeAndPublish(service.client, { config, now: NOW, mail: sample.mail });
  expect(again.published.writes).toBe(0);
}, 120_000);

test("a seller with Rapport Reader reads insights and connections; without it, Dataverse's 403", async () => {
  const { server } = await publishedOrg("seller");
  const reader = actor(server, "Reader seller", ["salesperson", "reader"], "reader@enron.com");
  const plain = actor(server, "Plain seller", ["salesperson"], "plain@enron.com");
  expect((await reader.client.count("rp_relationshipinsights")).count).toBeGreaterThan(0);
  expect((await reader.client.count("rp_connections")).count).toBeGreaterThan(0);
  expect((await plain.client.count("contacts")).count).toBe(sample.crm.contacts.length);
  const refused = await plain.client.retrieveAll("rp_relationshipinsights").catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ForbiddenError);
  expect((refused as ForbiddenError).code).toBe("0x80040220");
}, 120_000);

test("the settings page writes as Rapport Administrator and is refused for a reader", async () => {
  const { server } = await publishedOrg("settings");
  const admin = actor(server, "Admin", ["salesperson", "administrator"], "admin@enron.com");
  const reader = actor(server, "Reader", ["salesperson", "reader"], "reader@enron.com");
  const asAdmin = pageAs(server.url, admin.token);
  await asAdmin.save({ rp_name: "Default", rp_whoknowswhomroles: "Rapport Reader" });
  expect((await asAdmin.load())?.["rp_whoknowswhomroles"]).toBe("Rapport Reader");
  expect((await asAdmin.searchColleagues("a")).length).toBeGreaterThan(0);
  const asReader = pageAs(server.url, reader.token);
  expect((await asReader.load())?.["rp_whoknowswhomroles"]).toBe("Rapport Reader");
  await expect(asReader.save({ rp_whoknowswhomroles: "" })).rejects.toMatchObject({
    status: 403,
    code: "0x80040220",
  });
}, 120_000);

test("forget works as Rapport Administrator (CLI and page), and is refused to the service", async () => {
  const { server, service } = await publishedOrg("forget");
  const admin = actor(server, "Admin", ["salesperson", "administrator"], "admin@enron.com");
  const [a, b] = sample.crm.contacts.map((c) => String(c["emailaddress1"]));
  const refused = await forgetPerson(service.client, a!).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ForbiddenError);
  const forgot = await forgetPerson(admin.client, a!);
  expect(forgot.newlyExcluded).toBe(true);
  expect(forgot.connectionsDeleted).toBeGreaterThan(0);
  expect((await admin.client.count("rp_connections", odataFilter`rp_target eq ${a!}`)).count).toBe(0);
  // An introduction to the person the page forgets goes with them.
  await admin.client.create("rp_introductions", {
    rp_name: "Introduction to a contact",
    "rp_RequesterId@odata.bind": `/systemusers(${admin.userId})`,
    "rp_IntroducerId@odata.bind": `/systemusers(${admin.userId})`,
    rp_targetemail: b!,
    rp_recordtype: choiceValue("recordType", "contact"),
    rp_status: choiceValue("introductionStatus", "requested"),
  });
  const page = await pageAs(server.url, admin.token).forget(b!);
  expect(page.newlyExcluded).toBe(true);
  expect(page.introductionsDeleted).toBe(1);
  expect((await admin.client.count("rp_introductions", odataFilter`rp_targetemail eq ${b!}`)).count).toBe(0);
  // The service reads the exclusions on its next run, as its role allows.
  const run = await computeAndPublish(service.client, { config, now: NOW, mail: sample.mail });
  expect(run.config.excludedAddresses).toEqual(expect.arrayContaining([a, b]));
  expect(run.published.failures).toEqual([]);
}, 120_000);

test("introductions under the model's roles: the asker shares with the colleague asked, who answers; others see none", async () => {
  const { server } = await sample.org("introductions");
  const seller = ["salesperson", "reader"] as const;
  const asker = actor(server, "Asking seller", seller, "asker@enron.com");
  const colleague = actor(server, "Colleague asked", seller, "colleague@enron.com");
  const third = actor(server, "Third seller", seller, "third@enron.com");
  const admin = actor(server, "Intro admin", ["salesperson", "administrator"], "intro-admin@enron.com");
  const service = actor(server, "Intro service", ["service"]);
  const user = (id: string) => ({ systemuserid: id, "@odata.type": "Microsoft.Dynamics.CRM.systemuser" });
  const { id } = await asker.client.create("rp_introductions", {
    rp_name: "Introduction to a buyer",
    "rp_RequesterId@odata.bind": `/systemusers(${asker.userId})`,
    "rp_IntroducerId@odata.bind": `/systemusers(${colleague.userId})`,
    rp_targetemail: "buyer@example.com",
    rp_recordtype: choiceValue("recordType", "contact"),
    rp_status: choiceValue("introductionStatus", "requested"),
  });
  expect((await colleague.client.count("rp_introductions")).count).toBe(0);
  await asker.client.execute(
    unboundActionOp(
      "GrantAccess",
      {
        Target: { rp_introductionid: id, "@odata.type": "Microsoft.Dynamics.CRM.rp_introduction" },
        PrincipalAccess: { Principal: user(colleague.userId), AccessMask: "ReadAccess, WriteAccess" },
      },
      { idempotent: true },
    ),
  );
  await colleague.client.update("rp_introductions", id, {
    rp_status: choiceValue("introductionStatus", "accepted"),
  });
  expect((await third.client.count("rp_introductions")).count).toBe(0);
  expect((await admin.client.count("rp_introductions")).count).toBe(1);
  const refused = await colleague.client.delete("rp_introductions", id).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ForbiddenError);
  expect((refused as ForbiddenError).code).toBe("0x80040265");
  // The service follows the request to its outcome and keeps each colleague's profile, owned by them.
  await service.client.update("rp_introductions", id, {
    rp_status: choiceValue("introductionStatus", "made"),
  });
  await service.client.create("rp_introducerprofiles", {
    rp_name: "Colleague asked",
    rp_key: "colleague-profile",
    "rp_UserId@odata.bind": `/systemusers(${colleague.userId})`,
    "ownerid@odata.bind": `/systemusers(${colleague.userId})`,
  });
  const profile = await colleague.client.retrieveAll("rp_introducerprofiles", {
    select: ["_ownerid_value"],
  });
  expect(profile.map((p) => p["_ownerid_value"])).toEqual([colleague.userId]);
}, 60_000);
