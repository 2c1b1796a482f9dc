import { maxWeightAssignment } from './assignment.js';
import { CLEAR_IOU_THRESHOLD } from './clear.js';
import type { TrackingSequence } from './sequence.js';

/** Identity metrics (Ristani et al. 2016): one global one-to-one mapping of gt to tracker identities. */
export interface IdentityMetrics {
  /** 2·IDTP / (2·IDTP + IDFP + IDFN). */
  readonly idf1: number;
  /** Identity precision IDTP / (IDTP + IDFP). */
  readonly idp: number;
  /** Identity recall IDTP / (IDTP + IDFN). */
  readonly idr: number;
  readonly idtp: number;
  readonly idfp: number;
  readonly idfn: number;
}

/**
 * IDF1, IDP and IDR as TrackEval's `Identity` computes them: a (gt id, tracker id) pair scores one
 * per frame where both are present with IoU ≥ 0.5; the identity mapping maximises the summed score
 * (Hungarian); IDTP is that maximum, IDFN = gt boxes − IDTP and IDFP = tracker boxes − IDTP. Pure.
 */
export function evaluateIdentity(seq: TrackingSequence): IdentityMetrics {
  const nG = seq.gtIdCount;
  const nT = seq.trackerIdCount;
  const potential = new Float64Array(nG * nT);
  for (const fr of seq.frames) {
    const t = fr.trackerIds.length;
    for (let i = 0; i < fr.gtIds.length; i++) {
      for (let j = 0; j < t; j++) {
        if (fr.similarity[i * t + j] >= CLEAR_IOU_THRESHOLD) potential[fr.gtIds[i] * nT + fr.trackerIds[j]]++;
      }
    }
  }
  let idtp = 0;
  for (const m of maxWeightAssignment(potential, nG, nT)) idtp += potential[m.row * nT + m.col];
  const idfn = seq.gtDets - idtp;
  const idfp = seq.trackerDets - idtp;
  return Object.freeze({
    idf1: idtp / Math.max(1, idtp + 0.5 * idfp + 0.5 * idfn),
    idp: idtp / Math.max(1, idtp + idfp),
    idr: idtp / Math.max(1, idtp + idfn),
    idtp,
    idfp,
    idfn,
  });
}
