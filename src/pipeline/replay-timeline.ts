import { type ChannelModel, ChannelEstimator, ReplayLink } from '../transport/index.js';
import type { OffloadEstimates, OffloadTicket } from './offload-types.js';

/** One offload on the replay timeline, with what the caller attached to it. */
export interface ScheduledOffload<T> {
  readonly ticket: OffloadTicket;
  /** Device clock time when the answer is due (ms). */
  readonly arrivalMs: number;
  /** Modelled edge queue wait (ms). */
  readonly queueMs: number;
  /** Size of the encoded image (detections come back in its pixels). */
  readonly encoded: { readonly width: number; readonly height: number };
  readonly payload: T;
}

/** Channel priors used before the first answer (match the controller's DEFAULT_CONTEXT). */
export const REPLAY_PRIOR_ESTIMATES: OffloadEstimates = Object.freeze({ uplinkMbps: 10, rttMs: 50, edgeQueueMs: 0 });

/**
 * The timing half of a replay-clock offloader: when each offload's answer is due on the device
 * ({@link ReplayLink}: uplink over the channel model queued behind this device's earlier sends, +
 * RTT/2, FIFO edge with the profiled edge time, RTT/2 back) and the channel estimates the controller
 * sees, computed from those modelled times. Shared by the pipeline's replay offloader (the answers
 * come from a real edge) and the controller's training simulator (cached answers), so both see the
 * same times and estimates.
 */
export class ReplayTimeline<T> {
  readonly #link: ReplayLink;
  readonly #estimator = new ChannelEstimator(0.3);
  readonly #edgeMs: number;
  #pending: ScheduledOffload<T>[] = [];

  /** `edgeMs`: profiled edge time per request (ms). */
  constructor(channel: ChannelModel, edgeMs: number) {
    this.#link = new ReplayLink(channel);
    this.#edgeMs = edgeMs;
  }

  /** Offloads scheduled and not yet taken. */
  get size(): number {
    return this.#pending.length;
  }

  /** Schedules an offload sent at `ticket.sentMs` with `ticket.bytes` on the wire. */
  schedule(ticket: OffloadTicket, encoded: { width: number; height: number }, payload: T): void {
    const s = this.#link.offload(ticket.bytes, ticket.sentMs, this.#edgeMs);
    this.#pending.push({ ticket, arrivalMs: s.returnMs, queueMs: s.queueMs, encoded, payload });
    this.#pending.sort((a, b) => a.arrivalMs - b.arrivalMs || a.ticket.frameIndex - b.ticket.frameIndex);
  }

  /** Removes and returns the offloads due at or before `nowMs`, in the order they became due. */
  takeDue(nowMs: number): ScheduledOffload<T>[] {
    let n = 0;
    while (n < this.#pending.length && this.#pending[n].arrivalMs <= nowMs) n++;
    return n === 0 ? [] : this.#pending.splice(0, n);
  }

  /** Feeds an answered offload's modelled times to the channel estimator. */
  recordAnswer(s: ScheduledOffload<T>): void {
    this.#estimator.add(s.ticket.bytes, s.arrivalMs - s.ticket.sentMs, this.#edgeMs + s.queueMs, s.queueMs);
  }

  /** Channel estimates from the answers recorded so far (priors before the first). */
  estimates(): OffloadEstimates {
    const e = this.#estimator.snapshot(this.size);
    if (e.samples === 0) return REPLAY_PRIOR_ESTIMATES;
    return { uplinkMbps: e.uplinkBps / 1e6, rttMs: e.rttMs, edgeQueueMs: e.edgeQueueMs };
  }

  /** Removes and returns every scheduled offload. */
  clear(): ScheduledOffload<T>[] {
    return this.#pending.splice(0, this.#pending.length);
  }
}
