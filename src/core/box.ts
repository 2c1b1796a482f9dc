import { ValidationError, requireFinite } from './errors.js';

/** Axis-aligned box in frame pixels, corners (x1,y1) top-left and (x2,y2) bottom-right. Immutable. */
export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/**
 * Creates a frozen box from corners. Throws a ValidationError naming the field when a coordinate is
 * not finite or when x2 < x1 / y2 < y1 (zero-area boxes are allowed).
 */
export function makeBox(x1: number, y1: number, x2: number, y2: number, field = 'box'): Box {
  requireFinite(x1, `${field}.x1`);
  requireFinite(y1, `${field}.y1`);
  requireFinite(x2, `${field}.x2`);
  requireFinite(y2, `${field}.y2`);
  if (x2 < x1 || y2 < y1) {
    throw new ValidationError(
      `${field}: expected x2 ≥ x1 and y2 ≥ y1, got (${x1}, ${y1}, ${x2}, ${y2})`,
      { field, x1, y1, x2, y2 },
    );
  }
  return Object.freeze({ x1, y1, x2, y2 });
}

/** Box from top-left corner plus width/height (the MOT convention). */
export function boxFromXywh(x: number, y: number, w: number, h: number, field = 'box'): Box {
  return makeBox(x, y, x + w, y + h, field);
}

/** Width, height of a box. */
export const boxWidth = (b: Box): number => b.x2 - b.x1;
export const boxHeight = (b: Box): number => b.y2 - b.y1;
/** Area in square pixels (0 for degenerate boxes). */
export const boxArea = (b: Box): number => Math.max(0, b.x2 - b.x1) * Math.max(0, b.y2 - b.y1);
/** Centre point. */
export const boxCenter = (b: Box): { x: number; y: number } => ({ x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 });

/** Top-left x, y, width, height (MOT convention). */
export function boxToXywh(b: Box): [number, number, number, number] {
  return [b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1];
}

/** Clips a box to [0,width]×[0,height]. */
export function clipBox(b: Box, width: number, height: number): Box {
  const x1 = Math.min(Math.max(b.x1, 0), width);
  const y1 = Math.min(Math.max(b.y1, 0), height);
  const x2 = Math.min(Math.max(b.x2, 0), width);
  const y2 = Math.min(Math.max(b.y2, 0), height);
  return Object.freeze({ x1, y1, x2: Math.max(x1, x2), y2: Math.max(y1, y2) });
}

/** Scales all coordinates by (sx, sy): used to map between a resized image and frame pixels. */
export function scaleBox(b: Box, sx: number, sy: number = sx): Box {
  return Object.freeze({ x1: b.x1 * sx, y1: b.y1 * sy, x2: b.x2 * sx, y2: b.y2 * sy });
}

/** Translates a box by (dx, dy). */
export function translateBox(b: Box, dx: number, dy: number): Box {
  return Object.freeze({ x1: b.x1 + dx, y1: b.y1 + dy, x2: b.x2 + dx, y2: b.y2 + dy });
}
