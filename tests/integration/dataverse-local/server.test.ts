import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";

import { main } from "../../../server/src/cli/main";
import {
  type FaultOptions,
  LocalDataverseStartError,
  startLocalDataverse,
} from "../../../server/src/dataverse/local";
import { captureOutput, startApi, TOKEN } from "./harness";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rapport-dv-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Status (or "reset") of `n` sequential requests against a server started with `faults`. */
async function statuses(faults: FaultOptions, n: number): Promise<(number | string)[]> {
  const api = await startApi({ faults });
  try {
    const out: (number | string)[] = [];
    for (let i = 0; i < n; i++) {
      try {
        out.push((await api.get("accounts?$top=1")).status);
      } catch {
        out.push("reset");
      }
    }
    return out;
  } finally {
    await api.server.close();
  }
}

describe("fault injection", () => {
  test("throttles every Nth request with 429, Retry-After and Dataverse's error code", async () => {
    const api = await startApi({ faults: { throttle: { every: 2, retryAfterSeconds: 0.05 } } });
    try {
      expect((await api.get("accounts")).status).toBe(200);
      const throttled = await api.get("accounts");
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get("retry-after")).toBe("0.05");
      expect(throttled.json.error.code).toBe("0x80072322");
      expect(throttled.headers.get("req_id")).toBeTruthy();
      expect(api.server.stats.faults.throttle).toBe(1);
    } finally {
      await api.server.close();
    }
  });

  test("gives the same faults for the same seed, and a faulted write never happens", async () => {
    const faults: FaultOptions = {
      seed: 42,
      throttle: { probability: 0.2 },
      unavailable: { probability: 0.2 },
      reset: { probability: 0.1 },
    };
    const a = await statuses(faults, 30);
    const b = await statuses(faults, 30);
    expect(a).toEqual(b);
    expect(a).toEqual(expect.arrayContaining([200, 429, 503, "reset"]));
    expect(await statuses({ ...faults, seed: 43 }, 30)).not.toEqual(a);

    const api = await startApi({ faults: { unavailable: { every: 1 } } });
    try {
      const r = await api.call("POST", "accounts", { body: { name: "Never written" } });
      expect(r.status).toBe(503);
      expect(r.json.error.code).toMatch(/^0x/);
      expect(api.server.seed({}).accounts).toBeUndefined();
    } finally {
      await api.server.close();
    }
  });

  test("slows answers down by the configured delay", async () => {
    const api = await startApi({ faults: { slow: { every: 1, delayMs: 150 } } });
    try {
      const started = performance.now();
      expect((await api.get("accounts")).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await api.server.close();
    }
  });
});

describe("persistence and start-up errors", () => {
  test("keeps records across a restart on the same file, with the row versions still rising", async () => {
    const file = path.join(dir, "persist.db");
    const first = await startApi({ db: file });
    await first.call("PATCH", "rp_settingses(rp_key='default')", { body: { rp_name: "Kept" } });
    const etag1 = (await first.get("rp_settingses(rp_key='default')")).json["@odata.etag"] as string;
    await first.server.close();
    const second = await startApi({ db: file });
    try {
      expect((await second.get("rp_settingses(rp_key='default')?$select=rp_name")).json.rp_name).toBe("Kept");
      await second.call("PATCH", "rp_settingses(rp_key='default')", { body: { rp_name: "Kept 2" } });
      const etag2 = (await second.get("rp_settingses(rp_key='default')")).json["@odata.etag"] as string;
      const version = (e: string) => Number(/\d+/.exec(e)?.[0]);
      expect(version(etag2)).toBeGreaterThan(version(etag1));
    } finally {
      await second.server.close();
    }
  });

  test("adds the columns a newer model has to an older file", async () => {
    const file = path.join(dir, "old.db");
    (await startLocalDataverse({ db: file, token: TOKEN })).close();
    const db = new Database(file);
    db.exec('ALTER TABLE "account" DROP COLUMN "websiteurl"');
    db.close();
    const api = await startApi({ db: file });
    try {
      expect(
        (await api.call("POST", "accounts", { body: { name: "New", websiteurl: "https://new.example" } }))
          .status,
      ).toBe(204);
    } finally {
      await api.server.close();
    }
  });

  test("says clearly when the file is not a database", async () => {
    const file = path.join(dir, "notes.txt");
    writeFileSync(file, "these are not the tables you are looking for\n".repeat(100));
    const started = startLocalDataverse({ db: file, token: TOKEN });
    await expect(started).rejects.toBeInstanceOf(LocalDataverseStartError);
    await expect(started).rejects.toThrow(
      `${file} is not a Rapport Dataverse database: file is not a database`,
    );
  });

  test("says clearly when the port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const started = startLocalDataverse({ db: ":memory:", port, token: TOKEN });
      await expect(started).rejects.toBeInstanceOf(LocalDataverseStartError);
      await expect(started).rejects.toThrow(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  test("answers 413 for a body above the limit", async () => {
    const api = await startApi({ maxBodyBytes: 1024 });
    try {
      const r = await api.call("POST", "accounts", { body: { name: "x".repeat(2000) } });
      expect(r.status).toBe(413);
      expect(r.json.error.code).toMatch(/^0x/);
    } finally {
      await api.server.close();
    }
  });
});

describe("rapport dataverse serve", () => {
  async function run(args: string[], until?: (out: string) => boolean) {
    let out = "";
    let err = "";
    const o = jest
      .spyOn(process.stdout, "write")
      .mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    const e = jest
      .spyOn(process.stderr, "write")
      .mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
    try {
      const done = main(["node", "rapport", "dataverse", "serve", ...args]);
      if (until) {
        // Generous: the first run compiles the whole CLI (cold transform cache).
        for (let i = 0; i < 3000 && !until(out); i++) await new Promise((r) => setTimeout(r, 10));
        return { done, out: () => out, err: () => err };
      }
      const code = await done;
      return { code, out: () => out, err: () => err };
    } finally {
      if (!until) {
        o.mockRestore();
        e.mockRestore();
      }
    }
  }

  test("prints the URL and a generated token, serves with it, and stops cleanly on Ctrl-C", async () => {
    const saved = process.env.RAPPORT_DATAVERSE_TOKEN;
    delete process.env.RAPPORT_DATAVERSE_TOKEN;
    try {
      const started = await run(["--db", path.join(dir, "cli.db"), "--port", "0"], (out) =>
        out.includes("Ctrl-C"),
      );
      const out = started.out();
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/api\/data\/v9\.2\/)/.exec(out)?.[1];
      const token = /Token: (\S+)/.exec(out)?.[1];
      expect(url).toBeDefined();
      expect(token).toBeDefined();
      const res = await fetch(`${url}accounts`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      process.emit("SIGINT");
      expect(await started.done).toBe(0);
      expect(started.out()).toContain("Stopped (SIGINT)");
    } finally {
      jest.restoreAllMocks();
      if (saved !== undefined) process.env.RAPPORT_DATAVERSE_TOKEN = saved;
    }
  });

  test("reports a file that is not a database as a usage error (exit code 2, no stack)", async () => {
    const file = path.join(dir, "not-a-db.sqlite");
    writeFileSync(file, "x".repeat(4096));
    const r = await run(["--db", file, "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.err()).toBe(
      `rapport: error: ${file} is not a Rapport Dataverse database: file is not a database\n`,
    );
  });

  test("reports a taken port as a usage error", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await run(["--db", ":memory:", "--port", String(port)]);
      expect(r.code).toBe(2);
      expect(r.err()).toBe(`rapport: error: port ${port} is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  test("shows help", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out()).toContain("--db <file>");
  });
});

/** A raw HTTP request, so the Host header can be forged (fetch will not send one of its own choosing). */
function rawRequest(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

describe("the links in answers (issue 16 §7)", () => {
  test("name the server's own origin, never a forged Host header", async () => {
    const api = await startApi();
    try {
      api.server.seed({ accounts: [{ name: "A" }, { name: "B" }] });
      const headers = { Authorization: `Bearer ${TOKEN}`, Host: "evil.example", Accept: "application/json" };
      const page = await rawRequest(`${api.server.serviceRoot}accounts?$select=name`, {
        headers: { ...headers, Prefer: "odata.maxpagesize=1" },
      });
      const json = JSON.parse(page.body) as Record<string, string>;
      expect(json["@odata.context"]).toMatch(new RegExp(`^${api.server.serviceRoot.replace(/\./g, "\\.")}`));
      expect(json["@odata.nextLink"]).toMatch(new RegExp(`^${api.server.serviceRoot.replace(/\./g, "\\.")}`));
      const created = await rawRequest(`${api.server.serviceRoot}accounts`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ name: "C" }),
      });
      expect(created.status).toBe(204);
      expect(String(created.headers["odata-entityid"])).toMatch(new RegExp(`^${api.server.url}/`));
      expect(String(created.headers["location"])).toMatch(new RegExp(`^${api.server.url}/`));
      expect(page.body + JSON.stringify(created.headers)).not.toContain("evil.example");
    } finally {
      await api.server.close();
    }
  });

  test("name the configured origin when one is given (an endpoint listening on 0.0.0.0)", async () => {
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, "127.0.0.1", r));
    const port = (free.address() as { port: number }).port;
    await new Promise((r) => free.close(r));
    const server = await startLocalDataverse({
      db: ":memory:",
      token: TOKEN,
      port,
      origin: "http://dv.example:5555/",
    });
    try {
      expect(server.serviceRoot).toBe("http://dv.example:5555/api/data/v9.2/");
      const r = await fetch(`http://127.0.0.1:${port}/api/data/v9.2/accounts?$top=1`, {
        headers: { Authorization: `Bearer ${TOKEN}` },
      });
      expect(((await r.json()) as Record<string, string>)["@odata.context"]).toBe(
        "http://dv.example:5555/api/data/v9.2/$metadata#accounts",
      );
    } finally {
      await server.close();
    }
  });
});

describe("the SQLite file (issue 16 §7)", () => {
  test("is created readable by its owner only, with its WAL beside it", async () => {
    const file = path.join(dir, "private.sqlite");
    const api = await startApi({ db: file });
    try {
      api.server.seed({ accounts: [{ name: "A" }] });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    } finally {
      await api.server.close();
    }
  });
});

describe("rapport dataverse serve: unsafe settings (issue 16 §7)", () => {
  async function serve(args: string[], env: Record<string, string | undefined>) {
    const saved = process.env.RAPPORT_DATAVERSE_TOKEN;
    if (env.RAPPORT_DATAVERSE_TOKEN === undefined) delete process.env.RAPPORT_DATAVERSE_TOKEN;
    else process.env.RAPPORT_DATAVERSE_TOKEN = env.RAPPORT_DATAVERSE_TOKEN;
    const output = captureOutput();
    try {
      const done = main([
        "node",
        "rapport",
        "dataverse",
        "serve",
        "--db",
        ":memory:",
        "--port",
        "0",
        ...args,
      ]);
      for (let i = 0; i < 3000 && !output.out().includes("Ctrl-C") && !output.err().includes("error:"); i++)
        await new Promise((r) => setTimeout(r, 10));
      if (output.out().includes("Ctrl-C")) process.emit("SIGINT");
      return { code: await done, out: output.out(), err: output.err() };
    } finally {
      jest.restoreAllMocks();
      if (saved !== undefined) process.env.RAPPORT_DATAVERSE_TOKEN = saved;
      else delete process.env.RAPPORT_DATAVERSE_TOKEN;
    }
  }

  test("refuses a short token, without printing it", async () => {
    const r = await serve([], { RAPPORT_DATAVERSE_TOKEN: "x" });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "rapport: error: RAPPORT_DATAVERSE_TOKEN is 1 character(s) long; it signs in the System Administrator, so use at least 16 random characters (or unset it for a generated one)\n",
    );
    expect(r.out).toBe("");
  });

  test("warns when listening beyond this machine, and not on loopback", async () => {
    const wide = await serve(["--host", "0.0.0.0"], { RAPPORT_DATAVERSE_TOKEN: undefined });
    expect(wide.code).toBe(0);
    expect(wide.err).toMatch(/^warning: --host 0\.0\.0\.0 is not a loopback address/);
    const local = await serve(["--host", "127.0.0.1"], { RAPPORT_DATAVERSE_TOKEN: undefined });
    expect(local.code).toBe(0);
    expect(local.err).toBe("");
  });
});
