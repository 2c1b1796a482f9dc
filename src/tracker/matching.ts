import { type Box, greedyMatch } from '../core/index.js';

/** Something with a box and a class. */
export interface Classed {
  readonly box: Box;
  readonly classId: number;
}

/** Result of {@link matchByClass}: index pairs into the two input lists. */
export interface ClassMatch {
  readonly pairs: readonly { readonly track: number; readonly det: number; readonly iou: number }[];
  readonly unmatchedTracks: readonly number[];
  readonly unmatchedDets: readonly number[];
}

/**
 * Greedy IoU matching (core `greedyMatch`) run separately per class id, so a detection only matches a
 * track of its own class. Deterministic: classes in ascending order, pairs sorted by track index.
 */
export function matchByClass(tracks: readonly Classed[], dets: readonly Classed[], minIou: number): ClassMatch {
  const classes = [...new Set([...tracks.map((t) => t.classId), ...dets.map((d) => d.classId)])].sort((a, b) => a - b);
  const pairs: { track: number; det: number; iou: number }[] = [];
  const unmatchedTracks: number[] = [];
  const unmatchedDets: number[] = [];
  for (const c of classes) {
    const ti = tracks.flatMap((t, i) => (t.classId === c ? [i] : []));
    const di = dets.flatMap((d, i) => (d.classId === c ? [i] : []));
    const m = greedyMatch(ti.map((i) => tracks[i].box), di.map((i) => dets[i].box), minIou);
    for (const p of m.matches) pairs.push({ track: ti[p.row], det: di[p.col], iou: p.iou });
    for (const r of m.unmatchedRows) unmatchedTracks.push(ti[r]);
    for (const col of m.unmatchedCols) unmatchedDets.push(di[col]);
  }
  pairs.sort((p, q) => p.track - q.track);
  unmatchedTracks.sort((a, b) => a - b);
  unmatchedDets.sort((a, b) => a - b);
  return { pairs, unmatchedTracks, unmatchedDets };
}
