/**
 * Virtual-time model of one device's offloads for replay runs (docs/architecture.md, "Two clocks").
 * An offload sent at virtual time t reaches the edge when the uplink model says so (transfer over the
 * trace, queued behind this device's earlier sends, plus half the base RTT), waits until the edge has
 * finished this device's earlier requests, takes the profiled edge time, and is back on the device
 * after the downlink's half RTT. Deterministic.
 */

/** What the timeline needs from a channel model (see transport's ChannelModel). */
export interface UplinkModel {
  /** Arrival time at the edge (ms) of `bytes` sent at `atMs`, queued behind earlier sends. */
  send(bytes: number, atMs: number): number;
  /** When a response leaving the edge at `atMs` reaches the device. */
  returnTimeMs(atMs: number): number;
}

/** When one offload reaches each stage, in virtual ms. */
export interface OffloadSchedule {
  readonly sentMs: number;
  /** Arrival of the last byte at the edge. */
  readonly atEdgeMs: number;
  readonly edgeStartMs: number;
  readonly edgeDoneMs: number;
  /** When the device has the detections. */
  readonly arrivalMs: number;
  /** Time spent waiting for the edge to finish earlier requests. */
  readonly queueMs: number;
}

/** Computes arrival times of offloads on a virtual clock. */
export class ReplayTimeline {
  readonly #uplink: UplinkModel;
  readonly #edgeMs: number;
  #edgeFreeMs = -Infinity;

  /**
   * @param uplink channel model (serialising uplink + downlink return)
   * @param edgeMs profiled edge time per request in ms (decode + inference + post), ≥ 0
   */
  constructor(uplink: UplinkModel, edgeMs: number) {
    if (!Number.isFinite(edgeMs) || edgeMs < 0) throw new TypeError(`ReplayTimeline: edgeMs must be a finite number ≥ 0, got ${edgeMs}`);
    this.#uplink = uplink;
    this.#edgeMs = edgeMs;
  }

  /** Schedules an offload of `bytes` sent at `sentMs` and returns when each stage happens. */
  schedule(bytes: number, sentMs: number): OffloadSchedule {
    const atEdgeMs = this.#uplink.send(bytes, sentMs);
    const edgeStartMs = Math.max(atEdgeMs, this.#edgeFreeMs);
    const edgeDoneMs = edgeStartMs + this.#edgeMs;
    this.#edgeFreeMs = edgeDoneMs;
    return { sentMs, atEdgeMs, edgeStartMs, edgeDoneMs, arrivalMs: this.#uplink.returnTimeMs(edgeDoneMs), queueMs: edgeStartMs - atEdgeMs };
  }
}
