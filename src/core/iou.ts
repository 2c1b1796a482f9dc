import { type Box, boxArea } from './box.js';

/**
 * Intersection over union of two boxes. 0 when they do not overlap or when both have zero area
 * (touching edges overlap with zero area, so IoU 0).
 */
export function iou(a: Box, b: Box): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** IoU matrix: rows = `as`, columns = `bs`. Row-major Float64Array of length as.length × bs.length. */
export function iouMatrix(as: readonly Box[], bs: readonly Box[]): Float64Array {
  const m = new Float64Array(as.length * bs.length);
  for (let i = 0; i < as.length; i++) {
    for (let j = 0; j < bs.length; j++) m[i * bs.length + j] = iou(as[i], bs[j]);
  }
  return m;
}

/** One (row, column) assignment produced by {@link greedyMatch}. */
export interface Match {
  readonly row: number;
  readonly col: number;
  readonly iou: number;
}

/**
 * Greedy IoU matching: repeatedly takes the highest-IoU pair whose IoU ≥ `minIou` among unmatched rows
 * and columns. Ties break by lower row, then lower column, so the result is deterministic.
 */
export function greedyMatch(
  as: readonly Box[],
  bs: readonly Box[],
  minIou: number,
): { matches: Match[]; unmatchedRows: number[]; unmatchedCols: number[] } {
  const m = iouMatrix(as, bs);
  const pairs: Match[] = [];
  for (let i = 0; i < as.length; i++) {
    for (let j = 0; j < bs.length; j++) {
      const v = m[i * bs.length + j];
      if (v >= minIou && v > 0) pairs.push({ row: i, col: j, iou: v });
    }
  }
  pairs.sort((p, q) => q.iou - p.iou || p.row - q.row || p.col - q.col);
  const rowUsed = new Uint8Array(as.length);
  const colUsed = new Uint8Array(bs.length);
  const matches: Match[] = [];
  for (const p of pairs) {
    if (rowUsed[p.row] || colUsed[p.col]) continue;
    rowUsed[p.row] = 1;
    colUsed[p.col] = 1;
    matches.push(p);
  }
  const unmatchedRows: number[] = [];
  const unmatchedCols: number[] = [];
  rowUsed.forEach((u, i) => { if (!u) unmatchedRows.push(i); });
  colUsed.forEach((u, j) => { if (!u) unmatchedCols.push(j); });
  return { matches, unmatchedRows, unmatchedCols };
}
