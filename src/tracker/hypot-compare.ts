/**
 * Decisions of the form `Math.hypot(x, y) > r` taken exactly as Math.hypot takes them, at a fraction
 * of its cost (V8's Math.hypot is ~15x slower than a multiply-add): the squared length is compared
 * with r² widened by a relative margin of 1e-9 — far above the few-ulp errors of both Math.hypot and
 * x² + y² — and only a squared length inside that band falls back to Math.hypot itself. Used by the
 * box motion's inner loops, whose outputs must stay bit-identical.
 */

import { medianInPlace } from './stats-util.js';

/** Relative half-width of the band around r² where Math.hypot decides. */
const BAND = 1e-9;

/** Precomputed thresholds for one radius (see {@link hypotThresholds}). */
export interface HypotThresholds {
  readonly r: number;
  /** Below this squared length the answer is certainly "not greater". */
  readonly lo: number;
  /** Above this squared length the answer is certainly "greater". */
  readonly hi: number;
}

/**
 * Thresholds for comparing lengths with `r`. A negative, NaN or infinite `r` gets thresholds that send
 * every comparison to Math.hypot (exact, slow), as does an `r` whose square is not a normal number.
 */
export function hypotThresholds(r: number): HypotThresholds {
  const r2 = r * r;
  if (!(r >= 0) || !Number.isFinite(r2) || (r2 !== 0 && r2 < 1e-290)) return { r, lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };
  return { r, lo: r2 * (1 - BAND), hi: r2 * (1 + BAND) };
}

/**
 * `Math.hypot(x, y) > t.r`, the same boolean, for finite x and y of magnitude below 1e140 (anything
 * else also goes to Math.hypot: a NaN or infinite square fails both quick tests).
 */
export function hypotExceeds(x: number, y: number, t: HypotThresholds): boolean {
  const q = x * x + y * y;
  if (q > t.hi && q < 1e280) return true;
  if (q < t.lo && q > 1e-280) return false;
  return Math.hypot(x, y) > t.r;
}

/**
 * Whether the median of Math.hypot(xs[k], ys[k]) over k < n, as {@link medianInPlace} computes it,
 * is greater than `m` — the same boolean — with Math.hypot evaluated only near `m`: for an odd count
 * the median exceeds m iff more than half of the lengths do; for an even count iff both middle ones
 * do, and only when exactly half do (the two middle lengths straddle m) are all lengths computed
 * exactly (into `scratch`, length ≥ n) and their median taken. False for n = 0 (the median is NaN).
 */
export function medianHypotExceeds(xs: Float64Array, ys: Float64Array, n: number, m: number, scratch: Float64Array): boolean {
  if (n === 0) return false;
  const t = hypotThresholds(m);
  let above = 0;
  for (let k = 0; k < n; k++) if (hypotExceeds(xs[k], ys[k], t)) above++;
  const mid = n >> 1;
  if (above >= mid + 1) return true;
  if (n % 2 === 1 || above <= mid - 1) return false;
  for (let k = 0; k < n; k++) scratch[k] = Math.hypot(xs[k], ys[k]);
  return medianInPlace(scratch, n) > m;
}
