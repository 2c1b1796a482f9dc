import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/prng.js';
import { quantiseFlow, quantiseFlowValue } from '../../src/tracker/flow-quantise.js';

/** The original loop of the motion estimator: Int16Array store of the clamped Math.round. */
function original(flow: Float32Array): Int16Array {
  const out = new Int16Array(flow.length);
  for (let i = 0; i < flow.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(flow[i] * 16)));
  return out;
}

describe('quantiseFlow', () => {
  it('equals the clamped Math.round on random float32 patterns, exact ties, tiny values, extremes, NaN and infinities', () => {
    const rng = mulberry32(17);
    const n = 300_000;
    const bits = new Uint32Array(n);
    for (let i = 0; i < n; i++) bits[i] = Math.floor(rng() * 0x1_0000_0000) >>> 0;
    const random = new Float32Array(bits.buffer);
    const flows: number[] = [];
    for (let k = -700; k <= 700; k++) flows.push((k + 0.5) / 16, k / 16, (k + 0.5) / 16 + 1e-7, (k + 0.5) / 16 - 1e-7, k * 47.3);
    flows.push(0, -0, 1e-30, -1e-30, 1e-45, -1e-45, 0.03124, 0.03125, -0.03125, -0.03126, 2047.96875, 2047.9375, -2048, -2048.03125, -2047.96875, 2048, 3e38, -3e38);
    flows.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    for (let t = 0; t < 50_000; t++) flows.push(Math.round((rng() * 200 - 100) * 32) / 32 + (rng() < 0.5 ? 0 : (rng() - 0.5) * 1e-5));
    for (const input of [random, Float32Array.from(flows)]) {
      const out = new Int16Array(input.length);
      quantiseFlow(input, out);
      const want = original(input);
      for (let i = 0; i < input.length; i++) {
        if (out[i] !== want[i]) expect(`${input[i]} → ${out[i]}`).toBe(`${input[i]} → ${want[i]}`);
        if (quantiseFlowValue(input[i]) !== want[i]) expect(quantiseFlowValue(input[i])).toBe(want[i]);
      }
    }
  });

  it('rejects an output of the wrong length', () => {
    expect(() => quantiseFlow(new Float32Array(4), new Int16Array(3))).toThrow(/expected an output of 4 values, got 3/);
  });
});
