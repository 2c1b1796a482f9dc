import type { Box } from '../core/index.js';

/** One ground-truth object on one frame. `id` is the MOT identity when known (not used by the metrics). */
export interface GroundTruthBox {
  readonly box: Box;
  /** 0-based COCO class id (0 = person). */
  readonly classId: number;
  readonly id?: number;
}

/**
 * One prediction on one frame: a detection, or a track converted by {@link tracksToPredictions}.
 * `score` only orders predictions (maxDets truncation, matching order) and feeds the optional score
 * threshold of precision/F1.
 */
export interface ScoredBox {
  readonly box: Box;
  readonly score: number;
  readonly classId: number;
}

/** Ground truth keyed by 0-based frame index (MOT frame n+1 ↔ video frame n). */
export type GroundTruth = ReadonlyMap<number, readonly GroundTruthBox[]>;

/** Predictions keyed by 0-based frame index. */
export type Predictions = ReadonlyMap<number, readonly ScoredBox[]>;
