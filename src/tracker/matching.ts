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

/**
 * {@link matchByClass}, then a second greedy pass over what is left that ignores classes but asks
 * for `crossClassIou` (> 1: no second pass). A detection whose label differs from its track's (a car
 * labelled truck) still finds the track when the boxes agree that well; which class the track shows
 * is then decided by its class evidence (class-fusion.ts), not by the matching.
 */
export function matchAcrossClasses(tracks: readonly Classed[], dets: readonly Classed[], minIou: number, crossClassIou: number): ClassMatch {
  const first = matchByClass(tracks, dets, minIou);
  if (crossClassIou > 1 || first.unmatchedTracks.length === 0 || first.unmatchedDets.length === 0) return first;
  const ti = first.unmatchedTracks;
  const di = first.unmatchedDets;
  const m = greedyMatch(ti.map((i) => tracks[i].box), di.map((i) => dets[i].box), crossClassIou);
  const pairs = [...first.pairs, ...m.matches.map((p) => ({ track: ti[p.row], det: di[p.col], iou: p.iou }))].sort((p, q) => p.track - q.track);
  return { pairs, unmatchedTracks: m.unmatchedRows.map((r) => ti[r]), unmatchedDets: m.unmatchedCols.map((c) => di[c]) };
}
