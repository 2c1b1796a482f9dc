import { matchFrame } from './match.js';
import { type EvaluateOptions, resolveEvalOptions } from './metrics.js';
import type { GroundTruth, Predictions } from './types.js';

/** Recall of one frame, pooled over the evaluated classes. */
export interface FrameRecall {
  /** 0-based frame index. */
  readonly frame: number;
  readonly gtCount: number;
  /** Ground-truth boxes matched at `matchIou` (default 0.5). */
  readonly matched: number;
  /** matched / gtCount; NaN on frames without ground truth. */
  readonly recall: number;
  /** Mean over the IoU thresholds of the frame's recall; NaN on frames without ground truth. */
  readonly ar: number;
}

/**
 * Per-frame recall series for plots (recall vs time, around offloads). Same matching, frames, classes,
 * maxDets and thresholds as {@link evaluateDetections}; the score threshold is not applied.
 */
export function frameRecallSeries(groundTruth: GroundTruth, predictions: Predictions, options: EvaluateOptions = {}): FrameRecall[] {
  const o = resolveEvalOptions(groundTruth, predictions, options);
  const T = o.iouThresholds.length;
  const out: FrameRecall[] = [];
  for (const f of o.frames) {
    let gtCount = 0;
    let matched = 0;
    const matchedAt = new Array<number>(T).fill(0);
    for (const c of o.classes) {
      const gts = (groundTruth.get(f) ?? []).filter((g) => g.classId === c);
      const ps = (predictions.get(f) ?? []).filter((p) => p.classId === c);
      gtCount += gts.length;
      if (gts.length === 0 || ps.length === 0) continue;
      const m = matchFrame(gts, ps, [...o.iouThresholds, o.matchIou], o.maxDets);
      for (let t = 0; t < T; t++) matchedAt[t] += m.matchedGt[t];
      matched += m.matchedGt[T];
    }
    const recall = gtCount > 0 ? matched / gtCount : Number.NaN;
    const ar = gtCount > 0 ? matchedAt.reduce((a, b) => a + b, 0) / (T * gtCount) : Number.NaN;
    out.push({ frame: f, gtCount, matched, recall, ar });
  }
  return out;
}
