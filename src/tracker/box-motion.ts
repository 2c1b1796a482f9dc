/**
 * Moving one box with a {@link FrameMotion} (pure JS, no pixels): the textured flow cells inside the
 * box are gathered; cells that move like the camera (global motion) are set aside when enough cells
 * move otherwise (the object, not the background it is seen against); the box moves by the median of
 * the rest; its size changes by the robust (Theil–Sen) divergence of the inliers' flow along x and
 * y: one factor for both when they agree on growing or shrinking (`uniform`), or each separately.
 */
import { type Box, makeBox } from '../core/index.js';
import { type FrameMotion, FLOW_UNITS } from './frame-motion.js';
import { hypotExceeds, hypotThresholds, medianHypotExceeds } from './hypot-compare.js';
import { medianInPlace } from './stats-util.js';

/** The options {@link moveBox} reads (a subset of TrackerOptions). */
export interface BoxMotionParams {
  readonly sampleInset: number;
  readonly minTexture: number;
  readonly minSurvivors: number;
  readonly maxCellsPerBox: number;
  readonly estimateScale: boolean;
  readonly maxScaleStep: number;
  readonly scaleGain: number;
  readonly scaleModel: 'uniform' | 'separate';
  readonly maxDisplacementSpreadPx: number;
  readonly maxSpreadShare: number;
  readonly backgroundRadiusPx: number;
  readonly backgroundRadiusShare: number;
  readonly foregroundMinShare: number;
}

/** Result of moving one box. */
export interface BoxStep {
  /** False when the flow could not be trusted (then `box` is the input box). */
  readonly ok: boolean;
  readonly box: Box;
  /** Share of sampled cells that were textured, in [0, 1]. */
  readonly confidence: number;
  /** Displacement of the box centre in frame px. */
  readonly dx: number;
  readonly dy: number;
  readonly failure?: 'points' | 'spread' | 'scale' | 'left';
  /** True when the motion contradicted `prior` and no consistent subset of cells followed the prior. */
  readonly disagree: boolean;
}

const INV_FLOW_UNITS = 1 / FLOW_UNITS;

/** Scratch arrays reused across calls (the core is single-threaded). */
let xs = new Float64Array(1024);
let ys = new Float64Array(1024);
let us = new Float64Array(1024);
let vs = new Float64Array(1024);
let tmp = new Float64Array(1024);
let tmp2 = new Float64Array(1024);
let tmp3 = new Float64Array(1024);

function ensure(n: number): void {
  if (xs.length >= n) return;
  const m = n * 2;
  xs = new Float64Array(m); ys = new Float64Array(m); us = new Float64Array(m); vs = new Float64Array(m); tmp = new Float64Array(m); tmp2 = new Float64Array(m); tmp3 = new Float64Array(m);
}

function failed(box: Box, confidence: number, failure: BoxStep['failure']): BoxStep {
  return { ok: false, box, confidence, dx: 0, dy: 0, failure, disagree: false };
}

/**
 * Moves `box` (frame px of the `from` frame) to the `to` frame of `m`. `prior`, when given, is the
 * expected displacement over the step (frame px): when the median motion contradicts it but at least
 * 15 % of the cells follow it (the object is partly hidden by something moving otherwise), those
 * cells are followed; when none do, the result is flagged `disagree`.
 */
export function moveBox(box: Box, m: FrameMotion, p: BoxMotionParams, prior?: { readonly x: number; readonly y: number }): BoxStep {
  const s = m.scale;
  const ix = (box.x2 - box.x1) * p.sampleInset;
  const iy = (box.y2 - box.y1) * p.sampleInset;
  const cxp = ((box.x1 + box.x2) / 2) * s;
  const cyp = ((box.y1 + box.y2) / 2) * s;
  let x1 = Math.floor((box.x1 + ix) * s);
  let y1 = Math.floor((box.y1 + iy) * s);
  let x2 = Math.ceil((box.x2 - ix) * s);
  let y2 = Math.ceil((box.y2 - iy) * s);
  // At least a 3x3 patch around the centre.
  if (x2 - x1 < 3) { x1 = Math.floor(cxp) - 1; x2 = x1 + 3; }
  if (y2 - y1 < 3) { y1 = Math.floor(cyp) - 1; y2 = y1 + 3; }
  x1 = Math.max(0, x1); y1 = Math.max(0, y1);
  x2 = Math.min(m.width, x2); y2 = Math.min(m.height, y2);
  const w = x2 - x1;
  const h = y2 - y1;
  if (w <= 0 || h <= 0) return failed(box, 0, 'left');
  const stride = Math.max(1, Math.ceil(Math.sqrt((w * h) / p.maxCellsPerBox)));
  const cap = Math.ceil(w / stride) * Math.ceil(h / stride);
  ensure(cap);
  let total = 0;
  let n = 0;
  const off = stride >> 1;
  const texture = m.texture;
  const flow = m.flow;
  const gridWidth = m.width;
  const minTexture = p.minTexture;
  for (let y = y1 + Math.min(off, h - 1); y < y2; y += stride) {
    for (let x = x1 + Math.min(off, w - 1); x < x2; x += stride) {
      total++;
      const i = y * gridWidth + x;
      if (texture[i] < minTexture) continue;
      xs[n] = x; ys[n] = y;
      // × 1/16 is the same double as / 16 (a power of two: both exact)
      us[n] = flow[2 * i] * INV_FLOW_UNITS;
      vs[n] = flow[2 * i + 1] * INV_FLOW_UNITS;
      n++;
    }
  }
  const confidence = total ? n / total : 0;
  if (n < p.minSurvivors) return failed(box, confidence, 'points');

  // Set aside cells moving like the camera when enough cells move otherwise.
  const gx = m.globalDx;
  const gy = m.globalDy;
  const r = hypotThresholds(Math.max(p.backgroundRadiusPx * s, p.backgroundRadiusShare * Math.hypot(gx, gy)));
  let fg = 0;
  for (let k = 0; k < n; k++) if (hypotExceeds(us[k] - gx, vs[k] - gy, r)) fg++;
  if (fg >= p.minSurvivors && fg >= p.foregroundMinShare * n && fg < n) {
    let j = 0;
    for (let k = 0; k < n; k++) {
      if (!hypotExceeds(us[k] - gx, vs[k] - gy, r)) continue;
      xs[j] = xs[k]; ys[j] = ys[k]; us[j] = us[k]; vs[j] = vs[k];
      j++;
    }
    n = j;
  }

  for (let k = 0; k < n; k++) { tmp[k] = us[k]; tmp2[k] = vs[k]; }
  let du = medianInPlace(tmp, n);
  let dv = medianInPlace(tmp2, n);
  let disagree = false;
  if (prior) {
    const px = prior.x * s;
    const py = prior.y * s;
    const radius = Math.max(2 * s, 0.35 * Math.hypot(px, py));
    if (Math.hypot(du - px, dv - py) > radius) {
      const rt = hypotThresholds(radius);
      let c = 0;
      for (let k = 0; k < n; k++) if (!hypotExceeds(us[k] - px, vs[k] - py, rt)) c++;
      if (c >= p.minSurvivors && c >= 0.15 * n) {
        let j = 0;
        for (let k = 0; k < n; k++) {
          if (hypotExceeds(us[k] - px, vs[k] - py, rt)) continue;
          xs[j] = xs[k]; ys[j] = ys[k]; us[j] = us[k]; vs[j] = vs[k];
          j++;
        }
        n = j;
        for (let k = 0; k < n; k++) { tmp[k] = us[k]; tmp2[k] = vs[k]; }
        du = medianInPlace(tmp, n);
        dv = medianInPlace(tmp2, n);
      } else {
        disagree = true;
      }
    }
  }
  // Divergence along x and y (Theil–Sen, robust to a minority of outliers), then the spread of the
  // cells' motion around translation + divergence: large = no coherent motion.
  const ax = p.estimateScale ? robustSlope(xs, us, n, 0.3 * w) : 0;
  const ay = p.estimateScale ? robustSlope(ys, vs, n, 0.3 * h) : 0;
  for (let k = 0; k < n; k++) { tmp[k] = xs[k]; tmp2[k] = ys[k]; }
  const mx = medianInPlace(tmp, n);
  const my = medianInPlace(tmp2, n);
  // The spread (median residual length) is only compared with its bound: decided without a Math.hypot per cell.
  for (let k = 0; k < n; k++) { tmp[k] = us[k] - du - ax * (xs[k] - mx); tmp2[k] = vs[k] - dv - ay * (ys[k] - my); }
  const maxSpread = Math.max(p.maxDisplacementSpreadPx, p.maxSpreadShare * Math.sqrt((box.x2 - box.x1) * (box.y2 - box.y1))) * s;
  if (medianHypotExceeds(tmp, tmp2, n, maxSpread, tmp3)) return failed(box, confidence, 'spread');

  let sx = 1;
  let sy = 1;
  if (p.estimateScale) {
    sx = 1 + p.scaleGain * ax;
    sy = 1 + p.scaleGain * ay;
    if (p.scaleModel === 'uniform') {
      // One factor, and only when width and height agree on growing or shrinking (the smaller change).
      const g = (sx - 1) * (sy - 1) > 0 ? Math.sign(sx - 1) * Math.min(Math.abs(sx - 1), Math.abs(sy - 1)) : 0;
      sx = 1 + g;
      sy = 1 + g;
    }
    if (!(sx >= 1 / p.maxScaleStep && sx <= p.maxScaleStep && sy >= 1 / p.maxScaleStep && sy <= p.maxScaleStep)) return failed(box, confidence, 'scale');
  }
  const cx = (box.x1 + box.x2) / 2 + du / s;
  const cy = (box.y1 + box.y2) / 2 + dv / s;
  if (cx < 0 || cy < 0 || cx * s > m.width || cy * s > m.height) return failed(box, confidence, 'left');
  const hw = ((box.x2 - box.x1) * sx) / 2;
  const hh = ((box.y2 - box.y1) * sy) / 2;
  return { ok: true, box: makeBox(cx - hw, cy - hh, cx + hw, cy + hh), confidence, dx: du / s, dy: dv / s, disagree };
}

const MAX_SLOPE_CELLS = 40;

/**
 * Theil–Sen slope of v over position: the median of (v_j − v_i) / (p_j − p_i) over pairs of (at most
 * MAX_SLOPE_CELLS, evenly chosen) cells at least `minGap` apart; 0 when there are fewer than 3 pairs.
 */
function robustSlope(pos: Float64Array, v: Float64Array, n: number, minGap: number): number {
  // The cells sampled (a = 0, step, 2·step, …; for each a, b = a + step, … is the same sequence),
  // sorted by position (insertion sort, ≤ 41 cells); then every pair at least `gap` apart. A pair's
  // slope is the same double in either order (both differences flip sign exactly), and the median
  // does not depend on the order of the slopes.
  const step = Math.max(1, n / MAX_SLOPE_CELLS);
  let k = 0;
  for (let a = 0; a < n; a += step) {
    const i = Math.floor(a);
    const p = pos[i];
    const vi = v[i];
    let q = k++;
    while (q > 0 && slopePos[q - 1] > p) {
      slopePos[q] = slopePos[q - 1];
      slopeV[q] = slopeV[q - 1];
      q--;
    }
    slopePos[q] = p;
    slopeV[q] = vi;
  }
  const out = tmp;
  const gap = Math.max(1, minGap);
  let c = 0;
  let first = 1;
  for (let p = 0; p < k; p++) {
    const pp = slopePos[p];
    const vp = slopeV[p];
    // Positions ascend, so the partners far enough from p are a suffix, starting no earlier than p's predecessor's.
    if (first <= p) first = p + 1;
    while (first < k && slopePos[first] - pp < gap) first++;
    for (let q = first; q < k; q++) out[c++] = (slopeV[q] - vp) / (slopePos[q] - pp);
  }
  return c >= 3 ? medianInPlace(out, c) : 0;
}

/** Sampled cells of {@link robustSlope} (at most MAX_SLOPE_CELLS + 1 of them: rounding of the step). */
const slopePos = new Float64Array(MAX_SLOPE_CELLS + 2);
const slopeV = new Float64Array(MAX_SLOPE_CELLS + 2);
