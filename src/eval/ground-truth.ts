import { readFileSync } from 'node:fs';
import { type Detection, type MotRow, type Track, ValidationError, parseMot, requireInRange, requireInteger } from '../core/index.js';
import type { GroundTruthBox, ScoredBox } from './types.js';

/** Options of {@link motRowsToGroundTruth} / {@link loadMotGroundTruth}. */
export interface MotGroundTruthOptions {
  /** COCO class id given to every box (MOT ground truth of pedestrians: 0 = person). Default 0. */
  readonly classId?: number;
  /** Drop rows whose column 7 ("consider" flag) is 0. Default true. */
  readonly onlyConsidered?: boolean;
  /**
   * MOT17-style files only: keep rows whose column 8 (MOT class) is in this list (e.g. [1] pedestrians).
   * Default: no filter (MOT15-style files such as PETS09-S2L1 store world coordinates there).
   */
  readonly motClasses?: readonly number[];
  /**
   * MOT17-style files only: drop rows whose column 9 (visibility in [0,1]) is below this. Throws when
   * the column does not hold visibilities. Default: no filter.
   */
  readonly minVisibility?: number;
}

/**
 * Converts MOT ground-truth rows (1-based frames) to {@link GroundTruth}-shaped map keyed by 0-based
 * frame: MOT frame n+1 ↔ video frame n.
 */
export function motRowsToGroundTruth(rows: readonly MotRow[], options: MotGroundTruthOptions = {}): Map<number, GroundTruthBox[]> {
  const o = { classId: 0, onlyConsidered: true, ...options };
  requireInteger(o.classId, 'classId', 0);
  if (o.minVisibility !== undefined) requireInRange(o.minVisibility, 'minVisibility', 0, 1);
  const out = new Map<number, GroundTruthBox[]>();
  for (const r of rows) {
    if (o.onlyConsidered && r.score === 0) continue;
    if (o.motClasses && !o.motClasses.includes(r.classOrX)) continue;
    if (o.minVisibility !== undefined) {
      if (!(r.visibilityOrY >= 0 && r.visibilityOrY <= 1)) {
        throw new ValidationError(
          `minVisibility: column 9 of frame ${r.frame} id ${r.id} is ${r.visibilityOrY}, not a visibility in [0, 1] (MOT15-style file? drop minVisibility)`,
          { frame: r.frame, id: r.id },
        );
      }
      if (r.visibilityOrY < o.minVisibility) continue;
    }
    const f = r.frame - 1;
    const list = out.get(f) ?? [];
    list.push(Object.freeze({ box: r.box, classId: o.classId, id: r.id }));
    out.set(f, list);
  }
  return out;
}

/** Reads and parses a MOT gt.txt file into 0-based-frame ground truth (see {@link motRowsToGroundTruth}). */
export function loadMotGroundTruth(path: string, options: MotGroundTruthOptions = {}): Map<number, GroundTruthBox[]> {
  return motRowsToGroundTruth(parseMot(readFileSync(path, 'utf8'), path), options);
}

/**
 * Converts MOT tracker-output rows (e.g. a run's tracks.txt) to predictions keyed by 0-based frame.
 * Score = column 7; class = `classId` (MOT results carry no class). Default class 0.
 */
export function motRowsToPredictions(rows: readonly MotRow[], classId = 0): Map<number, ScoredBox[]> {
  requireInteger(classId, 'classId', 0);
  const out = new Map<number, ScoredBox[]>();
  for (const r of rows) {
    const f = r.frame - 1;
    const list = out.get(f) ?? [];
    list.push(Object.freeze({ box: r.box, score: r.score, classId }));
    out.set(f, list);
  }
  return out;
}

/** Options of {@link tracksToPredictions}. */
export interface TracksToPredictionsOptions {
  /**
   * Which number becomes the prediction score: `score` (the last matched detection's score, default),
   * `confidence` (tracker confidence) or `product` (score × confidence).
   */
  readonly scoreFrom?: 'score' | 'confidence' | 'product';
  /** Keep tracks in state `lost`. Default false (lost tracks hold stale boxes). */
  readonly includeLost?: boolean;
}

/** Converts per-frame tracker output (0-based frame → tracks) to predictions. */
export function tracksToPredictions(
  tracksByFrame: ReadonlyMap<number, readonly Track[]>,
  options: TracksToPredictionsOptions = {},
): Map<number, ScoredBox[]> {
  const o = { scoreFrom: 'score' as const, includeLost: false, ...options };
  if (!['score', 'confidence', 'product'].includes(o.scoreFrom)) {
    throw new ValidationError(`scoreFrom: expected "score", "confidence" or "product", got ${JSON.stringify(o.scoreFrom)}`);
  }
  const out = new Map<number, ScoredBox[]>();
  for (const [f, tracks] of tracksByFrame) {
    const list: ScoredBox[] = [];
    for (const t of tracks) {
      if (!o.includeLost && t.state === 'lost') continue;
      const score = o.scoreFrom === 'score' ? t.score : o.scoreFrom === 'confidence' ? t.confidence : t.score * t.confidence;
      list.push(Object.freeze({ box: t.box, score, classId: t.classId }));
    }
    out.set(f, list);
  }
  return out;
}

/** Options of {@link oracleGroundTruth}. */
export interface OracleOptions {
  /** Detections with score below this are not ground truth. Default 0.4 (docs/metrics.md). */
  readonly minScore?: number;
  /** Keep only these classes. Default: all. */
  readonly classes?: readonly number[];
}

/**
 * The oracle ground truth: the detector's output on every frame at full quality (cached by the
 * pipeline), thresholded by score. Used when no human gt.txt exists; reports must say `oracle`.
 */
export function oracleGroundTruth(
  detectionsByFrame: ReadonlyMap<number, readonly Detection[]>,
  options: OracleOptions = {},
): Map<number, GroundTruthBox[]> {
  const o = { minScore: 0.4, ...options };
  requireInRange(o.minScore, 'minScore', 0, 1);
  const out = new Map<number, GroundTruthBox[]>();
  for (const [f, dets] of detectionsByFrame) {
    requireInteger(f, 'oracle frame', 0);
    out.set(f, dets
      .filter((d) => d.score >= o.minScore && (!o.classes || o.classes.includes(d.classId)))
      .map((d) => Object.freeze({ box: d.box, classId: d.classId })));
  }
  return out;
}
