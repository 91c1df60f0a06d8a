import { errorName } from "./poison";

/**
 * The host's one-time setup (Storage clients, the state container, the six queues), started when the entry loads
 * and retried with backoff when it fails, instead of keeping the failure for the life of the process: on
 * Flex Consumption an instance can start while Storage (or its role assignment) is not reachable yet, and a
 * setup that failed once must not fail every invocation until the instance is recycled.
 */

/** Setup is failing: the invocation that needed it fails (and is retried by the host), the process lives on. */
export class HostSetupError extends Error {
  override readonly name = "HostSetupError";
  constructor(
    readonly attempts: number,
    readonly retryInMs: number,
    options: { cause: unknown },
  ) {
    super(
      `host setup failed ${attempts} time(s) (last: ${errorName(options.cause)}); next attempt in ${Math.ceil(retryInMs / 1000)} s`,
      options,
    );
  }
}

export interface SetupRetryOptions {
  /** Milliseconds since the epoch; injected so tests control the backoff. */
  clock?: () => number;
  /** Wait after the first failure; doubled after each further failure up to maxDelayMs. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Told about each failure: counts, the delay and the error's class only (never its message). */
  onFailure?: (e: { attempt: number; retryInMs: number; error: string }) => void;
}

export const SETUP_RETRY_DEFAULTS = { firstDelayMs: 1_000, maxDelayMs: 30_000 } as const;

/**
 * `get()` gives the setup's value: the cached one after a success; the attempt in flight to every caller
 * meanwhile; after a failure, a new attempt once the backoff has passed, and until then a HostSetupError
 * at once (the trigger fails fast and the host retries the message later, rather than every instance
 * hammering Storage). Every promise it hands out is awaited by a caller or has a handler: `warm()` starts
 * the first attempt at load without leaving a rejection unhandled.
 */
export class RetryingSetup<T> {
  private value: { v: T } | undefined;
  private inFlight: Promise<T> | undefined;
  private failures = 0;
  private nextAttemptAt = 0;
  private lastError: unknown;
  private readonly clock: () => number;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly open: () => Promise<T>,
    private readonly options: SetupRetryOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.firstDelayMs = options.firstDelayMs ?? SETUP_RETRY_DEFAULTS.firstDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? SETUP_RETRY_DEFAULTS.maxDelayMs;
  }

  get(): Promise<T> {
    if (this.value) return Promise.resolve(this.value.v);
    if (this.inFlight) return this.inFlight;
    const now = this.clock();
    if (this.failures > 0 && now < this.nextAttemptAt)
      return Promise.reject(
        new HostSetupError(this.failures, this.nextAttemptAt - now, { cause: this.lastError }),
      );
    // The attempt starts on a later tick, so that even an `open` that throws at once is in flight first.
    const attempt = Promise.resolve()
      .then(() => this.open())
      .then(
        (v) => {
          this.value = { v };
          this.failures = 0;
          return v;
        },
        (err: unknown) => {
          this.failures++;
          const retryInMs = Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** (this.failures - 1));
          this.nextAttemptAt = this.clock() + retryInMs;
          this.lastError = err;
          this.options.onFailure?.({ attempt: this.failures, retryInMs, error: errorName(err) });
          throw new HostSetupError(this.failures, retryInMs, { cause: err });
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = attempt;
    return attempt;
  }

  /** Starts an attempt now (at load, so the first invocation finds the host ready); a failure is only logged. */
  warm(): void {
    this.get().catch(() => undefined);
  }
}
