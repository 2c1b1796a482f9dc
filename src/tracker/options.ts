import { ValidationError, describeValue } from '../core/index.js';

/**
 * Options of {@link MultiTracker}. Units: px = pixels of the processing image unless "frame px" is
 * stated; frames = frame indices.
 */
export interface TrackerOptions {
  /** Upper bound on the processing scale (processing px / frame px), in (0, 1]. Default 1. */
  readonly processingScale: number;
  /** Longer side of the downscaled grayscale processing image in px (never upscaled), ≥ 32. Default 384. */
  readonly maxSide: number;
  /** Maximum feature points sampled per track per frame (goodFeaturesToTrack), 4..500. Default 20. */
  readonly maxPointsPerTrack: number;
  /** When goodFeaturesToTrack finds fewer points than this, a regular grid fills up to it, 4..500. Default 10. */
  readonly minPointsPerTrack: number;
  /** Fraction of the box width/height left out on each side when sampling points (reduces background points), in [0, 0.4]. Default 0.1. */
  readonly sampleInset: number;
  /** Estimate scale changes (median ratio of pairwise point distances); false keeps the box size. Default true. */
  readonly estimateScale: boolean;
  /** Surviving points are carried to the next frame; every this many frames (or when fewer than minPointsPerTrack survive) they are re-sampled, ≥ 1. Default 4. */
  readonly resampleEvery: number;
  /** goodFeaturesToTrack quality level (fraction of the best corner response), in (0, 1). Default 0.01. */
  readonly featureQuality: number;
  /** Lucas-Kanade window side in px (odd integer 5..51). Default 11. */
  readonly winSize: number;
  /** Pyramid levels above the base for Lucas-Kanade, 0..6. Default 2. */
  readonly maxLevel: number;
  /** Lucas-Kanade iterations per level, 1..100. Default 20. */
  readonly lkIterations: number;
  /** Forward-backward error above which a point is discarded, in px (> 0). Default 1.5. */
  readonly fbMaxPx: number;
  /** A track is lost when fewer points survive the checks, 1..500. Default 4. */
  readonly minSurvivors: number;
  /** A track is lost when the median deviation of point displacements from the median exceeds this, px (> 0). Default 8. */
  readonly maxDisplacementSpreadPx: number;
  /** A track is lost when its per-step scale change leaves [1/maxScaleStep, maxScaleStep], > 1. Default 1.5. */
  readonly maxScaleStep: number;
  /** A track judged occluded (its motion matched an overlapping track's instead of its own) coasts on its velocity for at most this many frames, in state lost, while flow tries to re-acquire it, ≥ 0. Default 10. */
  readonly maxCoastFrames: number;
  /** Tracks are removed once they have gone this many frames without a matched detection, ≥ 0. Default 90. */
  readonly maxAge: number;
  /** Tracks are removed after this many consecutive corrections that did not match them, ≥ 1. Default 2. */
  readonly maxMisses: number;
  /** Minimum IoU for a detection to match a track, in (0, 1]. Default 0.3. */
  readonly matchIou: number;
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
  maxSide: 384,
  maxPointsPerTrack: 20,
  minPointsPerTrack: 10,
  sampleInset: 0.1,
  estimateScale: true,
  resampleEvery: 4,
  featureQuality: 0.01,
  winSize: 11,
  maxLevel: 2,
  lkIterations: 20,
  fbMaxPx: 1.5,
  minSurvivors: 4,
  maxDisplacementSpreadPx: 8,
  maxScaleStep: 1.5,
  maxCoastFrames: 10,
  maxAge: 90,
  maxMisses: 2,
  matchIou: 0.3,
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
  int(o, 'maxPointsPerTrack', 4, 500);
  int(o, 'minPointsPerTrack', 4, 500);
  if (o.minPointsPerTrack > o.maxPointsPerTrack) fail('minPointsPerTrack', `≤ maxPointsPerTrack (${o.maxPointsPerTrack})`, o.minPointsPerTrack);
  if (!num(o.sampleInset) || o.sampleInset < 0 || o.sampleInset > 0.4) fail('sampleInset', 'a number in [0, 0.4]', o.sampleInset);
  if (typeof o.estimateScale !== 'boolean') fail('estimateScale', 'a boolean', o.estimateScale);
  int(o, 'resampleEvery', 1);
  openClosed(o, 'featureQuality', 0, 1, false);
  int(o, 'winSize', 5, 51);
  if (o.winSize % 2 === 0) fail('winSize', 'an odd integer', o.winSize);
  int(o, 'maxLevel', 0, 6);
  int(o, 'lkIterations', 1, 100);
  openClosed(o, 'fbMaxPx', 0, Infinity, false);
  int(o, 'minSurvivors', 1, 500);
  openClosed(o, 'maxDisplacementSpreadPx', 0, Infinity, false);
  openClosed(o, 'maxScaleStep', 1, Infinity, false);
  int(o, 'maxCoastFrames', 0);
  int(o, 'maxAge', 0);
  int(o, 'maxMisses', 1);
  openClosed(o, 'matchIou', 0, 1, true);
  openClosed(o, 'confidenceDecay', 0, 1, true);
  int(o, 'bufferFrames', 2);
  int(o, 'bufferBytes', 1);
  return Object.freeze(o);
}
