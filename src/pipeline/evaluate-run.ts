import type { Track } from '../core/index.js';
import { type DetectionMetrics, type GroundTruth, evaluateDetections, loadMotGroundTruth, oracleGroundTruth, tracksToPredictions } from '../eval/index.js';
import { oracleDetections } from './oracle.js';

/** Ground truth for a run: human (MOT gt.txt) or the oracle detector. */
export interface RunGroundTruth {
  readonly kind: 'human' | 'oracle';
  readonly boxes: GroundTruth;
  /** Classes evaluated: person for MOT files; the oracle's classes otherwise. */
  readonly classes?: readonly number[];
}

/** Minimum oracle score that counts as ground truth. */
export const ORACLE_MIN_SCORE = 0.5;

/**
 * Loads the ground truth of a run: `gt` (MOT gt.txt, pedestrians = COCO person) when given, else the
 * oracle (the detector on every frame at full quality, cached; score ≥ 0.5).
 */
export async function loadRunGroundTruth(
  input: string,
  options: { gt?: string; model: string; frames: number; onProgress?: (done: number) => void },
): Promise<RunGroundTruth> {
  if (options.gt) return { kind: 'human', boxes: loadMotGroundTruth(options.gt, { classId: 0 }), classes: [0] };
  const dets = await oracleDetections(input, { model: options.model, frames: options.frames, onProgress: options.onProgress });
  return { kind: 'oracle', boxes: oracleGroundTruth(dets, { minScore: ORACLE_MIN_SCORE }) };
}

/** mAR, AR50, precision and F1 of a run's tracks (state `tracked`) over frames 0..frames−1. */
export function evaluateTracks(tracksByFrame: ReadonlyMap<number, readonly Track[]>, gt: RunGroundTruth, frames: number): DetectionMetrics {
  const predictions = tracksToPredictions(tracksByFrame);
  return evaluateDetections(gt.boxes, predictions, { frames, ...(gt.classes ? { classes: gt.classes } : {}) });
}
