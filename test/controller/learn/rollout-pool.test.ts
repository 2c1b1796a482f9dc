import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MlpNet } from '../../../src/controller/learn/mlp-net.js';
import { RolloutPool, type RolloutJob } from '../../../src/controller/learn/rollout-pool.js';
import type { EpisodeTransitions } from '../../../src/controller/learn/episode.js';

const TOY = fileURLToPath(new URL('../../../src/controller/learn/toy-env.ts', import.meta.url));
const NO_FACTORY = fileURLToPath(new URL('./fixtures/no-factory-env.ts', import.meta.url));
const CRASH = fileURLToPath(new URL('./fixtures/crash-env.ts', import.meta.url));

/** Every byte of every episode, in order. */
function bytes(eps: EpisodeTransitions[]): Buffer {
  return Buffer.concat(eps.flatMap((e) => [e.states, e.masks, e.actions, e.rewards, e.dones].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
}

// job 0 is much slower than the others (work per step), so with 2 workers later jobs finish first
const jobs: RolloutJob[] = Array.from({ length: 7 }, (_, i) => ({
  spec: { start: i % 2, horizon: 10 + i, work: i === 0 ? 200_000 : 0 }, seed: 1000 + i, epsilon: i % 2 ? 0.5 : 0.2,
}));
const net = MlpNet.create([8, 16, 3], { seed: 2 });
const pools: RolloutPool[] = [];
afterAll(async () => { await Promise.all(pools.map((p) => p.close())); });

describe('RolloutPool', () => {
  it('0 (in-process), 1 and 2 workers return the same bytes, in job order', async () => {
    const results: Buffer[] = [];
    for (const workers of [0, 1, 2]) {
      const pool = await RolloutPool.create({ envModule: TOY, workers });
      pools.push(pool);
      expect(pool.workerCount).toBe(workers);
      const eps = await pool.run(net, jobs);
      expect(eps).toHaveLength(jobs.length);
      eps.forEach((e, i) => expect(e.states[jobs[i].spec.start as number]).toBe(1)); // job order: one-hot start position
      results.push(bytes(eps));
      await pool.close();
    }
    expect(results[1].equals(results[0])).toBe(true);
    expect(results[2].equals(results[0])).toBe(true);
  });

  it('uses the snapshot taken at run(): changing the net afterwards changes nothing in flight', async () => {
    const pool = await RolloutPool.create({ envModule: TOY, workers: 1 });
    pools.push(pool);
    const mine = net.clone();
    const pending = pool.run(mine, jobs.slice(1, 4));
    mine.params.fill(0);
    const a = await pending;
    const b = await pool.run(net, jobs.slice(1, 4));
    expect(bytes(a).equals(bytes(b))).toBe(true);
    await pool.close();
    await pool.close(); // idempotent
    await expect(pool.run(net, jobs)).rejects.toThrow(/rollout pool: closed/);
  });

  it('a failing episode rejects naming the job; the pool stays usable', async () => {
    const pool = await RolloutPool.create({ envModule: TOY, workers: 2 });
    pools.push(pool);
    const bad = [...jobs.slice(1, 3), { spec: { horizon: 0 }, seed: 1, epsilon: 0 }];
    await expect(pool.run(net, bad)).rejects.toThrow(/rollout job 2: toy env spec\.horizon: expected an integer ≥ 1, got 0/);
    expect(await pool.run(net, jobs.slice(1, 3))).toHaveLength(2);
    await pool.close();
  });

  it('a worker thread that dies rejects the run; the pool then refuses runs until recreated; close still works', async () => {
    const pool = await RolloutPool.create({ envModule: CRASH, workers: 2 });
    pools.push(pool);
    expect(await pool.run(net, jobs.slice(1, 3))).toHaveLength(2);
    await expect(pool.run(net, [jobs[1], { spec: { crash: true }, seed: 1, epsilon: 0 }])).rejects.toThrow(/rollout pool: a worker thread exited with code 3/);
    await expect(pool.run(net, jobs.slice(1, 2))).rejects.toThrow(/close the pool and create a new one/);
    await pool.close();
  });

  it('bad env modules and jobs are named before any episode runs', async () => {
    await expect(RolloutPool.create({ envModule: 'toy-env.ts' })).rejects.toThrow(/env module: expected an absolute path or a file: URL, got "toy-env.ts"/);
    await expect(RolloutPool.create({ envModule: '/nonexistent/env.ts' })).rejects.toThrow(/env module \/nonexistent\/env\.ts: no such file/);
    await expect(RolloutPool.create({ envModule: NO_FACTORY, workers: 1 })).rejects.toThrow(/expected an exported function createEnv\(spec, seed\), got undefined/);
    await expect(RolloutPool.create({ envModule: NO_FACTORY, workers: 0 })).rejects.toThrow(/expected an exported function createEnv/);
    const pool = await RolloutPool.create({ envModule: TOY, workers: 0 });
    await expect(pool.run(net, [{ spec: {}, seed: -1, epsilon: 0 }])).rejects.toThrow(/rollout job 0\.seed: expected an integer in \[0, 2\^32\), got -1/);
    await expect(pool.run(net, [{ spec: {}, seed: 1, epsilon: 2 }])).rejects.toThrow(/rollout job 0\.epsilon: expected a number in \[0, 1\], got 2/);
    await pool.close();
  });
});
