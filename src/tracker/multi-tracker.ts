/**
 * Multi-object tracker with Katch-Up = motion estimator (dense flow per frame pair, OpenCV.js) +
 * frame buffer (processing images and the motions between them, computed once and shared by all
 * tracks and by Katch-Up) + {@link TrackerCore} (pure track logic). See docs/tracker.md.
 */
import { type Detection, type Frame, type KatchupMode, type Track, ValidationError, describeValue } from '../core/index.js';
import { FrameBuffer, type FrameBufferStats } from './frame-buffer.js';
import type { FrameMotion } from './frame-motion.js';
import { GrayConverter, processingGeometry } from './gray.js';
import { estimateMotion, frameFeatures } from './motion-estimator.js';
import { type OpenCv, loadOpenCv } from './opencv.js';
import { type TrackerOptions, resolveTrackerOptions } from './options.js';
import { TrackerCore } from './tracker-core.js';
import { trackerFrameStats } from './frame-stats.js';
import type { CatchupReport, KatchupCounters, TrackerFrameStats } from './types.js';

const EMPTY_STATS: TrackerFrameStats = Object.freeze({ trackCount: 0, lostCount: 0, meanConfidence: 0, minConfidence: 0, meanMotionPx: 0, ms: 0 });

/** Called with every motion the tracker computes (e.g. to cache it for a simulator). */
export type MotionListener = (motion: FrameMotion) => void;

/**
 * Tracks objects between detections on a downscaled grayscale copy of each frame, and applies late
 * detections with Katch-Up. Create with {@link MultiTracker.create}; feed every frame in order to
 * {@link update}; pass detections for frame k (k ≤ current frame) to {@link correct}.
 * Deterministic: the same frames, detections and calls give the same tracks. Not thread-safe.
 */
export class MultiTracker {
  /** Validated options in use. */
  readonly options: TrackerOptions;
  readonly #cv: OpenCv;
  readonly #buffer: FrameBuffer;
  readonly #core: TrackerCore;
  #converter: GrayConverter | undefined;
  #stats: TrackerFrameStats = EMPTY_STATS;
  #counters = { corrections: 0, fallbacks: 0, framesRetracked: 0, ms: 0 };
  #closed = false;
  /** Receives every motion computed (undefined = none). */
  onMotion: MotionListener | undefined;

  private constructor(cv: OpenCv, options: TrackerOptions) {
    this.#cv = cv;
    this.options = options;
    this.#buffer = new FrameBuffer(options.bufferFrames, options.bufferBytes);
    this.#core = new TrackerCore(options);
  }

  /** Loads OpenCV.js (once per process) and creates a tracker. Throws a ValidationError for bad options. */
  static async create(options: Partial<TrackerOptions> = {}): Promise<MultiTracker> {
    const resolved = resolveTrackerOptions(options);
    const cv = await loadOpenCv();
    return new MultiTracker(cv, resolved);
  }

  /** Figures of the last {@link update}. */
  get stats(): TrackerFrameStats {
    return this.#stats;
  }

  /** Cumulative Katch-Up counters (corrections, fallbacks to `off`, frames re-tracked, ms). */
  get katchupCounters(): KatchupCounters {
    return { ...this.#counters };
  }

  /** Frame buffer occupancy and eviction counters. */
  get bufferStats(): FrameBufferStats {
    return this.#buffer.stats;
  }

  /** Index of the last frame passed to {@link update}, or undefined before the first. */
  get currentFrame(): number | undefined {
    return this.#core.currentFrame;
  }

  /** Current tracks (as of the last update or correction). */
  tracks(): readonly Track[] {
    return this.#core.tracks();
  }

  /**
   * Advances every track to `frame` (indices must increase; gaps are allowed and tracked as one
   * larger step). Tracks whose flow fails become `lost` and keep their last box; tracks lost for more
   * than `maxLostFrames` frames or with no matched detection for more than `maxAge` frames are
   * removed. Returns the tracks at this frame.
   */
  update(frame: Frame): readonly Track[] {
    this.#assertOpen();
    const t0 = performance.now();
    const last = this.#core.currentFrame;
    if (last !== undefined && !(frame.index > last)) {
      throw new ValidationError(`frame.index: expected > ${last} (frames in order), got ${describeValue(frame.index)}`, { field: 'frame.index' });
    }
    if (!this.#converter) {
      const o = this.options;
      this.#converter = new GrayConverter(this.#cv, processingGeometry(frame.width, frame.height, o.processingScale, o.maxSide));
    }
    const gray = this.#converter.convert(frame);
    const prev = this.#buffer.newest();
    const entry = this.#buffer.push(frame.index, gray);
    entry.features = frameFeatures(this.#cv, frame.index, gray);
    const motion = prev ? this.#motion(prev.index, frame.index) : undefined;
    const oldest = this.#buffer.oldestIndex();
    if (oldest !== undefined) this.#core.forgetBefore(oldest);
    const { tracks, meanMotionPx } = this.#core.step(frame.index, motion);
    if (oldest !== undefined) this.#core.forgetBefore(oldest);
    this.#stats = trackerFrameStats(tracks, meanMotionPx, performance.now() - t0);
    return tracks;
  }

  /**
   * Applies detections made on frame `frameIndex` (k ≤ current frame t). Detections are matched by
   * IoU (per class) to the tracks as they were at frame k; matched tracks keep their ids, unmatched
   * detections start new tracks, unmatched tracks count a miss (removed after `maxMisses`). The
   * detection boxes are then carried from k to t according to `mode`: `full` re-tracks every buffered
   * frame k+1..t (with the motions already computed by update), `stride:s` every s-th buffered frame
   * plus t (dense flow between non-adjacent frames, computed on demand and cached), `off` applies the
   * boxes at t as they are. When frame k has left the buffer the correction falls back to `off`,
   * matching against the current tracks (counted in {@link katchupCounters}).
   */
  correct(frameIndex: number, detections: readonly Detection[], mode: KatchupMode): CatchupReport {
    this.#assertOpen();
    const t0 = performance.now();
    const r = this.#core.correct(frameIndex, detections, mode, (i, j) => this.#motion(i, j));
    const ms = performance.now() - t0;
    this.#counters.corrections++;
    if (r.fellBack) this.#counters.fallbacks++;
    this.#counters.framesRetracked += r.framesRetracked;
    this.#counters.ms += ms;
    return Object.freeze({ ...r, ms });
  }

  /** Forgets all tracks and buffered frames; ids start again at 1. The tracker stays usable. */
  reset(): void {
    this.#assertOpen();
    this.#buffer.clear();
    this.#converter?.close();
    this.#converter = undefined;
    this.#core.reset();
    this.#stats = EMPTY_STATS;
  }

  /** Deletes every OpenCV Mat held by the tracker. Idempotent; the tracker is unusable afterwards. */
  close(): void {
    if (this.#closed) return;
    this.reset();
    this.#closed = true;
  }

  /** The motion from buffered frame i to buffered frame j (cached in j's buffer entry), or undefined. */
  #motion(i: number, j: number): FrameMotion | undefined {
    const a = this.#buffer.get(i);
    const b = this.#buffer.get(j);
    if (!a?.features || !b?.features) return undefined;
    let m = b.motions.get(i);
    if (!m) {
      m = estimateMotion(this.#cv, a.features, b.features, this.#converter!.geometry.scale, this.options);
      b.motions.set(i, m);
      this.onMotion?.(m);
    }
    return m;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('MultiTracker: used after close()');
  }
}
