import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { DataverseClient, staticTokenProvider } from "../../server/src/dataverse/client";
import { type LocalDataverse, startLocalDataverse } from "../../server/src/dataverse/local";
import { run } from "./cliRun";

// The organisation's domain when nobody names it: inferred from the data, and the same output as naming it.

const ROOT = path.resolve(__dirname, "../..");
const SAMPLE = path.join(ROOT, "server/data/sample");
const OWNERS = path.join(ROOT, "tests/fixtures/mbox-owners");
const TOKEN = "org-domains-test-token-0123456789";

let dir: string;
const saved = { ...process.env };
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rapport-domains-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  delete process.env["RAPPORT_ORG_DOMAINS"];
});
afterEach(() => {
  process.env = { ...saved };
});

const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("rapport insights and backtest without --domain", () => {
  test("insights on the sample infers enron.com from the mailbox owners and writes the same bytes as --domain enron.com", async () => {
    const named = path.join(dir, "named.json");
    const inferred = path.join(dir, "inferred.json");
    const common = ["--mbox", SAMPLE, "--now", "2001-12-31", "--quiet"];
    const a = await run("insights", ...common, "--domain", "enron.com", "--out", named);
    const b = await run("insights", ...common, "--out", inferred);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.err).not.toContain("organisation domain");
    expect(b.err).toContain(
      "organisation domain: enron.com (inferred from 10 mailbox owners; --domain overrides)\n",
    );
    expect(b.err).not.toMatch(/[a-z0-9._-]+@[a-z0-9.-]+/i); // no address printed
    expect(sha256(inferred)).toBe(sha256(named));
  }, 240_000);

  test("backtest infers the domain of most mailbox owners and writes the same lines as --domain names it", async () => {
    const named = path.join(dir, "named.jsonl");
    const inferred = path.join(dir, "inferred.jsonl");
    const common = ["--mbox", OWNERS, "--as-of", "2002-01-01", "--workers", "1", "--quiet"];
    const a = await run("backtest", ...common, "--domain", "contoso.com", "--out", named);
    const b = await run("backtest", ...common, "--out", inferred);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(b.err).toContain(
      "organisation domain: contoso.com (inferred from 2 of 3 mailbox owners; --domain overrides)",
    );
    expect(readFileSync(named, "utf8")).toMatch(/"kind":"connection"/);
    expect(sha256(inferred)).toBe(sha256(named));
  });

  test("RAPPORT_ORG_DOMAINS comes before the mail, --domain before the variable", async () => {
    process.env["RAPPORT_ORG_DOMAINS"] = "fabrikam.com";
    const out = path.join(dir, "env.jsonl");
    const common = ["--mbox", OWNERS, "--as-of", "2002-01-01", "--workers", "1", "--quiet", "--out", out];
    const fromEnv = await run("backtest", ...common);
    expect(fromEnv.err).toContain(
      "organisation domain: fabrikam.com (from RAPPORT_ORG_DOMAINS; --domain overrides)",
    );
    const named = await run("backtest", ...common, "--domain", "contoso.com");
    expect(named.err).not.toContain("organisation domain");
    expect(readFileSync(out, "utf8")).toContain('"internal":"ann@contoso.com"');
  });
});

describe("rapport publish without --domain", () => {
  let dv: LocalDataverse;
  let client: DataverseClient;
  beforeEach(async () => {
    dv = await startLocalDataverse({ db: ":memory:", token: TOKEN });
    client = new DataverseClient({ url: dv.url, token: staticTokenProvider(TOKEN) });
    Object.assign(process.env, { DATAVERSE_URL: dv.url, DATAVERSE_AUTH: "static", DATAVERSE_TOKEN: TOKEN });
  });
  afterEach(() => dv.close());

  const user = (address: string, isdisabled = false) =>
    client.create("systemusers", { fullname: address, internalemailaddress: address, isdisabled });

  test("infers the domain of most of the org's enabled users (disabled ones aside)", async () => {
    for (const a of ["ann@contoso.com", "bo@contoso.com", "cy@fabrikam.com"]) await user(a);
    for (const a of ["x@fabrikam.com", "y@fabrikam.com"]) await user(a, true);
    const r = await run("publish", "--quiet");
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      "organisation domain: contoso.com (inferred from 2 of 3 enabled users; --domain overrides)\n",
    );
  });

  test("the org's settings row comes before its users", async () => {
    await user("ann@contoso.com");
    await client.upsert(
      "rp_settingses",
      { rp_key: "default" },
      { rp_name: "Default", rp_orgdomains: "northwind.example\nnorthwind-traders.example" },
    );
    const r = await run("publish", "--quiet");
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      "organisation domains: northwind.example, northwind-traders.example (from the org's settings (rp_orgdomains); --domain overrides)\n",
    );
  });

  test("an org with no domain anywhere is one line saying where it looked", async () => {
    const r = await run("publish", "--quiet");
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "rapport: error: no organisation domain: give --domain <domain> (e.g. --domain contoso.com) or set RAPPORT_ORG_DOMAINS; " +
        "none was found in the --settings file or the org's settings (rp_orgdomains) or its enabled users' addresses\n",
    );
  });
});
