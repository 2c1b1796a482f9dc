import { type ChannelModel, ChannelEstimator, type EdgeClient, type EdgeResponse, ReplayLink } from '../transport/index.js';
import type { Offloader, OffloadEstimates, OffloadOutcome, OffloadTicket } from './offload-types.js';
import { scaleDetectionsToFrame } from './scale-detections.js';

interface Pending {
  readonly ticket: OffloadTicket;
  readonly arrivalMs: number;
  readonly queueMs: number;
  readonly encoded: { width: number; height: number };
  readonly response: Promise<EdgeResponse | Error>;
}

/** Channel priors used before the first answer (match the controller's DEFAULT_CONTEXT). */
const PRIOR: OffloadEstimates = { uplinkMbps: 10, rttMs: 50, edgeQueueMs: 0 };

/**
 * Replay-clock offloader: every request really goes to the edge (WebSocket, real detector), but
 * when its answer is due on the device is computed by transport's {@link ReplayLink}: uplink transfer over the
 * channel model (queued behind this device's earlier sends, + RTT/2), FIFO edge with the profiled edge
 * time, RTT/2 back. Estimates are computed from the modelled times, so runs are
 * deterministic whatever the wall-clock speed of this machine.
 */
export class ReplayOffloader implements Offloader {
  readonly #client: EdgeClient;
  readonly #link: ReplayLink;
  readonly #model: string | undefined;
  readonly #estimator = new ChannelEstimator(0.3);
  readonly #edgeMs: number;
  #pending: Pending[] = [];

  constructor(client: EdgeClient, channel: ChannelModel, edgeMs: number, model?: string) {
    this.#client = client;
    this.#link = new ReplayLink(channel);
    this.#edgeMs = edgeMs;
    this.#model = model;
  }

  get inFlight(): number {
    return this.#pending.length;
  }

  send(jpeg: Uint8Array, encodedWidth: number, encodedHeight: number, ticket: OffloadTicket): void {
    const s = this.#link.offload(jpeg.byteLength, ticket.sentMs, this.#edgeMs);
    const response = this.#client
      .detect(jpeg, { frameIndex: ticket.frameIndex, captureMs: ticket.sentMs, model: this.#model })
      .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    this.#pending.push({
      ticket,
      arrivalMs: s.returnMs,
      queueMs: s.queueMs,
      encoded: { width: encodedWidth, height: encodedHeight },
      response,
    });
    this.#pending.sort((a, b) => a.arrivalMs - b.arrivalMs || a.ticket.frameIndex - b.ticket.frameIndex);
  }

  async collect(nowMs: number): Promise<OffloadOutcome[]> {
    const due: Pending[] = [];
    while (this.#pending.length > 0 && this.#pending[0].arrivalMs <= nowMs) due.push(this.#pending.shift()!);
    const out: OffloadOutcome[] = [];
    for (const p of due) {
      const r = await p.response;
      if (r instanceof Error) {
        out.push({ status: 'failed', ticket: p.ticket, code: (r as { code?: string }).code ?? 'internal', message: r.message, arrivalMs: p.arrivalMs });
        continue;
      }
      this.#estimator.add(p.ticket.bytes, p.arrivalMs - p.ticket.sentMs, this.#edgeMs + p.queueMs, p.queueMs);
      out.push({
        status: 'ok',
        ticket: p.ticket,
        detections: scaleDetectionsToFrame(r.detections, p.encoded, { width: p.ticket.frameWidth, height: p.ticket.frameHeight }),
        arrivalMs: p.arrivalMs,
        edgeQueueMs: p.queueMs,
      });
    }
    return out;
  }

  estimates(): OffloadEstimates {
    const e = this.#estimator.snapshot(this.inFlight);
    if (e.samples === 0) return PRIOR;
    return { uplinkMbps: e.uplinkBps / 1e6, rttMs: e.rttMs, edgeQueueMs: e.edgeQueueMs };
  }

  async drain(): Promise<void> {
    await Promise.all(this.#pending.map((p) => p.response));
    this.#pending = [];
  }
}
