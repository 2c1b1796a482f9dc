import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/index.js';
import { DqnAgent, pushEpisode } from '../../../src/controller/learn/dqn.js';
import type { EpisodeTransitions } from '../../../src/controller/learn/episode.js';
import { HeadsQ, type RewardHeads, checkHeads, decodeWeight } from '../../../src/controller/learn/heads.js';
import { MlpNet } from '../../../src/controller/learn/mlp-net.js';
import { ReplayBuffer } from '../../../src/controller/learn/replay-buffer.js';
import { DEFAULT_ACTIONS, createPolicy, makeContextFeatures } from '../../../src/controller/index.js';
import { tradeOffFeature, tradeOffFeatureScale } from '../../../src/controller/features-v2.js';
import { FEATURE_NAMES_V4 } from '../../../src/controller/features-v4.js';
import { removeTempDirs, tempDir } from '../../pipeline/helpers.js';

/** State [bias input, λc feature]; 2 actions; 2 heads (gain, one cost weighted by λc). */
const HEADS: RewardHeads = { count: 2, weightIndices: [1], scales: [1, 0.01], featureScale: tradeOffFeatureScale() };
const state = (lambda: number) => Float32Array.from([1, tradeOffFeature('lambdaChannel', lambda)]);

describe('reward heads', () => {
  it('decode inverts the state encoding of a weight', () => {
    for (const w of [0, 0.003, 0.01, 0.05]) expect(decodeWeight(HEADS, tradeOffFeature('lambdaChannel', w))).toBeCloseTo(w, 6);
  });

  it('the net does not see the weight; the value is gain − λ · cost / scale', () => {
    // outputs: head 0 (gain) of actions 0, 1 = [1, 2]; head 1 (scaled cost) = [0, 0.5]; W·x reads input 1 too
    const net = MlpNet.fromDenseLayers([{ weight: [[1, 7], [2, 7], [0, 7], [0.5, 7]], bias: [0, 0, 0, 0] }], 2);
    const q = new HeadsQ(net, HEADS);
    expect(q.outputs).toBe(2);
    const at = (l: number) => [...q.forward(state(l))];
    // λ 0.01: [1 − 0, 2 − 0.01·0.5/0.01] = [1, 1.5]; λ 0.05: [1, 2 − 2.5] = [1, −0.5] (the 7s never count)
    expect(at(0.01)[0]).toBeCloseTo(1, 6);
    expect(at(0.01)[1]).toBeCloseTo(1.5, 4);
    expect(at(0.05)[1]).toBeCloseTo(-0.5, 4);
    expect(() => checkHeads({ ...HEADS, weightIndices: [] }, 2)).toThrow(/heads\.weightIndices: expected 1 indices/);
    expect(() => new HeadsQ(MlpNet.fromDenseLayers([{ weight: [[1, 0], [1, 0], [1, 0]], bias: [0, 0, 0] }], 2), HEADS)).toThrow(/3 outputs are not 2 heads/);
  });

  it('DQN with heads learns each part\'s return, and the greedy action flips as λ rises', () => {
    // one-step episodes: action 0 → gain 1, cost 0; action 1 → gain 2, cost 50 (Mbit). Best: 1 while λ < 0.02, else 0.
    const agent = new DqnAgent({ sizes: [2, 16, 4], seed: 3, lr: 0.01, gamma: 0.9, heads: HEADS });
    const buffer = new ReplayBuffer({ capacity: 256, stateSize: 2, actionCount: 2, termCount: 2 });
    const rng = mulberry32(5);
    for (let e = 0; e < 200; e++) {
      const lambda = 0.001 + 0.05 * rng();
      const a = e % 2;
      const terms = a === 0 ? [1, 0] : [2, 50];
      const ep: EpisodeTransitions = {
        steps: 1, states: Float32Array.from([...state(lambda), ...state(lambda)]), masks: Uint8Array.from([1, 1, 1, 1]), actions: Int32Array.from([a]),
        rewards: Float64Array.from([terms[0] - lambda * terms[1]]), dones: Uint8Array.from([1]), terms: Float64Array.from(terms), totalReward: 0, truncated: false,
      };
      pushEpisode(buffer, ep, 0.9, 1);
    }
    const batch = buffer.createBatch(32);
    for (let u = 0; u < 1500; u++) agent.update(buffer.sample(32, rng, batch));
    const q = new HeadsQ(agent.online, HEADS);
    const greedy = (l: number) => { const v = q.forward(state(l)); return v[1] > v[0] ? 1 : 0; };
    expect(greedy(0.005)).toBe(1);
    expect(greedy(0.01)).toBe(1);
    expect(greedy(0.035)).toBe(0);
    expect(greedy(0.05)).toBe(0);
    const raw = agent.online.forward(Float32Array.from([1, 0]));
    expect(raw[0]).toBeCloseTo(1, 1); // gain of action 0
    expect(raw[1]).toBeCloseTo(2, 1); // gain of action 1
    expect(raw[3]).toBeCloseTo(0.5, 1); // 0.01 × cost 50 of action 1
  });
});

describe('reward heads with their own discounts', () => {
  /** A 2-step episode over states [1, λ feature, step]: both steps gain `gain` and cost 50 Mbit, whatever the action. */
  const chain = (lambda: number, a: number): EpisodeTransitions => {
    const x = (step: number) => [1, tradeOffFeature('lambdaChannel', lambda), step];
    return {
      steps: 2, states: Float32Array.from([...x(0), ...x(1), ...x(2)]), masks: new Uint8Array(6).fill(1), actions: Int32Array.from([a, a]),
      rewards: Float64Array.from([1 - 50 * lambda, 1 - 50 * lambda]), dones: Uint8Array.from([0, 1]), terms: Float64Array.from([1, 50, 1, 50]), totalReward: 0, truncated: false,
    };
  };
  const heads3: RewardHeads = { count: 2, weightIndices: [1], scales: [1, 0.01], featureScale: tradeOffFeatureScale() };

  it('n-step sums use each term\'s discount; a discount 0 keeps the step\'s own part', () => {
    const buffer = new ReplayBuffer({ capacity: 8, stateSize: 3, actionCount: 2, termCount: 2 });
    const ep = { ...chain(0.01, 0), terms: Float64Array.from([1, 10, 2, 20]) };
    pushEpisode(buffer, ep, 0.9, 2, [0.9, 0]);
    const batch = buffer.sample(32, mulberry32(1), buffer.createBatch(32));
    const byIndex = new Map<number, number[]>();
    for (let k = 0; k < batch.size; k++) byIndex.set(batch.indices[k], [batch.terms[2 * k], batch.terms[2 * k + 1]]);
    expect(byIndex.get(0)?.[0]).toBeCloseTo(1 + 0.9 * 2, 12);
    expect(byIndex.get(0)?.[1]).toBe(10);
    expect(byIndex.get(1)).toEqual([2, 20]);
    expect(() => pushEpisode(buffer, ep, 0.9, 2, [0.9])).toThrow(/expected 2 term discounts/);
    expect(() => checkHeads({ ...heads3, discounts: [0.9, 1.5] }, 3)).toThrow(/heads\.discounts: expected 2 numbers in \[0, 1\], got \[0\.9, 1\.5\]/);
  });

  it('a head with discount 0 bootstraps nothing: it learns the step\'s own part, the others the return', () => {
    const learn = (discounts?: readonly number[]) => {
      const h: RewardHeads = { ...heads3, ...(discounts ? { discounts } : {}) };
      const agent = new DqnAgent({ sizes: [3, 16, 4], seed: 3, lr: 0.01, gamma: 0.9, targetEvery: 50, heads: h });
      const buffer = new ReplayBuffer({ capacity: 64, stateSize: 3, actionCount: 2, termCount: 2 });
      for (let e = 0; e < 20; e++) pushEpisode(buffer, chain(0.01, e % 2), 0.9, 1, discounts);
      const rng = mulberry32(7);
      const batch = buffer.createBatch(32);
      for (let u = 0; u < 3000; u++) agent.update(buffer.sample(32, rng, batch));
      return agent.online.forward(Float32Array.from([1, 0, 0]));
    };
    const own = learn([0.9, 0]);
    const full = learn();
    // step 0: gain return 1 + 0.9 · 1 in both; cost head 0.01 × 50 = 0.5 (own step) vs 0.01 × (50 + 0.9 · 50) = 0.95
    expect(own[0]).toBeCloseTo(1.9, 1);
    expect(full[0]).toBeCloseTo(1.9, 1);
    expect(own[2]).toBeCloseTo(0.5, 1);
    expect(full[2]).toBeCloseTo(0.95, 1);
  });
});

describe('policy files with reward heads', () => {
  it('combine the heads with the run-time λs; errors name the field', () => {
    const dir = tempDir();
    const n = FEATURE_NAMES_V4.length;
    const A = DEFAULT_ACTIONS.length;
    // gain head: none 1, offload:low:off 2; cost head: offload:low:off 0.5 (scaled by 0.01); energy head 0
    const bias = new Array<number>(3 * A).fill(-10);
    bias[0] = 1; bias[1] = 2;
    for (let a = 0; a < A; a++) { bias[A + a] = a === 1 ? 0.5 : 0; bias[2 * A + a] = 0; }
    const weights = [{ weight: bias.map(() => new Array<number>(n).fill(0)), bias }];
    const file = join(dir, 'heads.json');
    const write = (extra: Record<string, unknown>) => writeFileSync(file, JSON.stringify({
      type: 'mlp', featureVersion: 4, features: FEATURE_NAMES_V4, tradeOff: { lambdaChannel: 0.01, lambdaEnergy: 0.002 },
      normalisation: { mean: new Array(n).fill(0), std: new Array(n).fill(1) }, weights, rewardHeads: { scales: [1, 0.01, 0.002] }, ...extra,
    }));
    write({});
    const ctx = makeContextFeatures({ frameIndex: 5 });
    expect(createPolicy(`file:${file}`).decide(ctx).kind).toBe('offload'); // 2 − 0.5 > 1
    expect(createPolicy(`file:${file}`, { tradeOff: { lambdaChannel: 0.03 } }).decide(ctx).kind).toBe('none'); // 2 − 1.5 < 1
    // conditioned: the λc input (weight 30 on the cost head of offload:low:off) now counts
    const li = FEATURE_NAMES_V4.indexOf('lambdaChannel');
    const seeing = weights.map((l) => ({ ...l, weight: l.weight.map((row, o) => row.map((w, i) => (o === A + 1 && i === li ? 30 : w))) }));
    writeFileSync(file, JSON.stringify({
      type: 'mlp', featureVersion: 4, features: FEATURE_NAMES_V4, tradeOff: { lambdaChannel: 0.01, lambdaEnergy: 0.002 },
      normalisation: { mean: new Array(n).fill(0), std: new Array(n).fill(1) }, weights: seeing, rewardHeads: { scales: [1, 0.01, 0.002] },
    }));
    expect(createPolicy(`file:${file}`).decide(ctx).kind).toBe('offload'); // λ hidden: as before
    writeFileSync(file, JSON.stringify({
      type: 'mlp', featureVersion: 4, features: FEATURE_NAMES_V4, tradeOff: { lambdaChannel: 0.01, lambdaEnergy: 0.002 },
      normalisation: { mean: new Array(n).fill(0), std: new Array(n).fill(1) }, weights: seeing, rewardHeads: { scales: [1, 0.01, 0.002], conditioned: true },
    }));
    expect(createPolicy(`file:${file}`).decide(ctx).kind).toBe('none'); // cost head 0.5 + 30 · feature(0.01) > 1
    write({ rewardHeads: { scales: [1, 0.01, 0.002], conditioned: 'yes' } });
    expect(() => createPolicy(`file:${file}`)).toThrow(/rewardHeads\.conditioned: expected true or false, got "yes"/);
    write({ rewardHeads: { scales: [1, 0] } });
    expect(() => createPolicy(`file:${file}`)).toThrow(/rewardHeads\.scales: expected 3 numbers/);
    write({ rewardHeads: { scales: [1, 0, 1] } });
    expect(() => createPolicy(`file:${file}`)).toThrow(/rewardHeads\.scales\[1\]: expected a number > 0/);
    write({ rewardHeads: undefined });
    expect(() => createPolicy(`file:${file}`)).toThrow(/weights: expected a last layer with 13 outputs/);
    removeTempDirs();
  });
});
