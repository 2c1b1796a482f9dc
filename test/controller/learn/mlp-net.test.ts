import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/index.js';
import { DEFAULT_ACTIONS, FEATURE_NAMES, Mlp, MlpPolicy, featureVector, makeContextFeatures } from '../../../src/controller/index.js';
import { MlpNet, gaussian, shortestFloat32 } from '../../../src/controller/learn/mlp-net.js';
import { huber, huberGrad } from '../../../src/controller/learn/loss.js';
import { checkGradient } from './gradient-check.js';

/** A batch of (input, action, target) samples whose TD errors fall on both sides of the Huber δ. */
function samples(n: number, inputs: number, outputs: number, seed: number) {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => ({
    x: Float64Array.from({ length: inputs }, () => gaussian(rng)),
    action: Math.floor(rng() * outputs),
    target: gaussian(rng) * 2,
  }));
}

type Sample = ReturnType<typeof samples>[number];

/** Mean Huber loss of Q(x, action) against target over the batch. */
function batchLoss(net: MlpNet, batch: Sample[]): number {
  let s = 0;
  for (const b of batch) s += huber(net.forward(b.x)[b.action] - b.target);
  return s / batch.length;
}

/** Analytic gradient of batchLoss into net.grads. */
function batchBackward(net: MlpNet, batch: Sample[]): void {
  net.zeroGrad();
  for (const b of batch) {
    const q = net.forward(b.x)[b.action];
    net.backwardAt(b.action, huberGrad(q - b.target) / batch.length);
  }
}

describe('MlpNet backward: numerical gradient check (float64, central differences)', () => {
  const sizes = [5, 7, 6, 4];
  const batch = samples(12, 5, 4, 42);

  it('analytic gradient matches central differences for every parameter to 1e-6 relative', () => {
    const net = MlpNet.create(sizes, { seed: 3, precision: 'float64' });
    // biases non-zero so that they matter and ReLUs are on both sides
    for (let i = 0; i < net.params.length; i++) net.params[i] += 0.05 * Math.sin(i);
    batchBackward(net, batch);
    const r = checkGradient(net.params, net.grads, () => batchLoss(net, batch));
    expect(r.maxRelError).toBeLessThan(1e-6);
    // the batch exercises both Huber regions
    const errors = batch.map((b) => Math.abs(net.forward(b.x)[b.action] - b.target));
    expect(errors.some((e) => e < 1)).toBe(true);
    expect(errors.some((e) => e > 1)).toBe(true);
  });

  it('the check fails when one gradient entry is wrong (it is a real check)', () => {
    const net = MlpNet.create(sizes, { seed: 3, precision: 'float64' });
    batchBackward(net, batch);
    const wrong = Float64Array.from(net.grads);
    const k = wrong.findIndex((g) => Math.abs(g) > 1e-3);
    wrong[k] *= 1.01; // a 1 % error in one entry
    expect(checkGradient(net.params, wrong, () => batchLoss(net, batch)).maxRelError).toBeGreaterThan(1e-3);
  });

  it('float32 net: same gradient as the float64 net on the same parameters (to float32 rounding)', () => {
    const f32 = MlpNet.create(sizes, { seed: 3 });
    const f64 = MlpNet.create(sizes, { seed: 3, precision: 'float64' });
    f64.params.set(f32.params);
    batchBackward(f32, batch);
    batchBackward(f64, batch);
    let worst = 0;
    for (let i = 0; i < f32.grads.length; i++) worst = Math.max(worst, Math.abs(f32.grads[i] - f64.grads[i]));
    const scale = Math.max(...Array.from(f64.grads, Math.abs));
    expect(worst / scale).toBeLessThan(1e-4);
  });

  it('backward accumulates until zeroGrad', () => {
    const net = MlpNet.create([3, 4, 2], { seed: 1 });
    net.forward([1, -1, 0.5]);
    net.backwardAt(1, 1);
    const once = Float32Array.from(net.grads);
    net.backward([0, 1]);
    net.grads.forEach((g, i) => expect(g).toBeCloseTo(2 * once[i], 6));
    net.zeroGrad();
    expect(net.grads.every((g) => g === 0)).toBe(true);
    expect(() => net.backward([1])).toThrow(/mlp backward: expected 2 output gradients, got 1/);
  });
});

describe('MlpNet init and forward', () => {
  it('He init: seeded, std ≈ √(2/fan_in), zero biases', () => {
    const a = MlpNet.create([200, 300, 2], { seed: 7 });
    const b = MlpNet.create([200, 300, 2], { seed: 7 });
    const c = MlpNet.create([200, 300, 2], { seed: 8 });
    expect(Buffer.from(a.params.buffer).equals(Buffer.from(b.params.buffer))).toBe(true);
    expect(Buffer.from(a.params.buffer).equals(Buffer.from(c.params.buffer))).toBe(false);
    const w = Array.from(a.params.subarray(0, 200 * 300));
    const mean = w.reduce((s, x) => s + x, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(std / Math.sqrt(2 / 200)).toBeGreaterThan(0.98);
    expect(std / Math.sqrt(2 / 200)).toBeLessThan(1.02);
    expect(a.params.subarray(200 * 300, 200 * 300 + 300).every((x) => x === 0)).toBe(true);
  });

  it('hand-worked forward (ReLU hidden, linear output) and batch = singles', () => {
    const net = MlpNet.fromDenseLayers([
      { weight: [[1, 1], [-1, -1]], bias: [-1, 0] },
      { weight: [[2, -1], [-1, 0]], bias: [0.5, 0] },
    ], 2);
    // same example as the policy loader's test: h = relu([1+2−1, −1−2]) = [2, 0]; out = [4.5, −2]
    expect(Array.from(net.forward([1, 2]))).toEqual([4.5, -2]);
    const out = new Float32Array(4);
    net.forwardBatch([1, 2, 3, -1], 2, out);
    expect(Array.from(out.subarray(0, 2))).toEqual([4.5, -2]);
    expect(Array.from(out.subarray(2))).toEqual(Array.from(net.forward([3, -1])));
    expect(() => net.forward([1])).toThrow(/mlp input: expected 2 values at offset 0, got an array of 1/);
  });

  it('bad sizes and bad layers are named', () => {
    expect(() => MlpNet.create([3])).toThrow(/mlp sizes: expected \[inputs, …hidden, outputs\]/);
    expect(() => MlpNet.create([3, 0, 2])).toThrow(/mlp sizes/);
    expect(() => MlpNet.fromDenseLayers([{ weight: [[1, 2, 3]], bias: [0] }], 2, 'init.weights')).toThrow(/init\.weights\[0\]\.weight\[0\]: expected 2 numbers/);
    const a = MlpNet.create([2, 3]);
    expect(() => a.copyFrom(MlpNet.create([2, 4]))).toThrow(/mlp copyFrom: expected sizes \[2, 3\], got \[2, 4\]/);
  });
});

describe('MlpNet ⇄ policy-file weights', () => {
  it('shortestFloat32 reads back to the same float32', () => {
    const rng = mulberry32(9);
    for (let i = 0; i < 1000; i++) {
      const x = Math.fround(gaussian(rng) * 10 ** Math.floor(rng() * 8 - 4));
      expect(Math.fround(shortestFloat32(x))).toBe(x);
    }
    expect(shortestFloat32(Math.fround(0.1))).toBe(0.1);
  });

  it('export → JSON → import is exact; the policy loader computes the same outputs', () => {
    const net = MlpNet.create([FEATURE_NAMES.length, 16, 16, DEFAULT_ACTIONS.length], { seed: 11 });
    for (let i = 0; i < net.params.length; i++) net.params[i] += 0.01 * Math.cos(i); // non-zero biases
    const layers = JSON.parse(JSON.stringify(net.toDenseLayers()));
    const back = MlpNet.fromDenseLayers(layers, FEATURE_NAMES.length);
    expect(back.sizes).toEqual(net.sizes);
    expect(Buffer.from(back.params.buffer).equals(Buffer.from(net.params.buffer))).toBe(true);
    const loader = new Mlp(layers, FEATURE_NAMES.length);
    const policy = new MlpPolicy({
      type: 'mlp',
      normalisation: { mean: FEATURE_NAMES.map(() => 0), std: FEATURE_NAMES.map(() => 1) },
      weights: layers,
    });
    const rng = mulberry32(5);
    for (let k = 0; k < 20; k++) {
      const ctx = makeContextFeatures({
        frameIndex: 10 + k, fps: 7, motionPx: 20 * rng(), trackCount: Math.floor(8 * rng()), lostCount: 1,
        meanConfidence: rng(), minConfidence: 0.1, detectionAgeFrames: 3, framesSinceLastOffload: 2, inFlight: 0,
      });
      const x = featureVector(ctx);
      const ours = Array.from(net.forward(x));
      expect(Array.from(loader.forward(x))).toEqual(ours);
      expect(Array.from(policy.scores(ctx))).toEqual(ours);
    }
  });
});
