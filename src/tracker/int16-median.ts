/**
 * Exact median of Int16 values by a counting histogram (one bin per Int16 value): O(n + range) and no
 * sort, for the global-motion median over thousands of flow cells per frame. Gives the same value as
 * {@link medianInPlace} on the same values (the middle order statistic, or the mean of the two middle
 * ones for an even count, computed as `(lower + upper) / 2`).
 */
import type { medianInPlace } from './stats-util.js';

/** Bins of a histogram over every Int16 value. */
export const INT16_BINS = 65536;
/** Bin of value v is v + INT16_OFFSET. */
export const INT16_OFFSET = 32768;

/**
 * Median of the `n` values counted in `hist` (bin v + INT16_OFFSET holds the count of value v), and
 * clears every bin it passes (the histogram is zero again afterwards when `n` is its total count).
 * `minValue` (optional) is a lower bound of the counted values: the scan starts there. NaN when
 * n = 0. Throws when the histogram holds fewer than `n` values from `minValue` up.
 */
export function takeHistogramMedian(hist: Int32Array, n: number, minValue = -INT16_OFFSET): number {
  if (n === 0) return Number.NaN;
  if (hist.length !== INT16_BINS) throw new RangeError(`takeHistogramMedian: expected ${INT16_BINS} bins, got ${hist.length}`);
  // Order statistics (0-based) wanted: mid for odd n; mid − 1 and mid for even n.
  const mid = n >> 1;
  const wantLower = n % 2 === 1 ? mid : mid - 1;
  let lower = Number.NaN;
  let upper = Number.NaN;
  let seen = 0;
  let bin = Math.max(0, Math.trunc(minValue) + INT16_OFFSET);
  for (; bin < INT16_BINS && seen < n; bin++) {
    const c = hist[bin];
    if (c === 0) continue;
    hist[bin] = 0;
    const next = seen + c;
    if (seen <= wantLower && wantLower < next) lower = bin - INT16_OFFSET;
    if (seen <= mid && mid < next) upper = bin - INT16_OFFSET;
    seen = next;
  }
  if (seen < n) throw new RangeError(`takeHistogramMedian: expected ${n} values in the histogram, got ${seen}`);
  return n % 2 === 1 ? upper : (lower + upper) / 2;
}
