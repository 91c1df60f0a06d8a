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
