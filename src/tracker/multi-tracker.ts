/**
 * Multi-object Median-Flow tracker with Katch-Up. See docs/tracker.md.
 */
import {
  type Box, type Detection, type Frame, type KatchupMode, type Track, ValidationError, describeValue, iou, requireInteger, translateBox,
} from '../core/index.js';
import { FrameBuffer, type BufferedFrame, type FrameBufferStats } from './frame-buffer.js';
import { GrayConverter, processingGeometry } from './gray.js';
import { interpolateBox, selectRetrackFrames, validateKatchupMode } from './katchup.js';
import { matchByClass } from './matching.js';
import { type FlowInput, MedianFlow } from './median-flow.js';
import { type OpenCv, loadOpenCv } from './opencv.js';
import { type TrackerOptions, resolveTrackerOptions } from './options.js';
import type { CatchupReport, KatchupCounters, TrackerFrameStats } from './types.js';

/** Mutable internal state of one track. */
interface TrackRecord {
  readonly id: number;
  box: Box;
  classId: number;
  score: number;
  /** Share of flow points that survived at the last step, in [0, 1]. */
  flowConfidence: number;
  lastDetectedFrame: number;
  state: 'tracked' | 'lost';
  /** Consecutive corrections that did not match this track. */
  misses: number;
  /** Recent velocity in frame px per frame (exponential average), undefined until measured. */
  velocity: { x: number; y: number } | undefined;
  /** Flow points carried to the next step (processing px) and how many steps they have been carried. */
  points: Float32Array | undefined;
  pointAge: number;
  /** Frames coasted on the velocity while judged occluded (0 = not coasting). */
  coast: number;
}

/** An object being re-tracked during a correction. */
interface Carried {
  readonly det: Detection;
  /** Track id when the detection matched a track at frame k. */
  readonly id: number | undefined;
  box: Box;
  ok: boolean;
  confidence: number;
  velocity: { x: number; y: number } | undefined;
  points: Float32Array | undefined;
  pointAge: number;
  readonly keys: { frame: number; box: Box }[];
}

const EMPTY_STATS: TrackerFrameStats = Object.freeze({ trackCount: 0, lostCount: 0, meanConfidence: 0, minConfidence: 0, meanMotionPx: 0, ms: 0 });
const VELOCITY_SMOOTHING = 0.5;

/**
 * Tracks objects between detections with Median Flow on a downscaled grayscale copy of each frame,
 * and applies late detections with Katch-Up. Create with {@link MultiTracker.create}; feed every frame
 * in order to {@link update}; pass detections for frame k (k ≤ current frame) to {@link correct}.
 * Deterministic: the same frames, detections and calls give the same tracks. Not thread-safe.
 */
export class MultiTracker {
  /** Validated options in use. */
  readonly options: TrackerOptions;
  readonly #cv: OpenCv;
  readonly #buffer: FrameBuffer;
  #converter: GrayConverter | undefined;
  #flow: MedianFlow | undefined;
  #records: TrackRecord[] = [];
  #nextId = 1;
  #lastIndex: number | undefined;
  #snapshot: readonly Track[] = Object.freeze([]);
  #stats: TrackerFrameStats = EMPTY_STATS;
  #counters = { corrections: 0, fallbacks: 0, framesRetracked: 0, ms: 0 };
  #closed = false;

  private constructor(cv: OpenCv, options: TrackerOptions) {
    this.#cv = cv;
    this.options = options;
    this.#buffer = new FrameBuffer(options.bufferFrames, options.bufferBytes);
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
    return this.#lastIndex;
  }

  /** Current tracks (as of the last update or correction). */
  tracks(): readonly Track[] {
    return this.#snapshot;
  }

  /**
   * Advances every tracked track to `frame` (indices must increase; gaps are allowed and tracked as
   * one larger step). Tracks whose flow fails become `lost` and keep their last box; tracks with no
   * matched detection for more than `maxAge` frames are removed. Returns the tracks at this frame.
   */
  update(frame: Frame): readonly Track[] {
    this.#assertOpen();
    const t0 = performance.now();
    if (this.#lastIndex !== undefined && !(frame.index > this.#lastIndex)) {
      throw new ValidationError(`frame.index: expected > ${this.#lastIndex} (frames in order), got ${describeValue(frame.index)}`, { field: 'frame.index' });
    }
    if (!this.#converter) {
      const o = this.options;
      const g = processingGeometry(frame.width, frame.height, o.processingScale, o.maxSide);
      this.#converter = new GrayConverter(this.#cv, g);
      this.#flow = new MedianFlow(this.#cv, o, g.scale);
    }
    const gray = this.#converter.convert(frame);
    const prev = this.#buffer.newest();
    let motionSum = 0;
    let motionCount = 0;
    if (prev) {
      const gap = frame.index - prev.index;
      const live = this.#records.filter((r) => r.state === 'tracked' || (r.coast > 0 && r.coast <= this.options.maxCoastFrames));
      const inputs: FlowInput[] = live.map((r) => ({ box: r.box, velocity: r.velocity, points: this.#carriedPoints(r, r.id, frame.index) }));
      let outs;
      try {
        outs = this.#flow!.step(prev.gray, gray, inputs, gap);
      } catch (e) {
        gray.delete();
        throw e;
      }
      live.forEach((r, i) => {
        const o = outs[i];
        r.flowConfidence = o.confidence;
        r.pointAge = inputs[i].points ? r.pointAge + 1 : 1;
        r.points = o.points;
        const coasting = r.coast > 0;
        // A coasting (occluded) track is re-acquired only by motion that agrees with its own.
        if (!o.ok || (coasting && o.disagree)) {
          r.state = 'lost';
          r.points = undefined;
          if ((o.occluded || coasting) && r.velocity) {
            r.box = translateBox(r.box, r.velocity.x * gap, r.velocity.y * gap);
            r.coast++;
          }
          return;
        }
        r.state = 'tracked';
        r.coast = 0;
        r.box = o.box;
        updateVelocity(r, o.dx / gap, o.dy / gap);
        motionSum += Math.hypot(o.dx, o.dy) / gap;
        motionCount++;
      });
    }
    const entry = this.#buffer.push(frame.index, gray);
    this.#lastIndex = frame.index;
    this.#records = this.#records.filter((r) => frame.index - r.lastDetectedFrame <= this.options.maxAge);
    this.#publish(entry);
    const tracks = this.#snapshot;
    const confs = tracks.map((t) => t.confidence);
    this.#stats = Object.freeze({
      trackCount: tracks.length,
      lostCount: tracks.filter((t) => t.state === 'lost').length,
      meanConfidence: confs.length ? confs.reduce((a, b) => a + b, 0) / confs.length : 0,
      minConfidence: confs.length ? Math.min(...confs) : 0,
      meanMotionPx: motionCount ? motionSum / motionCount : 0,
      ms: performance.now() - t0,
    });
    return tracks;
  }

  /**
   * Applies detections made on frame `frameIndex` (k ≤ current frame t). Detections are matched by
   * IoU (per class) to the tracks as they were at frame k; matched tracks keep their ids, unmatched
   * detections start new tracks, unmatched tracks count a miss (removed after `maxMisses`). The
   * detection boxes are then carried from k to t according to `mode`: `full` re-tracks every buffered
   * frame k+1..t, `stride:s` every s-th buffered frame plus t (flow between non-adjacent frames), `off`
   * applies the boxes at t as they are. When frame k has left the buffer the correction falls back to
   * `off`, matching against the current tracks (counted in {@link katchupCounters}).
   */
  correct(frameIndex: number, detections: readonly Detection[], mode: KatchupMode): CatchupReport {
    this.#assertOpen();
    const t0 = performance.now();
    const requested = validateKatchupMode(mode);
    requireInteger(frameIndex, 'correct.frameIndex', 0);
    const t = this.#lastIndex;
    if (t === undefined) throw new ValidationError('correct: no frame has been passed to update() yet', { field: 'correct.frameIndex' });
    if (frameIndex > t) {
      throw new ValidationError(`correct.frameIndex: expected ≤ current frame ${t}, got ${frameIndex}`, { field: 'correct.frameIndex' });
    }
    if (!Array.isArray(detections)) {
      throw new ValidationError(`correct.detections: expected an array, got ${describeValue(detections)}`, { field: 'correct.detections' });
    }
    const k = frameIndex;
    const entryK = this.#buffer.get(k);
    const fellBack = !entryK && requested.kind !== 'off';
    const applied: KatchupMode = entryK ? requested : { kind: 'off' };
    const base: readonly Track[] = entryK ? entryK.tracks : this.#snapshot;
    const m = matchByClass(base, detections, this.options.matchIou);
    const carried: Carried[] = [];
    for (const p of m.pairs) carried.push(this.#carry(detections[p.det], base[p.track].id, k));
    for (const d of m.unmatchedDets) carried.push(this.#carry(detections[d], undefined, k));

    // Re-track the detection boxes from k to t.
    let framesRetracked = 0;
    if (entryK && applied.kind !== 'off' && k < t) {
      const after = this.#buffer.range(k + 1, t);
      const chosen = selectRetrackFrames(after.map((e) => e.index), applied).map((i) => after[i]);
      let prev: BufferedFrame = entryK;
      for (const e of chosen) {
        const live = carried.filter((c) => c.ok);
        if (live.length > 0) {
          const gap = e.index - prev.index;
          const inputs: FlowInput[] = live.map((c, i) => ({ box: c.box, velocity: c.velocity, points: this.#carriedPoints(c, i, e.index) }));
          const outs = this.#flow!.step(prev.gray, e.gray, inputs, gap);
          live.forEach((c, i) => {
            const o = outs[i];
            c.confidence = o.confidence;
            c.pointAge = inputs[i].points ? c.pointAge + 1 : 1;
            c.points = o.points;
            if (o.occluded) {
              // Hidden behind another object: coast on the motion prior and keep going.
              c.box = o.box;
              c.keys.push({ frame: e.index, box: o.box });
              return;
            }
            if (!o.ok) {
              c.ok = false;
              return;
            }
            c.box = o.box;
            c.velocity = c.velocity
              ? { x: VELOCITY_SMOOTHING * c.velocity.x + (1 - VELOCITY_SMOOTHING) * (o.dx / gap), y: VELOCITY_SMOOTHING * c.velocity.y + (1 - VELOCITY_SMOOTHING) * (o.dy / gap) }
              : { x: o.dx / gap, y: o.dy / gap };
            c.keys.push({ frame: e.index, box: o.box });
          });
        }
        framesRetracked++;
        prev = e;
      }
    }

    // Apply at t.
    const baseIds = new Set(base.map((b) => b.id));
    const removed = new Set<number>();
    for (const ti of m.unmatchedTracks) {
      const r = this.#records.find((x) => x.id === base[ti].id);
      if (r && ++r.misses >= this.options.maxMisses) removed.add(r.id);
    }
    this.#records = this.#records.filter((r) => !removed.has(r.id));
    const touched = new Set<number>();
    const assigned: number[] = [];
    for (const c of carried) {
      let id = c.id;
      if (id === undefined) {
        // A track created after frame k may already follow this object: merge instead of duplicating.
        const later = this.#records.find((r) => !baseIds.has(r.id) && !touched.has(r.id) && r.classId === c.det.classId && iou(r.box, c.box) >= this.options.matchIou);
        id = later ? later.id : this.#nextId++;
      }
      touched.add(id);
      assigned.push(id);
      this.#applyCarried(id, c, k);
    }
    this.#rewriteHistory(k, t, carried, assigned, removed);
    const ms = performance.now() - t0;
    this.#counters.corrections++;
    if (fellBack) this.#counters.fallbacks++;
    this.#counters.framesRetracked += framesRetracked;
    this.#counters.ms += ms;
    return Object.freeze({ requested, applied, fellBack, framesRetracked, ms, tracks: this.#snapshot });
  }

  /** Forgets all tracks and buffered frames; ids start again at 1. The tracker stays usable. */
  reset(): void {
    this.#assertOpen();
    this.#buffer.clear();
    this.#converter?.close();
    this.#flow?.close();
    this.#converter = undefined;
    this.#flow = undefined;
    this.#records = [];
    this.#nextId = 1;
    this.#lastIndex = undefined;
    this.#snapshot = Object.freeze([]);
    this.#stats = EMPTY_STATS;
  }

  /** Deletes every OpenCV Mat held by the tracker. Idempotent; the tracker is unusable afterwards. */
  close(): void {
    if (this.#closed) return;
    this.reset();
    this.#closed = true;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('MultiTracker: used after close()');
  }

  #carry(det: Detection, id: number | undefined, k: number): Carried {
    const r = id === undefined ? undefined : this.#records.find((x) => x.id === id);
    return { det, id, box: det.box, ok: true, confidence: 1, velocity: r?.velocity, points: undefined, pointAge: 0, keys: [{ frame: k, box: det.box }] };
  }

  #applyCarried(id: number, c: Carried, k: number): void {
    let r = this.#records.find((x) => x.id === id);
    if (!r) {
      r = { id, box: c.box, classId: c.det.classId, score: c.det.score, flowConfidence: 1, lastDetectedFrame: k, state: 'tracked', misses: 0, velocity: c.velocity, points: undefined, pointAge: 0, coast: 0 };
      this.#records.push(r);
      this.#records.sort((a, b) => a.id - b.id);
    }
    r.misses = 0;
    // An older detection than the one that last corrected this track carries less information.
    if (k < r.lastDetectedFrame) return;
    r.box = c.box;
    r.classId = c.det.classId;
    r.score = c.det.score;
    r.flowConfidence = c.confidence;
    r.lastDetectedFrame = k;
    r.state = c.ok ? 'tracked' : 'lost';
    r.coast = 0;
    r.velocity = c.velocity;
    r.points = c.points;
    r.pointAge = c.pointAge;
  }

  /**
   * The points to carry into the step to frame `frame`, or undefined to re-sample: after at most
   * `resampleEvery` steps, at a phase set by `key` so that tracks re-sample on different frames
   * (goodFeaturesToTrack is the costliest part of a step).
   */
  #carriedPoints(x: { points: Float32Array | undefined; pointAge: number }, key: number, frame: number): Float32Array | undefined {
    const every = this.options.resampleEvery;
    if (!x.points || x.pointAge >= every) return undefined;
    return (frame + key) % every === 0 ? undefined : x.points;
  }

  /**
   * Makes the per-frame track history of frames k..t agree with the correction, so that a later
   * correction for a frame in (k, t] matches against corrected boxes (interpolated between re-tracked
   * frames for `stride`, the stale detection box for `off`), and publishes the tracks at t.
   */
  #rewriteHistory(k: number, t: number, carried: readonly Carried[], ids: readonly number[], removed: ReadonlySet<number>): void {
    const touched = new Set(ids);
    for (const e of this.#buffer.range(k, t - 1)) {
      const kept = e.tracks.filter((x) => !touched.has(x.id) && !removed.has(x.id));
      const added = carried.map((c, i) => {
        const r = this.#records.find((x) => x.id === ids[i])!;
        return this.#toTrack(r, interpolateBox(c.keys, e.index), e.index, 'tracked', c.confidence);
      });
      e.tracks = Object.freeze([...kept, ...added].sort((a, b) => a.id - b.id));
    }
    const newest = this.#buffer.newest();
    if (newest) this.#publish(newest);
  }

  /** Builds the snapshot at the newest frame and stores it in the buffer entry. */
  #publish(entry: BufferedFrame): void {
    const t = entry.index;
    this.#snapshot = Object.freeze(this.#records.map((r) => this.#toTrack(r, r.box, t, r.state, r.flowConfidence)));
    entry.tracks = this.#snapshot;
  }

  #toTrack(r: TrackRecord, box: Box, frame: number, state: 'tracked' | 'lost', flowConfidence: number): Track {
    const age = Math.max(0, frame - r.lastDetectedFrame);
    const confidence = state === 'lost' ? 0 : flowConfidence * this.options.confidenceDecay ** age;
    return Object.freeze({ id: r.id, box, classId: r.classId, score: r.score, confidence, age, lastDetectedFrame: r.lastDetectedFrame, state });
  }
}

function updateVelocity(r: TrackRecord, vx: number, vy: number): void {
  r.velocity = r.velocity
    ? { x: VELOCITY_SMOOTHING * r.velocity.x + (1 - VELOCITY_SMOOTHING) * vx, y: VELOCITY_SMOOTHING * r.velocity.y + (1 - VELOCITY_SMOOTHING) * vy }
    : { x: vx, y: vy };
}
