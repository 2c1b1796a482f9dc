/**
 * A token bucket that may go into debt: `rate` tokens per second refill it up to `capacity`; every
 * {@link TokenBucket.take} spends its cost whether or not it was covered. A take that finds too few
 * tokens is refused, and the bucket's debt (bounded by `maxDebt`) says how long the owner must stop
 * taking before the next take can succeed. The edge server keeps one per client for messages and one
 * for bytes, and stops reading a client's socket for {@link TokenBucket.waitMs} after a refusal: a
 * flooding client is throttled by TCP backpressure to its share, without costing the event loop a
 * message each.
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #capacity: number;
  readonly #maxDebt: number;
  #tokens: number;
  #at: number;

  /** `rate` per second, `capacity` tokens at most (starts full), debt down to `-maxDebt`. */
  constructor(rate: number, capacity: number, maxDebt: number, now = performance.now()) {
    this.#rate = rate;
    this.#capacity = capacity;
    this.#maxDebt = maxDebt;
    this.#tokens = capacity;
    this.#at = now;
  }

  #refill(now: number): void {
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#at) * this.#rate) / 1000);
    this.#at = now;
  }

  /** Spends `cost`; true when the bucket covered it (no debt before or after). */
  take(cost: number, now = performance.now()): boolean {
    this.#refill(now);
    const ok = this.#tokens >= cost;
    this.#tokens = Math.max(-this.#maxDebt, this.#tokens - cost);
    return ok;
  }

  /** Ms until the bucket holds at least `tokens` (0 when it already does). */
  waitMs(tokens = 0, now = performance.now()): number {
    this.#refill(now);
    return this.#tokens >= tokens ? 0 : ((tokens - this.#tokens) * 1000) / this.#rate;
  }
}
