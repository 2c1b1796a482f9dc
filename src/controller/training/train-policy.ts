/**
 * Trains a λ-conditioned offloading policy on recorded traces: validates every input, prepares the
 * per-video caches (offloads, ground truth, tracker data) with progress, runs double DQN with
 * rollouts on worker threads in the {@link OffloadEnv}, keeps the net with the best validation
 * return and writes the policy file, the learning curve (JSON) and its plot (PNG/SVG).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError, describeValue } from '../../core/index.js';
import { getDeviceProfile } from '../../eval/index.js';
import { resolveChannel } from '../../pipeline/resolve-channel.js';
import { DEFAULT_ACTIONS } from '../actions.js';
import { createPolicy } from '../registry.js';
import { type TradeOff, tradeOffFeature, tradeOffFeatureScale } from '../features-v2.js';
import { type DqnHyper, type RewardHeads, type RewardRelabel, type TrainCurvePoint, type TrainProgress, type TrainResult, policyFileFromNet, resolveHyper, trainDqn } from '../learn/index.js';
import { MlpPolicy, type MlpPolicyFile, readPolicyJson, trainedTrackerOptions } from '../mlp.js';
import type { TrainEpisodeSpec, WeightSpec } from './env-module.js';
import { loadEnvVideo } from './env-video.js';
import { type TrackerOptions, resolveTrackerOptions } from '../../tracker/index.js';
import { type StateVersion, STATE_VERSIONS, isStateVersion, listVersions, stateLayout } from '../feature-layouts.js';
import { DEFAULT_REWARD_WEIGHTS } from './reward.js';
import { writeLearningCurve } from './learning-curve.js';
import { demonstrationPolicies, recordDemonstrations } from './demonstrations.js';

/** A training video and its ground truth (the oracle when absent). */
export interface TrainVideo {
  readonly video: string;
  readonly gt?: string;
}

/** Options of {@link trainPolicy}. */
export interface TrainPolicyOptions {
  readonly videos: readonly TrainVideo[];
  /** Training traces (files or presets). */
  readonly traces: readonly string[];
  /** Held-out traces for validation every `validateEvery` episodes (default: none, the final net is kept). */
  readonly valTraces?: readonly string[];
  /**
   * Videos seen only in validation (with `valTraces`), next to the training videos: model selection
   * then also rewards doing well on content the net was not trained on. Default none.
   */
  readonly valVideos?: readonly TrainVideo[];
  /** Device profile (default jetson-nano). */
  readonly device?: string;
  /** Edge model (default nanodet). */
  readonly model?: string;
  /** λc drawn per training episode (default [0.001, 0.1] log-uniform). */
  readonly lambdaChannel?: WeightSpec;
  /** λe drawn per training episode (default [0.0005, 0.02] log-uniform). */
  readonly lambdaEnergy?: WeightSpec;
  /** The trade-off written into the policy file (used when the caller gives none) and used for validation. */
  readonly tradeOff?: TradeOff;
  readonly episodes: number;
  readonly seed?: number;
  /**
   * Independent training runs with seeds seed, seed + 1, …; the one with the highest validation return
   * is kept (needs `valTraces`). Runs of one recipe differ by more than most recipe changes, so a
   * second run chosen on validation is the cheapest variance reduction. Default 1.
   */
  readonly restarts?: number;
  /** Episodes of fixed policies (the periodic grid, heuristic, minimal) put in the replay buffer first (default 0). */
  readonly demonstrations?: number;
  /** Updates on the demonstrations before the first rollout (default 0). */
  readonly pretrainUpdates?: number;
  /** Large-margin loss on the demonstrations (DQfD): margin (in return units) and weight; default none. */
  readonly expertMargin?: { readonly margin: number; readonly weight: number };
  /**
   * A fixed policy (createPolicy spec, e.g. `periodic:5,medium,stride:3`) whose per-frame reward on the
   * same episode is subtracted from the agent's during training and validation (a variance reduction
   * that leaves the best policy unchanged; returns are then relative to it). Default none.
   */
  readonly rewardBaseline?: string;
  /**
   * Hindsight λ relabelling (learn/relabel.ts): this share of every replay batch is given λc and λe
   * drawn anew from the training ranges, the reward recomposed from its parts. Default 0 (off).
   */
  readonly relabelShare?: number;
  /**
   * Reward heads (learn/heads.ts): one Q per reward part (recall, uplink, device power), combined with
   * the λs at decision time, so moving λ moves every decision toward cheaper actions. Default false.
   */
  readonly rewardHeads?: boolean;
  /**
   * With `rewardHeads`: the heads' net sees the λs (learn/heads.ts `conditioned`), so each head
   * estimates its part's return under the policy of those λs. Default false.
   */
  readonly conditionedHeads?: boolean;
  /**
   * With `rewardHeads`: the discount of the uplink head's return (learn/heads.ts `discounts`; default
   * the agent's γ, like the other heads), in [0, 1). 0 makes the uplink head predict the bytes of the
   * decision's own offload, so each λc weighs an action's long-run recall against the bytes it sends
   * now. The head's scale is multiplied by (1 − channelDiscount) / (1 − γ), the ratio of the horizons,
   * so that its shorter return keeps its weight in the loss (unscaled, the net's error on it is as large
   * as the differences between actions it must predict).
   */
  readonly channelDiscount?: number;
  /**
   * Balance the training videos by frames, not by episodes: a video's episodes are drawn
   * round(longest / its frames) times as often, so that each video gives about as many transitions
   * (by episodes, PETS09's 795 frames would outweigh a 50-frame DAVIS clip 16 to 1). Default false.
   */
  readonly balanceFrames?: boolean;
  /**
   * Mask the agent's offloads below the quality floor (quality-floor.ts), in training, validation and
   * demonstrations; the policy file says `qualityFloor: true` and masks them at run time too. Default false.
   */
  readonly qualityFloor?: boolean;
  /**
   * Options of the replayed tracker (docs/tracker.md, "Options"; default: the tracker's defaults). A
   * policy learns the tracker it is trained with: run it with the same options (`run --tracker`). The
   * metadata records them; fine-tuning (`init`) keeps the init file's unless given.
   */
  readonly tracker?: Partial<TrackerOptions>;
  /** Feature layout of the policy (2 to 6; default 3, or the `init` file's). */
  readonly featureVersion?: StateVersion;
  /** Fine-tune: start from this policy file's weights. */
  readonly init?: string;
  readonly hyper?: Partial<DqnHyper>;
  readonly validateEvery?: number;
  readonly workers?: number;
  /** Policy file to write; `<out minus .json>.curve.json`, `.png` and `.svg` are written beside it. */
  readonly out: string;
  /** Date written into the metadata (YYYY-MM-DD; default today). Pin it to reproduce a file byte for byte. */
  readonly date?: string;
  /** Frames 0..maxFrames−1 of each video (default all). */
  readonly maxFrames?: number;
  readonly onPrepare?: (done: number, total: number, what: string) => void;
  readonly onProgress?: (p: TrainProgress) => void;
  readonly signal?: AbortSignal;
}

/** Defaults of the λ ranges drawn per training episode. */
export const TRAIN_LAMBDA_DEFAULTS = Object.freeze({
  lambdaChannel: Object.freeze([0.001, 0.1]) as readonly [number, number],
  lambdaEnergy: Object.freeze([0.0005, 0.02]) as readonly [number, number],
});

/** What {@link trainPolicy} wrote and measured. */
export interface TrainPolicyResult {
  readonly policyFile: string;
  readonly curveFile: string;
  readonly plotFile: string;
  readonly policy: MlpPolicyFile;
  readonly stats: TrainResult['stats'];
  readonly curve: readonly TrainCurvePoint[];
}

const ENV_MODULE = fileURLToPath(new URL('./env-module.ts', import.meta.url));

/** Checks every input before any work, naming the bad one; resolves traces (a folder → its files). */
export async function checkTrainInputs(options: TrainPolicyOptions): Promise<void> {
  await checkResolvedInputs(resolveInit(options).options);
}

/** {@link checkTrainInputs} on options whose `init` is already resolved ({@link resolveInit}). */
async function checkResolvedInputs(o: TrainPolicyOptions): Promise<void> {
  if (!Array.isArray(o.videos) || o.videos.length === 0) throw new ValidationError('videos: expected at least one video, got none', { field: 'videos' });
  if (o.valVideos?.length && !o.valTraces?.length) throw new ValidationError('valVideos: validation videos need validation traces (valTraces)', { field: 'valVideos' });
  if (o.conditionedHeads && !o.rewardHeads) throw new ValidationError('conditionedHeads: needs rewardHeads (conditioned heads are a kind of reward heads)', { field: 'conditionedHeads' });
  if (o.channelDiscount !== undefined) {
    if (!o.rewardHeads) throw new ValidationError('channelDiscount: needs rewardHeads (it is the uplink head\'s discount)', { field: 'channelDiscount' });
    if (!(o.channelDiscount >= 0 && o.channelDiscount < 1)) throw new ValidationError(`channelDiscount: expected a number in [0, 1), got ${o.channelDiscount}`, { field: 'channelDiscount' });
  }
  for (const v of [...o.videos, ...(o.valVideos ?? [])]) {
    if (!existsSync(v.video) || !statSync(v.video).isFile()) throw new ValidationError(`video ${v.video}: no such file`, { field: 'videos', path: v.video });
    if (v.gt !== undefined && (!existsSync(v.gt) || !statSync(v.gt).isFile())) throw new ValidationError(`ground truth ${v.gt} (for ${v.video}): no such file`, { field: 'gt', path: v.gt });
  }
  if (!Array.isArray(o.traces) || o.traces.length === 0) throw new ValidationError('traces: expected at least one trace, got none', { field: 'traces' });
  for (const t of [...o.traces, ...(o.valTraces ?? [])]) {
    try {
      await resolveChannel(t);
    } catch (e) {
      throw new ValidationError(`trace ${t}: ${(e as Error).message}`, { field: 'traces', path: t });
    }
  }
  getDeviceProfile(o.device ?? 'jetson-nano');
  if (o.restarts !== undefined && (!Number.isInteger(o.restarts) || o.restarts < 1)) throw new ValidationError(`restarts: expected an integer ≥ 1, got ${describeValue(o.restarts)}`, { field: 'restarts' });
  if ((o.restarts ?? 1) > 1 && !o.valTraces?.length) throw new ValidationError('restarts: more than one run needs validation traces (valTraces) to choose between them', { field: 'restarts' });
  if (!Number.isInteger(o.episodes) || o.episodes < 1) throw new ValidationError(`episodes: expected an integer ≥ 1, got ${describeValue(o.episodes)}`, { field: 'episodes' });
  if (o.featureVersion !== undefined && !isStateVersion(o.featureVersion)) throw new ValidationError(`featureVersion: expected ${listVersions(STATE_VERSIONS)}, got ${describeValue(o.featureVersion)}`, { field: 'featureVersion' });
  if (o.rewardBaseline !== undefined) createPolicy(o.rewardBaseline);
  if (o.tracker !== undefined) resolveTrackerOptions(o.tracker);
  if (o.relabelShare !== undefined && !(o.relabelShare >= 0 && o.relabelShare <= 1)) throw new ValidationError(`relabelShare: expected a number in [0, 1], got ${describeValue(o.relabelShare)}`, { field: 'relabelShare' });
  if (o.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.date)) throw new ValidationError(`date: expected YYYY-MM-DD, got ${JSON.stringify(o.date)}`, { field: 'date' });
  if (!o.out.endsWith('.json')) throw new ValidationError(`out: expected a .json path for the policy file, got ${JSON.stringify(o.out)}`, { field: 'out' });
}

function readInitWeights(path: string, version?: StateVersion): MlpPolicyFile {
  const json = readPolicyJson(path) as MlpPolicyFile;
  const v = json?.featureVersion ?? 1;
  if (json?.type !== 'mlp' || (version === undefined ? !isStateVersion(v) : v !== version) || !Array.isArray(json.weights)) {
    const expected = version === undefined ? listVersions(STATE_VERSIONS) : String(version);
    throw new ValidationError(`init ${path}: expected an mlp policy file with featureVersion ${expected} (from edgetrack train), got type ${describeValue(json?.type)}, featureVersion ${describeValue(v)}`, { path });
  }
  new MlpPolicy(json, `init ${path}`); // every field checked as a policy file: its errors name the field
  return json;
}

/**
 * Reads and checks the `init` file once. A fine-tuning run keeps what gives the init net's outputs
 * their meaning: its reward heads (and whether they see the λs), the uplink head's discount and the
 * quality floor are taken from the file unless the options say otherwise. Options that would change
 * the net's shape are refused. (An invalid `featureVersion` is left to the input check to report.)
 */
function resolveInit(o: TrainPolicyOptions): { readonly options: TrainPolicyOptions; readonly initFile?: MlpPolicyFile } {
  if (o.init === undefined || (o.featureVersion !== undefined && !isStateVersion(o.featureVersion))) return { options: o };
  const file = readInitWeights(o.init, o.featureVersion);
  const heads = file.rewardHeads;
  if (heads && o.rewardHeads === false) throw new ValidationError(`rewardHeads: the init file ${o.init} has reward heads (3 outputs per action); fine-tuning keeps the net's shape: leave rewardHeads unset`, { field: 'rewardHeads', path: o.init });
  if (!heads && o.rewardHeads) throw new ValidationError(`rewardHeads: the init file ${o.init} has one output per action, no reward heads; fine-tuning keeps the net's shape: leave rewardHeads unset`, { field: 'rewardHeads', path: o.init });
  const discount = (file.metadata as Record<string, unknown> | undefined)?.channelDiscount;
  const options = {
    ...o,
    ...(heads ? { rewardHeads: true } : {}),
    ...(heads && o.conditionedHeads === undefined && heads.conditioned ? { conditionedHeads: true } : {}),
    ...(heads && o.channelDiscount === undefined && typeof discount === 'number' ? { channelDiscount: discount } : {}),
    ...(o.qualityFloor === undefined && file.qualityFloor ? { qualityFloor: true } : {}),
    ...(o.tracker === undefined && trainedTrackerOptions(file.metadata) ? { tracker: trainedTrackerOptions(file.metadata) } : {}),
  };
  return { options, initFile: file };
}

/**
 * How many times each video's episodes enter the training order so that every video gives about as
 * many transitions as the longest: round(longest / frames), at least 1. Throws on a count < 1.
 */
export function frameBalancedRepeats(frames: readonly number[]): number[] {
  frames.forEach((f, i) => { if (!(Number.isInteger(f) && f >= 1)) throw new ValidationError(`frames[${i}]: expected an integer ≥ 1, got ${describeValue(f)}`); });
  const longest = Math.max(...frames);
  return frames.map((f) => Math.max(1, Math.round(longest / f)));
}

/** A video as the policy file's metadata names it: its file name, or its folder's for `video.mp4`. */
function describeVideo(v: TrainVideo): { video: string; groundTruth: 'human' | 'oracle' } {
  return { video: basename(v.video) === 'video.mp4' ? basename(dirname(v.video)) : basename(v.video), groundTruth: v.gt ? 'human' : 'oracle' };
}

/** Trains and writes a policy (see the module comment). */
export async function trainPolicy(options: TrainPolicyOptions): Promise<TrainPolicyResult> {
  const { options: o, initFile } = resolveInit(options);
  await checkResolvedInputs(o);
  const model = o.model ?? 'nanodet';
  const device = o.device ?? 'jetson-nano';
  const seed = o.seed ?? 1;
  const tradeOff: TradeOff = o.tradeOff ?? DEFAULT_REWARD_WEIGHTS;
  const tracker = o.tracker && Object.keys(o.tracker).length ? o.tracker : undefined;
  // caches first, on this thread with progress: the workers then only read them
  let prepared = 0;
  const allVideos = [...o.videos, ...(o.valVideos ?? [])];
  const frames = new Map<TrainVideo, number>();
  for (const v of allVideos) {
    const loaded = await loadEnvVideo(v.video, { ...(v.gt ? { gt: v.gt } : {}), model, ...(o.maxFrames ? { maxFrames: o.maxFrames } : {}), ...(tracker ? { tracker } : {}), onProgress: (d, n) => o.onPrepare?.(d, n, v.video) });
    frames.set(v, Math.min(loaded.offloads.frames, o.maxFrames ?? Number.POSITIVE_INFINITY));
    loaded.close();
    o.onPrepare?.(++prepared, allVideos.length, 'videos');
  }
  // the feature layout: the option, else the init file's, else 3
  const layout = stateLayout(o.featureVersion ?? (initFile?.featureVersion as StateVersion | undefined) ?? 3);
  const common = { model, device, featureVersion: layout.version, ...(o.qualityFloor ? { qualityFloor: true } : {}), ...(tracker ? { tracker } : {}), ...(o.maxFrames ? { maxFrames: o.maxFrames } : {}), ...(o.rewardBaseline ? { rewardBaseline: o.rewardBaseline } : {}) };
  const repeats = o.balanceFrames ? frameBalancedRepeats(o.videos.map((v) => frames.get(v)!)) : o.videos.map(() => 1);
  const trainSpecs: TrainEpisodeSpec[] = o.videos.flatMap((v, i) => Array.from({ length: repeats[i] }, () => o.traces).flat().map((trace) => ({
    video: resolve(v.video), ...(v.gt ? { gt: resolve(v.gt) } : {}), trace: traceArg(trace), ...common,
    lambdaChannel: o.lambdaChannel ?? TRAIN_LAMBDA_DEFAULTS.lambdaChannel,
    lambdaEnergy: o.lambdaEnergy ?? TRAIN_LAMBDA_DEFAULTS.lambdaEnergy,
    traceOffsetMs: 'random' as const,
  })));
  const valSpecs: TrainEpisodeSpec[] = allVideos.flatMap((v) => (o.valTraces ?? []).map((trace) => ({
    video: resolve(v.video), ...(v.gt ? { gt: resolve(v.gt) } : {}), trace: traceArg(trace), ...common,
    lambdaChannel: tradeOff.lambdaChannel, lambdaEnergy: tradeOff.lambdaEnergy, traceOffsetMs: 0,
  })));
  const init = initFile?.weights;
  const range = (w: WeightSpec): [number, number] => (typeof w === 'number' ? [w, w] : [w[0], w[1]]);
  const relabel: RewardRelabel | undefined = o.relabelShare ? {
    share: o.relabelShare,
    weights: (['lambdaChannel', 'lambdaEnergy'] as const).map((name) => ({
      index: layout.names.indexOf(name),
      range: range(o[name] ?? TRAIN_LAMBDA_DEFAULTS[name]),
      encode: (w: number) => tradeOffFeature(name, w),
    })),
  } : undefined;
  const gamma = resolveHyper(o.hyper).gamma;
  const heads: RewardHeads | undefined = o.rewardHeads ? {
    count: 3,
    weightIndices: [layout.names.indexOf('lambdaChannel'), layout.names.indexOf('lambdaEnergy')],
    // a shorter horizon has a smaller return: its scale grows by the ratio of horizons, so each head's loss keeps its weight
    // fine-tuning keeps the init net's scales (its outputs' units)
    scales: initFile?.rewardHeads?.scales ?? [1, tradeOff.lambdaChannel * (o.channelDiscount !== undefined ? (1 - o.channelDiscount) / (1 - gamma) : 1), tradeOff.lambdaEnergy],
    featureScale: tradeOffFeatureScale(),
    ...(o.conditionedHeads ? { conditioned: true } : {}),
    ...(o.channelDiscount !== undefined ? { discounts: [gamma, o.channelDiscount, gamma] } : {}),
  } : undefined;
  const runs: { seed: number; result: TrainResult }[] = [];
  const restarts = o.restarts ?? 1;
  for (let k = 0; k < restarts && !o.signal?.aborted; k++) {
    const runSeed = seed + k;
    const demos = o.demonstrations ? await recordDemonstrations(trainSpecs, demonstrationPolicies(), o.demonstrations, runSeed, (d, n) => o.onPrepare?.(d, n, 'demonstrations')) : [];
    const result = await trainDqn({
      createEnvModule: ENV_MODULE,
      trainSpecs: trainSpecs as unknown as Record<string, unknown>[],
      valSpecs: valSpecs as unknown as Record<string, unknown>[],
      episodes: o.episodes,
      seed: runSeed,
      ...(o.hyper ? { hyper: o.hyper } : {}),
      ...(o.validateEvery ? { validateEvery: o.validateEvery } : {}),
      ...(init ? { init } : {}),
      ...(demos.length ? { demonstrations: demos, pretrainUpdates: o.pretrainUpdates ?? 0, ...(o.expertMargin ? { expertMargin: o.expertMargin } : {}) } : {}),
      ...(o.workers !== undefined ? { workers: o.workers } : {}),
      ...(relabel ? { relabel } : {}),
      ...(heads ? { heads } : {}),
      ...(o.onProgress ? { onProgress: (p: TrainProgress) => o.onProgress!(restarts === 1 ? p : { ...p, episode: k * o.episodes + p.episode, episodes: restarts * o.episodes }) } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    runs.push({ seed: runSeed, result });
  }
  const chosen = runs.reduce((a, b) => ((b.result.stats.bestValReturn ?? -Infinity) > (a.result.stats.bestValReturn ?? -Infinity) ? b : a));
  const result = chosen.result;
  const exported = policyFileFromNet(result.best, {
    features: layout.names,
    actions: DEFAULT_ACTIONS,
    maxInFlight: 1,
    ...(heads ? { rewardHeads: { scales: heads.scales, ...(heads.conditioned ? { conditioned: true } : {}) } } : {}),
    metadata: {
      trainedWith: 'edgetrack train (double DQN)',
      date: o.date ?? new Date().toISOString().slice(0, 10),
      featureVersion: layout.version,
      videos: o.videos.map(describeVideo),
      ...(o.valVideos?.length ? { valVideos: o.valVideos.map(describeVideo) } : {}),
      traces: o.traces.map(traceName),
      valTraces: (o.valTraces ?? []).map(traceName),
      device, model,
      lambdaChannelRange: o.lambdaChannel ?? TRAIN_LAMBDA_DEFAULTS.lambdaChannel,
      lambdaEnergyRange: o.lambdaEnergy ?? TRAIN_LAMBDA_DEFAULTS.lambdaEnergy,
      seed: chosen.seed, episodes: result.stats.episodes, stopped: result.stats.stopped,
      ...(restarts > 1 ? { restarts: runs.map((r) => ({ seed: r.seed, bestValReturn: r.result.stats.bestValReturn ?? null })) } : {}),
      bestEpisode: result.stats.bestEpisode, bestValReturn: result.stats.bestValReturn ?? null,
      hyper: o.hyper ?? {},
      rewardBaseline: o.rewardBaseline ?? null,
      ...(o.relabelShare ? { relabelShare: o.relabelShare } : {}),
      ...(o.rewardHeads ? { rewardHeads: o.conditionedHeads ? 'conditioned' : true } : {}),
      ...(o.channelDiscount !== undefined ? { channelDiscount: o.channelDiscount } : {}),
      ...(o.balanceFrames ? { balanceFrames: true } : {}),
      ...(o.qualityFloor ? { qualityFloor: true } : {}),
      ...(tracker ? { tracker } : {}),
      demonstrations: o.demonstrations ?? 0, pretrainUpdates: o.pretrainUpdates ?? 0, expertMargin: o.expertMargin ?? null,
      ...(o.init ? { init: basename(o.init) } : {}),
    },
  });
  const policy: MlpPolicyFile = { ...exported, featureVersion: layout.version, tradeOff, ...(o.qualityFloor ? { qualityFloor: true } : {}) };
  mkdirSync(dirname(resolve(o.out)), { recursive: true });
  writeFileSync(o.out, `${JSON.stringify(policy)}\n`);
  const base = o.out.replace(/\.json$/, '');
  const curveFile = `${base}.curve.json`;
  writeFileSync(curveFile, `${JSON.stringify({ curve: result.curve, stats: { ...result.stats, wallMs: undefined, rolloutMs: undefined, updateMs: undefined, validationMs: undefined } }, null, 1)}\n`);
  const plot = await writeLearningCurve(result.curve, base);
  return { policyFile: o.out, curveFile, plotFile: plot.pngPath, policy, stats: result.stats, curve: result.curve };
}

/** Trace files are passed to workers as absolute paths; presets as names. */
function traceArg(t: string): string {
  return existsSync(t) ? resolve(t) : t;
}

function traceName(t: string): string {
  return existsSync(t) ? basename(t) : t;
}
