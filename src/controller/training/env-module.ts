/**
 * The env-factory module of controller training: `createEnv(spec, seed)` builds one episode of the
 * {@link OffloadEnv} for the learning agent (src/controller/learn), also inside rollout worker threads.
 * Videos are loaded once per thread and reused by every episode on them.
 */
import { mulberry32 } from '../../core/prng.js';
import type { EpisodeSpec } from './episode.js';
import { type LoadedEnvVideo, loadEnvVideo } from './env-video.js';
import { OffloadEnv } from './offload-env.js';
import { createPolicy } from '../registry.js';
import type { StateVersion } from '../feature-layouts.js';
import type { TrackerOptions } from '../../tracker/index.js';

/** A weight given as a value or as a range [lo, hi] sampled log-uniformly per episode (lo may be 0: then uniform). */
export type WeightSpec = number | readonly [number, number];

/**
 * One training episode before its randomness is drawn: the λs may be ranges, and the trace start
 * offset `random` (uniform over the trace's period). JSON-safe.
 */
export interface TrainEpisodeSpec extends Omit<EpisodeSpec, 'lambdaChannel' | 'lambdaEnergy' | 'traceOffsetMs'> {
  readonly lambdaChannel: WeightSpec;
  readonly lambdaEnergy: WeightSpec;
  readonly traceOffsetMs?: number | 'random';
  /** A fixed policy (createPolicy spec) whose per-frame reward is subtracted from the agent's ({@link OffloadEnv.setRewardBaseline}); default none. */
  readonly rewardBaseline?: string;
  /** Feature layout of the agent's state (default 3; feature-layouts.ts). */
  readonly featureVersion?: StateVersion;
  /** Mask the agent's offloads below the quality floor (quality-floor.ts); default false. */
  readonly qualityFloor?: boolean;
  /** Options of the replayed tracker (default: the tracker's defaults). */
  readonly tracker?: Partial<TrackerOptions>;
}

const videos = new Map<string, Promise<LoadedEnvVideo>>();

/** The loaded video of a spec, shared by the episodes of this thread. */
function videoOf(spec: TrainEpisodeSpec): Promise<LoadedEnvVideo> {
  const key = JSON.stringify([spec.video, spec.gt ?? null, spec.model ?? 'nanodet', spec.maxFrames ?? null, spec.tracker ?? null]);
  let v = videos.get(key);
  if (!v) {
    v = loadEnvVideo(spec.video, { ...(spec.gt ? { gt: spec.gt } : {}), ...(spec.model ? { model: spec.model } : {}), ...(spec.maxFrames ? { maxFrames: spec.maxFrames } : {}), ...(spec.tracker ? { tracker: spec.tracker } : {}) });
    videos.set(key, v);
  }
  return v;
}

/** Draws a weight: a number as is; a range log-uniformly (uniformly when lo is 0). */
export function drawWeight(w: WeightSpec, rng: () => number): number {
  if (typeof w === 'number') return w;
  const [lo, hi] = w;
  if (lo <= 0) return lo + (hi - lo) * rng();
  return Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rng());
}

/** Resolves a training spec into a concrete episode with `seed`: λs and trace offset drawn. */
export async function concreteEpisode(spec: TrainEpisodeSpec, seed: number): Promise<{ env: OffloadEnv; episode: EpisodeSpec }> {
  const rng = mulberry32(seed);
  const lambdaChannel = drawWeight(spec.lambdaChannel, rng);
  const lambdaEnergy = drawWeight(spec.lambdaEnergy, rng);
  const video = await videoOf(spec);
  const { rewardBaseline: _baseline, featureVersion, qualityFloor, tracker: _tracker, ...rest } = spec;
  const options = { featureVersion: featureVersion ?? 3, qualityFloor: qualityFloor ?? false };
  const draft: EpisodeSpec = { ...rest, lambdaChannel, lambdaEnergy, traceOffsetMs: 0 };
  let env = await OffloadEnv.create(draft, video, options);
  let episode = draft;
  if (spec.traceOffsetMs === 'random' || typeof spec.traceOffsetMs === 'number') {
    const offset = spec.traceOffsetMs === 'random' ? Math.floor(rng() * env.tracePeriodMs) : spec.traceOffsetMs;
    episode = { ...draft, traceOffsetMs: offset };
    env = await OffloadEnv.create(episode, video, options);
  }
  if (spec.rewardBaseline) env.setRewardBaseline(createPolicy(spec.rewardBaseline));
  return { env, episode };
}

/** Env-factory entry point for the learning agent's rollouts. */
export async function createEnv(spec: Readonly<Record<string, unknown>>, seed: number): Promise<OffloadEnv> {
  return (await concreteEpisode(spec as unknown as TrainEpisodeSpec, seed)).env;
}
