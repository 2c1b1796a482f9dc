import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/index.js';
import { epsilonGreedy, maskedArgmax } from '../../../src/controller/learn/action-selection.js';
import { DqnAgent, pushEpisode } from '../../../src/controller/learn/dqn.js';
import { runEpisode } from '../../../src/controller/learn/episode.js';
import { MlpNet } from '../../../src/controller/learn/mlp-net.js';
import { ReplayBuffer } from '../../../src/controller/learn/replay-buffer.js';
import { ToyChainEnv } from '../../../src/controller/learn/toy-env.js';

/** A 2-input net whose outputs are fixed linear maps of the input: out = W·x (no hidden layer). */
function linear(weight: number[][]): MlpNet {
  return MlpNet.fromDenseLayers([{ weight, bias: weight.map(() => 0) }], weight[0].length);
}

describe('action masking', () => {
  it('maskedArgmax ignores masked actions, ties → lowest index', () => {
    expect(maskedArgmax([5, 1, 3], [0, 1, 1])).toBe(2);
    expect(maskedArgmax([1, 3, 3], [1, 1, 1])).toBe(1);
    expect(maskedArgmax([1, 3], [0, 0])).toBe(-1);
  });

  it('ε-greedy never chooses a masked action, greedy or random; random choices are uniform over allowed ones', () => {
    const net = linear([[10, 0], [1, 0], [2, 0], [0, 0]]); // action 0 scores highest
    const mask = Uint8Array.from([0, 1, 1, 1]);
    const x = [1, 0];
    expect(epsilonGreedy(net, x, mask, 0, () => { throw new Error('no draw at ε = 0'); })).toBe(2);
    const rng = mulberry32(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[epsilonGreedy(net, x, mask, 1, rng)]++;
    expect(counts[0]).toBe(0);
    for (const a of [1, 2, 3]) expect(counts[a]).toBeGreaterThan(900);
    expect(() => epsilonGreedy(net, x, new Uint8Array(4), 0, rng)).toThrow(/at least one allowed action/);
  });

  it('a masked action is never the bootstrap target; online net chooses, target net evaluates (double DQN)', () => {
    const agent = new DqnAgent({ sizes: [2, 3], gamma: 0.5 });
    // online: Q(s', ·) = [9, 1, 2] for s' = [1, 0]; target: [100, 30, 4]
    agent.online.setParams(linear([[9, 0], [1, 0], [2, 0]]).params);
    agent.target.setParams(linear([[100, 0], [30, 0], [4, 0]]).params);
    const buf = new ReplayBuffer({ capacity: 4, stateSize: 2, actionCount: 3 });
    const s = Float32Array.from([0, 1]);
    const next = Float32Array.from([1, 0]);
    buf.push(s, 0, 0, 1, next, 0, Uint8Array.from([0, 1, 1]), 0, false); // action 0 masked in s'
    buf.push(s, 0, 0, 1, next, 0, Uint8Array.from([1, 1, 1]), 0, false); // all allowed
    buf.push(s, 0, 0, 1, next, 0, Uint8Array.from([1, 1, 1]), 0, true); // done: no bootstrap
    buf.push(s, 0, 0, 1, next, 0, Uint8Array.from([0, 1, 1]), 0, false, 3); // 3-step horizon
    const seq = [0, 0.25, 0.5, 0.75];
    let j = 0;
    const batch = buf.sample(4, () => seq[j++], buf.createBatch(4));
    const y = agent.tdTargets(batch, new Float64Array(4));
    // online argmax over allowed {1, 2} = 2 (score 2 > 1); evaluated by target: 4 ⇒ y = 1 + 0.5·4 = 3.
    // (Plain DQN would take max target = 30 → 16; ignoring the mask: online picks 0 → 1 + 0.5·100 = 51.)
    expect(y[0]).toBe(3);
    // all allowed: online picks 0 (9) ⇒ target 100 ⇒ 1 + 50 = 51
    expect(y[1]).toBe(51);
    expect(y[2]).toBe(1);
    expect(y[3]).toBe(1 + 0.125 * 4);
  });
});

describe('DqnAgent.update', () => {
  it('reduces the TD loss on a fixed batch; hard target copy every targetEvery updates', () => {
    const agent = new DqnAgent({ sizes: [2, 8, 3], seed: 4, lr: 1e-2, targetEvery: 3, gamma: 0.9 });
    const buf = new ReplayBuffer({ capacity: 8, stateSize: 2, actionCount: 3 });
    const rng = mulberry32(2);
    for (let k = 0; k < 8; k++) {
      buf.push(Float32Array.from([rng(), rng()]), 0, k % 3, k % 2, Float32Array.from([rng(), rng()]), 0, Uint8Array.from([1, 1, 0]), 0, true);
    }
    const batch = buf.sample(8, mulberry32(5), buf.createBatch(8));
    const target0 = Float32Array.from(agent.target.params);
    const first = agent.update(batch);
    agent.update(batch);
    expect(Array.from(agent.target.params)).toEqual(Array.from(target0)); // not copied yet
    agent.update(batch);
    expect(Array.from(agent.target.params)).toEqual(Array.from(agent.online.params)); // copied at update 3
    let last = first;
    for (let i = 0; i < 200; i++) last = agent.update(batch);
    expect(last).toBeLessThan(first * 0.1);
    expect(agent.updates).toBe(203);
  });

  it('bad options are named', () => {
    expect(() => new DqnAgent({ sizes: [2, 2], gamma: 1.5 })).toThrow(/dqn gamma: expected a number in \[0, 1\], got 1.5/);
    expect(() => new DqnAgent({ sizes: [2, 2], targetEvery: 0 })).toThrow(/dqn targetEvery: expected an integer ≥ 1, got 0/);
  });
});

describe('episodes and n-step transitions', () => {
  it('runEpisode records states, masks, actions, rewards; masked actions never taken even at ε = 1', () => {
    const net = MlpNet.create([8, 16, 3], { seed: 1 });
    for (let seed = 0; seed < 30; seed++) {
      const env = new ToyChainEnv({ length: 6 }, seed); // stepping a masked action would throw
      const ep = runEpisode(env, net, { epsilon: 1, seed });
      expect(ep.states.length).toBe((ep.steps + 1) * 8);
      expect(ep.masks.length).toBe((ep.steps + 1) * 3);
      for (let t = 0; t < ep.steps; t++) expect(ep.masks[t * 3 + ep.actions[t]]).toBe(1);
      expect(ep.totalReward).toBeCloseTo(ep.rewards.reduce((s, r) => s + r, 0), 12);
      expect(ep.dones[ep.steps - 1]).toBe(1);
      expect(ep.truncated).toBe(false);
    }
    const a = runEpisode(new ToyChainEnv({}, 3), net, { epsilon: 0.5, seed: 3 });
    const b = runEpisode(new ToyChainEnv({}, 3), net, { epsilon: 0.5, seed: 3 });
    expect(Array.from(a.actions)).toEqual(Array.from(b.actions));
    const cut = runEpisode(new ToyChainEnv({ start: 0 }, 0), net, { epsilon: 0, seed: 0, maxSteps: 1 });
    expect(cut.steps).toBe(1);
    expect(cut.truncated).toBe(true);
  });

  it('pushEpisode: n-step sums, horizons, done at the end, truncated tail bootstraps', () => {
    // a hand-made 4-step episode, S = 1, A = 2; states 0..4, rewards 1, 2, 3, 4, done at the last step
    const ep = {
      steps: 4, states: Float32Array.from([0, 1, 2, 3, 4]), masks: Uint8Array.from([1, 1, 1, 0, 1, 1, 0, 1, 1, 1]),
      actions: Int32Array.from([0, 1, 0, 1]), rewards: Float64Array.from([1, 2, 3, 4]), dones: Uint8Array.from([0, 0, 0, 1]),
      totalReward: 10, truncated: false,
    };
    const buf = new ReplayBuffer({ capacity: 4, stateSize: 1, actionCount: 2 });
    pushEpisode(buf, ep, 0.5, 2);
    let j = 0;
    const b = buf.sample(4, () => [0, 0.25, 0.5, 0.75][j++], buf.createBatch(4));
    expect(Array.from(b.rewards)).toEqual([1 + 0.5 * 2, 2 + 0.5 * 3, 3 + 0.5 * 4, 4]);
    expect(Array.from(b.nextStates)).toEqual([2, 3, 4, 4]);
    expect(Array.from(b.horizons)).toEqual([2, 2, 2, 1]);
    expect(Array.from(b.dones)).toEqual([0, 0, 1, 1]);
    expect(Array.from(b.nextMasks)).toEqual([1, 1, 0, 1, 1, 1, 1, 1]); // mask entries 2, 3, 4, 4
    // same episode cut at step 4 without done: the last transitions bootstrap from state 4
    const cutBuf = new ReplayBuffer({ capacity: 4, stateSize: 1, actionCount: 2 });
    pushEpisode(cutBuf, { ...ep, dones: new Uint8Array(4), truncated: true }, 0.5, 2);
    j = 0;
    const c = cutBuf.sample(4, () => [0, 0.25, 0.5, 0.75][j++], cutBuf.createBatch(4));
    expect(Array.from(c.dones)).toEqual([0, 0, 0, 0]);
    expect(Array.from(c.horizons)).toEqual([2, 2, 2, 1]);
  });
});

describe('large-margin loss on demonstrations (DQfD)', () => {
  it('makes the demonstrated action the greedy one by the margin when the TD targets do not separate the actions', () => {
    // one state, all rewards 0, done: the TD loss alone pulls every Q value to 0 and keeps the initial argmax
    const make = () => {
      const agent = new DqnAgent({ sizes: [2, 3], gamma: 0.9, lr: 0.05 });
      agent.online.setParams(linear([[0.3, 0], [0.1, 0], [0.2, 0]]).params); // argmax 0
      agent.target.copyFrom(agent.online);
      const buf = new ReplayBuffer({ capacity: 4, stateSize: 2, actionCount: 3 });
      const x = Float32Array.from([1, 0]);
      buf.push(x, 0, 1, 0, x, 0, Uint8Array.from([1, 1, 1]), 0, true);
      return { agent, buf };
    };
    const rng = mulberry32(3);
    const plain = make();
    const expert = make();
    const b1 = plain.buf.createBatch(1);
    const b2 = expert.buf.createBatch(1);
    const e2 = expert.buf.createBatch(1);
    for (let i = 0; i < 400; i++) {
      plain.agent.update(plain.buf.sample(1, rng, b1));
      expert.agent.update(expert.buf.sample(1, rng, b2), { batch: expert.buf.sample(1, rng, e2), margin: 0.1, weight: 1 });
    }
    const q = (a: DqnAgent) => Array.from(a.online.forward([1, 0], 0));
    // TD alone: Q(·, 1) → 0 but action 1 is not preferred
    expect(maskedArgmax(q(plain.agent), [1, 1, 1])).not.toBe(1);
    // with the margin loss, the demonstrated action 1 leads by about the margin
    const qe = q(expert.agent);
    expect(maskedArgmax(qe, [1, 1, 1])).toBe(1);
    expect(qe[1] - Math.max(qe[0], qe[2])).toBeGreaterThan(0.05);
  });
});
