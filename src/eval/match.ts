import { type Box, iou } from '../core/index.js';

/** Result of matching one frame's predictions of one class against its ground truth. */
export interface FrameMatch {
  /** Indices (into the input `predictions`) of the predictions kept after sorting by score and maxDets truncation, in matching order. */
  readonly kept: readonly number[];
  /**
   * For each IoU threshold, for each kept prediction (same order as `kept`): the index of the ground-truth
   * box it matched, or -1 (a false positive at that threshold).
   */
  readonly predToGt: readonly Int32Array[];
  /** For each IoU threshold: how many ground-truth boxes were matched. */
  readonly matchedGt: readonly number[];
}

/**
 * Matches one frame (one class) the way pycocotools' `COCOeval.evaluateImg` does, without crowd or
 * ignore flags:
 * 1. predictions are sorted by score, descending, stably (ties keep input order), and cut to `maxDets`;
 * 2. for each IoU threshold `t`, each prediction in that order takes the still-unmatched ground-truth
 *    box with the highest IoU ≥ min(t, 1 − 1e-10) (on equal IoU the later ground-truth box wins, as in
 *    pycocotools); a prediction that finds none is a false positive;
 * 3. a ground-truth box is matched at most once, so a second prediction on it (a duplicate) is a false
 *    positive and does not raise recall.
 */
export function matchFrame(
  groundTruth: readonly { readonly box: Box }[],
  predictions: readonly { readonly box: Box; readonly score: number }[],
  iouThresholds: readonly number[],
  maxDets: number,
): FrameMatch {
  const order = predictions.map((_, i) => i);
  order.sort((a, b) => predictions[b].score - predictions[a].score);
  const kept = order.slice(0, maxDets);
  const nG = groundTruth.length;
  const ious = new Float64Array(kept.length * nG);
  for (let d = 0; d < kept.length; d++) {
    const pb = predictions[kept[d]].box;
    for (let g = 0; g < nG; g++) ious[d * nG + g] = iou(pb, groundTruth[g].box);
  }
  const predToGt: Int32Array[] = [];
  const matchedGt: number[] = [];
  for (const t of iouThresholds) {
    const gtUsed = new Uint8Array(nG);
    const assign = new Int32Array(kept.length).fill(-1);
    let matched = 0;
    for (let d = 0; d < kept.length; d++) {
      let best = Math.min(t, 1 - 1e-10);
      let m = -1;
      for (let g = 0; g < nG; g++) {
        if (gtUsed[g]) continue;
        const v = ious[d * nG + g];
        if (v < best) continue;
        best = v;
        m = g;
      }
      if (m === -1) continue;
      gtUsed[m] = 1;
      assign[d] = m;
      matched++;
    }
    predToGt.push(assign);
    matchedGt.push(matched);
  }
  return { kept, predToGt, matchedGt };
}
