/**
 * One object, several class labels: a detector's per-class non-maximum suppression keeps a box for
 * every class it half-believes, so one object can arrive as, say, a bird at 0.45 and a dog at 0.30
 * (NanoDet on DAVIS's black swan), or a car at 0.52 and a truck at 0.55 (a drifting car). Taken one
 * by one, each is too weak to start a track, or each starts its own track, and the object's class
 * flips from detection to detection.
 *
 * {@link fuseClassConfusions} turns every group of detections of different classes whose boxes
 * overlap by at least `minIou` into one detection: the strongest member's box and class, and the
 * noisy-or of the members' scores (the chance that at least one of them is right that an object is
 * there). The members' scores per class travel with it as {@link ClassEvidence}, and a track sums
 * them over its detections ({@link addEvidence}) and shows the class with the most
 * ({@link strongestClass}), so one odd label does not change what the track is.
 * Pure functions over immutable values.
 */
import { type Detection, iou, makeDetection } from '../core/index.js';

/** Score per class id. */
export type ClassEvidence = ReadonlyMap<number, number>;

/** A detection after fusion, with the per-class scores of the detections it stands for. */
export interface FusedDetection {
  readonly detection: Detection;
  readonly evidence: ClassEvidence;
}

/**
 * Fuses overlapping detections of different classes (see module doc). Detections of the same class
 * are never fused (the detector's NMS already separated them), and a detection joins the group of
 * the strongest detection it overlaps by `minIou` whose group has no member of its class yet. With
 * `minIou` > 1 nothing is fused. Deterministic: groups in descending score order (ties: input order).
 */
export function fuseClassConfusions(detections: readonly Detection[], minIou: number): FusedDetection[] {
  const order = detections.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i);
  const groups: { lead: Detection; members: Detection[] }[] = [];
  for (const { d } of order) {
    const group = minIou <= 1
      ? groups.find((g) => !g.members.some((m) => m.classId === d.classId) && iou(g.lead.box, d.box) >= minIou)
      : undefined;
    if (group) group.members.push(d);
    else groups.push({ lead: d, members: [d] });
  }
  return groups.map(({ lead, members }) => {
    const evidence = new Map<number, number>();
    for (const m of members) evidence.set(m.classId, m.score);
    if (members.length === 1) return { detection: lead, evidence };
    const miss = members.reduce((p, m) => p * (1 - m.score), 1);
    return { detection: makeDetection(lead.box, 1 - miss, lead.classId), evidence };
  });
}

/** `old` scaled by `memory` plus `fresh` (a track's class evidence after one more detection). */
export function addEvidence(old: ClassEvidence | undefined, fresh: ClassEvidence, memory: number): ClassEvidence {
  const out = new Map<number, number>();
  if (old) for (const [c, s] of old) out.set(c, s * memory);
  for (const [c, s] of fresh) out.set(c, (out.get(c) ?? 0) + s);
  return out;
}

/** The class with the most evidence (ties: the lower class id); `fallback` when there is none. */
export function strongestClass(evidence: ClassEvidence, fallback: number): number {
  let best = fallback;
  let most = Number.NEGATIVE_INFINITY;
  for (const [c, s] of [...evidence].sort((a, b) => a[0] - b[0])) {
    if (s > most) {
      best = c;
      most = s;
    }
  }
  return best;
}
