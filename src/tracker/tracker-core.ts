/**
 * The track logic of {@link MultiTracker}, pure JS: no OpenCV, no pixels. It moves boxes with
 * {@link FrameMotion}s only, owns confidence, the tracked/lost/drop lifecycle, ids, matching of
 * detections to tracks and the Katch-Up history rewrite. A simulator can drive it from cached
 * (decoded) motions and get exactly the tracks MultiTracker gives:
 *
 * - `step(t, motion(prev, t))` once per frame (motion undefined for the first frame);
 * - `correct(k, detections, mode, motionFor)` for detections of frame k ≤ t, where
 *   `motionFor(i, j)` returns the motion from frame i to frame j for the pairs Katch-Up asks for
 *   (j − i ≤ the stride for `stride:s`, 1 for `full` when every frame was stepped);
 * - `forgetBefore(i)` when the frame buffer evicted frames before i by its byte bound (the frame
 *   bound `bufferFrames` is applied by the core itself).
 */
import {
  type Box, type Detection, type KatchupMode, type Track, ValidationError, describeValue, iou, makeBox, requireInteger, translateBox,
} from '../core/index.js';
import { type GrayImage, nccWithBox, template } from './appearance.js';
import { type BoxStep, moveBox } from './box-motion.js';
import type { FrameMotion } from './frame-motion.js';
import { interpolateBox, selectRetrackFrames, validateKatchupMode } from './katchup.js';
import { type ClassEvidence, addEvidence, fuseClassConfusions, strongestClass } from './class-fusion.js';
import { matchAcrossClasses, matchByClass } from './matching.js';
import { occludedBoxes, overlapping } from './occlusion.js';
import type { TrackerOptions } from './options.js';

/** The motion from frame `from` to frame `to`, or undefined when it cannot be had. */
export type MotionSource = (from: number, to: number) => FrameMotion | undefined;

/** Result of {@link TrackerCore.step}. */
export interface CoreStepResult {
  readonly tracks: readonly Track[];
  /** Mean over successfully moved tracks of the displacement, frame px per frame (0 when none). */
  readonly meanMotionPx: number;
}

/** Result of {@link TrackerCore.correct}. */
export interface CoreCorrection {
  readonly requested: KatchupMode;
  readonly applied: KatchupMode;
  readonly fellBack: boolean;
  readonly framesRetracked: number;
  /** Detections matched to a track present at frame k (see {@link CatchupReport.matched}). */
  readonly matched: number;
  /** Mean IoU of those pairs at frame k (0 when none). */
  readonly meanMatchIou: number;
  readonly tracks: readonly Track[];
}

interface TrackRecord {
  readonly id: number;
  box: Box;
  classId: number;
  score: number;
  flowConfidence: number;
  lastDetectedFrame: number;
  state: 'tracked' | 'lost';
  misses: number;
  /** Consecutive frames whose flow failed. */
  lostFrames: number;
  /** Recent velocity in frame px per frame (exponential average), undefined until measured. */
  velocity: Velocity | undefined;
  /** Frames coasted on the velocity while judged occluded (0 = not coasting). */
  coast: number;
  /** Appearance at the last matched detection (see appearance.ts), undefined when unknown. */
  template: Float32Array | undefined;
  /** The last matched detection's box as it was delivered (what "hold" would show). */
  anchor: Box;
  /** With class fusion: scores per class summed over the track's detections (class-fusion.ts); `classId` is the strongest. */
  evidence: ClassEvidence;
}

interface Velocity {
  readonly x: number;
  readonly y: number;
}

const VELOCITY_SMOOTHING = 0.5;

/** `box` moved and resized as `from` became `to` (centre shift, width and height ratios). */
function followBox(box: Box, from: Box, to: Box): Box {
  const sx = (to.x2 - to.x1) / Math.max(1e-9, from.x2 - from.x1);
  const sy = (to.y2 - to.y1) / Math.max(1e-9, from.y2 - from.y1);
  const cx = (box.x1 + box.x2) / 2 + (to.x1 + to.x2) / 2 - (from.x1 + from.x2) / 2;
  const cy = (box.y1 + box.y2) / 2 + (to.y1 + to.y2) / 2 - (from.y1 + from.y2) / 2;
  const hw = ((box.x2 - box.x1) * sx) / 2;
  const hh = ((box.y2 - box.y1) * sy) / 2;
  return makeBox(cx - hw, cy - hh, cx + hw, cy + hh);
}

function smoothVelocity(v: Velocity | undefined, dx: number, dy: number): Velocity {
  return v ? { x: VELOCITY_SMOOTHING * v.x + (1 - VELOCITY_SMOOTHING) * dx, y: VELOCITY_SMOOTHING * v.y + (1 - VELOCITY_SMOOTHING) * dy } : { x: dx, y: dy };
}

interface Carried {
  readonly det: Detection;
  /** The detection's score before class fusion (its evidence for its class). */
  readonly ownScore: number;
  readonly id: number | undefined;
  box: Box;
  ok: boolean;
  confidence: number;
  velocity: Velocity | undefined;
  readonly template: Float32Array | undefined;
  readonly keys: { frame: number; box: Box }[];
}

interface HistoryEntry {
  readonly index: number;
  tracks: readonly Track[];
  /** Processing image of this frame (from the motions into / out of it), for appearance templates. */
  gray: Uint8Array | undefined;
}

/** Pure track logic (see module doc). Deterministic; not thread-safe. */
export class TrackerCore {
  readonly options: TrackerOptions;
  #records: TrackRecord[] = [];
  #history: HistoryEntry[] = [];
  #nextId = 1;
  #snapshot: readonly Track[] = Object.freeze([]);

  /** `options` must be resolved (`resolveTrackerOptions`). */
  constructor(options: TrackerOptions) {
    this.options = options;
  }

  /** Index of the last stepped frame, or undefined before the first. */
  get currentFrame(): number | undefined {
    return this.#history.at(-1)?.index;
  }

  /** Frame indices the core can re-track from (its history), oldest first. */
  get historyFrames(): number[] {
    return this.#history.map((e) => e.index);
  }

  /** Current tracks. */
  tracks(): readonly Track[] {
    return this.#snapshot;
  }

  /**
   * Advances every track to frame `index` with `motion` (from the previous stepped frame to `index`;
   * undefined only for the first frame). Tracks whose flow fails become `lost` and keep their box;
   * tracks lost for more than `maxLostFrames` frames or unconfirmed for more than `maxAge` are removed.
   */
  step(index: number, motion: FrameMotion | undefined): CoreStepResult {
    const prev = this.currentFrame;
    if (prev !== undefined && !(index > prev)) {
      throw new ValidationError(`frame.index: expected > ${prev} (frames in order), got ${describeValue(index)}`, { field: 'frame.index' });
    }
    let motionSum = 0;
    let motionCount = 0;
    if (prev !== undefined) {
      if (!motion || motion.from !== prev || motion.to !== index) {
        throw new Error(`TrackerCore.step: expected the motion ${prev}→${index}, got ${motion ? `${motion.from}→${motion.to}` : 'none'}`);
      }
      const gap = index - prev;
      const o = this.options;
      const last = this.#history.at(-1)!;
      this.#scale = motion.scale;
      this.#width = motion.width;
      this.#height = motion.height;
      if (!last.gray) {
        // The first frame's image arrives with the first motion: template the tracks detected on it.
        last.gray = motion.grayFrom;
        for (const r of this.#records) {
          if (!r.template && r.lastDetectedFrame === last.index && o.appearanceCheck) r.template = template(this.#image(last.gray), r.anchor, this.#scale);
        }
      }
      const recs = this.#records;
      const prior = (r: TrackRecord) => (r.velocity ? { x: r.velocity.x * gap, y: r.velocity.y * gap } : undefined);
      const crowded = overlapping(recs.map((r) => r.box));
      const results = recs.map((r, i) => this.#checked(r.box, r.anchor, r.template, motion, moveBox(r.box, motion, o, crowded[i] || r.coast > 0 ? prior(r) : undefined)));
      const coasts = occludedBoxes(recs.map((r) => r.box), recs.map((r) => r.velocity), results, gap);
      recs.forEach((r, i) => {
        const res = results[i];
        r.flowConfidence = res.confidence;
        const coasting = r.coast > 0;
        // A coasting (occluded) track is re-acquired only by motion that agrees with its own.
        if (!res.ok || (coasting && res.disagree) || coasts[i]) {
          r.state = 'lost';
          r.lostFrames += gap;
          const c = coasts[i] ?? (coasting && r.coast <= o.maxCoastFrames && r.velocity ? prior(r) : undefined);
          if (c && r.coast <= o.maxCoastFrames) {
            r.box = 'x1' in c ? c : translateBox(r.box, c.x, c.y);
            r.coast++;
          }
          return;
        }
        r.state = 'tracked';
        r.lostFrames = 0;
        r.coast = 0;
        r.box = res.box;
        r.velocity = smoothVelocity(r.velocity, res.dx / gap, res.dy / gap);
        motionSum += Math.hypot(res.dx, res.dy) / gap;
        motionCount++;
      });
    }
    const o = this.options;
    this.#records = this.#records.filter((r) => index - r.lastDetectedFrame <= o.maxAge && r.lostFrames <= o.maxLostFrames);
    this.#history.push({ index, tracks: [], gray: motion?.gray });
    while (this.#history.length > o.bufferFrames) this.#history.shift();
    this.#publish();
    return { tracks: this.#snapshot, meanMotionPx: motionCount ? motionSum / motionCount : 0 };
  }

  /** Forgets the history of frames before `index` (Katch-Up from them then falls back to `off`). */
  forgetBefore(index: number): void {
    while (this.#history.length > 1 && this.#history[0].index < index) this.#history.shift();
  }

  /**
   * Applies detections made on frame `k` (see MultiTracker.correct for the semantics); the boxes are
   * carried from k to the current frame with motions from `motionFor`.
   */
  correct(k: number, detections: readonly Detection[], mode: KatchupMode, motionFor: MotionSource): CoreCorrection {
    const requested = validateKatchupMode(mode);
    requireInteger(k, 'correct.frameIndex', 0);
    const t = this.currentFrame;
    if (t === undefined) throw new ValidationError('correct: no frame has been passed to update() yet', { field: 'correct.frameIndex' });
    if (k > t) throw new ValidationError(`correct.frameIndex: expected ≤ current frame ${t}, got ${k}`, { field: 'correct.frameIndex' });
    if (!Array.isArray(detections)) {
      throw new ValidationError(`correct.detections: expected an array, got ${describeValue(detections)}`, { field: 'correct.detections' });
    }
    const entryK = this.#history.find((e) => e.index === k);
    const fellBack = !entryK && requested.kind !== 'off';
    const applied: KatchupMode = entryK ? requested : { kind: 'off' };
    const base: readonly Track[] = entryK ? entryK.tracks : this.#snapshot;
    const o = this.options;
    // With class fusion, each detection's score counts the labels other classes put on the same box;
    // the class evidence a matched track gets is the detection's own score (class-fusion.ts).
    const dets = o.classFusion ? fuseClassConfusions(detections, o.classFusionIou, o.classFusionMinScore) : detections;
    const m = o.classFusion ? matchAcrossClasses(base, dets, o.matchIou, o.crossClassMatchIou) : matchByClass(base, dets, o.matchIou);
    const meanMatchIou = m.pairs.length ? m.pairs.reduce((s, p) => s + iou(base[p.track].box, dets[p.det].box), 0) / m.pairs.length : 0;
    const carried: Carried[] = [];
    const img = entryK?.gray;
    const carry = (i: number, id: number | undefined): Carried => ({
      det: dets[i], ownScore: detections[i].score, id, box: dets[i].box, ok: true, confidence: 1, velocity: this.#records.find((r) => r.id === id)?.velocity, keys: [{ frame: k, box: dets[i].box }],
      template: img && o.appearanceCheck ? template(this.#image(img), dets[i].box, this.#scale) : undefined,
    });
    for (const p of m.pairs) carried.push(carry(p.det, base[p.track].id));
    // A weak detection may confirm a track but does not start one (most false positives are weak).
    for (const d of m.unmatchedDets) if (dets[d].score >= o.minNewTrackScore) carried.push(carry(d, undefined));

    let framesRetracked = 0;
    if (entryK && applied.kind === 'off' && k < t && o.offFollowsTracks) {
      // No re-tracking, but a matched track already followed its object from k to t: move the
      // detection box by that track's shift (centre and size), at no flow cost.
      for (const c of carried) {
        const then = c.id === undefined ? undefined : base.find((x) => x.id === c.id);
        const now = then && this.#snapshot.find((x) => x.id === c.id);
        if (!then || !now) continue;
        c.box = followBox(c.det.box, then.box, now.box);
        c.keys.push({ frame: t, box: c.box });
      }
    }
    if (entryK && applied.kind !== 'off' && k < t) {
      const after = this.#history.filter((e) => e.index > k && e.index <= t).map((e) => e.index);
      const chosen = selectRetrackFrames(after, applied).map((i) => after[i]);
      let prev = k;
      for (const j of chosen) {
        if (carried.length > 0) {
          const motion = motionFor(prev, j);
          if (!motion) throw new Error(`TrackerCore.correct: no motion ${prev}→${j}`);
          const gap = j - prev;
          const crowded = overlapping(carried.map((c) => c.box));
          const results = carried.map((c, i) => this.#checked(c.box, c.det.box, c.template, motion,
            moveBox(c.box, motion, o, crowded[i] && c.velocity ? { x: c.velocity.x * gap, y: c.velocity.y * gap } : undefined)));
          const coasts = occludedBoxes(carried.map((c) => c.box), carried.map((c) => c.velocity), results, gap);
          carried.forEach((c, i) => {
            const r = results[i];
            c.confidence = r.confidence;
            const coast = coasts[i];
            if (coast) {
              // Hidden behind another object: coast on the motion prior and keep going.
              c.box = coast;
            } else {
              c.ok = r.ok;
              if (r.ok) {
                c.box = r.box;
                c.velocity = smoothVelocity(c.velocity, r.dx / gap, r.dy / gap);
              }
            }
            c.keys.push({ frame: j, box: c.box });
          });
        }
        framesRetracked++;
        prev = j;
      }
    }

    const baseIds = new Set(base.map((b) => b.id));
    const removed = new Set<number>();
    for (const ti of m.unmatchedTracks) {
      const r = this.#records.find((x) => x.id === base[ti].id);
      if (r && ++r.misses >= o.maxMisses) removed.add(r.id);
    }
    this.#records = this.#records.filter((r) => !removed.has(r.id));
    const touched = new Set<number>();
    const assigned: number[] = [];
    for (const c of carried) {
      let id = c.id;
      if (id === undefined) {
        // A track created after frame k may already follow this object: merge instead of duplicating.
        const later = this.#records.find((r) => !baseIds.has(r.id) && !touched.has(r.id) && r.classId === c.det.classId && iou(r.box, c.box) >= o.matchIou);
        id = later ? later.id : this.#nextId++;
      }
      touched.add(id);
      assigned.push(id);
      this.#applyCarried(id, c, k);
    }
    this.#rewriteHistory(k, t, carried, assigned, removed);
    return { requested, applied, fellBack, framesRetracked, matched: m.pairs.length, meanMatchIou, tracks: this.#snapshot };
  }

  /** Forgets all tracks and history; ids start again at 1. */
  reset(): void {
    this.#records = [];
    this.#history = [];
    this.#nextId = 1;
    this.#snapshot = Object.freeze([]);
  }

  #applyCarried(id: number, c: Carried, k: number): void {
    let r = this.#records.find((x) => x.id === id);
    if (!r) {
      r = {
        id, box: c.box, classId: c.det.classId, score: c.det.score, flowConfidence: 1, lastDetectedFrame: k, state: 'tracked', misses: 0, lostFrames: 0,
        velocity: c.velocity, coast: 0, template: c.template, anchor: c.det.box, evidence: new Map(),
      };
      this.#records.push(r);
      this.#records.sort((a, b) => a.id - b.id);
    }
    r.misses = 0;
    // An older detection than the one that last corrected this track carries less information.
    if (k < r.lastDetectedFrame) return;
    if (this.options.classFusion) {
      // only class fusion matches across classes: without it a track's detections share one class
      r.evidence = addEvidence(r.evidence, c.det.classId, c.ownScore, this.options.classMemory);
      r.classId = strongestClass(r.evidence, c.det.classId);
    } else {
      r.classId = c.det.classId;
    }
    r.box = c.box;
    r.score = c.det.score;
    r.flowConfidence = c.confidence;
    r.lastDetectedFrame = k;
    r.state = c.ok ? 'tracked' : 'lost';
    r.lostFrames = 0;
    r.coast = 0;
    r.velocity = c.velocity;
    r.template = c.template;
    r.anchor = c.det.box;
  }

  /** Processing px per frame px and grid size, learnt from the first motion. */
  #scale = 1;
  #width = 0;
  #height = 0;

  #image(data: Uint8Array): GrayImage {
    return { width: this.#width, height: this.#height, data };
  }

  /**
   * The appearance check before a moved box is kept: when the box left where it was matches the
   * track's template better (by `appearanceMargin` NCC) than the moved box, in the new frame, the
   * box stays (the flow followed something else: background, a limb, a neighbour).
   */
  #checked(from: Box, anchor: Box, tpl: Float32Array | undefined, m: FrameMotion, res: BoxStep): BoxStep {
    if (!res.ok || !tpl || !this.options.appearanceCheck) return res;
    const img: GrayImage = { width: m.width, height: m.height, data: m.gray };
    const o = this.options;
    const moved = nccWithBox(tpl, img, res.box, m.scale);
    const held = nccWithBox(tpl, img, from, m.scale) - o.appearanceMargin;
    const back = nccWithBox(tpl, img, anchor, m.scale) - o.anchorMargin;
    if (moved >= held && moved >= back) return res;
    const box = held >= back ? from : anchor;
    return { ...res, box, dx: (box.x1 + box.x2 - from.x1 - from.x2) / 2, dy: (box.y1 + box.y2 - from.y1 - from.y2) / 2 };
  }

  #rewriteHistory(k: number, t: number, carried: readonly Carried[], ids: readonly number[], removed: ReadonlySet<number>): void {
    const touched = new Set(ids);
    for (const e of this.#history) {
      if (e.index < k || e.index >= t) continue;
      const kept = e.tracks.filter((x) => !touched.has(x.id) && !removed.has(x.id));
      const added = carried.map((c, i) => {
        const r = this.#records.find((x) => x.id === ids[i])!;
        return this.#toTrack(r, interpolateBox(c.keys, e.index), e.index, 'tracked', c.confidence);
      });
      e.tracks = Object.freeze([...kept, ...added].sort((a, b) => a.id - b.id));
    }
    this.#publish();
  }

  #publish(): void {
    const entry = this.#history.at(-1);
    if (!entry) return;
    this.#snapshot = Object.freeze(this.#records.map((r) => this.#toTrack(r, r.box, entry.index, r.state, r.flowConfidence)));
    entry.tracks = this.#snapshot;
  }

  #toTrack(r: TrackRecord, box: Box, frame: number, state: 'tracked' | 'lost', flowConfidence: number): Track {
    const age = Math.max(0, frame - r.lastDetectedFrame);
    const confidence = state === 'lost' ? 0 : flowConfidence * this.options.confidenceDecay ** age;
    return Object.freeze({ id: r.id, box, classId: r.classId, score: r.score, confidence, age, lastDetectedFrame: r.lastDetectedFrame, state });
  }
}
