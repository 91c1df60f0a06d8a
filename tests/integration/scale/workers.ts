import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const ROOT = path.resolve(__dirname, "../../..");
export const WORKER = path.join(ROOT, "server/dist/functions/workerMain.js");

export interface WorkerProcess {
  child: ChildProcess;
  /** The JSON lines it printed (events: synced, recomputed, message, fault.stalled, ...). */
  events: Record<string, unknown>[];
  waitFor(pred: (e: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  /** SIGTERM, then its peak memory as it reported it. */
  stop(): Promise<number | undefined>;
  kill(): Promise<void>;
}

/** A worker process (server/dist/functions/workerMain.js) with the Functions app's settings in its environment. */
export function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: Record<string, unknown>[] = [];
  const waiters: {
    pred: (e: Record<string, unknown>) => boolean;
    resolve: (e: Record<string, unknown>) => void;
  }[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    events.push(e);
    for (const w of [...waiters])
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
  });
  child.stderr!.resume();
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    child,
    events,
    waitFor(pred, ms = 60_000) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("worker event did not come")), ms);
        waiters.push({
          pred,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    async stop() {
      if (child.exitCode !== null) return undefined;
      child.kill("SIGTERM");
      await exited;
      return events.find((e) => typeof e["maxRssKiB"] === "number")?.["maxRssKiB"] as number | undefined;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
