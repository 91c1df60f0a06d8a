import path from "node:path";

import { ingestMbox } from "../../../server/src/app/ingest";
import { CliError } from "../../../server/src/cli/errors";
import {
  describeOrgDomains,
  type DomainStep,
  fromEnv,
  fromFlag,
  fromMailboxOwners,
  fromSettings,
  inferredFrom,
  mostCommonDomain,
  orgDomainsForMail,
  passedOn,
  resolveOrgDomains,
} from "../../../server/src/cli/orgDomains";
import { resolveConfig } from "../../../server/src/core/config";

const OWNERS = path.resolve(__dirname, "../../fixtures/mbox-owners");

describe("the organisation's domains: one resolution order", () => {
  const flag = () => fromFlag(["Contoso.com"]);
  const env = () => fromEnv({ RAPPORT_ORG_DOMAINS: "env.example, @other.example" });
  const settings = () => fromSettings(["settings.example"], "from the org's settings (rp_orgdomains)");
  const inferred = () => inferredFrom(["a@inferred.example"], "enabled users");
  const none: DomainStep = () => undefined;
  const ignore = () => undefined;

  test.each([
    ["--domain over everything", [flag, env, settings, inferred], ["contoso.com"], "--domain"],
    [
      "RAPPORT_ORG_DOMAINS over the settings",
      [none, env, settings, inferred],
      ["env.example", "other.example"],
      "from RAPPORT_ORG_DOMAINS",
    ],
    [
      "the settings over what the data suggests",
      [none, none, settings, inferred],
      ["settings.example"],
      "from the org's settings (rp_orgdomains)",
    ],
    [
      "the data when nothing names one",
      [none, none, none, inferred],
      ["inferred.example"],
      "inferred from 1 enabled users",
    ],
  ] as const)("%s", async (_label, steps, domains, from) => {
    const found = await resolveOrgDomains(steps, [], ignore);
    expect(found.domains).toEqual(domains);
    expect(found.from).toBe(from);
  });

  test("a later place is not looked at once an earlier one gives domains (no Dataverse read for nothing)", async () => {
    const later = jest.fn(() => fromSettings(["x.example"], "from x"));
    await resolveOrgDomains([env, later], [], ignore);
    expect(later).not.toHaveBeenCalled();
  });

  test("fails with one clear error naming where it looked when nothing gives one", async () => {
    const found = resolveOrgDomains([none, none], ["the --settings file", "the org's enabled users"], ignore);
    await expect(found).rejects.toBeInstanceOf(CliError);
    await expect(found).rejects.toThrow(
      "no organisation domain: give --domain <domain> (e.g. --domain contoso.com) or set RAPPORT_ORG_DOMAINS; " +
        "none was found in the --settings file or the org's enabled users",
    );
  });

  test("says where the domains came from in one line, but not when the user named them", async () => {
    const lines: string[] = [];
    await resolveOrgDomains([flag], [], (l) => lines.push(l));
    await resolveOrgDomains([none, env], [], (l) => lines.push(l));
    expect(lines).toEqual([
      "organisation domains: env.example, other.example (from RAPPORT_ORG_DOMAINS; --domain overrides)",
    ]);
  });

  test("a bad domain in the variable is named with the variable", () => {
    expect(() => fromEnv({ RAPPORT_ORG_DOMAINS: "contoso" })).toThrow(
      "RAPPORT_ORG_DOMAINS: 'contoso' is not a domain (e.g. contoso.com)",
    );
    expect(fromEnv({ RAPPORT_ORG_DOMAINS: " , " })).toBeUndefined();
  });

  test("domains the settings carry already are not passed on again", () => {
    expect(passedOn(fromSettings(["a.example"], "from the --settings file")!)).toEqual([]);
    expect(passedOn(fromFlag(["a.example"])!)).toEqual(["a.example"]);
  });
});

describe("inferring the domain", () => {
  test("the most common domain wins; ties go to the first alphabetically; free mail is never an organisation", () => {
    expect(
      mostCommonDomain(["a@b.example", "c@a.example", "d@gmail.com", "e@gmail.com", "f@gmail.com"]),
    ).toEqual({
      domain: "a.example",
      count: 1,
      of: 5,
    });
    expect(mostCommonDomain(["a@gmail.com"])).toBeUndefined();
    expect(mostCommonDomain([])).toBeUndefined();
  });

  test("says how many of the people it looked at have the domain", () => {
    const found = inferredFrom(["a@x.example", "b@x.example", "c@y.example"], "mailbox owners");
    expect(describeOrgDomains(found!)).toBe(
      "organisation domain: x.example (inferred from 2 of 3 mailbox owners; --domain overrides)",
    );
  });

  test("from a small mbox folder: each mailbox's owner is the address on most of its messages", async () => {
    const read = await ingestMbox(OWNERS, { config: resolveConfig(), now: Date.UTC(2002, 0, 1), workers: 1 });
    expect(fromMailboxOwners(read.participantsByFile)).toEqual({
      domains: ["contoso.com"],
      from: "inferred from 2 of 3 mailbox owners",
    });
  });

  test("a command reading mail infers the domain once it is read, and fails naming the mailbox owners when it cannot", async () => {
    const lines: string[] = [];
    const later = await orgDomainsForMail([() => undefined], ["the --settings file"], (l) => lines.push(l));
    expect(later.domains).toEqual([]);
    const owners = new Map([
      [
        "box",
        new Map([
          ["me@contoso.com", 9],
          ["you@fabrikam.com", 4],
        ]),
      ],
    ]);
    expect(later.inferDomains?.(owners)).toEqual(["contoso.com"]);
    expect(lines).toEqual([
      "organisation domain: contoso.com (inferred from 1 mailbox owners; --domain overrides)",
    ]);
    expect(() => later.inferDomains?.(new Map())).toThrow(
      "none was found in the --settings file or the mailbox owners of the mail read",
    );
    const named = await orgDomainsForMail([() => fromFlag(["a.example"])], [], (l) => lines.push(l));
    expect(named).toEqual({ domains: ["a.example"] });
  });
});
