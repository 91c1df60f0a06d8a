import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { startLocalDataverse } from "../../server/src/dataverse/local";
import { run } from "./cliRun";

const ROOT = path.resolve(__dirname, "../..");
const SAMPLE = path.join(ROOT, "server/data/sample");
const BAD_MBOX = path.join(ROOT, "tests/fixtures/bad/mbox");
const GRAPH = path.join(ROOT, "tests/fixtures/graph");
const CRM = path.join(ROOT, "tests/fixtures/crm/sample-crm.json");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rapport-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Line {
  kind: string;
  internal?: string;
  external: string;
  strength?: number;
  healthScore?: number;
  status?: string;
  trend?: string;
}

const lines = (file: string): Line[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe("rapport backtest", () => {
  test("writes one connection per pair and one contact per external person, from mail before the cutoff only", async () => {
    const early = path.join(dir, "early.jsonl");
    const late = path.join(dir, "late.jsonl");
    const r1 = await run(
      "backtest",
      "--mbox",
      SAMPLE,
      "--domain",
      "enron.com",
      "--as-of",
      "2001-03-01",
      "--out",
      early,
      "--workers",
      "1",
    );
    const r2 = await run(
      "backtest",
      "--mbox",
      SAMPLE,
      "--domain",
      "enron.com",
      "--as-of",
      "2001-12-01",
      "--out",
      late,
      "--workers",
      "1",
      "--quiet",
    );
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(r1.err).toMatch(/reading mail \|/); // the progress bar
    expect(r2.err).not.toMatch(/reading mail \|/);
    const a = lines(early);
    const b = lines(late);
    const conns = a.filter((l) => l.kind === "connection");
    const contacts = a.filter((l) => l.kind === "contact");
    expect(conns.length).toBeGreaterThan(500);
    expect(contacts.length).toBeGreaterThan(2_000);
    expect(
      conns.every(
        (l) => /@([a-z0-9-]+\.)*enron\.com$/.test(l.internal ?? "") && !/enron\.com$/.test(l.external),
      ),
    ).toBe(true);
    expect(a.every((l) => l.external === l.external.toLowerCase())).toBe(true);
    expect(
      contacts.every((l) => typeof l.healthScore === "number" && l.healthScore >= 0 && l.healthScore <= 100),
    ).toBe(true);
    expect(new Set(contacts.map((l) => l.status))).toEqual(
      new Set(["good", "fair", "poor", "notEnoughInfo"]),
    );
    // More mail before a later cutoff: strictly more pairs and people.
    expect(b.filter((l) => l.kind === "connection").length).toBeGreaterThan(conns.length);
    expect(b.filter((l) => l.kind === "contact").length).toBeGreaterThan(contacts.length);
  });

  /** A backtest command line with one option replaced (or an extra option added). */
  const backtestWith = (override: Record<string, string>): string[] => {
    const opts: Record<string, string> = {
      "--mbox": SAMPLE,
      "--domain": "enron.com",
      "--as-of": "2001-02-01",
      "--out": path.join(dir, "x"),
      ...override,
    };
    return ["backtest", ...Object.entries(opts).flatMap(([k, v]) => (v === "" ? [k] : [k, v]))];
  };

  test.each([
    ["a missing path", { "--mbox": "/no/such/folder" }, "--mbox: no such file or folder: /no/such/folder"],
    ["an impossible date", { "--as-of": "2001-02-30" }, "--as-of: '2001-02-30' is not a date"],
    ["a bad domain", { "--domain": "not a domain" }, "--domain: 'not a domain' is not a domain"],
    ["an unknown option", { "--frobnicate": "" }, "unknown option '--frobnicate'"],
  ])("names %s, with exit code 2", async (_label, override, message) => {
    const r = await run(...backtestWith(override));
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  test.each([
    [
      "a character device",
      "/dev/zero",
      "--mbox: not a regular file or folder (a character device): /dev/zero",
    ],
    ["a named pipe", "pipe", "--mbox: not a regular file or folder (a named pipe): "],
  ])(
    "refuses %s as --mbox in one line, with exit code 2, without reading it",
    async (_label, target, message) => {
      let mbox = target;
      if (target === "pipe") {
        mbox = path.join(dir, "mbox-pipe");
        execFileSync("mkfifo", [mbox]);
      }
      for (const command of [
        backtestWith({ "--mbox": mbox }),
        ["insights", "--mbox", mbox, "--domain", "enron.com", "--out", path.join(dir, "z.json")],
      ]) {
        const r = await run(...command);
        expect(r.code).toBe(2);
        expect(r.err.trim().split("\n")[0]).toContain(message);
      }
    },
  );

  test("refuses a device as --graph-json in one line, with exit code 2", async () => {
    const r = await run(
      "insights",
      "--graph-json",
      "/dev/zero",
      "--domain",
      "enron.com",
      "--out",
      path.join(dir, "g.json"),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain("--graph-json: not a regular file or folder (a character device): /dev/zero");
  });

  test("names a missing required option, with exit code 2", async () => {
    const r = await run("backtest", "--mbox", SAMPLE);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/required option/);
  });

  test("prints help for every command", async () => {
    for (const cmd of [[], ["backtest"], ["insights"], ["start"]]) {
      const r = await run(...cmd, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Usage: rapport/);
    }
  });
});

describe("rapport insights", () => {
  test("reads a folder of damaged files, names each problem with its file and line, and still writes", async () => {
    const out = path.join(dir, "bad.json");
    const r = await run(
      "insights",
      "--mbox",
      BAD_MBOX,
      "--domain",
      "contoso.com",
      "--now",
      "2024-06-01",
      "--out",
      out,
      "--quiet",
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/truncatedGzip at .*truncated[^:]*\.gz:\d+/);
    expect(r.err).toMatch(/corruptGzip at /);
    expect(r.err).toMatch(/invalidDate at .*:\d+: Date header/);
    expect(r.err).toMatch(/problems \d+: \{/);
    const written = JSON.parse(readFileSync(out, "utf8")) as { stats: { interactions: number } };
    expect(written.stats.interactions).toBeGreaterThan(0);
  });

  test("writes lists of at most 3 people per history item, so one message to many does not write all of them into each record", async () => {
    const written: number[] = [];
    for (const n of [150, 600]) {
      const to = Array.from({ length: n }, (_, i) => `p${i}@ext${i % 50}.example`);
      const mbox = path.join(dir, `rcpt-${n}.mbox`);
      writeFileSync(
        mbox,
        "From alice@enron.com Fri Jun  1 10:00:00 2001\nMessage-ID: <many@enron.com>\n" +
          `Date: Fri, 1 Jun 2001 10:00:00 +0000\nFrom: alice@enron.com\nTo: ${to.join(",\n\t")}\nSubject: hi\n\n`,
      );
      const out = path.join(dir, `rcpt-${n}.json`);
      const r = await run(
        "insights",
        "--mbox",
        mbox,
        "--domain",
        "enron.com",
        "--now",
        "2001-12-31",
        "--out",
        out,
        "--quiet",
      );
      expect(r.code).toBe(0);
      const text = readFileSync(out, "utf8");
      written.push(text.length);
      const result = JSON.parse(text) as {
        records: Array<{
          record: { type: string };
          kpis: { history: Array<{ theirs: string[]; theirsTotal?: number }> };
        }>;
      };
      const items = result.records.filter((x) => x.record.type === "contact").flatMap((x) => x.kpis.history);
      expect(items).toHaveLength(n);
      expect(items.every((h) => h.theirs.length === 3 && h.theirsTotal === n)).toBe(true);
    }
    // Four times the recipients, four times the records: linear (it was sixteen times the bytes).
    expect((written[1] ?? 0) / (written[0] ?? 1)).toBeLessThan(4.5);
    // --people-per-list 0 keeps every person (as the scale-out does).
    const all = path.join(dir, "rcpt-all.json");
    const r = await run(
      "insights",
      "--mbox",
      path.join(dir, "rcpt-150.mbox"),
      "--domain",
      "enron.com",
      "--now",
      "2001-12-31",
      "--people-per-list",
      "0",
      "--out",
      all,
      "--quiet",
    );
    expect(r.code).toBe(0);
    const full = JSON.parse(readFileSync(all, "utf8")) as {
      records: Array<{
        record: { type: string };
        kpis: { history: Array<{ theirs: string[]; theirsTotal?: number }> };
      }>;
    };
    const first = full.records.find((x) => x.record.type === "contact")?.kpis.history[0];
    expect(first?.theirs).toHaveLength(150);
    expect(first?.theirsTotal).toBeUndefined();
    const bad = await run(
      "insights",
      "--mbox",
      all,
      "--domain",
      "enron.com",
      "--people-per-list",
      "x",
      "--out",
      all,
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--people-per-list: 'x' is not a whole number from 0 to 1000");
  });

  test("uses a CRM directory: leads with their owner, opportunities, accounts with subsidiaries, aliases, opt-outs", async () => {
    const out = path.join(dir, "crm.json");
    const r = await run(
      "insights",
      "--mbox",
      SAMPLE,
      "--domain",
      "enron.com",
      "--directory",
      CRM,
      "--now",
      "2001-10-01",
      "--out",
      out,
      "--quiet",
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(out, "utf8")) as {
      records: Array<{
        record: { type: string; id: string };
        status: string;
        introducers: Array<{ colleague: string; name?: string }>;
        kpis: { emailsSent: number; emailsReceived: number };
      }>;
    };
    const byId = new Map(result.records.map((x) => [x.record.id, x]));
    expect([...byId.keys()].sort()).toEqual([
      "a-group",
      "a-orbit",
      "a-utili",
      "c-adicapri",
      "c-kdirks",
      "c-roths",
      "l-cooper",
      "o-utili",
    ]);
    const roths = byId.get("c-roths");
    expect(roths?.kpis.emailsSent).toBeGreaterThan(0);
    expect(roths?.introducers[0]).toMatchObject({
      colleague: "debra.perlingiere@enron.com",
      name: "Debra Perlingiere",
    });
    // The group account holds its subsidiary's people; the opted-out user is never an introducer.
    expect(byId.get("a-group")?.kpis.emailsSent).toBe(byId.get("a-utili")?.kpis.emailsSent);
    for (const rec of result.records)
      expect(rec.introducers.some((i) => i.colleague === "don.baughman@enron.com")).toBe(false);
    expect(byId.get("l-cooper")?.status).not.toBe("notScored");
  });

  test("names a directory file that is not JSON", async () => {
    const bad = path.join(dir, "crm-bad.json");
    writeFileSync(bad, "{ users: ");
    const r = await run(
      "insights",
      "--mbox",
      SAMPLE,
      "--domain",
      "enron.com",
      "--directory",
      bad,
      "--out",
      path.join(dir, "y.json"),
      "--quiet",
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}: not valid JSON`);
  });

  test("reads Microsoft Graph JSON exports", async () => {
    const out = path.join(dir, "graph.json");
    const r = await run(
      "insights",
      "--graph-json",
      GRAPH,
      "--domain",
      "contoso.com",
      "--now",
      "2024-06-01",
      "--out",
      out,
      "--quiet",
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(out, "utf8")) as {
      stats: { interactions: number };
      records: unknown[];
    };
    expect(result.stats.interactions).toBeGreaterThan(3);
    expect(r.err).toMatch(/read \d+ file\(s\)/);
  });
});

describe("rapport start", () => {
  test("seeds the local Dataverse, publishes, summarises from it; a second run writes nothing", async () => {
    const db = path.join(dir, "start", "demo.sqlite");
    const r = await run("start", "--quiet", "--no-preview", "--db", db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /Rapport on the local Dataverse: 10 users, \d+ accounts, \d+ contacts, \d+ leads, \d+ opportunities/,
    );
    // The sales history derived from the mail (docs/demo-crm.md), read back from Dataverse.
    expect(r.out).toContain(
      "Sales history (from the mail, docs/demo-crm.md): 19 open, 32 won, 34 lost opportunities.",
    );
    expect(r.out).toMatch(
      /Published: rp_relationshipinsight: [1-9]\d* created, 0 updated, 0 deleted, 0 unchanged/,
    );
    expect(r.out).toContain("Healthiest relationships");
    expect(r.out).toContain("Most at risk");
    expect(r.out).toMatch(
      /Best introducers to the relationships at risk .*:\n {2}\S.*: \S[^(]* \((strong|moderate|weak)/,
    );
    const again = await run("start", "--quiet", "--no-preview", "--db", db);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/rp_relationshipinsight: 0 created, 0 updated, 0 deleted, [1-9]\d* unchanged/);
    expect(again.out).toMatch(/rp_connection: 0 created, 0 updated, 0 deleted, [1-9]\d* unchanged/);
  });

  test("a bad preview port is named before any work is done", async () => {
    const r = await run(
      "start",
      "--quiet",
      "--port",
      "70000",
      "--db",
      path.join(dir, "start", "port.sqlite"),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain("--port (or PORT): '70000' is not a port number from 0 to 65535");
    expect(existsSync(path.join(dir, "start", "port.sqlite"))).toBe(false);
  });
});

describe("settings", () => {
  test("a settings file changes the scores (a monthly cadence forgives silence) and bad settings are named", async () => {
    const monthly = path.join(dir, "monthly.json");
    writeFileSync(
      monthly,
      JSON.stringify({ cadence: { account: "monthly" }, thresholds: { good: 70, fair: 45 } }),
    );
    const base = path.join(dir, "base.json");
    const relaxed = path.join(dir, "relaxed.json");
    expect(
      (
        await run(
          "insights",
          "--mbox",
          SAMPLE,
          "--domain",
          "enron.com",
          "--directory",
          CRM,
          "--now",
          "2001-10-01",
          "--out",
          base,
          "--quiet",
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await run(
          "insights",
          "--mbox",
          SAMPLE,
          "--domain",
          "enron.com",
          "--directory",
          CRM,
          "--settings",
          monthly,
          "--now",
          "2001-10-01",
          "--out",
          relaxed,
          "--quiet",
        )
      ).code,
    ).toBe(0);
    type Out = { records: Array<{ record: { id: string }; exactScore: number }> };
    const score = (file: string, id: string): number =>
      (JSON.parse(readFileSync(file, "utf8")) as Out).records.find((r) => r.record.id === id)?.exactScore ??
      Number.NaN;
    expect(score(relaxed, "a-utili")).toBeGreaterThan(score(base, "a-utili"));
    expect(score(relaxed, "c-roths")).toBeCloseTo(score(base, "c-roths"), 10); // contacts keep their cadence

    const bad = path.join(dir, "bad-settings.json");
    writeFileSync(bad, JSON.stringify({ weights: { email: 3 } }));
    const r = await run(
      "insights",
      "--mbox",
      SAMPLE,
      "--domain",
      "enron.com",
      "--settings",
      bad,
      "--out",
      path.join(dir, "z.json"),
      "--quiet",
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}: weights.email must be between 0.5 and 1.5 (±50%), got 3`);
  });
});

describe("rapport publish: secrets and orgs it cannot use", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const org = (url: string, token = "a-token") =>
    Object.assign(process.env, { DATAVERSE_URL: url, DATAVERSE_AUTH: "static", DATAVERSE_TOKEN: token });
  /** One line on stderr, exit code 2, no stack and no secret. */
  const oneLine = (r: { code: number; err: string }, ...secrets: string[]) => {
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    for (const s of secrets) expect(r.err).not.toContain(s);
  };

  test("a password in DATAVERSE_URL is refused without being printed", async () => {
    org("http://user:SECRET@127.0.0.1:59999");
    const r = await run("publish", "--quiet", "--domain", "example.com");
    oneLine(r, "SECRET");
    expect(r.err).toMatch(/DATAVERSE_URL: must not carry a user name or password/);
  });

  test("an org that cannot be reached is one line naming the setting", async () => {
    org("https://org.invalid");
    const r = await run("publish", "--quiet", "--domain", "example.com");
    oneLine(r);
    expect(r.err).toMatch(/no response \(ENOTFOUND\): cannot reach Dataverse; check DATAVERSE_URL/);
  });

  test("credentials the org refuses (401) are one line naming the setting", async () => {
    const dv = await startLocalDataverse({ db: ":memory:", token: "the-right-token-0123" });
    try {
      org(dv.url, "a-wrong-token");
      const r = await run("publish", "--quiet", "--domain", "example.com");
      oneLine(r, "a-wrong-token", "the-right-token-0123");
      expect(r.err).toMatch(/HTTP 401 0x8005f101 .*the credentials were refused; check DATAVERSE_AUTH/);
    } finally {
      await dv.close();
    }
  });
});
