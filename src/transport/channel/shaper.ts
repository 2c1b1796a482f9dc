import { ChannelModel } from './channel-model.js';

/**
 * Live shaper for the client's send path (live clock): each message is held back until the
 * channel model says its last byte would have arrived, so a loopback connection follows the trace.
 * Time 0 of the model is when the shaper is created (or {@link ShapedSender.restart}).
 */
export class ShapedSender {
  readonly channel: ChannelModel;
  readonly #now: () => number;
  #originMs: number;

  /** `now` returns wall time in ms (default `performance.now`). */
  constructor(channel: ChannelModel, now: () => number = () => performance.now()) {
    this.channel = channel;
    this.#now = now;
    this.#originMs = now();
  }

  /** Model time now, ms since the origin. */
  elapsedMs(): number {
    return this.#now() - this.#originMs;
  }

  /**
   * Reserves the uplink for `bytes` now and returns how long to wait (ms, ≥ 0) before handing
   * them to the socket: transfer time on the trace, queued behind earlier messages, plus baseRtt/2.
   */
  uplinkDelayMs(bytes: number): number {
    const at = this.elapsedMs();
    return Math.max(0, this.channel.send(bytes, at) - at);
  }

  /** Delay applied to responses (downlink), ms: baseRtt/2. */
  downlinkDelayMs(): number {
    return this.channel.baseRttMs / 2;
  }

  /** Restarts model time at 0 and forgets queued uplink state. */
  restart(): void {
    this.#originMs = this.#now();
    this.channel.reset();
  }
}
