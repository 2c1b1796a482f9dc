import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/prng.js';
import { hypotExceeds, hypotThresholds, medianHypotExceeds } from '../../src/tracker/hypot-compare.js';
import { medianInPlace } from '../../src/tracker/stats-util.js';

/** The next double above / below x (x finite, > 0). */
function nextUp(x: number): number {
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  u[0] += 1n;
  return b[0];
}
function nextDown(x: number): number {
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  u[0] -= 1n;
  return b[0];
}

describe('hypotExceeds', () => {
  it('gives the boolean of Math.hypot(x, y) > r on random inputs and at the boundary (r = the length and its neighbours)', () => {
    const rng = mulberry32(3);
    for (let t = 0; t < 40_000; t++) {
      const x = Math.round((rng() * 40 - 20) * 16) / 16 - rng() * 0.01;
      const y = Math.round((rng() * 40 - 20) * 16) / 16;
      const h = Math.hypot(x, y);
      const rs = [rng() * 30, h, h > 0 ? nextUp(h) : 1e-300, h > 0 ? nextDown(h) : 0, 0];
      for (const r of rs) expect(hypotExceeds(x, y, hypotThresholds(r))).toBe(Math.hypot(x, y) > r);
    }
  });

  it('handles zero, negative, NaN and infinite radii and lengths', () => {
    const cases: [number, number, number][] = [
      [0, 0, 0], [0, 0, 1], [1e-200, 0, 1e-201], [3, 4, -1], [3, 4, Number.NaN], [3, 4, Number.POSITIVE_INFINITY],
      [Number.NaN, 1, 1], [Number.POSITIVE_INFINITY, 0, 1e300], [1e200, 1e200, 1e200], [-0, -0, 0],
    ];
    for (const [x, y, r] of cases) expect(hypotExceeds(x, y, hypotThresholds(r))).toBe(Math.hypot(x, y) > r);
  });
});

describe('medianHypotExceeds', () => {
  it('equals medianInPlace(lengths) > m for odd and even counts, with m at, around and away from the median', () => {
    const rng = mulberry32(5);
    const xs = new Float64Array(300);
    const ys = new Float64Array(300);
    const scratch = new Float64Array(300);
    for (let t = 0; t < 5_000; t++) {
      const n = 1 + Math.floor(rng() * 60);
      for (let k = 0; k < n; k++) {
        // quantised values give ties, as flow in 1/16 px does
        xs[k] = rng() < 0.5 ? Math.round(rng() * 64 - 32) / 16 : rng() * 4 - 2;
        ys[k] = Math.round(rng() * 64 - 32) / 16;
      }
      const lengths = Float64Array.from({ length: n }, (_, k) => Math.hypot(xs[k], ys[k]));
      const med = medianInPlace(Float64Array.from(lengths));
      const sorted = Float64Array.from(lengths).sort();
      const ms = [med, nextUp(med), med > 0 ? nextDown(med) : 0, rng() * 3, sorted[n >> 1], sorted[Math.max(0, (n >> 1) - 1)], -1, Number.NaN];
      for (const m of ms) expect(medianHypotExceeds(xs, ys, n, m, scratch)).toBe(medianInPlace(Float64Array.from(lengths)) > m);
    }
  });

  it('is false for no values (the median is NaN)', () => {
    expect(medianHypotExceeds(new Float64Array(0), new Float64Array(0), 0, -1, new Float64Array(0))).toBe(false);
  });
});
