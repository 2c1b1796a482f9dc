import { type Box, ValidationError, cocoLabel, formatClassList } from '../core/index.js';
import { type DetectionMetrics, evaluateDetections } from './metrics.js';
import { type TrackingMetrics, evaluateTracking } from './tracking/index.js';
import type { GroundTruthBox, ScoredBox } from './types.js';

/** Names of 0-based COCO ids. */
export function cocoLabelList(ids: readonly number[]): string[] {
  return ids.map(cocoLabel);
}

/** One box of a tracker's output: a track on one frame. `classId` undefined = the tracker gave no class. */
export interface TrackedPrediction {
  readonly box: Box;
  readonly id: number;
  readonly score: number;
  readonly classId?: number;
}

/** Detection and tracking metrics of one tracker output over the scored classes. */
export interface TrackScore {
  readonly detection: DetectionMetrics;
  /** Undefined when the ground truth has no identities (the oracle). */
  readonly tracking: TrackingMetrics | undefined;
  readonly classIds: readonly number[];
  /** Loud problems a person must see (e.g. no predicted box of the scored class). */
  readonly warnings: readonly string[];
}

/** Options of {@link scoreTracks}. */
export interface ScoreTracksOptions {
  /** Frames to score: a count N (0..N−1) or 0-based indices. Default: every frame of either input. */
  readonly frames?: number | Iterable<number>;
  /** Compute CLEAR-MOT/IDF1/HOTA (needs gt identities). Default: when every gt box has an id. */
  readonly tracking?: boolean;
}

/**
 * Scores a tracker output against ground truth on the scored classes `classIds`: COCO mAR/AR50/
 * precision/F1 (tracks as detections) and CLEAR-MOT, IDF1 and HOTA (class-aware: no match across
 * classes). Predictions without a class count as the scored class when there is exactly one (the
 * usual MOT result file); with several scored classes they are refused. Predictions of other classes
 * are ignored. Pure.
 */
export function scoreTracks(
  groundTruth: ReadonlyMap<number, readonly GroundTruthBox[]>,
  classIds: readonly number[],
  predictions: ReadonlyMap<number, readonly TrackedPrediction[]>,
  options: ScoreTracksOptions = {},
): TrackScore {
  if (classIds.length === 0) throw new ValidationError('classes: expected at least one scored class, got none');
  const scored = new Set(classIds);
  let unclassed = 0;
  const seenClasses = new Map<number, number>();
  const preds = new Map<number, TrackedPrediction[]>();
  for (const [f, list] of predictions) {
    const kept: TrackedPrediction[] = [];
    for (const p of list) {
      if (p.classId === undefined) {
        unclassed++;
        kept.push({ ...p, classId: classIds[0] });
        continue;
      }
      seenClasses.set(p.classId, (seenClasses.get(p.classId) ?? 0) + 1);
      if (scored.has(p.classId)) kept.push(p);
    }
    preds.set(f, kept);
  }
  if (unclassed > 0 && classIds.length > 1) {
    throw new ValidationError(`predictions: ${unclassed} boxes carry no class (column 8 = −1) but ${formatClassList(classIds)} are scored; score one class (--gt-class NAME)`);
  }
  const warnings: string[] = [];
  const inScored = [...seenClasses].filter(([c]) => scored.has(c)).reduce((s, [, n]) => s + n, 0) + unclassed;
  if (inScored === 0) {
    const other = [...seenClasses].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${cocoLabel(c)} ×${n}`).join(', ');
    warnings.push(`no predicted box has the scored class ${formatClassList(classIds)}: every ground-truth box is missed${other ? ` (predicted classes: ${other}; track them with --classes, or score another class with --gt-class)` : ' (no predicted box at all)'}`);
  }
  const gtFiltered = new Map<number, GroundTruthBox[]>();
  for (const [f, list] of groundTruth) gtFiltered.set(f, list.filter((g) => scored.has(g.classId)));
  const asScored = new Map<number, ScoredBox[]>();
  for (const [f, list] of preds) asScored.set(f, list.map((p) => ({ box: p.box, score: p.score, classId: p.classId! })));
  const frames = options.frames ?? [...new Set([...groundTruth.keys(), ...predictions.keys()])];
  const detection = evaluateDetections(gtFiltered, asScored, { frames, classes: classIds });
  const withIds = [...gtFiltered.values()].every((l) => l.every((g) => typeof g.id === 'number'));
  const tracking = (options.tracking ?? withIds) ? evaluateTracking(gtFiltered, preds, { frames }) : undefined;
  return Object.freeze({ detection, tracking, classIds: Object.freeze([...classIds]), warnings: Object.freeze(warnings) });
}
