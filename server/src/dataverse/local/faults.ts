/**
 * Fault injection for tests of the Web API client: throttling (429 with Retry-After), service
 * unavailable (503), slow answers and dropped connections. Every request draws the same number of
 * values from a seeded generator, so a given seed gives the same faults on the same request numbers
 * whatever happened before. Faults are decided before a request touches data: a faulted write never
 * happens.
 */
import { mulberry32 } from "../../core/random";

export interface FaultRule {
  /** Fault every Nth request (1-based: every: 3 faults requests 3, 6, 9, …). */
  every?: number;
  /** Or fault each request with this probability (0…1), drawn from the seeded generator. */
  probability?: number;
}

export interface FaultOptions {
  /** Seed of the generator behind `probability` (default 1). */
  seed?: number;
  /** 429 Too Many Requests with `Retry-After` (seconds; Dataverse sends whole seconds, tests may use 0 or fractions). */
  throttle?: FaultRule & { retryAfterSeconds?: number };
  /** 503 Service Unavailable. */
  unavailable?: FaultRule;
  /** Answer normally, after `delayMs`. */
  slow?: FaultRule & { delayMs: number };
  /** Destroy the connection without an answer. */
  reset?: FaultRule;
}

export type FaultDecision =
  | { kind: "none"; delayMs: number }
  | { kind: "throttle"; delayMs: number; retryAfterSeconds: number }
  | { kind: "unavailable"; delayMs: number }
  | { kind: "reset"; delayMs: number };

export class FaultInjector {
  private n = 0;
  private readonly random: () => number;

  constructor(private readonly options: FaultOptions = {}) {
    this.random = mulberry32(options.seed ?? 1);
  }

  /** The fault (if any) for the next request. */
  decide(): FaultDecision {
    this.n++;
    // One draw per rule per request, in a fixed order, so decisions depend on the request number only.
    const fires = (rule: FaultRule | undefined): boolean => {
      const draw = this.random();
      if (!rule) return false;
      if (rule.every !== undefined && rule.every > 0 && this.n % rule.every === 0) return true;
      return rule.probability !== undefined && draw < rule.probability;
    };
    const reset = fires(this.options.reset);
    const throttle = fires(this.options.throttle);
    const unavailable = fires(this.options.unavailable);
    const slow = fires(this.options.slow);
    const delayMs = slow ? (this.options.slow?.delayMs ?? 0) : 0;
    if (reset) return { kind: "reset", delayMs };
    if (throttle)
      return { kind: "throttle", delayMs, retryAfterSeconds: this.options.throttle?.retryAfterSeconds ?? 1 };
    if (unavailable) return { kind: "unavailable", delayMs };
    return { kind: "none", delayMs };
  }
}
