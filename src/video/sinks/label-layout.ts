import type { Box } from '../../core/index.js';

/** An axis-aligned pixel rectangle [x, x+width) × [y, y+height). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One label to place: the box it names and its size in pixels (background included). */
export interface LabelRequest {
  readonly box: Box;
  readonly width: number;
  readonly height: number;
}

/** Overlapping area of two rectangles, px². */
export function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Places labels next to their boxes, inside a `frameWidth`×`frameHeight` image, without overlapping
 * each other or the `reserved` rectangles (e.g. the caption). Each label tries, in order: above the
 * box, inside its top edge, below it, inside its bottom edge, then two and three rows above and
 * below; each left-aligned with the box, then right-aligned; every candidate is moved inside the
 * frame. The first free candidate wins; when none is free (a crowd), the one overlapping least.
 * Labels are placed top box first, so the result does not depend on track order. Returns one
 * rectangle per request, in request order. A label larger than the frame is pinned at 0,0.
 */
export function layoutLabels(frameWidth: number, frameHeight: number, requests: readonly LabelRequest[], reserved: readonly Rect[] = []): Rect[] {
  const placed: Rect[] = [...reserved];
  const out: Rect[] = new Array(requests.length);
  const order = requests.map((_, i) => i).sort((a, b) => requests[a].box.y1 - requests[b].box.y1 || requests[a].box.x1 - requests[b].box.x1);
  for (const i of order) {
    const { box, width, height } = requests[i];
    let best: Rect | undefined;
    let bestOverlap = Infinity;
    for (const c of candidates(box, width, height)) {
      const r = clampInto(c, frameWidth, frameHeight);
      const overlap = placed.reduce((sum, p) => sum + overlapArea(r, p), 0);
      if (overlap < bestOverlap) {
        best = r;
        bestOverlap = overlap;
        if (overlap === 0) break;
      }
    }
    out[i] = best!;
    placed.push(best!);
  }
  return out;
}

function* candidates(box: Box, width: number, height: number): Generator<Rect> {
  const x1 = Math.round(box.x1);
  const y1 = Math.round(box.y1);
  const x2 = Math.round(box.x2);
  const y2 = Math.round(box.y2);
  const ys = [y1 - height, y1, y2, y2 - height, y1 - 2 * height, y2 + height, y1 - 3 * height, y2 + 2 * height];
  for (const y of ys) {
    yield { x: x1, y, width, height };
    yield { x: x2 - width, y, width, height };
  }
}

function clampInto(r: Rect, frameWidth: number, frameHeight: number): Rect {
  const x = Math.max(0, Math.min(r.x, frameWidth - r.width));
  const y = Math.max(0, Math.min(r.y, frameHeight - r.height));
  return { x, y, width: r.width, height: r.height };
}
