import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/index.js';
import { pushEpisode } from '../../../src/controller/learn/dqn.js';
import type { EpisodeTransitions } from '../../../src/controller/learn/episode.js';
import { checkRelabel, relabelBatch, type RewardRelabel } from '../../../src/controller/learn/relabel.js';
import { ReplayBuffer } from '../../../src/controller/learn/replay-buffer.js';

/** A 3-step episode, state [x, w] (w = the weight's feature = 10·w), reward = recall − w · cost at w = 0.5. */
function episode(): EpisodeTransitions {
  const recall = [1, 2, 3];
  const cost = [0.5, 0, 4];
  const w = 0.5;
  return {
    steps: 3,
    states: Float32Array.from([0, 10 * w, 1, 10 * w, 2, 10 * w, 3, 10 * w]),
    masks: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1]),
    actions: Int32Array.from([0, 1, 0]),
    rewards: Float64Array.from(recall.map((r, t) => r - w * cost[t])),
    dones: Uint8Array.from([0, 0, 1]),
    terms: Float64Array.from(recall.flatMap((r, t) => [r, cost[t]])),
    totalReward: 0,
    truncated: false,
  };
}

const spec = (share: number): RewardRelabel => ({ share, weights: [{ index: 1, range: [0.1, 1], encode: (w) => 10 * w }] });

describe('hindsight relabelling', () => {
  it('n-step transitions carry the discounted sums of the reward terms', () => {
    const buf = new ReplayBuffer({ capacity: 8, stateSize: 2, actionCount: 2, termCount: 2 });
    pushEpisode(buf, episode(), 0.5, 2);
    const b = buf.sample(3, (() => { const seq = [0, 0.34, 0.67]; let j = 0; return () => seq[j++]; })(), buf.createBatch(3));
    // t=0: recall 1 + 0.5·2 = 2, cost 0.5 + 0.5·0 = 0.5; t=1: 2 + 0.5·3 = 3.5, 0 + 0.5·4 = 2; t=2 (done): 3, 4
    expect(Array.from(b.terms)).toEqual([2, 0.5, 3.5, 2, 3, 4]);
    // the stored reward is the terms recomposed at the episode's weight
    expect(Array.from(b.rewards)).toEqual([2 - 0.5 * 0.5, 3.5 - 0.5 * 2, 3 - 0.5 * 4]);
  });

  it('relabelled samples get a new weight in state and next state and the reward recomposed with it', () => {
    const buf = new ReplayBuffer({ capacity: 8, stateSize: 2, actionCount: 2, termCount: 2 });
    pushEpisode(buf, episode(), 0.5, 1);
    const rng = mulberry32(3);
    const batch = buf.createBatch(64);
    buf.sample(64, rng, batch);
    const before = Float64Array.from(batch.rewards);
    relabelBatch(batch, spec(1), 2, rng);
    const weights = new Set<number>();
    for (let k = 0; k < 64; k++) {
      const w = batch.states[2 * k + 1] / 10;
      expect(batch.nextStates[2 * k + 1]).toBe(batch.states[2 * k + 1]);
      expect(w).toBeGreaterThanOrEqual(0.1 - 1e-6);
      expect(w).toBeLessThanOrEqual(1 + 1e-6);
      expect(batch.rewards[k]).toBeCloseTo(batch.terms[2 * k] - w * batch.terms[2 * k + 1], 5);
      weights.add(Math.round(w * 1000));
    }
    expect(weights.size).toBeGreaterThan(30);
    expect(Array.from(batch.rewards)).not.toEqual(Array.from(before));
  });

  it('share 0 changes nothing; a share of ½ relabels about half the samples', () => {
    const buf = new ReplayBuffer({ capacity: 8, stateSize: 2, actionCount: 2, termCount: 2 });
    pushEpisode(buf, episode(), 0.5, 1);
    const batch = buf.sample(400, mulberry32(1), buf.createBatch(400));
    const states = Float32Array.from(batch.states);
    relabelBatch(batch, spec(0), 2, mulberry32(2));
    expect(Array.from(batch.states)).toEqual(Array.from(states));
    relabelBatch(batch, spec(0.5), 2, mulberry32(2));
    let changed = 0;
    for (let k = 0; k < 400; k++) changed += batch.states[2 * k + 1] !== states[2 * k + 1] ? 1 : 0;
    expect(changed).toBeGreaterThan(150);
    expect(changed).toBeLessThan(250);
  });

  it('errors name the problem', () => {
    expect(() => checkRelabel({ share: 1.5, weights: spec(1).weights }, 2)).toThrow(/relabel share/);
    expect(() => checkRelabel({ share: 1, weights: [{ index: 2, range: [0, 1], encode: (w) => w }] }, 2)).toThrow(/relabel weights\[0\]\.index: expected an integer in \[0, 2\), got 2/);
    expect(() => checkRelabel({ share: 1, weights: [{ index: 0, range: [1, 0.5], encode: (w) => w }] }, 2)).toThrow(/range: expected 0 ≤ lo ≤ hi, got \[1, 0.5\]/);
    const noTerms = new ReplayBuffer({ capacity: 4, stateSize: 2, actionCount: 2, termCount: 2 });
    const { terms: _t, ...bare } = episode();
    expect(() => pushEpisode(noTerms, bare, 0.9, 1)).toThrow(/keeps 2 reward terms per step, the episode has 0 values for 3 steps/);
  });
});
