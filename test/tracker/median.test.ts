import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/prng.js';
import { medianInPlace } from '../../src/tracker/stats-util.js';

describe('medianInPlace', () => {
  it('equals the sorted median exactly, with ties, odd and even counts, prefixes', () => {
    const rng = mulberry32(11);
    for (let t = 0; t < 20_000; t++) {
      const n = 1 + Math.floor(rng() * 50);
      const a = new Float64Array(n + 5).fill(99);
      for (let i = 0; i < n; i++) a[i] = rng() < 0.4 ? Math.floor(rng() * 3) : rng() * 10 - 5;
      const s = Float64Array.from(a.subarray(0, n)).sort();
      const want = n % 2 ? s[n >> 1] : (s[(n >> 1) - 1] + s[n >> 1]) / 2;
      expect(medianInPlace(a, n)).toBe(want);
      expect([...a.subarray(n)]).toEqual([99, 99, 99, 99, 99]); // only the prefix is touched
    }
  });

  it('handles sorted, reversed and constant inputs, and n = 0', () => {
    expect(medianInPlace(Float64Array.from([1, 2, 3, 4]))).toBe(2.5);
    expect(medianInPlace(Float64Array.from([5, 4, 3, 2, 1]))).toBe(3);
    expect(medianInPlace(new Float64Array(1000).fill(7))).toBe(7);
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
  });
});
