import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/prng.js';
import { INT16_BINS, INT16_OFFSET, takeHistogramMedian } from '../../src/tracker/int16-median.js';
import { medianInPlace } from '../../src/tracker/stats-util.js';

/** Counts `values` into `hist` and returns their minimum. */
function count(hist: Int32Array, values: readonly number[]): number {
  let min = 32767;
  for (const v of values) {
    hist[v + INT16_OFFSET]++;
    if (v < min) min = v;
  }
  return min;
}

describe('takeHistogramMedian', () => {
  it('equals medianInPlace on random Int16 values (odd and even counts, negatives, ties, extremes) and leaves the histogram empty', () => {
    const rng = mulberry32(7);
    const hist = new Int32Array(INT16_BINS);
    for (let t = 0; t < 3000; t++) {
      const n = 1 + Math.floor(rng() * 200);
      const kind = t % 4;
      const values = Array.from({ length: n }, () => {
        if (kind === 0) return Math.floor(rng() * 65536) - 32768; // full range
        if (kind === 1) return Math.floor(rng() * 7) - 3; // many ties around 0
        if (kind === 2) return rng() < 0.5 ? -32768 : 32767; // extremes only
        return Math.floor(rng() * 400) - 300;
      });
      const min = count(hist, values);
      const want = medianInPlace(Float64Array.from(values));
      expect(takeHistogramMedian(hist, n, t % 2 ? min : undefined)).toBe(want);
      expect(hist.every((c) => c === 0)).toBe(true);
    }
  });

  it('gives the mean of the two middle values for even counts, NaN for none, and rejects a short histogram', () => {
    const hist = new Int32Array(INT16_BINS);
    count(hist, [-5, 2, 9, 100]);
    expect(takeHistogramMedian(hist, 4)).toBe(5.5);
    count(hist, [-32768, 32767]);
    expect(takeHistogramMedian(hist, 2)).toBe(-0.5);
    expect(takeHistogramMedian(hist, 0)).toBeNaN();
    count(hist, [1, 2]);
    expect(() => takeHistogramMedian(hist, 3)).toThrow(/expected 3 values in the histogram, got 2/);
    expect(() => takeHistogramMedian(new Int32Array(10), 1)).toThrow(/expected 65536 bins, got 10/);
  });
});
