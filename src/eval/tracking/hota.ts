import { maxWeightAssignment } from './assignment.js';
import type { TrackingSequence } from './sequence.js';

/** HOTA (Luiten et al., IJCV 2021) averaged over the localisation thresholds α. */
export interface HotaMetrics {
  /** √(DetA · AssA), mean over α. */
  readonly hota: number;
  /** Detection accuracy TP / (TP + FN + FP), mean over α. */
  readonly detA: number;
  /** Association accuracy, mean over α. */
  readonly assA: number;
  /** Localisation accuracy: mean IoU of matched pairs, mean over α. */
  readonly locA: number;
  readonly detRe: number;
  readonly detPr: number;
  readonly assRe: number;
  readonly assPr: number;
  /** HOTA at each α of {@link HOTA_ALPHAS}. */
  readonly hotaAtAlpha: readonly number[];
}

/** α = 0.05, 0.10, …, 0.95, bit-identical to numpy's `np.arange(0.05, 0.99, 0.05)` used by TrackEval. */
export const HOTA_ALPHAS: readonly number[] = Object.freeze(Array.from({ length: 19 }, (_, i) => 0.05 + i * 0.05));
const EPS = 2.220446049250313e-16;

/**
 * HOTA, DetA, AssA and LocA following TrackEval's `HOTA.eval_sequence`: a global alignment score per
 * (gt id, tracker id) pair weights each frame's IoU, one Hungarian assignment per frame maximises the
 * weighted IoU, and every α keeps the pairs with IoU ≥ α. Pure.
 */
export function evaluateHota(seq: TrackingSequence): HotaMetrics {
  const A = HOTA_ALPHAS.length;
  const nG = seq.gtIdCount;
  const nT = seq.trackerIdCount;
  const tpA = new Float64Array(A);
  const fnA = new Float64Array(A);
  const fpA = new Float64Array(A);
  const locSum = new Float64Array(A);
  const assA = new Float64Array(A);
  const assRe = new Float64Array(A);
  const assPr = new Float64Array(A);
  if (seq.trackerDets === 0 || seq.gtDets === 0) {
    fnA.fill(seq.gtDets);
    fpA.fill(seq.trackerDets);
    return finish(tpA, fnA, fpA, new Float64Array(A).fill(1), assA, assRe, assPr);
  }
  const gtCount = new Float64Array(nG);
  const trCount = new Float64Array(nT);
  const potential = new Float64Array(nG * nT);
  for (const fr of seq.frames) {
    const g = fr.gtIds.length;
    const t = fr.trackerIds.length;
    const rowSum = new Float64Array(g);
    const colSum = new Float64Array(t);
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < t; j++) {
        rowSum[i] += fr.similarity[i * t + j];
        colSum[j] += fr.similarity[i * t + j];
      }
    }
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < t; j++) {
        const s = fr.similarity[i * t + j];
        const denom = colSum[j] + rowSum[i] - s;
        if (denom > EPS) potential[fr.gtIds[i] * nT + fr.trackerIds[j]] += s / denom;
      }
    }
    for (const id of fr.gtIds) gtCount[id]++;
    for (const id of fr.trackerIds) trCount[id]++;
  }
  const align = new Float64Array(nG * nT);
  for (let a = 0; a < nG; a++) {
    for (let b = 0; b < nT; b++) {
      const k = a * nT + b;
      align[k] = potential[k] / (gtCount[a] + trCount[b] - potential[k]);
    }
  }
  const matches = HOTA_ALPHAS.map(() => new Float64Array(nG * nT));
  for (const fr of seq.frames) {
    const g = fr.gtIds.length;
    const t = fr.trackerIds.length;
    if (g === 0 || t === 0) {
      for (let a = 0; a < A; a++) {
        fpA[a] += t;
        fnA[a] += g;
      }
      continue;
    }
    const score = new Float64Array(g * t);
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < t; j++) score[i * t + j] = align[fr.gtIds[i] * nT + fr.trackerIds[j]] * fr.similarity[i * t + j];
    }
    const pairs = maxWeightAssignment(score, g, t);
    for (let a = 0; a < A; a++) {
      let n = 0;
      for (const m of pairs) {
        const s = fr.similarity[m.row * t + m.col];
        if (s < HOTA_ALPHAS[a] - EPS) continue;
        n++;
        locSum[a] += s;
        matches[a][fr.gtIds[m.row] * nT + fr.trackerIds[m.col]]++;
      }
      tpA[a] += n;
      fnA[a] += g - n;
      fpA[a] += t - n;
    }
  }
  for (let a = 0; a < A; a++) {
    const mc = matches[a];
    let sA = 0;
    let sRe = 0;
    let sPr = 0;
    for (let x = 0; x < nG; x++) {
      for (let y = 0; y < nT; y++) {
        const c = mc[x * nT + y];
        if (c === 0) continue;
        sA += (c * c) / Math.max(1, gtCount[x] + trCount[y] - c);
        sRe += (c * c) / Math.max(1, gtCount[x]);
        sPr += (c * c) / Math.max(1, trCount[y]);
      }
    }
    const denom = Math.max(1, tpA[a]);
    assA[a] = sA / denom;
    assRe[a] = sRe / denom;
    assPr[a] = sPr / denom;
  }
  const locA = locSum.map((s, a) => Math.max(1e-10, s) / Math.max(1e-10, tpA[a]));
  return finish(tpA, fnA, fpA, locA, assA, assRe, assPr);
}

function finish(
  tp: Float64Array, fn: Float64Array, fp: Float64Array, locA: Float64Array,
  assA: Float64Array, assRe: Float64Array, assPr: Float64Array,
): HotaMetrics {
  const detA = tp.map((v, a) => v / Math.max(1, v + fn[a] + fp[a]));
  const detRe = tp.map((v, a) => v / Math.max(1, v + fn[a]));
  const detPr = tp.map((v, a) => v / Math.max(1, v + fp[a]));
  const hota = detA.map((d, a) => Math.sqrt(d * assA[a]));
  const mean = (xs: Float64Array): number => xs.reduce((s, v) => s + v, 0) / xs.length;
  return Object.freeze({
    hota: mean(hota),
    detA: mean(detA),
    assA: mean(assA),
    locA: mean(locA),
    detRe: mean(detRe),
    detPr: mean(detPr),
    assRe: mean(assRe),
    assPr: mean(assPr),
    hotaAtAlpha: Object.freeze([...hota]),
  });
}
