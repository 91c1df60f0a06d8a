import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const AZURITE = path.join(ROOT, "node_modules/.bin/azurite");
/** Azurite's well-known development account (public, documented; not a secret). */
const ACCOUNT = "devstoreaccount1";
const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite {
  connectionString: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/**
 * Starts Azurite (blob and queue, in memory, no telemetry) on free ports for one suite, so that tests run
 * the real Storage protocol and a plain `npm test` needs nothing running. Stopped by the suite.
 */
export async function startAzurite(): Promise<Azurite> {
  const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
  // In memory, but Azurite still writes its debug log and extent files to the working directory.
  const dir = mkdtempSync(path.join(os.tmpdir(), "rapport-azurite-"));
  const child: ChildProcess = spawn(
    AZURITE,
    [
      "--silent",
      "--inMemoryPersistence",
      "--disableTelemetry",
      "--skipApiVersionCheck",
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      String(blobPort),
      "--queueHost",
      "127.0.0.1",
      "--queuePort",
      String(queuePort),
      "--tableHost",
      "127.0.0.1",
      "--tablePort",
      String(tablePort),
    ],
    { stdio: "ignore", cwd: dir },
  );
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
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
