import { ValidationError, describeValue } from '../core/index.js';

/**
 * Options of {@link MultiTracker}. Units: px = pixels of the processing image unless "frame px" is
 * stated; frames = frame indices.
 */
export interface TrackerOptions {
  /** Upper bound on the processing scale (processing px / frame px), in (0, 1]. Default 1. */
  readonly processingScale: number;
  /** Longer side of the downscaled grayscale processing image in px (never upscaled), ≥ 32. The dense flow is computed at this size. Default 192. */
  readonly maxSide: number;
  /** Pyramid levels above the base of the dense (Farnebäck) flow, 0..6. Default 2. */
  readonly flowLevels: number;
  /** Averaging window of the dense flow in processing px (odd integer 3..31). Default 7. */
  readonly flowWinSize: number;
  /** Dense-flow iterations per pyramid level, 1..10. Default 1. */
  readonly flowIterations: number;
  /** Texture (0..255, see FrameMotion.texture) below which a flow cell is not trusted, 0..255. Default 8. */
  readonly minTexture: number;
  /** Fraction of the box width/height left out on each side when gathering flow cells, in [0, 0.4]. Default 0.1. */
  readonly sampleInset: number;
  /** At most this many flow cells are read per box and step (a regular subsample), 16..100000. Default 400. */
  readonly maxCellsPerBox: number;
  /** Estimate width and height changes (flow divergence along x and y, separately); false keeps the box size. Default true. */
  readonly estimateScale: boolean;
  /** Share of the measured per-step size change that is applied, in [0, 1]. Default 1. */
  readonly scaleGain: number;
  /** `uniform`: width and height change by one factor, the smaller of the two measured changes, and only when both grow or both shrink (pedestrians' limbs make separate factors noisy); `separate`: each by its own. Default `uniform`. */
  readonly scaleModel: 'uniform' | 'separate';
  /** Flow of a box fails when its width or height change in one step leaves [1/maxScaleStep, maxScaleStep], > 1. Default 1.5. */
  readonly maxScaleStep: number;
  /** Flow of a box fails when fewer textured cells are inside it, 1..500. Default 4. */
  readonly minSurvivors: number;
  /** Flow of a box fails when the median deviation of its cells' motion from their median exceeds this, frame px (> 0). Default 8. */
  readonly maxDisplacementSpreadPx: number;
  /** … or this share of the box size (√(width·height)) when that is larger, ≥ 0. Default 0.08. */
  readonly maxSpreadShare: number;
  /** Cells whose motion is within this distance of the global (camera) motion count as background, frame px (≥ 0). Default 1. */
  readonly backgroundRadiusPx: number;
  /** … or within this share of the global motion's length when that is larger (a panning camera smears flow near the object's outline), ≥ 0. Default 0.4. */
  readonly backgroundRadiusShare: number;
  /** Background cells are left out of a box's motion when at least this share of its cells move otherwise, in (0, 1]. Default 0.25. */
  readonly foregroundMinShare: number;
  /** Check a moved box's appearance against the track's template from its last detection and keep the box where it was when that matches better (see appearanceMargin). Default true. */
  readonly appearanceCheck: boolean;
  /** The box stays where it was when that matches the template better by more than this NCC, in [0, 2). Default 0.02. */
  readonly appearanceMargin: number;
  /** The box goes back to the last detection's box (as delivered) when that matches the template better than the moved box by more than this NCC, in [0, 2]; 2 = never. Default 0.2. */
  readonly anchorMargin: number;
  /** Katch-Up \`off\` (no re-tracking): a detection matched to a track is moved by that track's own shift from frame k to t (centre and size; no flow cost) instead of being applied as it was at k. Default true. */
  readonly offFollowsTracks: boolean;
  /** A track judged occluded (its cells moved like an overlapping track instead of like itself) coasts on its velocity for at most this many frames, in state lost, ≥ 0. Default 10. */
  readonly maxCoastFrames: number;
  /** Tracks whose flow failed (state lost) for more than this many consecutive frames are removed, ≥ 0. Default 15. */
  readonly maxLostFrames: number;
  /** Tracks are removed once they have gone this many frames without a matched detection (unconfirmed boxes are mostly wrong by then), ≥ 0. Default 40. */
  readonly maxAge: number;
  /** An unmatched detection starts a track only when its score is at least this (a weaker one can still confirm a matched track), in [0, 1]. Default 0.5. */
  readonly minNewTrackScore: number;
  /** Tracks are removed after this many consecutive corrections that did not match them, ≥ 1. Default 2. */
  readonly maxMisses: number;
  /** Minimum IoU for a detection to match a track, in (0, 1]. Default 0.3. */
  readonly matchIou: number;
  /** Class fusion (src/tracker/class-fusion.ts): detections of different classes on one box share the noisy-or of their scores, so an object the detector labels two ways, each weakly, can start a track; a detection and a track left over by the per-class matching match across classes. Default false: on, the shipped learned policy would have to be retrained, and retrained on it the recipe's policy sends 46 % of `full`'s bytes (docs/tracker.md, "Class fusion"); train a policy for it with `edgetrack train --tracker`. */
  readonly classFusion: boolean;
  /** Class fusion: detections of different classes whose boxes overlap by at least this IoU are one object seen under several labels, in (0, 1]. Default 0.7. */
  readonly classFusionIou: number;
  /** Class fusion: leaves a group's scores alone when its strongest label scores below this, in [0, 1]: several faint labels on one spot are not an object. Default 0.4 (at 0.35 the demo gained 21 false-positive boxes, at 0.4 none; the development sequences' recall is the same at both). */
  readonly classFusionMinScore: number;
  /** Class fusion: a detection left unmatched within its class still matches a track of another class left unmatched that its box overlaps by at least this IoU (the track's class then follows its evidence), in (0, 1]. Default 0.3 (as matchIou). */
  readonly crossClassMatchIou: number;
  /** A track's class evidence (the scores of its detections per class; it shows the class with the most) keeps this share of its old value at each new detection, in [0, 1). Default 0.9. */
  readonly classMemory: number;
  /** Confidence multiplier per frame since the last matched detection, in (0, 1]. Default 0.99. */
  readonly confidenceDecay: number;
  /** Frame buffer bound in frames, ≥ 2. Default 60. */
  readonly bufferFrames: number;
  /** Frame buffer bound in bytes of pixel data, ≥ 1. Default 32 MiB. */
  readonly bufferBytes: number;
}

/** Defaults of {@link TrackerOptions}. */
export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = Object.freeze({
  processingScale: 1,
  maxSide: 192,
  flowLevels: 2,
  flowWinSize: 7,
  flowIterations: 1,
  minTexture: 8,
  sampleInset: 0.1,
  maxCellsPerBox: 400,
  estimateScale: true,
  scaleGain: 1,
  scaleModel: 'uniform',
  maxScaleStep: 1.5,
  minSurvivors: 4,
  maxDisplacementSpreadPx: 8,
  maxSpreadShare: 0.08,
  backgroundRadiusPx: 1,
  backgroundRadiusShare: 0.4,
  foregroundMinShare: 0.25,
  appearanceCheck: true,
  appearanceMargin: 0.02,
  anchorMargin: 0.2,
  offFollowsTracks: true,
  maxCoastFrames: 10,
  maxLostFrames: 15,
  maxAge: 40,
  minNewTrackScore: 0.5,
  maxMisses: 2,
  matchIou: 0.3,
  classFusion: false,
  classFusionIou: 0.7,
  classFusionMinScore: 0.4,
  crossClassMatchIou: 0.3,
  classMemory: 0.9,
  confidenceDecay: 0.99,
  bufferFrames: 60,
  bufferBytes: 32 * 1024 * 1024,
});

function fail(field: string, expected: string, got: unknown): never {
  throw new ValidationError(`tracker.${field}: expected ${expected}, got ${describeValue(got)}`, { field: `tracker.${field}`, value: got });
}

function num(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function int(o: TrackerOptions, field: keyof TrackerOptions, min: number, max = Number.MAX_SAFE_INTEGER): void {
  const v = o[field];
  if (!num(v) || !Number.isInteger(v) || v < min || v > max) fail(field, `an integer in [${min}, ${max}]`, v);
}

function openClosed(o: TrackerOptions, field: keyof TrackerOptions, lo: number, hi: number, closedHi: boolean): void {
  const v = o[field];
  if (!num(v) || v <= lo || (closedHi ? v > hi : v >= hi)) fail(field, `a number in (${lo}, ${hi}${closedHi ? ']' : ')'}`, v);
}

/** Merges `options` over the defaults and validates every field once; throws a ValidationError naming the field. */
export function resolveTrackerOptions(options: Partial<TrackerOptions> = {}): TrackerOptions {
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULT_TRACKER_OPTIONS)) fail(key, `one of ${Object.keys(DEFAULT_TRACKER_OPTIONS).join(', ')}`, key);
  }
  const o: TrackerOptions = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  openClosed(o, 'processingScale', 0, 1, true);
  int(o, 'maxSide', 32);
  int(o, 'flowLevels', 0, 6);
  int(o, 'flowWinSize', 3, 31);
  if (o.flowWinSize % 2 === 0) fail('flowWinSize', 'an odd integer', o.flowWinSize);
  int(o, 'flowIterations', 1, 10);
  int(o, 'minTexture', 0, 255);
  if (!num(o.sampleInset) || o.sampleInset < 0 || o.sampleInset > 0.4) fail('sampleInset', 'a number in [0, 0.4]', o.sampleInset);
  int(o, 'maxCellsPerBox', 16, 100_000);
  if (typeof o.estimateScale !== 'boolean') fail('estimateScale', 'a boolean', o.estimateScale);
  if (!num(o.scaleGain) || o.scaleGain < 0 || o.scaleGain > 1) fail('scaleGain', 'a number in [0, 1]', o.scaleGain);
  if (o.scaleModel !== 'uniform' && o.scaleModel !== 'separate') fail('scaleModel', '"uniform" or "separate"', o.scaleModel);
  openClosed(o, 'maxScaleStep', 1, Infinity, false);
  int(o, 'minSurvivors', 1, 500);
  openClosed(o, 'maxDisplacementSpreadPx', 0, Infinity, false);
  if (!num(o.maxSpreadShare) || o.maxSpreadShare < 0) fail('maxSpreadShare', 'a number ≥ 0', o.maxSpreadShare);
  if (!num(o.backgroundRadiusPx) || o.backgroundRadiusPx < 0) fail('backgroundRadiusPx', 'a number ≥ 0', o.backgroundRadiusPx);
  if (!num(o.backgroundRadiusShare) || o.backgroundRadiusShare < 0) fail('backgroundRadiusShare', 'a number ≥ 0', o.backgroundRadiusShare);
  openClosed(o, 'foregroundMinShare', 0, 1, true);
  if (typeof o.appearanceCheck !== 'boolean') fail('appearanceCheck', 'a boolean', o.appearanceCheck);
  if (!num(o.appearanceMargin) || o.appearanceMargin < 0 || o.appearanceMargin >= 2) fail('appearanceMargin', 'a number in [0, 2)', o.appearanceMargin);
  if (!num(o.anchorMargin) || o.anchorMargin < 0 || o.anchorMargin > 2) fail('anchorMargin', 'a number in [0, 2]', o.anchorMargin);
  if (typeof o.offFollowsTracks !== 'boolean') fail('offFollowsTracks', 'a boolean', o.offFollowsTracks);
  int(o, 'maxCoastFrames', 0);
  int(o, 'maxLostFrames', 0);
  int(o, 'maxAge', 0);
  if (!num(o.minNewTrackScore) || o.minNewTrackScore < 0 || o.minNewTrackScore > 1) fail('minNewTrackScore', 'a number in [0, 1]', o.minNewTrackScore);
  int(o, 'maxMisses', 1);
  openClosed(o, 'matchIou', 0, 1, true);
  if (typeof o.classFusion !== 'boolean') fail('classFusion', 'a boolean', o.classFusion);
  openClosed(o, 'classFusionIou', 0, 1, true);
  if (!num(o.classFusionMinScore) || o.classFusionMinScore < 0 || o.classFusionMinScore > 1) fail('classFusionMinScore', 'a number in [0, 1]', o.classFusionMinScore);
  openClosed(o, 'crossClassMatchIou', 0, 1, true);
  if (!num(o.classMemory) || o.classMemory < 0 || o.classMemory >= 1) fail('classMemory', 'a number in [0, 1)', o.classMemory);
  openClosed(o, 'confidenceDecay', 0, 1, true);
  int(o, 'bufferFrames', 2);
  int(o, 'bufferBytes', 1);
  return Object.freeze(o);
}
