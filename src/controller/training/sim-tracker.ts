import type { Detection, Frame, KatchupMode, Track } from '../../core/index.js';
import type { TrackerPort } from '../../pipeline/device-session.js';
import {
  type CatchupReport, type FrameMotion, type TrackerFrameStats, type TrackerOptions, TrackerCore, resolveTrackerOptions, trackerFrameStats,
} from '../../tracker/index.js';
import { MAX_GAP, type MotionCache } from './motion-cache.js';

/** The tracker the simulator drives: the pipeline's tracker port plus episode reset and cleanup. */
export interface SimTracker extends TrackerPort {
  /** Forgets every track: a new episode starts at frame 0. */
  reset(): void;
  /** Frees what the tracker holds. Idempotent. */
  close(): void;
}

/**
 * The tracker's own track logic ({@link TrackerCore}) driven by cached frame-pair motions: what
 * {@link MultiTracker} does, minus the pixels. Its frame buffer is mirrored by index (same frame and
 * byte bounds, same eviction order), so Katch-Up falls back exactly when the real tracker's would.
 * Exact (test/controller/training/sim-fidelity.test.ts) and cheap: no OpenCV, no image work.
 */
export class MotionReplayTracker implements SimTracker {
  readonly #core: TrackerCore;
  readonly #motions: MotionCache;
  readonly #options: TrackerOptions;
  #buffered: number[] = [];
  #stats: TrackerFrameStats = trackerFrameStats([], 0, 0);

  constructor(motions: MotionCache, options: Partial<TrackerOptions> = {}) {
    this.#options = resolveTrackerOptions(options);
    this.#core = new TrackerCore(this.#options);
    this.#motions = motions;
  }

  get stats(): TrackerFrameStats {
    return this.#stats;
  }

  update(frame: Frame): readonly Track[] {
    const t0 = performance.now();
    const prev = this.#buffered.at(-1);
    this.#push(frame.index);
    const motion = prev !== undefined ? this.#motion(prev, frame.index) : undefined;
    const oldest = this.#buffered[0];
    this.#core.forgetBefore(oldest);
    const { tracks, meanMotionPx } = this.#core.step(frame.index, motion);
    this.#core.forgetBefore(oldest);
    this.#stats = trackerFrameStats(tracks, meanMotionPx, performance.now() - t0);
    return tracks;
  }

  correct(frameIndex: number, detections: readonly Detection[], mode: KatchupMode): CatchupReport {
    const t0 = performance.now();
    const r = this.#core.correct(frameIndex, detections, mode, (i, j) => this.#motion(i, j));
    return Object.freeze({ ...r, ms: performance.now() - t0 });
  }

  reset(): void {
    this.#core.reset();
    this.#buffered = [];
    this.#stats = trackerFrameStats([], 0, 0);
  }

  close(): void {
    this.reset();
  }

  /** FrameBuffer's bounds: at most bufferFrames entries, and bufferBytes unless only one is left. */
  #push(index: number): void {
    this.#buffered.push(index);
    while (this.#buffered.length > this.#options.bufferFrames) this.#buffered.shift();
    while (this.#buffered.length > 1 && this.#buffered.length * this.#motions.frameBytes > this.#options.bufferBytes) this.#buffered.shift();
  }

  #motion(i: number, j: number): FrameMotion | undefined {
    if (!this.#isBuffered(i) || !this.#isBuffered(j)) return undefined;
    const m = this.#motions.motion(i, j);
    if (!m) throw new Error(`MotionReplayTracker: no cached motion ${i}→${j} (gaps up to ${MAX_GAP} are cached)`);
    return m;
  }

  #isBuffered(index: number): boolean {
    const b = this.#buffered;
    return b.length > 0 && index >= b[0] && index <= b[b.length - 1];
  }
}
