import { type Box, iou } from '../core/index.js';

/** One scored prediction in a frame. */
export interface ScoredPrediction {
  readonly box: Box;
  readonly score: number;
}

/** Result of {@link averagePrecision}. */
export interface ApResult {
  /** VOC-style AP (area under the monotone precision envelope, all recall points). */
  readonly ap: number;
  readonly groundTruth: number;
  /** Ranked predictions (those on ignore regions excluded). */
  readonly predictions: number;
  /** Recall and precision at score ≥ `scoreAt` (default 0.4). */
  readonly recallAt: number;
  readonly precisionAt: number;
}

/**
 * Single-class average precision at one IoU threshold, VOC 2010+ style: predictions of all frames are
 * ranked by score; each is a true positive when its best-IoU unmatched ground-truth box in the same frame
 * has IoU ≥ `iouThreshold`. AP is the area under the precision–recall curve after making precision
 * monotonically non-increasing. Frames are keyed by any number (e.g. the MOT frame). A prediction
 * that matches no ground truth but overlaps an `ignore` box (MOT gt rows flagged 0) by IoU ≥ the
 * threshold is neither a true nor a false positive: it is left out of the ranking.
 */
export function averagePrecision(
  groundTruth: ReadonlyMap<number, readonly Box[]>,
  predictions: ReadonlyMap<number, readonly ScoredPrediction[]>,
  iouThreshold = 0.5,
  scoreAt = 0.4,
  ignore: ReadonlyMap<number, readonly Box[]> = new Map(),
): ApResult {
  const all: { frame: number; p: ScoredPrediction }[] = [];
  for (const [frame, ps] of predictions) for (const p of ps) all.push({ frame, p });
  all.sort((a, b) => b.p.score - a.p.score);
  let total = 0;
  for (const g of groundTruth.values()) total += g.length;
  const used = new Map<number, Uint8Array>();
  const tp = new Uint8Array(all.length);
  const skip = new Uint8Array(all.length);
  all.forEach(({ frame, p }, k) => {
    const gts = groundTruth.get(frame) ?? [];
    let flags = used.get(frame);
    if (!flags) used.set(frame, (flags = new Uint8Array(gts.length)));
    let best = -1;
    let bestIou = iouThreshold;
    for (let j = 0; j < gts.length; j++) {
      if (flags[j]) continue;
      const v = iou(p.box, gts[j]);
      if (v >= bestIou) {
        bestIou = v;
        best = j;
      }
    }
    if (best >= 0) {
      flags[best] = 1;
      tp[k] = 1;
    } else if ((ignore.get(frame) ?? []).some((g) => iou(p.box, g) >= iouThreshold)) {
      skip[k] = 1;
    }
  });
  const recall: number[] = [];
  const precision: number[] = [];
  let cum = 0;
  let recallAt = 0;
  let precisionAt = 0;
  let ranked = 0;
  for (let k = 0; k < all.length; k++) {
    if (skip[k]) continue;
    cum += tp[k];
    ranked++;
    recall.push(total ? cum / total : 0);
    precision.push(cum / ranked);
    if (all[k].p.score >= scoreAt) {
      recallAt = recall[recall.length - 1];
      precisionAt = precision[precision.length - 1];
    }
  }
  for (let k = precision.length - 2; k >= 0; k--) precision[k] = Math.max(precision[k], precision[k + 1]);
  let ap = 0;
  let prev = 0;
  for (let k = 0; k < recall.length; k++) {
    ap += (recall[k] - prev) * precision[k];
    prev = recall[k];
  }
  return { ap, groundTruth: total, predictions: all.length - skip.reduce((a, v) => a + v, 0), recallAt, precisionAt };
}
