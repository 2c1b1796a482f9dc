/**
 * One object, several class labels. A detector's per-class non-maximum suppression keeps a box for
 * every class it half-believes, so one object can arrive as, say, a bird at 0.45 and a dog at 0.30
 * (NanoDet on DAVIS's black swan), or a car at 0.46 and a truck at 0.49 (a drifting car). Each label
 * alone is below `minNewTrackScore`, so the object gets no track, although the detector is fairly sure
 * that *something* is there.
 *
 * {@link fuseClassConfusions} groups detections of different classes whose boxes overlap by at least
 * `minIou` and gives every member the group's score: the noisy-or of the members' scores, the chance
 * that at least one of them is right that an object is there. Boxes and labels are kept, so the
 * right label is among the tracks whichever label the detector ranked first (a scorer that counts the
 * annotated class sees its box; the others are boxes of other classes on the same object, as a
 * detector outputs them when both labels score high).
 *
 * A track keeps {@link ClassEvidence}: the scores per class of the detections it was matched to,
 * summed with a memory ({@link addEvidence}), and shows the class with the most
 * ({@link strongestClass}). A track that absorbed a differently labelled detection (matching across
 * classes, matching.ts) therefore keeps its class until the other label has outweighed it.
 * Pure functions over immutable values.
 */
import { type Detection, iou, makeDetection } from '../core/index.js';

/** Score per class id. */
export type ClassEvidence = ReadonlyMap<number, number>;

/**
 * Every detection with the noisy-or score of its group (see module doc), in input order. A detection
 * joins the group of the strongest detection it overlaps by `minIou` whose group has no member of
 * its class yet (detections of one class are never grouped: the detector's NMS already told them
 * apart). A group whose strongest label scores below `minLeadScore` keeps its scores: several faint
 * labels on one spot are not an object (on the PETS09 demo they added false-positive person boxes). With
 * `minIou` > 1 the detections are returned as they are. Deterministic.
 */
export function fuseClassConfusions(detections: readonly Detection[], minIou: number, minLeadScore = 0): Detection[] {
  if (minIou > 1 || detections.length < 2) return [...detections];
  const order = detections.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i);
  const groups: { lead: Detection; members: number[] }[] = [];
  for (const { d, i } of order) {
    const group = groups.find((g) => !g.members.some((m) => detections[m].classId === d.classId) && iou(g.lead.box, d.box) >= minIou);
    if (group) group.members.push(i);
    else groups.push({ lead: d, members: [i] });
  }
  const out = [...detections];
  for (const { lead, members } of groups) {
    if (members.length < 2 || lead.score < minLeadScore) continue;
    const score = 1 - members.reduce((p, m) => p * (1 - detections[m].score), 1);
    for (const m of members) out[m] = makeDetection(detections[m].box, score, detections[m].classId);
  }
  return out;
}

/** `old` scaled by `memory` plus `score` for `classId` (a track's class evidence after one more detection). */
export function addEvidence(old: ClassEvidence | undefined, classId: number, score: number, memory: number): ClassEvidence {
  const out = new Map<number, number>();
  if (old) for (const [c, s] of old) out.set(c, s * memory);
  out.set(classId, (out.get(classId) ?? 0) + score);
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
