import type { Frame } from '../../core/index.js';
import type { TrackerPort } from '../../pipeline/device-session.js';
import { offlineFrames } from '../../pipeline/offline-frames.js';
import { MultiTracker } from '../../tracker/index.js';

/** The tracker the simulator drives: the pipeline's tracker port plus episode reset and cleanup. */
export interface SimTracker extends TrackerPort {
  /** Forgets every track: a new episode starts at frame 0. */
  reset(): void;
  /** Frees what the tracker holds. Idempotent. */
  close(): void;
}

/**
 * The real {@link MultiTracker} replaying decoded frames kept in memory: exact (the same tracker
 * code and pixels as a replay run) but as slow as the tracker itself. The simulator's frames carry
 * no pixels; this looks them up by index.
 */
export class FrameStoreTracker implements SimTracker {
  readonly #tracker: MultiTracker;
  readonly #frames: readonly Frame[];

  private constructor(tracker: MultiTracker, frames: readonly Frame[]) {
    this.#tracker = tracker;
    this.#frames = frames;
  }

  /** Decodes `video` (frames 0..maxFrames−1) into memory and creates the tracker. */
  static async create(video: string, maxFrames?: number): Promise<FrameStoreTracker> {
    const frames: Frame[] = [];
    for await (const f of offlineFrames(video, maxFrames)()) frames.push(f);
    return new FrameStoreTracker(await MultiTracker.create(), frames);
  }

  get stats(): MultiTracker['stats'] {
    return this.#tracker.stats;
  }

  update(frame: Frame): ReturnType<MultiTracker['update']> {
    const real = this.#frames[frame.index];
    if (!real) throw new RangeError(`FrameStoreTracker: frame ${frame.index} not decoded (${this.#frames.length} frames)`);
    return this.#tracker.update(real);
  }

  correct(...args: Parameters<MultiTracker['correct']>): ReturnType<MultiTracker['correct']> {
    return this.#tracker.correct(...args);
  }

  reset(): void {
    this.#tracker.reset();
  }

  close(): void {
    this.#tracker.close();
  }
}
