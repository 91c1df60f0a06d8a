// Starts Azurite (blob and queue in memory, no telemetry) on free loopback ports and stops it: used by the
// scale-out integration tests and the scale benchmark, so that neither needs anything already running.
const { spawn } = require("node:child_process");
const { mkdtempSync, rmSync } = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const AZURITE = path.resolve(__dirname, "../node_modules/.bin/azurite");
// Azurite's well-known development account (public and documented; not a secret).
const ACCOUNT = "devstoreaccount1";
const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function accepting(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** @returns {Promise<{ connectionString: string, pid: number, stop(): Promise<void> }>} */
async function startAzurite() {
  const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
  // In memory, but Azurite still writes its debug log and extent files to the working directory.
  const dir = mkdtempSync(path.join(os.tmpdir(), "rapport-azurite-"));
  const args = ["--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck"];
  for (const [service, port] of [
    ["blob", blobPort],
    ["queue", queuePort],
    ["table", tablePort],
  ])
    // Keep-alive as long as Azure Storage's idle timeout, not Azurite's 5 s: a worker computing for longer
    // than that between requests would otherwise find its pooled sockets closed (ECONNRESET, EPIPE).
    args.push(
      `--${service}Host`,
      "127.0.0.1",
      `--${service}Port`,
      String(port),
      `--${service}KeepAliveTimeout`,
      "240",
    );
  const child = spawn(AZURITE, args, { stdio: "ignore", cwd: dir });
  const deadline = Date.now() + 30_000;
  while (!((await accepting(blobPort)) && (await accepting(queuePort)))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`Azurite did not start (exit code ${String(child.exitCode)})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
      `BlobEndpoint=http://127.0.0.1:${blobPort}/${ACCOUNT};QueueEndpoint=http://127.0.0.1:${queuePort}/${ACCOUNT};`,
    pid: child.pid,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startAzurite };
