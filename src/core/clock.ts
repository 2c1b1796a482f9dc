/**
 * Source of "now" for the pipeline. The live clock follows wall time; the virtual clock is advanced
 * explicitly by the replay engine so runs are deterministic.
 */
export interface Clock {
  /** Current time in milliseconds (monotonic for the live clock, virtual for replay). */
  now(): number;
  /** `live` or `virtual`, for reports. */
  readonly kind: 'live' | 'virtual';
}

/** Wall-clock time from `performance.now()` (monotonic, ms since process start). */
export class LiveClock implements Clock {
  readonly kind = 'live' as const;
  now(): number {
    return performance.now();
  }
}

/** Deterministic clock: time only moves when `advanceTo`/`advanceBy` is called. */
export class VirtualClock implements Clock {
  readonly kind = 'virtual' as const;
  #nowMs: number;

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  /** Moves time forward to `ms`. Throws when `ms` is in the past (time never runs backwards). */
  advanceTo(ms: number): void {
    if (!(ms >= this.#nowMs)) throw new RangeError(`VirtualClock: cannot go back from ${this.#nowMs} ms to ${ms} ms`);
    this.#nowMs = ms;
  }

  /** Moves time forward by `deltaMs` ≥ 0. */
  advanceBy(deltaMs: number): void {
    this.advanceTo(this.#nowMs + deltaMs);
  }
}
