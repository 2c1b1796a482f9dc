import { ValidationError, describeValue, requireInRange, requireInteger } from '../core/index.js';
import { matchFrame } from './match.js';
import { COCO_IOU_THRESHOLDS } from './thresholds.js';
import type { GroundTruth, GroundTruthBox, Predictions, ScoredBox } from './types.js';

/** Options of {@link evaluateDetections}; every field has a default. */
export interface EvaluateOptions {
  /**
   * Frames to evaluate: a count N (frames 0..N−1, e.g. every output frame of a run) or explicit 0-based
   * indices. Ground truth and predictions on other frames are ignored. Default: the union of the frames
   * present in `groundTruth` and `predictions`. Frames without ground truth only add false positives.
   */
  readonly frames?: number | Iterable<number>;
  /** Classes to evaluate. Default: the classes present in the evaluated ground truth (pycocotools' catIds). Predictions of other classes are ignored. */
  readonly classes?: readonly number[];
  /** Predictions kept per frame and class, highest scores first (pycocotools `maxDets`). Default 100. */
  readonly maxDets?: number;
  /** IoU thresholds for mAR. Default COCO 0.50:0.05:0.95. */
  readonly iouThresholds?: readonly number[];
  /** IoU threshold for AR50, precision, recall and F1. Default 0.5. */
  readonly matchIou?: number;
  /** Predictions with score below this are dropped for precision/recall/F1 only (never for mAR/AR50). Default 0. */
  readonly scoreThreshold?: number;
}

/** Documented defaults of {@link EvaluateOptions}. */
export const EVALUATE_DEFAULTS = Object.freeze({
  maxDets: 100,
  iouThresholds: COCO_IOU_THRESHOLDS,
  matchIou: 0.5,
  scoreThreshold: 0,
});

/** Metrics of one class. Ratios are NaN when undefined (no ground truth, or no predictions for precision). */
export interface ClassMetrics {
  readonly classId: number;
  /** Ground-truth boxes of this class over the evaluated frames. */
  readonly gtCount: number;
  /** Predictions of this class over the evaluated frames (before maxDets and score threshold). */
  readonly predCount: number;
  /** Average recall over `iouThresholds` (COCO AR@maxDets). */
  readonly ar: number;
  /** Recall at `matchIou` with all predictions (maxDets applied, no score threshold). */
  readonly ar50: number;
  /** Recall at each IoU threshold, same order as `iouThresholds`. */
  readonly recallAtIou: readonly number[];
  /** At `matchIou` with the score threshold: matched predictions. */
  readonly tp: number;
  /** Unmatched predictions (duplicates included). */
  readonly fp: number;
  /** Unmatched ground truth. */
  readonly fn: number;
  /** tp / (tp + fp). */
  readonly precision: number;
  /** tp / (tp + fn). */
  readonly recall: number;
  /** 2·tp / (2·tp + fp + fn). */
  readonly f1: number;
}

/** Result of {@link evaluateDetections}. */
export interface DetectionMetrics {
  /** Mean over classes with ground truth of the class AR (COCO mAR@100 with area "all"). NaN when no class has ground truth. */
  readonly mar: number;
  /** Mean over classes with ground truth of recall at `matchIou`. */
  readonly ar50: number;
  /** Pooled (micro-averaged) over evaluated classes, at `matchIou` with the score threshold. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly gtCount: number;
  readonly predCount: number;
  /** Number of evaluated frames. */
  readonly frames: number;
  readonly perClass: readonly ClassMetrics[];
  readonly iouThresholds: readonly number[];
  readonly maxDets: number;
  readonly matchIou: number;
  readonly scoreThreshold: number;
}

/** Resolved options shared by the metric functions. */
export interface ResolvedEvalOptions {
  readonly frames: readonly number[];
  readonly classes: readonly number[];
  readonly maxDets: number;
  readonly iouThresholds: readonly number[];
  readonly matchIou: number;
  readonly scoreThreshold: number;
}

/** Validates options and resolves frames and classes (shared with the per-frame series). */
export function resolveEvalOptions(gt: GroundTruth, preds: Predictions, options: EvaluateOptions = {}): ResolvedEvalOptions {
  const o = { ...EVALUATE_DEFAULTS, ...options };
  requireInteger(o.maxDets, 'maxDets', 1);
  requireInRange(o.matchIou, 'matchIou', 0, 1);
  requireInRange(o.scoreThreshold, 'scoreThreshold', 0, 1);
  if (!Array.isArray(o.iouThresholds) || o.iouThresholds.length === 0) {
    throw new ValidationError(`iouThresholds: expected a non-empty array, got ${describeValue(o.iouThresholds)}`);
  }
  o.iouThresholds.forEach((t, i) => requireInRange(t, `iouThresholds[${i}]`, 0, 1));
  let frames: number[];
  if (o.frames === undefined) {
    frames = [...new Set([...gt.keys(), ...preds.keys()])];
  } else if (typeof o.frames === 'number') {
    requireInteger(o.frames, 'frames', 0);
    frames = Array.from({ length: o.frames }, (_, i) => i);
  } else {
    frames = [...new Set(o.frames)];
    frames.forEach((f, i) => requireInteger(f, `frames[${i}]`, 0));
  }
  frames.sort((a, b) => a - b);
  let classes: number[];
  if (o.classes) {
    o.classes.forEach((c, i) => requireInteger(c, `classes[${i}]`, 0));
    classes = [...new Set(o.classes)];
  } else {
    const seen = new Set<number>();
    for (const f of frames) for (const g of gt.get(f) ?? []) seen.add(g.classId);
    classes = [...seen];
  }
  classes.sort((a, b) => a - b);
  for (const f of frames) {
    (gt.get(f) ?? []).forEach((g, i) => checkGt(g, `groundTruth[frame ${f}][${i}]`));
    (preds.get(f) ?? []).forEach((p, i) => checkPred(p, `predictions[frame ${f}][${i}]`));
  }
  return { frames, classes, maxDets: o.maxDets, iouThresholds: o.iouThresholds, matchIou: o.matchIou, scoreThreshold: o.scoreThreshold };
}

function checkGt(g: GroundTruthBox, field: string): void {
  if (!g || typeof g !== 'object' || !g.box) throw new ValidationError(`${field}: expected {box, classId}, got ${describeValue(g)}`, { field });
  requireInteger(g.classId, `${field}.classId`, 0);
}

function checkPred(p: ScoredBox, field: string): void {
  if (!p || typeof p !== 'object' || !p.box) throw new ValidationError(`${field}: expected {box, score, classId}, got ${describeValue(p)}`, { field });
  if (typeof p.score !== 'number' || !Number.isFinite(p.score)) {
    throw new ValidationError(`${field}.score: expected a finite number, got ${describeValue(p.score)}`, { field });
  }
  requireInteger(p.classId, `${field}.classId`, 0);
}

const ratio = (num: number, den: number): number => (den > 0 ? num / den : Number.NaN);
const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

/**
 * COCO-style detection metrics over every evaluated frame, per class and overall (see docs/metrics.md):
 * mAR (average recall over IoU 0.50:0.05:0.95, maxDets per frame and class), AR50, and precision /
 * recall / F1 at IoU 0.5 with an optional score threshold. Pure: same inputs, same numbers.
 */
export function evaluateDetections(groundTruth: GroundTruth, predictions: Predictions, options: EvaluateOptions = {}): DetectionMetrics {
  const o = resolveEvalOptions(groundTruth, predictions, options);
  const T = o.iouThresholds.length;
  const perClass: ClassMetrics[] = [];
  for (const c of o.classes) {
    let gtCount = 0;
    let predCount = 0;
    const matchedAt = new Array<number>(T).fill(0);
    let matched50 = 0;
    let tp = 0;
    let fp = 0;
    for (const f of o.frames) {
      const gts = (groundTruth.get(f) ?? []).filter((g) => g.classId === c);
      const ps = (predictions.get(f) ?? []).filter((p) => p.classId === c);
      gtCount += gts.length;
      predCount += ps.length;
      if (ps.length === 0) continue;
      const all = matchFrame(gts, ps, [...o.iouThresholds, o.matchIou], o.maxDets);
      for (let t = 0; t < T; t++) matchedAt[t] += all.matchedGt[t];
      matched50 += all.matchedGt[T];
      const sure = o.scoreThreshold > 0 ? ps.filter((p) => p.score >= o.scoreThreshold) : ps;
      const m = sure === ps ? { matched: all.matchedGt[T], kept: all.kept.length } : (() => {
        const r = matchFrame(gts, sure, [o.matchIou], o.maxDets);
        return { matched: r.matchedGt[0], kept: r.kept.length };
      })();
      tp += m.matched;
      fp += m.kept - m.matched;
    }
    const recallAtIou = matchedAt.map((m) => ratio(m, gtCount));
    perClass.push({
      classId: c,
      gtCount,
      predCount,
      ar: gtCount > 0 ? mean(recallAtIou) : Number.NaN,
      ar50: ratio(matched50, gtCount),
      recallAtIou,
      tp,
      fp,
      fn: gtCount - tp,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, gtCount),
      f1: ratio(2 * tp, 2 * tp + fp + (gtCount - tp)),
    });
  }
  const withGt = perClass.filter((c) => c.gtCount > 0);
  const tp = sum(perClass.map((c) => c.tp));
  const fp = sum(perClass.map((c) => c.fp));
  const fn = sum(perClass.map((c) => c.fn));
  return {
    mar: mean(withGt.map((c) => c.ar)),
    ar50: mean(withGt.map((c) => c.ar50)),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    tp,
    fp,
    fn,
    gtCount: sum(perClass.map((c) => c.gtCount)),
    predCount: sum(perClass.map((c) => c.predCount)),
    frames: o.frames.length,
    perClass,
    iouThresholds: o.iouThresholds,
    maxDets: o.maxDets,
    matchIou: o.matchIou,
    scoreThreshold: o.scoreThreshold,
  };
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
