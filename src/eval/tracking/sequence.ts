import { type Box, ValidationError, iou } from '../../core/index.js';

/** A box with an identity: a ground-truth object or a tracker output row. */
export interface IdentifiedBox {
  readonly box: Box;
  /** MOT identity (column 2). Required for tracking metrics. */
  readonly id?: number;
  /** 0-based COCO class. When both boxes of a pair have one and they differ, their similarity is 0. */
  readonly classId?: number;
}

/** Boxes with identities keyed by 0-based frame (MOT frame n+1 ↔ frame n). */
export type IdentifiedFrames = ReadonlyMap<number, readonly IdentifiedBox[]>;

/** One evaluated frame with identities relabelled to dense indices. */
export interface SequenceFrame {
  /** 0-based frame index. */
  readonly frame: number;
  /** Dense ground-truth identity indices (0..gtIdCount−1) of this frame's boxes. */
  readonly gtIds: Int32Array;
  /** Dense tracker identity indices (0..trackerIdCount−1). */
  readonly trackerIds: Int32Array;
  /** IoU of every (gt, tracker) pair, row-major gtIds.length × trackerIds.length. */
  readonly similarity: Float64Array;
}

/** Ground truth and tracker output prepared for the tracking metrics (TrackEval's `data` dict). */
export interface TrackingSequence {
  readonly frames: readonly SequenceFrame[];
  readonly gtIdCount: number;
  readonly trackerIdCount: number;
  readonly gtDets: number;
  readonly trackerDets: number;
}

/**
 * Prepares a sequence for {@link evaluateClear}, {@link evaluateIdentity} and {@link evaluateHota}:
 * keeps the given frames (default: every frame present in either input), relabels identities densely
 * in order of first appearance, and computes box IoU per frame (0 between boxes of different classes,
 * so several classes are scored at once without cross-class matches). Throws a ValidationError naming the
 * frame and identity when a box has no id or an id occurs twice in one frame (TrackEval refuses both).
 */
export function buildTrackingSequence(
  groundTruth: IdentifiedFrames,
  tracks: IdentifiedFrames,
  frames?: Iterable<number>,
): TrackingSequence {
  const keys = frames ? [...new Set(frames)] : [...new Set([...groundTruth.keys(), ...tracks.keys()])];
  keys.sort((a, b) => a - b);
  const gtIndex = new Map<number, number>();
  const trIndex = new Map<number, number>();
  let gtDets = 0;
  let trackerDets = 0;
  const out: SequenceFrame[] = [];
  for (const f of keys) {
    const gts = groundTruth.get(f) ?? [];
    const trs = tracks.get(f) ?? [];
    const gtIds = denseIds(gts, gtIndex, f, 'ground truth');
    const trackerIds = denseIds(trs, trIndex, f, 'tracks');
    const similarity = new Float64Array(gts.length * trs.length);
    for (let i = 0; i < gts.length; i++) {
      for (let j = 0; j < trs.length; j++) {
        const gc = gts[i].classId;
        const tc = trs[j].classId;
        similarity[i * trs.length + j] = gc !== undefined && tc !== undefined && gc !== tc ? 0 : iou(gts[i].box, trs[j].box);
      }
    }
    gtDets += gts.length;
    trackerDets += trs.length;
    out.push(Object.freeze({ frame: f, gtIds, trackerIds, similarity }));
  }
  return Object.freeze({ frames: Object.freeze(out), gtIdCount: gtIndex.size, trackerIdCount: trIndex.size, gtDets, trackerDets });
}

function denseIds(boxes: readonly IdentifiedBox[], index: Map<number, number>, frame: number, what: string): Int32Array {
  const ids = new Int32Array(boxes.length);
  const seen = new Set<number>();
  boxes.forEach((b, k) => {
    if (typeof b.id !== 'number' || !Number.isFinite(b.id)) {
      throw new ValidationError(`${what}, frame ${frame + 1}: box ${k} has no identity (expected a number in MOT column 2, got ${String(b.id)})`, { frame: frame + 1, what });
    }
    if (seen.has(b.id)) {
      throw new ValidationError(`${what}, frame ${frame + 1}: identity ${b.id} occurs twice in one frame (expected unique ids per frame)`, { frame: frame + 1, id: b.id, what });
    }
    seen.add(b.id);
    let d = index.get(b.id);
    if (d === undefined) {
      d = index.size;
      index.set(b.id, d);
    }
    ids[k] = d;
  });
  return ids;
}
