/**
 * Training bench (`npm run bench -- train`), agent part (issue 11):
 *  - decision cost: one forward pass of a [32, 64, 64, 13] MlpNet and a full `MlpPolicy.decide` (14 v1
 *    features → 64 → 64 → 13) against the policy loader's `Mlp.forward` on the same net (baseline), and
 *    the shipped file's `decide` (layout 6, reward heads, quality floor). Goal: a decision ≤ 0.1 ms.
 *  - DQN updates/s at batch 64 on [32, 64, 64, 13], against a baseline of the update's forward work alone
 *    (3 × 64 forward passes: online on s and s', target on s').
 *  - rollout throughput (env steps/s) on the toy chain with per-step work, with 1 and 2 worker threads
 *    against the same episodes run on the main thread (baseline). The results are byte-identical.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/core/index.js';
import { FEATURE_NAMES, DEFAULT_ACTIONS, Mlp, MlpPolicy, createPolicy, makeContextFeatures } from '../src/controller/index.js';
import { DqnAgent, MlpNet, ReplayBuffer, RolloutPool, gaussian, type RolloutJob } from '../src/controller/learn/index.js';

const TOY = fileURLToPath(new URL('../src/controller/learn/toy-env.ts', import.meta.url));
const SIZES = [32, 64, 64, 13];

/** Per-call cost of `fn`, run repeatedly for about `ms` ms after a warm-up: wall µs and CPU µs (CPU time is what contention does not inflate). */
interface Cost { readonly wallUs: number; readonly cpuUs: number }

function cost(fn: () => void, ms = 1000): Cost {
  const warm = performance.now();
  while (performance.now() - warm < ms / 5) fn();
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    t = performance.now();
  }
  const c = process.cpuUsage(c0);
  return { wallUs: ((t - t0) * 1000) / n, cpuUs: (c.user + c.system) / n };
}

const us = (c: Cost): string => `${c.wallUs.toFixed(2)} | ${c.cpuUs.toFixed(2)}`;

function decisionCost(): void {
  const net = MlpNet.create(SIZES, { seed: 1 });
  const loader = new Mlp(net.toDenseLayers(), SIZES[0]);
  const rng = mulberry32(1);
  const x = Float32Array.from({ length: SIZES[0] }, () => gaussian(rng));
  const ours = cost(() => net.forward(x));
  const base = cost(() => loader.forward(x));
  const pnet = MlpNet.create([FEATURE_NAMES.length, 64, 64, DEFAULT_ACTIONS.length], { seed: 2 });
  const policy = new MlpPolicy({
    type: 'mlp', normalisation: { mean: FEATURE_NAMES.map(() => 0), std: FEATURE_NAMES.map(() => 1) }, weights: pnet.toDenseLayers(),
  });
  const ctx = makeContextFeatures({ frameIndex: 100, fps: 7, motionPx: 3, trackCount: 5, lostCount: 1, meanConfidence: 0.8, minConfidence: 0.4, detectionAgeFrames: 6, framesSinceLastOffload: 6, inFlight: 0 });
  const decide = cost(() => policy.decide(ctx));
  console.log('\n| decision | wall µs | CPU µs | baseline: Mlp.forward on the [32, 64, 64, 13] net, wall µs | CPU µs | CPU ratio (time / baseline) | goal |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  console.log(`| MlpNet.forward [${SIZES.join(', ')}] | ${us(ours)} | ${us(base)} | ${(ours.cpuUs / base.cpuUs).toFixed(2)} | ≤ 100 µs |`);
  console.log(`| MlpPolicy.decide [14, 64, 64, 13] (features, normalisation, forward, mask) | ${us(decide)} | ${us(base)} | ${(decide.cpuUs / base.cpuUs).toFixed(2)} | ≤ 100 µs |`);
  // the shipped file: layout 6, three reward heads combined with the λs, offloads below the quality floor masked
  const shipped = createPolicy('learned');
  const floored = makeContextFeatures({
    frameIndex: 100, fps: 25, motionPx: 3, trackCount: 0, detectionAgeFrames: 6, framesSinceLastOffload: 6, inFlight: 0,
    lastAnswerDetections: 1, lastAnswerScale: 0.375, lastAnswerMaxScore: 0.35, lastAnswerMeanScore: 0.35, qualityFloor: 1, frameLongSide: 854,
  });
  const learned = cost(() => shipped.decide(floored));
  console.log(`| learned (policies/default.json: layout 6, reward heads, quality floor in force) | ${us(learned)} | ${us(base)} | ${(learned.cpuUs / base.cpuUs).toFixed(2)} | ≤ 100 µs |`);
}

function updateRate(): void {
  const [S, , , A] = SIZES;
  const agent = new DqnAgent({ sizes: SIZES, seed: 1, targetEvery: 500 });
  const buf = new ReplayBuffer({ capacity: 10_000, stateSize: S, actionCount: A });
  const rng = mulberry32(3);
  const s = new Float32Array(S);
  const n = new Float32Array(S);
  const m = new Uint8Array(A);
  for (let k = 0; k < 10_000; k++) {
    for (let i = 0; i < S; i++) { s[i] = gaussian(rng); n[i] = gaussian(rng); }
    for (let a = 0; a < A; a++) m[a] = a === 0 || rng() < 0.7 ? 1 : 0;
    buf.push(s, 0, Math.floor(rng() * A), rng() - 0.5, n, 0, m, 0, rng() < 0.01);
  }
  const batch = buf.createBatch(64);
  const sampler = mulberry32(4);
  const upd = cost(() => agent.update(buf.sample(64, sampler, batch)), 2000);
  const out = new Float32Array(64 * A);
  buf.sample(64, sampler, batch);
  const fwd = cost(() => {
    agent.online.forwardBatch(batch.states, 64, out);
    agent.online.forwardBatch(batch.nextStates, 64, out);
    agent.target.forwardBatch(batch.nextStates, 64, out);
  }, 2000);
  console.log('\n| DQN update, batch 64 | updates/s (wall) | updates/s (CPU) | ms each (CPU) | baseline: 3 × 64 forward passes, ms (CPU) | CPU ratio (update / baseline) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  console.log(`| [${SIZES.join(', ')}], Adam, Huber, double-DQN targets, sampling | ${(1e6 / upd.wallUs).toFixed(0)} | ${(1e6 / upd.cpuUs).toFixed(0)} | ${(upd.cpuUs / 1000).toFixed(3)} | ${(fwd.cpuUs / 1000).toFixed(3)} | ${(upd.cpuUs / fwd.cpuUs).toFixed(2)} |`);
}

async function rolloutThroughput(): Promise<void> {
  const net = MlpNet.create([32, 64, 64, 3], { seed: 5 });
  const work = 20_000; // arithmetic rounds per step: mimics a simulator step of ~0.1 ms
  const jobs: RolloutJob[] = Array.from({ length: 64 }, (_, i) => ({ spec: { length: 30, horizon: 200, work }, seed: i, epsilon: 1 }));
  const rows: { workers: number; stepsPerS: number; steps: number; ms: number; cpuMs: number }[] = [];
  for (const workers of [0, 1, 2]) {
    const pool = await RolloutPool.create({ envModule: TOY, workers });
    try {
      await pool.run(net, jobs.slice(0, 4)); // warm-up
      let ms = Infinity;
      let cpuMs = Infinity;
      let steps = 0;
      for (let rep = 0; rep < 3; rep++) { // best of 3: the machine is shared
        const c0 = process.cpuUsage(); // the whole process: main thread and workers
        const t0 = performance.now();
        const eps = await pool.run(net, jobs);
        ms = Math.min(ms, performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
        steps = eps.reduce((s, e) => s + e.steps, 0);
      }
      rows.push({ workers, stepsPerS: (steps * 1000) / ms, steps, ms, cpuMs });
    } finally {
      await pool.close();
    }
  }
  const base = rows[0];
  console.log(`\n| rollouts: toy chain (length 30, 32 inputs), ${jobs.length} episodes, work ${work}/step, ε 1, net [32, 64, 64, 3] | env steps | wall ms (best of 3) | process CPU ms (all threads) | steps/s (wall) | ratio vs main thread |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.workers === 0 ? 'main thread (baseline)' : `${r.workers} worker${r.workers > 1 ? 's' : ''}`} | ${r.steps} | ${r.ms.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ${r.stepsPerS.toFixed(0)} | ${(r.stepsPerS / base.stepsPerS).toFixed(2)} |`);
  }
}

export async function run(): Promise<void> {
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2 cores: figures above ~1.5 mean contention)`);
  decisionCost();
  updateRate();
  await rolloutThroughput();
}
