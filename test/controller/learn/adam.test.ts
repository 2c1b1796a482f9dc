import { describe, expect, it } from 'vitest';
import { Adam } from '../../../src/controller/learn/adam.js';

describe('Adam', () => {
  it('first step, hand-worked: each parameter moves by lr·sign(g) (bias correction)', () => {
    // t = 1: m = 0.1·g, v = 0.001·g²; m̂ = m / 0.1 = g, v̂ = v / 0.001 = g² ⇒ Δ = −lr · g / (|g| + ε)
    const p = Float64Array.from([1, -2, 0.5]);
    const g = Float64Array.from([0.5, -4, 0]);
    const adam = new Adam(3, { lr: 0.1 });
    const norm = adam.step(p, g);
    expect(norm).toBeCloseTo(Math.sqrt(0.25 + 16), 12);
    expect(p[0]).toBeCloseTo(1 - 0.1 * 0.5 / (0.5 + 1e-8), 12); // 0.9
    expect(p[1]).toBeCloseTo(-2 + 0.1 * 4 / (4 + 1e-8), 12); // −1.9
    expect(p[2]).toBe(0.5); // g = 0 ⇒ no move
  });

  it('second step, hand-worked', () => {
    // g1 = 1, g2 = 0.5, lr = 0.01, β1 = 0.9, β2 = 0.999
    // m2 = 0.9·0.1 + 0.1·0.5 = 0.14;   v2 = 0.999·0.001 + 0.001·0.25 = 0.001249
    // m̂ = 0.14 / (1 − 0.81) = 0.736842…; v̂ = 0.001249 / (1 − 0.998001) = 0.624812…
    // Δ2 = −0.01 · 0.736842 / (√0.624812 + 1e-8) = −0.009321…
    const p = Float64Array.from([0]);
    const adam = new Adam(1, { lr: 0.01 });
    adam.step(p, Float64Array.from([1]));
    expect(p[0]).toBeCloseTo(-0.01, 9);
    adam.step(p, Float64Array.from([0.5]));
    const mHat = 0.14 / 0.19;
    const vHat = 0.001249 / (1 - 0.999 ** 2);
    const p1 = -0.01 / (1 + 1e-8); // step 1: −lr·g/(|g| + ε)
    expect(p[0]).toBeCloseTo(p1 - (0.01 * mHat) / (Math.sqrt(vHat) + 1e-8), 14);
    expect(adam.steps).toBe(2);
  });

  it('global-norm clipping scales the gradient to maxNorm (PyTorch clip_grad_norm_)', () => {
    const g = Float32Array.from([3, 4]); // ‖g‖ = 5
    const adam = new Adam(2, { lr: 0.1, maxGradNorm: 1 });
    expect(adam.step(new Float32Array(2), g)).toBe(5);
    expect(g[0]).toBeCloseTo(0.6, 6);
    expect(g[1]).toBeCloseTo(0.8, 6);
    const small = Float32Array.from([0.3, 0.4]); // ‖g‖ = 0.5 < 1: untouched
    new Adam(2, { maxGradNorm: 1 }).step(new Float32Array(2), small);
    expect(Array.from(small)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it('minimises a quadratic', () => {
    const p = Float64Array.from([3, -2]);
    const adam = new Adam(2, { lr: 0.05 });
    for (let i = 0; i < 2000; i++) adam.step(p, Float64Array.from([2 * (p[0] - 1), 2 * (p[1] + 1)]));
    expect(p[0]).toBeCloseTo(1, 3);
    expect(p[1]).toBeCloseTo(-1, 3);
  });

  it('bad options and sizes are named', () => {
    expect(() => new Adam(2, { lr: 0 })).toThrow(/adam lr: expected a number > 0, got 0/);
    expect(() => new Adam(2, { beta2: 1 })).toThrow(/adam beta2: expected a number in \[0, 1\), got 1/);
    expect(() => new Adam(2, { maxGradNorm: -1 })).toThrow(/adam maxGradNorm: expected a number > 0, got -1/);
    expect(() => new Adam(2).step(new Float32Array(3), new Float32Array(3))).toThrow(/adam step: expected params and grads of 2 values, got 3 and 3/);
  });
});
