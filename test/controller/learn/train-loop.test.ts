import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runEpisode } from '../../../src/controller/learn/episode.js';
import { MlpNet } from '../../../src/controller/learn/mlp-net.js';
import { ToyChainEnv } from '../../../src/controller/learn/toy-env.js';
import { type TrainDqnOptions, epsilonAt, resolveHyper, trainDqn } from '../../../src/controller/learn/train-loop.js';
import { toyOptimalValues } from './toy-optimum.js';

const TOY = fileURLToPath(new URL('../../../src/controller/learn/toy-env.ts', import.meta.url));
const GAMMA = 0.9;

/** Discounted return of the greedy policy of `net` from a given start. */
function greedyReturn(net: MlpNet, start: number): number {
  const ep = runEpisode(new ToyChainEnv({ start }, 0), net, { epsilon: 0, seed: 0 });
  return ep.rewards.reduce((s, r, t) => s + r * GAMMA ** t, 0);
}

const tiny = (seed: number, workers: number): TrainDqnOptions => ({
  createEnvModule: TOY, trainSpecs: [{}, { horizon: 12 }], valSpecs: [{ start: 0 }, { start: 1 }], episodes: 12, seed, workers, validateEvery: 4,
  hyper: { hidden: [16], batch: 8, warmup: 10, targetEvery: 5, epsDecayEpisodes: 8, episodesPerRound: 3, nStep: 2, gamma: GAMMA },
});
const weightBytes = (net: MlpNet): string => JSON.stringify(net.toDenseLayers());

describe('trainDqn', () => {
  it('learns the toy chain optimum (masked leap included) within 300 episodes', async () => {
    // optimum from 0: leap, stay (clears the cool-down), leap, right — found by 8 of 8 seeds with this recipe
    const optimum = toyOptimalValues(6, 18, GAMMA);
    const curve: number[] = [];
    const r = await trainDqn({
      createEnvModule: TOY, trainSpecs: [{}], valSpecs: [{ start: 0 }, { start: 1 }], episodes: 300, seed: 7, workers: 0, validateEvery: 20,
      hyper: { hidden: [32, 32], gamma: GAMMA, batch: 32, warmup: 100, targetEvery: 100, epsDecayEpisodes: 150, lr: 2e-3, nStep: 3 },
      onProgress: (p) => curve.push(p.trainReturn),
    });
    for (const start of [0, 1]) expect(greedyReturn(r.best, start)).toBeCloseTo(optimum[start], 9);
    expect(r.stats.episodes).toBe(300);
    expect(r.curve).toHaveLength(300);
    expect(r.curve.filter((c) => c.valReturn !== undefined)).toHaveLength(15);
    expect(r.stats.bestValReturn).toBeGreaterThan(0);
    // untrained net is not already optimal (the test can fail)
    const fresh = MlpNet.create([8, 32, 32, 3], { seed: 7 });
    expect(greedyReturn(fresh, 0)).toBeLessThan(optimum[0] - 0.01);
  });

  it('same seed ⇒ byte-identical weights, with 1 and 2 workers and twice; another seed differs', async () => {
    const a = await trainDqn(tiny(3, 1));
    const b = await trainDqn(tiny(3, 2));
    const c = await trainDqn(tiny(3, 2));
    const d = await trainDqn(tiny(4, 2));
    expect(a.stats.updates).toBeGreaterThan(10);
    expect(weightBytes(b.final)).toBe(weightBytes(a.final));
    expect(weightBytes(c.final)).toBe(weightBytes(a.final));
    expect(weightBytes(c.best)).toBe(weightBytes(a.best));
    expect(Buffer.from(c.final.params.buffer).equals(Buffer.from(a.final.params.buffer))).toBe(true);
    expect(c.curve).toEqual(a.curve);
    expect(weightBytes(d.final)).not.toBe(weightBytes(a.final));
    expect(a.stats.workers).toBe(1);
    expect(b.stats.workers).toBe(2);
  });

  it('overlapped rollouts (one-round policy lag): same bytes with 0 and 2 workers, and not the plain schedule', async () => {
    const overlapped = (workers: number): TrainDqnOptions => ({ ...tiny(3, workers), hyper: { ...tiny(3, workers).hyper, overlapRollouts: true } });
    const a = await trainDqn(overlapped(0));
    const b = await trainDqn(overlapped(2));
    const plain = await trainDqn(tiny(3, 0));
    expect(weightBytes(b.final)).toBe(weightBytes(a.final));
    expect(b.curve).toEqual(a.curve);
    expect(a.stats.updates).toBe(plain.stats.updates);
    expect(weightBytes(a.final)).not.toBe(weightBytes(plain.final));
  });

  it('--init fine-tunes from policy-file weights; a bad shape is named', async () => {
    const first = await trainDqn(tiny(3, 0));
    const tuned = await trainDqn({ ...tiny(5, 0), init: first.final.toDenseLayers() });
    expect(tuned.stats.sizes).toEqual([8, 16, 3]);
    expect(tuned.stats.bestValReturn).toBeGreaterThanOrEqual(first.curve.at(-1)!.valReturn!);
    await expect(trainDqn({ ...tiny(5, 0), init: MlpNet.create([7, 4, 3]).toDenseLayers() })).rejects.toThrow(/init\.weights\[0\]\.weight\[0\]: expected 8 numbers/);
    await expect(trainDqn({ ...tiny(5, 0), init: MlpNet.create([8, 4, 2]) })).rejects.toThrow(/init: expected a net with 8 inputs and 3 outputs \(the env's\), got \[8, 4, 2\]/);
  });

  it('stops at a round boundary when aborted', async () => {
    const ac = new AbortController();
    const r = await trainDqn({ ...tiny(3, 0), onProgress: (p) => { if (p.episode >= 6) ac.abort(); }, signal: ac.signal });
    expect(r.stats.stopped).toBe(true);
    expect(r.stats.episodes).toBe(6);
  });

  it('hyper-parameters and options are checked with the field named', async () => {
    expect(() => resolveHyper({ gamma: 2 })).toThrow(/hyper\.gamma: expected a number in \[0, 1\], got 2/);
    expect(() => resolveHyper({ hidden: [0] })).toThrow(/hyper\.hidden: expected an array of integers ≥ 1, got \[0\]/);
    expect(() => resolveHyper({ batch: 0 })).toThrow(/hyper\.batch: expected an integer ≥ 1, got 0/);
    await expect(trainDqn({ ...tiny(1, 0), trainSpecs: [] })).rejects.toThrow(/trainSpecs: expected at least one episode spec, got none/);
    await expect(trainDqn({ ...tiny(1, 0), episodes: 0 })).rejects.toThrow(/episodes: expected an integer ≥ 1, got 0/);
    expect(epsilonAt(0, { epsStart: 1, epsEnd: 0.1, epsDecayEpisodes: 10 })).toBe(1);
    expect(epsilonAt(5, { epsStart: 1, epsEnd: 0.1, epsDecayEpisodes: 10 })).toBeCloseTo(0.55, 12);
    expect(epsilonAt(50, { epsStart: 1, epsEnd: 0.1, epsDecayEpisodes: 10 })).toBe(0.1);
  });
});
