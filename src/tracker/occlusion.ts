/**
 * Occlusion between tracks, decided from the boxes' flow results only (pure JS). A box whose flow
 * failed, or whose motion contradicted its own recent motion (`disagree`), while another box that is
 * tracked fine covers ≥ 20 % of it, has most likely been hidden by that object: its cells measure the
 * occluder. It is reported occluded and coasts on its velocity instead of following the occluder
 * (which would swap identities after a crossing) or freezing.
 */
import { type Box, translateBox } from '../core/index.js';
import type { BoxStep } from './box-motion.js';

/** Share of box `a`'s area covered by box `b`. */
export function coverage(a: Box, b: Box): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  const area = (a.x2 - a.x1) * (a.y2 - a.y1);
  return iw > 0 && ih > 0 && area > 0 ? (iw * ih) / area : 0;
}

const MIN_COVERAGE = 0.2;

/**
 * For each box: whether another box covers ≥ 20 % of it (only then can its cells measure another
 * object, so only then is its motion prior used to pick the cells that follow it).
 */
export function overlapping(boxes: readonly Box[]): boolean[] {
  return boxes.map((b, i) => boxes.some((c, j) => j !== i && coverage(b, c) >= MIN_COVERAGE));
}

/**
 * For each input box (with its velocity in frame px per frame, or undefined) and its flow result over
 * a step of `gap` frames: the coasted box when it is judged occluded, else undefined.
 */
export function occludedBoxes(
  boxes: readonly Box[],
  velocities: readonly ({ readonly x: number; readonly y: number } | undefined)[],
  results: readonly BoxStep[],
  gap: number,
): (Box | undefined)[] {
  return results.map((o, i) => {
    const v = velocities[i];
    if (!v) return undefined;
    const fine = (j: number) => j !== i && results[j].ok && !results[j].disagree && coverage(boxes[i], boxes[j]) >= MIN_COVERAGE;
    const px = v.x * gap;
    const py = v.y * gap;
    if (!o.ok && o.failure !== 'left') {
      return results.some((_, j) => fine(j)) ? translateBox(boxes[i], px, py) : undefined;
    }
    if (!o.ok || !o.disagree) return undefined;
    const radius = Math.max(2, 0.35 * Math.hypot(px, py));
    const occluder = results.some((p, j) => fine(j) && Math.hypot(p.dx - px, p.dy - py) > radius);
    return occluder ? translateBox(boxes[i], px, py) : undefined;
  });
}
