import type { EdgeClient, EdgeResponse } from '../transport/index.js';
import type { Offloader, OffloadEstimates, OffloadOutcome, OffloadTicket } from './offload-types.js';
import { scaleDetectionsToFrame } from './scale-detections.js';

const PRIOR: OffloadEstimates = { uplinkMbps: 10, rttMs: 50, edgeQueueMs: 0 };

/**
 * Live-clock offloader: requests go to the edge as they are decided; an answer is due as soon as it
 * has arrived. A dead or restarting edge yields `failed` outcomes (the client reconnects on its own);
 * nothing ever throws into the pipeline.
 */
export class LiveOffloader implements Offloader {
  readonly #client: EdgeClient;
  readonly #model: string | undefined;
  readonly #clockNow: () => number;
  #outstanding = 0;
  #settled: OffloadOutcome[] = [];
  #all = new Set<Promise<void>>();

  /** @param clockNow the pipeline clock, to stamp arrival times */
  constructor(client: EdgeClient, clockNow: () => number, model?: string) {
    this.#client = client;
    this.#clockNow = clockNow;
    this.#model = model;
  }

  get inFlight(): number {
    return this.#outstanding + this.#settled.length;
  }

  send(jpeg: Uint8Array, encodedWidth: number, encodedHeight: number, ticket: OffloadTicket): void {
    this.#outstanding++;
    const done = this.#client
      .detect(jpeg, { frameIndex: ticket.frameIndex, captureMs: ticket.sentMs, model: this.#model })
      .then(
        (r: EdgeResponse) => {
          this.#settled.push({
            status: 'ok',
            ticket,
            detections: scaleDetectionsToFrame(r.detections, { width: encodedWidth, height: encodedHeight }, { width: ticket.frameWidth, height: ticket.frameHeight }),
            arrivalMs: this.#clockNow(),
            edgeQueueMs: r.timings.queueMs,
          });
        },
        (e: unknown) => {
          const err = e as { code?: string; message?: string };
          this.#settled.push({ status: 'failed', ticket, code: err.code ?? 'internal', message: err.message ?? String(e), arrivalMs: this.#clockNow() });
        },
      )
      .finally(() => {
        this.#outstanding--;
        this.#all.delete(done);
      });
    this.#all.add(done);
  }

  async collect(_nowMs: number): Promise<OffloadOutcome[]> {
    const out = this.#settled;
    this.#settled = [];
    return out;
  }

  estimates(): OffloadEstimates {
    const e = this.#client.estimates();
    return {
      uplinkMbps: Number.isFinite(e.uplinkBps) ? e.uplinkBps / 1e6 : PRIOR.uplinkMbps,
      rttMs: Number.isFinite(e.rttMs) ? e.rttMs : PRIOR.rttMs,
      edgeQueueMs: Number.isFinite(e.edgeQueueMs) ? e.edgeQueueMs : PRIOR.edgeQueueMs,
    };
  }

  async drain(): Promise<void> {
    await Promise.all([...this.#all]);
    this.#settled = [];
  }
}
