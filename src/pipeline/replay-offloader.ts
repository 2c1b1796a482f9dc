import type { ChannelModel, EdgeClient, EdgeResponse } from '../transport/index.js';
import type { Offloader, OffloadEstimates, OffloadOutcome, OffloadTicket } from './offload-types.js';
import { ReplayTimeline } from './replay-timeline.js';
import { scaleDetectionsToFrame } from './scale-detections.js';

/**
 * Replay-clock offloader: every request really goes to the edge (WebSocket, real detector), but
 * when its answer is due on the device is computed by the {@link ReplayTimeline}: uplink transfer over
 * the channel model (queued behind this device's earlier sends, + RTT/2), FIFO edge with the profiled
 * edge time, RTT/2 back. Estimates are computed from the modelled times, so runs are
 * deterministic whatever the wall-clock speed of this machine.
 */
export class ReplayOffloader implements Offloader {
  readonly #client: EdgeClient;
  readonly #model: string | undefined;
  readonly #timeline: ReplayTimeline<Promise<EdgeResponse | Error>>;

  constructor(client: EdgeClient, channel: ChannelModel, edgeMs: number, model?: string) {
    this.#client = client;
    this.#timeline = new ReplayTimeline(channel, edgeMs);
    this.#model = model;
  }

  get inFlight(): number {
    return this.#timeline.size;
  }

  send(jpeg: Uint8Array, encodedWidth: number, encodedHeight: number, ticket: OffloadTicket): void {
    const response = this.#client
      .detect(jpeg, { frameIndex: ticket.frameIndex, captureMs: ticket.sentMs, model: this.#model })
      .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    this.#timeline.schedule(ticket, { width: encodedWidth, height: encodedHeight }, response);
  }

  async collect(nowMs: number): Promise<OffloadOutcome[]> {
    const out: OffloadOutcome[] = [];
    for (const p of this.#timeline.takeDue(nowMs)) {
      const r = await p.payload;
      if (r instanceof Error) {
        out.push({ status: 'failed', ticket: p.ticket, code: (r as { code?: string }).code ?? 'internal', message: r.message, arrivalMs: p.arrivalMs });
        continue;
      }
      this.#timeline.recordAnswer(p);
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
    return this.#timeline.estimates();
  }

  async drain(): Promise<void> {
    await Promise.all(this.#timeline.clear().map((p) => p.payload));
  }
}
