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
  const n = TEMPLATE_SIDE;
  const out = new Float32Array(n * n);
  const w = img.width;
  const h = img.height;
  const bw = (box.x2 - box.x1) * scale;
  const bh = (box.y2 - box.y1) * scale;
  let sum = 0;
  let inside = 0;
  for (let j = 0; j < n; j++) {
    const y = box.y1 * scale + ((j + 0.5) * bh) / n - 0.5;
    for (let i = 0; i < n; i++) {
      const x = box.x1 * scale + ((i + 0.5) * bw) / n - 0.5;
      const xc = Math.min(w - 1, Math.max(0, x));
      const yc = Math.min(h - 1, Math.max(0, y));
      if (xc === x && yc === y) inside++;
      const x0 = Math.floor(xc);
      const y0 = Math.floor(yc);
      const x1 = Math.min(w - 1, x0 + 1);
      const y1 = Math.min(h - 1, y0 + 1);
      const fx = xc - x0;
      const fy = yc - y0;
      const d = img.data;
      const v = (d[y0 * w + x0] * (1 - fx) + d[y0 * w + x1] * fx) * (1 - fy) + (d[y1 * w + x0] * (1 - fx) + d[y1 * w + x1] * fx) * fy;
      out[j * n + i] = v;
      sum += v;
    }
  }
  if (inside < (n * n) / 2) return undefined;
  const mean = sum / (n * n);
  let norm = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] -= mean;
    norm += out[k] * out[k];
  }
  if (norm < n * n * 4) return undefined; // standard deviation below 2 grey levels: nothing to compare
  const inv = 1 / Math.sqrt(norm);
  for (let k = 0; k < out.length; k++) out[k] *= inv;
  return out;
}

/** Normalised cross-correlation of two templates, in [−1, 1]; −1 when either is undefined. */
export function ncc(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (!a || !b) return -1;
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}
