import { ValidationError, describeValue } from '../../core/index.js';
import { capacityOf, type Capacity } from './capacity.js';
import { mulberry32 } from '../../core/prng.js';
import { MAHIMAHI_PACKET_BYTES, type ThroughputTrace } from './trace.js';

/** Optional random packet loss. */
export interface LossOptions {
  /** Probability in [0, 1) that a 1500-byte packet is lost (and retransmitted). */
  readonly rate: number;
  /** PRNG seed; same seed → same losses. Default 1. */
  readonly seed?: number;
  /** Extra delay of a message that lost ≥ 1 packet, ms (retransmission round). Default baseRttMs. */
  readonly penaltyMs?: number;
}

/** Options of {@link ChannelModel}. */
export interface ChannelModelOptions {
  /** Uplink capacity over time. */
  readonly trace: ThroughputTrace;
  /** Model time 0 corresponds to trace time `offsetMs` (≥ 0). Default 0. */
  readonly offsetMs?: number;
  /** Base round-trip propagation delay, ms; each direction adds half. Default 0. */
  readonly baseRttMs?: number;
  /** Optional packet loss. Default none. */
  readonly loss?: LossOptions;
}

/**
 * Deterministic uplink model over a looping throughput trace (replay clock). A message of B bytes
 * sent at t is delivered when the trace has offered B bytes of capacity after t, plus baseRtt/2.
 * Two views: {@link ChannelModel.deliveryTimeMs} (each message alone on an idle link) and
 * {@link ChannelModel.send} (messages queue behind each other on one uplink, FIFO). The downlink
 * (detections back) is modelled as uncongested: {@link ChannelModel.returnTimeMs} adds baseRtt/2.
 */
export class ChannelModel {
  readonly trace: ThroughputTrace;
  readonly offsetMs: number;
  readonly baseRttMs: number;
  readonly #cap: Capacity;
  readonly #loss: Required<LossOptions> | null;
  #random: () => number;
  /** Cumulative capacity position (bytes) where the serialising uplink's last message ended. */
  #pos = 0;

  constructor(options: ChannelModelOptions) {
    const o = { offsetMs: 0, baseRttMs: 0, ...options };
    if (!o.trace || (o.trace.kind !== 'rate' && o.trace.kind !== 'opportunities')) {
      throw new ValidationError(`trace: expected a ThroughputTrace, got ${describeValue(o.trace)}`);
    }
    if (!(typeof o.offsetMs === 'number' && o.offsetMs >= 0 && Number.isFinite(o.offsetMs))) {
      throw new ValidationError(`offsetMs: expected a finite number ≥ 0, got ${describeValue(o.offsetMs)}`);
    }
    if (!(typeof o.baseRttMs === 'number' && o.baseRttMs >= 0 && Number.isFinite(o.baseRttMs))) {
      throw new ValidationError(`baseRttMs: expected a finite number ≥ 0, got ${describeValue(o.baseRttMs)}`);
    }
    if (o.loss) {
      if (!(typeof o.loss.rate === 'number' && o.loss.rate >= 0 && o.loss.rate < 1)) {
        throw new ValidationError(`loss.rate: expected a number in [0, 1), got ${describeValue(o.loss.rate)}`);
      }
      if (o.loss.penaltyMs !== undefined && !(o.loss.penaltyMs >= 0)) {
        throw new ValidationError(`loss.penaltyMs: expected a number ≥ 0, got ${describeValue(o.loss.penaltyMs)}`);
      }
    }
    this.trace = o.trace;
    this.offsetMs = o.offsetMs;
    this.baseRttMs = o.baseRttMs;
    this.#cap = capacityOf(o.trace);
    this.#loss = o.loss && o.loss.rate > 0 ? { seed: 1, penaltyMs: o.baseRttMs, ...o.loss } : null;
    this.#random = mulberry32(this.#loss?.seed ?? 1);
  }

  /** Bytes the trace can carry in [fromMs, toMs) (model time). */
  capacityBytes(fromMs: number, toMs: number): number {
    if (!(toMs > fromMs)) return 0;
    return this.#cap.before(toMs + this.offsetMs) - this.#cap.before(fromMs + this.offsetMs);
  }

  /**
   * Arrival time at the edge of a `bytes` message sent at `sendMs` on an otherwise idle uplink:
   * the earliest t with capacity(sendMs, t) ≥ bytes (plus retransmitted bytes under loss), plus
   * baseRtt/2 (plus the loss penalty). Does not change the serialising state (but does draw loss).
   */
  deliveryTimeMs(bytes: number, sendMs: number): number {
    checkArgs(bytes, sendMs);
    const { extraBytes, penaltyMs } = this.#drawLoss(bytes);
    const s = sendMs + this.offsetMs;
    if (bytes + extraBytes === 0) return sendMs + this.baseRttMs / 2;
    const done = this.#cap.timeOf(this.#cap.before(s) + bytes + extraBytes) - this.offsetMs;
    return done + this.baseRttMs / 2 + penaltyMs;
  }

  /**
   * Serialising uplink: the message starts when both it is sent (`atMs`) and every earlier message
   * has gone through; returns its arrival time at the edge (transfer end + baseRtt/2 + loss penalty).
   * Calls must come in non-decreasing `atMs` order for a FIFO link.
   */
  send(bytes: number, atMs: number): number {
    checkArgs(bytes, atMs);
    const { extraBytes, penaltyMs } = this.#drawLoss(bytes);
    const start = Math.max(this.#pos, this.#cap.before(atMs + this.offsetMs));
    this.#pos = start + bytes + extraBytes;
    const done = bytes + extraBytes === 0 ? atMs : Math.max(atMs, this.#cap.timeOf(this.#pos) - this.offsetMs);
    return done + this.baseRttMs / 2 + penaltyMs;
  }

  /** When a response leaving the edge at `atMs` reaches the device (uncongested downlink). */
  returnTimeMs(atMs: number): number {
    return atMs + this.baseRttMs / 2;
  }

  /** Forgets queued uplink state and restarts the loss PRNG (same seed). */
  reset(): void {
    this.#pos = 0;
    this.#random = mulberry32(this.#loss?.seed ?? 1);
  }

  #drawLoss(bytes: number): { extraBytes: number; penaltyMs: number } {
    if (!this.#loss || bytes === 0) return { extraBytes: 0, penaltyMs: 0 };
    const packets = Math.ceil(bytes / MAHIMAHI_PACKET_BYTES);
    let lost = 0;
    for (let i = 0; i < packets; i++) if (this.#random() < this.#loss.rate) lost++;
    return lost === 0 ? { extraBytes: 0, penaltyMs: 0 } : { extraBytes: lost * MAHIMAHI_PACKET_BYTES, penaltyMs: this.#loss.penaltyMs };
  }
}

function checkArgs(bytes: number, atMs: number): void {
  if (!(Number.isFinite(bytes) && bytes >= 0)) throw new ValidationError(`bytes: expected a finite number ≥ 0, got ${describeValue(bytes)}`);
  if (!(Number.isFinite(atMs) && atMs >= 0)) throw new ValidationError(`atMs: expected a finite number ≥ 0, got ${describeValue(atMs)}`);
}
