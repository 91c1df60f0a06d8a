/**
 * Fault injection for the local Graph server, deterministic for a seed: 429 bursts with Retry-After,
 * 503 and 504, dropped connections, 410 on delta tokens, slow answers. Throttling is per mailbox, as
 * Outlook's limits are evaluated per app and mailbox.
 */
import { mulberry32 } from "../../../core/random";
export interface GraphFaultOptions {
  seed?: number;
  /** Chance that a mailbox request starts a burst of 429s. */
  throttleRate?: number;
  /** How many of the mailbox's requests in a row a burst throttles (default 3). */
  throttleBurst?: number;
  /** Seconds in Retry-After (default 1). */
  retryAfterSeconds?: number;
  /** Chance of a 503 (with Retry-After) and of a 504 (without). */
  unavailableRate?: number;
  gatewayTimeoutRate?: number;
  /** Chance that a whole HTTP request's connection is dropped without an answer. */
  dropRate?: number;
  /** The next n requests that carry a delta or skip token get 410 SyncStateNotFound. */
  expireDeltaTokens?: number;
  /** Each page after the first repeats the item before it. */
  duplicateAcrossPages?: boolean;
  /** Every answer waits this long (kill tests). */
  delayMs?: number;
}

export type Fault =
  | { kind: "throttle"; retryAfterSeconds: number }
  | { kind: "unavailable"; retryAfterSeconds: number }
  | { kind: "gatewayTimeout" }
  | { kind: "expired" }
  | { kind: "drop" };

export class GraphFaults {
  private readonly next: () => number;
  private readonly bursts = new Map<string, number>();
  private expireLeft: number;

  constructor(readonly options: GraphFaultOptions) {
    this.next = mulberry32(options.seed ?? 1);
    this.expireLeft = options.expireDeltaTokens ?? 0;
  }

  /** The fault for one request (or $batch sub-request, which cannot be dropped), if any. */
  decide(mailbox: string | undefined, url: string, canDrop: boolean): Fault | undefined {
    const r = this.next();
    if (canDrop && r < (this.options.dropRate ?? 0)) return { kind: "drop" };
    const throttled = mailbox === undefined ? undefined : this.throttle(mailbox);
    if (throttled) return throttled;
    if (this.expireLeft > 0 && /[?&]\$(skiptoken|deltatoken)=/.test(url)) {
      this.expireLeft--;
      return { kind: "expired" };
    }
    return this.serverFault();
  }

  /** A throttle answer while the mailbox's burst lasts, or at random starting a new burst. */
  private throttle(mailbox: string): Fault | undefined {
    const o = this.options;
    const left = this.bursts.get(mailbox) ?? 0;
    if (left <= 0 && this.next() >= (o.throttleRate ?? 0)) return undefined;
    const remaining = left > 0 ? left - 1 : (o.throttleBurst ?? 3) - 1;
    if (remaining > 0) this.bursts.set(mailbox, remaining);
    else this.bursts.delete(mailbox);
    return { kind: "throttle", retryAfterSeconds: o.retryAfterSeconds ?? 1 };
  }

  /** A 503 or 504 at random, at their rates. */
  private serverFault(): Fault | undefined {
    const o = this.options;
    const s = this.next();
    if (s < (o.unavailableRate ?? 0))
      return { kind: "unavailable", retryAfterSeconds: o.retryAfterSeconds ?? 1 };
    if (s < (o.unavailableRate ?? 0) + (o.gatewayTimeoutRate ?? 0)) return { kind: "gatewayTimeout" };
    return undefined;
  }
}
