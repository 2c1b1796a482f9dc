import type { ChannelModel } from '../../transport/index.js';
import type { Offloader, OffloadEstimates, OffloadOutcome, OffloadTicket } from '../../pipeline/offload-types.js';
import { ReplayTimeline } from '../../pipeline/replay-timeline.js';
import { scaleDetectionsToFrame } from '../../pipeline/scale-detections.js';
import type { CachedOffload } from './offload-cache.js';

/**
 * The simulator's offloader: the replay clock's timing and estimates ({@link ReplayTimeline}, the same
 * code as a replay run) with the edge's answers taken from the offload cache. Synchronous through
 * {@link collectNow}; `collect` wraps it for the {@link Offloader} interface.
 */
export class CachedOffloader implements Offloader {
  readonly #timeline: ReplayTimeline<CachedOffload>;
  /** The cached answer of the next `send` (set by the simulator just before it sends). */
  #next: CachedOffload | undefined;

  constructor(channel: ChannelModel, edgeMs: number) {
    this.#timeline = new ReplayTimeline(channel, edgeMs);
  }

  get inFlight(): number {
    return this.#timeline.size;
  }

  /** Names the cached answer the next {@link send} carries. */
  prepare(answer: CachedOffload): void {
    this.#next = answer;
  }

  send(_jpeg: Uint8Array, encodedWidth: number, encodedHeight: number, ticket: OffloadTicket): void {
    const answer = this.#next;
    if (!answer) throw new Error('CachedOffloader.send: prepare(answer) must be called before each send');
    this.#next = undefined;
    this.#timeline.schedule(ticket, { width: encodedWidth, height: encodedHeight }, answer);
  }

  /** The answers due at or before `nowMs`, in order. */
  collectNow(nowMs: number): OffloadOutcome[] {
    const due = this.#timeline.takeDue(nowMs);
    return due.map((p) => {
      this.#timeline.recordAnswer(p);
      return {
        status: 'ok' as const,
        ticket: p.ticket,
        detections: scaleDetectionsToFrame(p.payload.detections, p.encoded, { width: p.ticket.frameWidth, height: p.ticket.frameHeight }),
        arrivalMs: p.arrivalMs,
        edgeQueueMs: p.queueMs,
      };
    });
  }

  collect(nowMs: number): Promise<OffloadOutcome[]> {
    return Promise.resolve(this.collectNow(nowMs));
  }

  estimates(): OffloadEstimates {
    return this.#timeline.estimates();
  }

  async drain(): Promise<void> {
    this.#timeline.clear();
  }
}
