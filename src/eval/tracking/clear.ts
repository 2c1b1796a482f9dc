import { maxWeightAssignment } from './assignment.js';
import type { TrackingSequence } from './sequence.js';

/** CLEAR-MOT metrics (Bernardin & Stiefelhagen 2008) as TrackEval computes them, at IoU 0.5. */
export interface ClearMetrics {
  /** 1 − (FN + FP + IDSW) / gt boxes; may be negative. 0 gt boxes count as 1 (TrackEval's max(1, ·)). */
  readonly mota: number;
  /** Mean IoU of the matched pairs (higher is better, TrackEval convention). */
  readonly motp: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  /** Identity switches: a gt object matched to a different tracker id than at its last match. */
  readonly idsw: number;
  /** Fragmentations: times a gt trajectory resumes being tracked after an interruption. */
  readonly frag: number;
  /** Mostly tracked: gt objects matched on more than 80 % of their frames. */
  readonly mt: number;
  /** Partially tracked: matched on 20–80 % of their frames. */
  readonly pt: number;
  /** Mostly lost: matched on less than 20 % of their frames. */
  readonly ml: number;
  /** Ground-truth identities. */
  readonly gtIds: number;
}

/** IoU threshold of CLEAR-MOT and IDF1 matches. */
export const CLEAR_IOU_THRESHOLD = 0.5;
const EPS = 2.220446049250313e-16;
/** Bonus that makes last frame's pairs win (CLEAR's continuity rule). */
const CONTINUITY_BONUS = 1000;

/**
 * CLEAR-MOT over one sequence, following TrackEval's `CLEAR.eval_sequence`: per frame, a Hungarian
 * assignment maximising IoU among pairs with IoU ≥ 0.5, where the pairs matched on the previous
 * frame with both sides present win first (continuity rule). Frames without ground truth or without
 * tracker boxes keep the previous frame's pairs for that rule. Pure.
 */
export function evaluateClear(seq: TrackingSequence): ClearMetrics {
  const nG = seq.gtIdCount;
  const gtIdCount = new Float64Array(nG);
  const gtMatchedCount = new Float64Array(nG);
  const gtFragCount = new Float64Array(nG);
  const prevTracker = new Float64Array(nG).fill(Number.NaN);
  const prevStepTracker = new Float64Array(nG).fill(Number.NaN);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let idsw = 0;
  let motpSum = 0;
  for (const fr of seq.frames) {
    const g = fr.gtIds.length;
    const t = fr.trackerIds.length;
    if (g === 0) {
      fp += t;
      continue;
    }
    for (const id of fr.gtIds) gtIdCount[id]++;
    if (t === 0) {
      fn += g;
      continue;
    }
    const score = new Float64Array(g * t);
    for (let i = 0; i < g; i++) {
      const prev = prevStepTracker[fr.gtIds[i]];
      for (let j = 0; j < t; j++) {
        const sim = fr.similarity[i * t + j];
        score[i * t + j] = sim < CLEAR_IOU_THRESHOLD - EPS ? 0 : (prev === fr.trackerIds[j] ? CONTINUITY_BONUS : 0) + sim;
      }
    }
    const matches = maxWeightAssignment(score, g, t).filter((m) => score[m.row * t + m.col] > EPS);
    const notPrevTracked = prevStepTracker.map((v) => (Number.isNaN(v) ? 1 : 0));
    for (const m of matches) {
      const gid = fr.gtIds[m.row];
      const tid = fr.trackerIds[m.col];
      if (!Number.isNaN(prevTracker[gid]) && prevTracker[gid] !== tid) idsw++;
      gtMatchedCount[gid]++;
      motpSum += fr.similarity[m.row * t + m.col];
    }
    prevStepTracker.fill(Number.NaN);
    for (const m of matches) {
      const gid = fr.gtIds[m.row];
      prevTracker[gid] = fr.trackerIds[m.col];
      prevStepTracker[gid] = fr.trackerIds[m.col];
      if (notPrevTracked[gid]) gtFragCount[gid]++;
    }
    tp += matches.length;
    fn += g - matches.length;
    fp += t - matches.length;
  }
  let mt = 0;
  let pt = 0;
  let frag = 0;
  for (let k = 0; k < nG; k++) {
    if (gtFragCount[k] > 0) frag += gtFragCount[k] - 1;
    if (gtIdCount[k] === 0) continue;
    const ratio = gtMatchedCount[k] / gtIdCount[k];
    if (ratio > 0.8) mt++;
    else if (ratio >= 0.2) pt++;
  }
  return Object.freeze({
    mota: (tp - fp - idsw) / Math.max(1, tp + fn),
    motp: motpSum / Math.max(1, tp),
    tp,
    fp,
    fn,
    idsw,
    frag,
    mt,
    pt,
    ml: nG - mt - pt,
    gtIds: nG,
  });
}
