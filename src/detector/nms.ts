import type { Candidates } from './families/family.js';

/**
 * Class-aware greedy non-maximum suppression: candidates are visited by descending score; a candidate
 * is dropped when it overlaps an already kept box of the same class with IoU > `iouThreshold`.
 * At most `preNmsTopK` candidates enter NMS and `maxDetections` are returned (indices into `c`).
 */
export function nms(c: Candidates, iouThreshold: number, maxDetections: number, preNmsTopK = 1000): number[] {
  const order = Array.from(c.scores.keys()).sort((a, b) => c.scores[b] - c.scores[a]).slice(0, preNmsTopK);
  const keep: number[] = [];
  const b = c.boxes;
  for (const i of order) {
    if (keep.length >= maxDetections) break;
    const x1 = b[i * 4];
    const y1 = b[i * 4 + 1];
    const x2 = b[i * 4 + 2];
    const y2 = b[i * 4 + 3];
    const area = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
    let ok = true;
    for (const j of keep) {
      if (c.classes[j] !== c.classes[i]) continue;
      const ix = Math.min(x2, b[j * 4 + 2]) - Math.max(x1, b[j * 4]);
      const iy = Math.min(y2, b[j * 4 + 3]) - Math.max(y1, b[j * 4 + 1]);
      if (ix <= 0 || iy <= 0) continue;
      const inter = ix * iy;
      const other = Math.max(0, b[j * 4 + 2] - b[j * 4]) * Math.max(0, b[j * 4 + 3] - b[j * 4 + 1]);
      const union = area + other - inter;
      if (union > 0 && inter / union > iouThreshold) {
        ok = false;
        break;
      }
    }
    if (ok) keep.push(i);
  }
  return keep;
}
