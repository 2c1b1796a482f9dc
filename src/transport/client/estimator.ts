/** Running channel estimates kept by the client. */
export interface ChannelEstimates {
  /** Uplink throughput estimate, bits per second (EWMA of bytes·8 / network time); NaN before any sample. */
  readonly uplinkBps: number;
  /** Network round trip (response time minus edge residence), ms, EWMA; NaN before any sample. */
  readonly rttMs: number;
  /** Edge queue wait, ms, EWMA; NaN before any sample. */
  readonly edgeQueueMs: number;
  /** Whole edge residence (queue + detector + server), ms, EWMA; NaN before any sample. */
  readonly edgeMs: number;
  /** Requests sent and not yet answered, failed or timed out. */
  readonly inFlight: number;
  /** Responses the estimates are built from. */
  readonly samples: number;
}

/**
 * Exponentially weighted moving averages of uplink throughput, network RTT and edge queue wait,
 * fed with one sample per answered request. `alpha` is the weight of the newest sample.
 */
export class ChannelEstimator {
  readonly #alpha: number;
  #uplinkBps = NaN;
  #rttMs = NaN;
  #queueMs = NaN;
  #edgeMs = NaN;
  #samples = 0;

  constructor(alpha = 0.2) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha: expected a number in (0, 1], got ${alpha}`);
    this.#alpha = alpha;
  }

  /**
   * Adds one answered request: `bytes` sent, `roundTripMs` from send to response, `edgeMs` the edge's
   * own residence time (its `totalMs`), `queueMs` its queue wait. Network time is clamped at 0.05 ms.
   */
  add(bytes: number, roundTripMs: number, edgeMs: number, queueMs: number): void {
    const networkMs = Math.max(0.05, roundTripMs - edgeMs);
    const bps = (bytes * 8) / (networkMs / 1000);
    const a = this.#alpha;
    const ewma = (prev: number, x: number) => (Number.isNaN(prev) ? x : prev + a * (x - prev));
    this.#uplinkBps = ewma(this.#uplinkBps, bps);
    this.#rttMs = ewma(this.#rttMs, networkMs);
    this.#queueMs = ewma(this.#queueMs, queueMs);
    this.#edgeMs = ewma(this.#edgeMs, edgeMs);
    this.#samples++;
  }

  /** Current estimates with the given in-flight count. */
  snapshot(inFlight: number): ChannelEstimates {
    return { uplinkBps: this.#uplinkBps, rttMs: this.#rttMs, edgeQueueMs: this.#queueMs, edgeMs: this.#edgeMs, inFlight, samples: this.#samples };
  }
}
