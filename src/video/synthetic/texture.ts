import { type Rng, uniform } from '../../core/prng.js';

/**
 * A colour texture defined on the unit square: a grid of random RGB cells sampled with bilinear
 * interpolation (value noise), optionally overlaid with a checker pattern. Smooth enough for sub-pixel
 * motion, with plenty of corners for feature detectors and optical flow.
 */
export interface Texture {
  readonly cellsX: number;
  readonly cellsY: number;
  /** cellsX × cellsY × 3 RGB values in [0, 255]. */
  readonly cells: Float32Array;
}

/** Texture style: `noise` (random cells) or `checker` (random cells modulated by a checkerboard). */
export type TextureKind = 'noise' | 'checker';

/**
 * Builds a texture of `cellsX × cellsY` random cells around a random base hue. `contrast` (0..1) is the
 * spread of cell intensities around the base colour.
 */
export function makeTexture(rng: Rng, kind: TextureKind, cellsX: number, cellsY: number, contrast = 0.8): Texture {
  const cells = new Float32Array(cellsX * cellsY * 3);
  const base = [uniform(rng, 60, 200), uniform(rng, 60, 200), uniform(rng, 60, 200)];
  for (let y = 0; y < cellsY; y++) {
    for (let x = 0; x < cellsX; x++) {
      const checker = kind === 'checker' ? ((x + y) % 2 === 0 ? 1 : -1) : 0;
      const lum = (uniform(rng, -1, 1) * 0.5 + checker * 0.5) * 127 * contrast;
      for (let c = 0; c < 3; c++) {
        const tint = uniform(rng, -20, 20);
        cells[(y * cellsX + x) * 3 + c] = clamp255(base[c] + lum + tint);
      }
    }
  }
  return { cellsX, cellsY, cells };
}

/**
 * Samples the texture at (u, v) ∈ [0, 1]² with bilinear interpolation between cell centres; writes
 * the RGB result into `out[0..2]`.
 */
export function sampleTexture(t: Texture, u: number, v: number, out: Float32Array): void {
  const fx = Math.min(Math.max(u * t.cellsX - 0.5, 0), t.cellsX - 1);
  const fy = Math.min(Math.max(v * t.cellsY - 0.5, 0), t.cellsY - 1);
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, t.cellsX - 1);
  const y1 = Math.min(y0 + 1, t.cellsY - 1);
  const ax = fx - x0;
  const ay = fy - y0;
  const c = t.cells;
  const i00 = (y0 * t.cellsX + x0) * 3;
  const i01 = (y0 * t.cellsX + x1) * 3;
  const i10 = (y1 * t.cellsX + x0) * 3;
  const i11 = (y1 * t.cellsX + x1) * 3;
  for (let k = 0; k < 3; k++) {
    const top = c[i00 + k] * (1 - ax) + c[i01 + k] * ax;
    const bottom = c[i10 + k] * (1 - ax) + c[i11 + k] * ax;
    out[k] = top * (1 - ay) + bottom * ay;
  }
}

/** Clamps to [0, 255]. */
export function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
