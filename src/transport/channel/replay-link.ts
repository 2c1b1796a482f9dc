import { ValidationError, describeValue } from '../../core/index.js';
import type { ChannelModel } from './channel-model.js';

/** Virtual-time schedule of one offload through {@link ReplayLink}. All times ms on the replay clock. */
export interface ReplayOffload {
  /** When the device handed the message to the uplink. */
  readonly sendMs: number;
  /** When the last byte reached the edge (uplink transfer, queued behind earlier sends, + RTT/2). */
  readonly arriveEdgeMs: number;
  /** When the edge started it (after earlier offloads finished). */
  readonly startMs: number;
  /** When the edge finished it. */
  readonly doneMs: number;
  /** When the answer is back on the device (+ RTT/2). */
  readonly returnMs: number;
  /** Time spent waiting for the edge (startMs − arriveEdgeMs). */
  readonly queueMs: number;
}

/**
 * Replay-clock model of device → edge → device: a serialising uplink ({@link ChannelModel.send}),
 * a single FIFO edge worker that takes `serviceMs` per request (the detector's measured or profiled
 * time), and the downlink return. Deterministic; calls must come in non-decreasing `sendMs` order.
 */
export class ReplayLink {
  readonly channel: ChannelModel;
  #edgeFreeMs = 0;

  constructor(channel: ChannelModel) {
    this.channel = channel;
  }

  /** Schedules one offload of `bytes` sent at `sendMs` that takes `serviceMs` on the edge. */
  offload(bytes: number, sendMs: number, serviceMs: number): ReplayOffload {
    if (!(Number.isFinite(serviceMs) && serviceMs >= 0)) throw new ValidationError(`serviceMs: expected a finite number ≥ 0, got ${describeValue(serviceMs)}`);
    const arriveEdgeMs = this.channel.send(bytes, sendMs);
    const startMs = Math.max(arriveEdgeMs, this.#edgeFreeMs);
    const doneMs = startMs + serviceMs;
    this.#edgeFreeMs = doneMs;
    return Object.freeze({ sendMs, arriveEdgeMs, startMs, doneMs, returnMs: this.channel.returnTimeMs(doneMs), queueMs: startMs - arriveEdgeMs });
  }

  /** Forgets uplink and edge state (and restarts the channel's loss PRNG). */
  reset(): void {
    this.#edgeFreeMs = 0;
    this.channel.reset();
  }
}
