import { SingleBar } from "cli-progress";

/** A byte-based progress bar on stderr (also readable in CI logs, where stderr is not a terminal). */
export class ByteProgress {
  private bar: SingleBar | undefined;
  private done = 0;

  constructor(
    private readonly label: string,
    private readonly enabled: boolean,
  ) {}

  start = (totalBytes: number): void => {
    if (!this.enabled) return;
    this.bar = new SingleBar({
      stream: process.stderr,
      format: `${this.label} |{bar}| {percentage}% | {doneMb}/{totalMb} MB | {duration}s`,
      barsize: 30,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      etaBuffer: 50,
    });
    this.bar.start(totalBytes, 0, { doneMb: "0.0", totalMb: (totalBytes / 1e6).toFixed(1) });
  };

  add = (bytes: number): void => {
    if (!this.bar) return;
    this.done += bytes;
    this.bar.update(this.done, { doneMb: (this.done / 1e6).toFixed(1) });
  };

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/**
 * Progress through named phases on stderr: a bar for a phase with a known size (rows to seed, writes to
 * publish), a line for the others.
 */
export class PhaseProgress {
  private bar: SingleBar | undefined;

  constructor(private readonly enabled: boolean) {}

  phase = (name: string, total?: number): void => {
    if (!this.enabled) return;
    this.stop();
    if (total === undefined || total === 0) {
      process.stderr.write(`${name}…\n`);
      return;
    }
    this.bar = new SingleBar({
      stream: process.stderr,
      format: `${name.padEnd(16)} |{bar}| {value}/{total} | {duration}s`,
      barsize: 30,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
    });
    this.bar.start(total, 0);
  };

  progress = (done: number): void => {
    this.bar?.update(done);
  };

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
