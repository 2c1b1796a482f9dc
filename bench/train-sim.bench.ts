/**
 * Controller training bench, simulator part (`npm run bench -- train`): simulated frames per second on
 * one core (goal ≥ 2,000), by wall clock and per second of process CPU time (less inflated by other
 * jobs on a shared machine) against the baseline measured in the same process — the real tracker
 * (MultiTracker.update on decoded frames of the same clip), which is what a replay run spends per
 * frame before any encode or detection; the cost of one decision of the learned policy (goal ≤ 0.1
 * ms) against the heuristic's; and the process's peak memory. Uses the sample clip (120 frames; the
 * offload and motion caches are built on first use) and, when present, the PETS09 video of ../shared.
 */
import { loadavg } from 'node:os';
import { createPolicy, makeContextFeatures } from '../src/controller/index.js';
import { loadEnvVideo } from '../src/controller/training/env-video.js';
import { OffloadEnv } from '../src/controller/training/offload-env.js';
import { offlineFrames } from '../src/pipeline/offline-frames.js';
import { MultiTracker } from '../src/tracker/index.js';
import { findPetsVideo } from '../src/video/index.js';

const SAMPLE = new URL('../videos/pets09-s2l1-300.mp4', import.meta.url).pathname;
const POLICIES = ['periodic:5,medium,stride:3', 'periodic:10,high,full', 'heuristic', 'full'];

async function simulatedFps(video: string, maxFrames: number | undefined): Promise<{ fps: number; cpuFps: number; frames: number }> {
  const v = await loadEnvVideo(video, maxFrames ? { maxFrames } : {});
  const env = await OffloadEnv.create({ video, trace: 'lte-drive', lambdaChannel: 0.02, lambdaEnergy: 0.02, ...(maxFrames ? { maxFrames } : {}) }, v);
  for (const p of POLICIES) env.runPolicy(createPolicy(p)); // warm-up
  let frames = 0;
  const t = performance.now();
  const c0 = process.cpuUsage();
  for (let r = 0; r < 3; r++) for (const p of POLICIES) frames += env.runPolicy(createPolicy(p)).frames;
  const fps = (frames / (performance.now() - t)) * 1000;
  const c = process.cpuUsage(c0);
  // process CPU time (all threads, GC included): the figure that contention on a shared machine inflates least
  const cpuFps = (frames / ((c.user + c.system) / 1000)) * 1000;
  v.close();
  return { fps, cpuFps, frames };
}

async function realTrackerFps(video: string, maxFrames: number): Promise<number> {
  const tracker = await MultiTracker.create();
  const frames = [];
  for await (const f of offlineFrames(video, maxFrames)()) frames.push(f);
  const t = performance.now();
  for (const f of frames) tracker.update(f);
  const ms = performance.now() - t;
  tracker.close();
  return (frames.length / ms) * 1000;
}

function decisionMs(spec: string): number {
  const policy = createPolicy(spec);
  const ctxs = Array.from({ length: 1000 }, (_, i) => makeContextFeatures({ frameIndex: i, fps: 10, trackCount: i % 12, meanConfidence: 0.7, minConfidence: 0.4, motionPx: (i % 7) * 1.5, uplinkMbps: 1 + (i % 5) }));
  for (const c of ctxs) policy.decide(c);
  const t = performance.now();
  for (let r = 0; r < 20; r++) for (const c of ctxs) policy.decide(c);
  return (performance.now() - t) / (20 * ctxs.length);
}

/** Bench entry point. */
export async function run(): Promise<void> {
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores: numbers are only comparable on an idle machine)`);
  const rows: string[][] = [];
  const sample = await simulatedFps(SAMPLE, 120);
  const baseline = await realTrackerFps(SAMPLE, 120);
  rows.push(['sample clip, 120 frames, 4 policies', sample.fps.toFixed(0), sample.cpuFps.toFixed(0), baseline.toFixed(0), (sample.fps / baseline).toFixed(1)]);
  const pets = await findPetsVideo();
  if (pets) {
    const p = await simulatedFps(pets, undefined);
    rows.push(['PETS09-S2L1, 795 frames, 4 policies', p.fps.toFixed(0), p.cpuFps.toFixed(0), '', '']);
  } else {
    console.log('PETS09 video not found (scripts/fetch-pets-video.sh): sample clip only');
  }
  console.log('\n| episode | simulated frames/s (1 core, wall) | simulated frames/s per CPU second | real tracker frames/s (baseline) | ratio (wall) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  const heuristic = decisionMs('heuristic');
  const learned = decisionMs('learned');
  console.log('\n| decision | ms per decision | × heuristic |');
  console.log('| --- | ---: | ---: |');
  console.log(`| heuristic (baseline) | ${heuristic.toFixed(4)} | 1.0 |`);
  console.log(`| learned (MLP, policies/default.json) | ${learned.toFixed(4)} | ${(learned / heuristic).toFixed(1)} |`);
  console.log(`\npeak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
