import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/index.js';
import { ReplayBuffer } from '../../../src/controller/learn/replay-buffer.js';

/** Pushes transition k: state [k, k+0.5], action k % 3, reward k, next state [k+1, k+1.5], mask of bit pattern k. */
function pushK(buf: ReplayBuffer, k: number): void {
  const s = Float32Array.from([k, k + 0.5]);
  const n = Float32Array.from([k + 1, k + 1.5]);
  const m = Uint8Array.from([1, k & 1, (k >> 1) & 1]);
  buf.push(s, 0, k % 3, k, n, 0, m, 0, k % 4 === 3, 1 + (k % 2));
}

describe('ReplayBuffer', () => {
  it('keeps every field; wraps around overwriting the oldest', () => {
    const buf = new ReplayBuffer({ capacity: 4, stateSize: 2, actionCount: 3 });
    for (let k = 0; k < 6; k++) pushK(buf, k);
    expect(buf.size).toBe(4);
    expect(buf.pushed).toBe(6);
    // slots: 0 ← k=4, 1 ← k=5, 2 ← k=2, 3 ← k=3. Sample them all with a generator that walks the slots.
    const seq = [0, 0.25, 0.5, 0.75];
    let j = 0;
    const batch = buf.sample(4, () => seq[j++], buf.createBatch(4));
    expect(Array.from(batch.indices)).toEqual([0, 1, 2, 3]);
    expect(Array.from(batch.rewards)).toEqual([4, 5, 2, 3]);
    expect(Array.from(batch.actions)).toEqual([1, 2, 2, 0]);
    expect(Array.from(batch.states)).toEqual([4, 4.5, 5, 5.5, 2, 2.5, 3, 3.5]);
    expect(Array.from(batch.nextStates)).toEqual([5, 5.5, 6, 6.5, 3, 3.5, 4, 4.5]);
    // masks [1, k&1, (k>>1)&1]: k=4 → 1,0,0; k=5 → 1,1,0; k=2 → 1,0,1; k=3 → 1,1,1
    expect(Array.from(batch.nextMasks)).toEqual([1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1]);
    expect(Array.from(batch.dones)).toEqual([0, 0, 0, 1]);
    expect(Array.from(batch.horizons)).toEqual([1, 2, 1, 2]);
  });

  it('reads from offsets into episode arrays', () => {
    const buf = new ReplayBuffer({ capacity: 2, stateSize: 2, actionCount: 2 });
    const states = Float32Array.from([0, 1, 2, 3, 4, 5]);
    const masks = Uint8Array.from([1, 1, 1, 0, 0, 1]);
    buf.push(states, 2, 1, -1, states, 4, masks, 4, true);
    const b = buf.sample(1, () => 0, buf.createBatch(1));
    expect(Array.from(b.states)).toEqual([2, 3]);
    expect(Array.from(b.nextStates)).toEqual([4, 5]);
    expect(Array.from(b.nextMasks)).toEqual([0, 1]);
    expect(b.dones[0]).toBe(1);
  });

  it('sampling is uniform over stored transitions and reproducible from the seed', () => {
    const buf = new ReplayBuffer({ capacity: 10, stateSize: 2, actionCount: 3 });
    for (let k = 0; k < 25; k++) pushK(buf, k); // slots hold k = 20..24, 15..19
    const batch = buf.createBatch(64);
    const counts = new Map<number, number>();
    const rng = mulberry32(3);
    const draws = 20_000;
    for (let r = 0; r < draws / 64; r++) {
      buf.sample(64, rng, batch);
      for (const x of batch.rewards) counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    // χ² with 9 degrees of freedom: p = 0.001 at 27.9
    const n = (draws / 64 | 0) * 64;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
    const a = buf.sample(64, mulberry32(99), buf.createBatch(64));
    const b = buf.sample(64, mulberry32(99), buf.createBatch(64));
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(buf.sample(64, mulberry32(100), buf.createBatch(64)).indices)).not.toEqual(Array.from(a.indices));
  });

  it('errors are named', () => {
    const buf = new ReplayBuffer({ capacity: 2, stateSize: 1, actionCount: 2 });
    expect(() => buf.sample(1, () => 0, buf.createBatch(1))).toThrow(/replay sample: the buffer is empty/);
    const s = new Float32Array(1);
    const m = Uint8Array.from([1, 1]);
    expect(() => buf.push(s, 0, 2, 0, s, 0, m, 0, false)).toThrow(/replay push action: expected an integer in \[0, 2\), got 2/);
    expect(() => buf.push(s, 0, 0, NaN, s, 0, m, 0, false)).toThrow(/replay push reward: expected a finite number, got NaN/);
    expect(() => new ReplayBuffer({ capacity: 0, stateSize: 1, actionCount: 1 })).toThrow(/replay capacity: expected an integer ≥ 1, got 0/);
  });
});
