/**
 * A counting semaphore: at most `limit` holders at once, waiters served in arrival order. The Dataverse
 * client and the Graph port hold one permit per HTTP request in flight so that one instance never exceeds
 * its concurrency cap, whatever mix of requests its callers run in parallel.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError("semaphore limit must be a positive integer");
  }

  /** Resolves with a release function once a permit is free; call it exactly once. */
  async acquire(): Promise<() => void> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // Hand the permit straight to the next waiter, so `active` never dips and lets a newcomer jump in.
      if (next) next();
      else this.active--;
    };
  }

  get inFlight(): number {
    return this.active;
  }
}
