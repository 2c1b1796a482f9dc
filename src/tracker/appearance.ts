/**
 * Appearance templates for the check before a moved box is kept (pure JS): a box's content as a
 * TEMPLATE_SIDE² grid of bilinear samples of a processing image, zero-mean and unit-norm, compared by
 * normalised cross-correlation.
 */
import type { Box } from '../core/index.js';

/** Samples per side of a template. */
export const TEMPLATE_SIDE = 12;

/** A grayscale image (processing px), row-major. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * The template of `box` (frame px; `scale` = processing px per frame px) in `img`, or undefined when
 * the box is (nearly) flat or mostly outside the image.
 */
export function template(img: GrayImage, box: Box, scale: number): Float32Array | undefined {
  const out = new Float32Array(TEMPLATE_SIDE * TEMPLATE_SIDE);
  return fillTemplate(img, box, scale, out) ? out : undefined;
}

/**
 * `ncc(tpl, template(img, box, scale))` — the same number — without allocating the box's template
 * (it is built in a scratch buffer).
 */
export function nccWithBox(tpl: Float32Array | undefined, img: GrayImage, box: Box, scale: number): number {
  if (!tpl) return -1;
  return fillTemplate(img, box, scale, scratch) ? ncc(tpl, scratch) : -1;
}

const scratch = new Float32Array(TEMPLATE_SIDE * TEMPLATE_SIDE);

/** Writes the template of `box` into `out` (TEMPLATE_SIDE² values); false when there is none. */
function fillTemplate(img: GrayImage, box: Box, scale: number, out: Float32Array): boolean {
  const n = TEMPLATE_SIDE;
  const w = img.width;
  const h = img.height;
  const bw = (box.x2 - box.x1) * scale;
  const bh = (box.y2 - box.y1) * scale;
  // Sample positions depend on the column alone (x) or the row alone (y): computed once per column
  // and per row, with the same arithmetic as per sample.
  const insideCols = axisSamples(box.x1 * scale, bw, w, n, colX0, colX1, colFx, colGx);
  const insideRows = axisSamples(box.y1 * scale, bh, h, n, rowY0, rowY1, rowFy, rowGy);
  // A sample is inside when its column and its row are.
  if (insideCols * insideRows < (n * n) / 2) return false;
  const d = img.data;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const r0 = rowY0[j] * w;
    const r1 = rowY1[j] * w;
    const fy = rowFy[j];
    const gy = rowGy[j];
    for (let i = 0; i < n; i++) {
      const x0 = colX0[i];
      const x1 = colX1[i];
      const fx = colFx[i];
      const gx = colGx[i];
      const v = (d[r0 + x0] * gx + d[r0 + x1] * fx) * gy + (d[r1 + x0] * gx + d[r1 + x1] * fx) * fy;
      out[j * n + i] = v;
      sum += v;
    }
  }
  const mean = sum / (n * n);
  let norm = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] -= mean;
    norm += out[k] * out[k];
  }
  if (norm < n * n * 4) return false; // standard deviation below 2 grey levels: nothing to compare
  const inv = 1 / Math.sqrt(norm);
  for (let k = 0; k < out.length; k++) out[k] *= inv;
  return true;
}

/**
 * Sample geometry along one axis of {@link template}: sample i at start + (i + 0.5)·extent/n − 0.5,
 * clamped to [0, limit − 1]; its two neighbouring pixels and their bilinear weights. Returns how many
 * samples needed no clamping.
 */
function axisSamples(start: number, extent: number, limit: number, n: number, p0: Float64Array, p1: Float64Array, frac: Float64Array, rest: Float64Array): number {
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const p = start + ((i + 0.5) * extent) / n - 0.5;
    const pc = Math.min(limit - 1, Math.max(0, p));
    if (pc === p) inside++;
    const floor = Math.floor(pc);
    p0[i] = floor;
    p1[i] = Math.min(limit - 1, floor + 1);
    frac[i] = pc - floor;
    rest[i] = 1 - frac[i];
  }
  return inside;
}

/** Per-column and per-row sample geometry of {@link template} (scratch, single-threaded use). */
const colX0 = new Float64Array(TEMPLATE_SIDE);
const colX1 = new Float64Array(TEMPLATE_SIDE);
const colFx = new Float64Array(TEMPLATE_SIDE);
const colGx = new Float64Array(TEMPLATE_SIDE);
const rowY0 = new Float64Array(TEMPLATE_SIDE);
const rowY1 = new Float64Array(TEMPLATE_SIDE);
const rowFy = new Float64Array(TEMPLATE_SIDE);
const rowGy = new Float64Array(TEMPLATE_SIDE);

/** Normalised cross-correlation of two templates, in [−1, 1]; −1 when either is undefined. */
export function ncc(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (!a || !b) return -1;
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}
