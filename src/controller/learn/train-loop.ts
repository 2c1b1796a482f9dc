/**
 * The DQN training loop: rollouts on worker threads in rounds, updates on the main thread between
 * rounds, greedy validation every K episodes keeping the best net.
 *
 * Round r runs `episodesPerRound` training episodes with one policy snapshot (the online net at the
 * round's start), ε from the linear schedule at each episode's index and the episode's own seed; their
 * transitions enter the replay buffer in episode order; then `updatesPerStep × steps of the round`
 * updates run (once the buffer holds `warmup` transitions). The round size is a hyper-parameter, not the
 * worker count, so the same seed, specs and hyper-parameters give byte-identical weights with any number
 * of workers (0, 1, 2, …).
 */
import { ValidationError, mulberry32, requireInRange, requireInteger } from '../../core/index.js';
import type { DenseLayerJson } from '../mlp.js';
import { DqnAgent, pushEpisode } from './dqn.js';
import type { EpisodeSpec } from './env.js';
import type { EpisodeTransitions } from './episode.js';
import { MlpNet } from './mlp-net.js';
import { type ReplayBatch, ReplayBuffer } from './replay-buffer.js';
import { type RewardRelabel, checkRelabel, relabelBatch } from './relabel.js';
import { type RewardHeads, headDiscounts } from './heads.js';
import { RolloutPool, type RolloutJob } from './rollout-pool.js';
import { SEED_STREAM, deriveSeed } from './seeds.js';

/** Hyper-parameters of {@link trainDqn}; defaults in {@link DQN_HYPER_DEFAULTS}. */
export interface DqnHyper {
  /** Hidden layer widths (ignored with `init`: its shape wins). */
  readonly hidden: readonly number[];
  /** Adam learning rate. */
  readonly lr: number;
  /** Discount γ per step. */
  readonly gamma: number;
  /** Transitions per update. */
  readonly batch: number;
  /** Replay capacity (transitions). */
  readonly bufferSize: number;
  /** Hard target-network copy every this many updates. */
  readonly targetEvery: number;
  /** ε of the first episode. */
  readonly epsStart: number;
  /** ε from episode `epsDecayEpisodes` on (linear in between). */
  readonly epsEnd: number;
  readonly epsDecayEpisodes: number;
  /** Updates per collected environment step (may be fractional, e.g. 0.25). */
  readonly updatesPerStep: number;
  /** Transitions in the buffer before the first update. */
  readonly warmup: number;
  /** n of the n-step return. */
  readonly nStep: number;
  /** Global gradient-norm clip. */
  readonly maxGradNorm: number;
  /** Episodes per round (one policy snapshot each; independent of the worker count). */
  readonly episodesPerRound: number;
  /**
   * Run round r+1's episodes on the workers while the main thread does round r's updates, with a snapshot
   * taken before those updates (a one-round policy lag). Still deterministic and independent of the worker
   * count; faster when rollouts and updates take comparable time.
   */
  readonly overlapRollouts: boolean;
}

interface Round {
  readonly first: number;
  readonly n: number;
  readonly promise: Promise<EpisodeTransitions[]>;
}

/** Defaults of {@link DqnHyper}. */
export const DQN_HYPER_DEFAULTS: DqnHyper = Object.freeze({
  hidden: Object.freeze([64, 64]),
  lr: 1e-3,
  gamma: 0.99,
  batch: 64,
  bufferSize: 100_000,
  targetEvery: 500,
  epsStart: 1,
  epsEnd: 0.05,
  epsDecayEpisodes: 100,
  updatesPerStep: 1,
  warmup: 1000,
  nStep: 1,
  maxGradNorm: 10,
  episodesPerRound: 2,
  overlapRollouts: false,
});

/** One progress report (after every round). */
export interface TrainProgress {
  /** Training episodes done. */
  readonly episode: number;
  readonly episodes: number;
  /** ε of the round's last episode. */
  readonly epsilon: number;
  /** Mean return of the round's training episodes. */
  readonly trainReturn: number;
  /** Mean greedy return over the validation specs, when this round validated. */
  readonly valReturn?: number;
  readonly bestValReturn?: number;
  /** Mean Huber loss of the round's updates (NaN when none ran). */
  readonly loss: number;
  readonly steps: number;
  readonly updates: number;
  readonly elapsedMs: number;
}

/** Options of {@link trainDqn}. */
export interface TrainDqnOptions {
  /** Env-factory module (absolute path or file: URL) exporting `createEnv(spec, seed)`. */
  readonly createEnvModule: string;
  /** Training episodes cycle through these, in an order reshuffled (seeded) at every pass. */
  readonly trainSpecs: readonly EpisodeSpec[];
  /** Held-out episodes for greedy validation (none: the final net is the best). */
  readonly valSpecs?: readonly EpisodeSpec[];
  /** Training episodes. */
  readonly episodes: number;
  /** Run seed: net init, episode seeds, spec order, replay sampling. */
  readonly seed: number;
  readonly hyper?: Partial<DqnHyper>;
  /** Validate every this many episodes (default 50) and after the last one. */
  readonly validateEvery?: number;
  /**
   * Episodes of other (behaviour) policies put in the replay buffer before training, e.g. fixed
   * baseline policies: DQN is off-policy, so it learns from them what ε-greedy exploration alone
   * would take long to find. Default none.
   */
  readonly demonstrations?: readonly EpisodeTransitions[];
  /** Updates on the demonstrations alone before the first rollout (default 0). */
  readonly pretrainUpdates?: number;
  /**
   * Large-margin loss on the demonstrations (DQfD): every update also takes a batch of them with
   * this margin and weight (default: none, the demonstrations are plain replay data).
   */
  readonly expertMargin?: { readonly margin: number; readonly weight: number };
  /**
   * Hindsight relabelling of the trade-off weights (relabel.ts): the envs' steps must give reward terms;
   * this share of every replay batch gets new weights. Default none.
   */
  readonly relabel?: RewardRelabel;
  /** Reward heads (heads.ts): one Q per reward part, weighted by the state's weights. Default none. */
  readonly heads?: RewardHeads;
  /** Start from these weights (policy-file `weights` or a net) instead of a fresh init: fine-tuning. */
  readonly init?: MlpNet | readonly DenseLayerJson[];
  /** Rollout workers (default min(2, cores); 0 = main thread). Does not change the result. */
  readonly workers?: number;
  /** Step limit per episode (default 1,000,000). */
  readonly maxSteps?: number;
  readonly onProgress?: (p: TrainProgress) => void;
  /** Stops at the next round boundary; the result covers the episodes done (`stats.stopped`). */
  readonly signal?: AbortSignal;
}

/** One learning-curve point per training episode. */
export interface TrainCurvePoint {
  readonly episode: number;
  readonly trainReturn: number;
  /** Mean greedy validation return, on the episodes after which validation ran. */
  readonly valReturn?: number;
}

/** Counters and timings of a run. */
export interface TrainStats {
  readonly episodes: number;
  readonly steps: number;
  readonly updates: number;
  readonly sizes: readonly number[];
  readonly workers: number;
  /** Episode after which the best net was validated (0 = the initial net; -1 without validation). */
  readonly bestEpisode: number;
  readonly bestValReturn: number | undefined;
  readonly stopped: boolean;
  readonly wallMs: number;
  readonly rolloutMs: number;
  readonly updateMs: number;
  readonly validationMs: number;
}

/** Result of {@link trainDqn}. */
export interface TrainResult {
  /** Net with the highest mean validation return (the final net without validation specs). */
  readonly best: MlpNet;
  readonly final: MlpNet;
  readonly curve: TrainCurvePoint[];
  readonly stats: TrainStats;
}

/** Linear ε schedule: epsStart at episode 0, epsEnd from `epsDecayEpisodes` on. */
export function epsilonAt(episode: number, h: Pick<DqnHyper, 'epsStart' | 'epsEnd' | 'epsDecayEpisodes'>): number {
  const f = h.epsDecayEpisodes > 0 ? Math.max(0, 1 - episode / h.epsDecayEpisodes) : 0;
  return h.epsEnd + (h.epsStart - h.epsEnd) * f;
}

/** Checks and completes hyper-parameters (errors name the field). */
export function resolveHyper(hyper: Partial<DqnHyper> = {}): DqnHyper {
  const h: DqnHyper = { ...DQN_HYPER_DEFAULTS, ...hyper };
  if (!Array.isArray(h.hidden) || h.hidden.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new ValidationError(`hyper.hidden: expected an array of integers ≥ 1, got ${JSON.stringify(h.hidden)}`);
  }
  requireInRange(h.lr, 'hyper.lr', Number.MIN_VALUE, 1);
  requireInRange(h.gamma, 'hyper.gamma', 0, 1);
  requireInteger(h.batch, 'hyper.batch', 1);
  requireInteger(h.bufferSize, 'hyper.bufferSize', 1);
  requireInteger(h.targetEvery, 'hyper.targetEvery', 1);
  requireInRange(h.epsStart, 'hyper.epsStart', 0, 1);
  requireInRange(h.epsEnd, 'hyper.epsEnd', 0, 1);
  requireInteger(h.epsDecayEpisodes, 'hyper.epsDecayEpisodes', 0);
  requireInRange(h.updatesPerStep, 'hyper.updatesPerStep', 0, 1000);
  requireInteger(h.warmup, 'hyper.warmup', 0);
  requireInteger(h.nStep, 'hyper.nStep', 1);
  if (h.nStep > 255) throw new ValidationError(`hyper.nStep: expected an integer in [1, 255], got ${h.nStep}`);
  requireInRange(h.maxGradNorm, 'hyper.maxGradNorm', Number.MIN_VALUE, Number.MAX_VALUE);
  requireInteger(h.episodesPerRound, 'hyper.episodesPerRound', 1);
  if (typeof h.overlapRollouts !== 'boolean') throw new ValidationError(`hyper.overlapRollouts: expected true or false, got ${JSON.stringify(h.overlapRollouts)}`);
  return h;
}

function initialNet(init: TrainDqnOptions['init'], hidden: readonly number[], stateSize: number, actionCount: number, seed: number): MlpNet {
  if (init === undefined) return MlpNet.create([stateSize, ...hidden, actionCount], { seed: deriveSeed(seed, SEED_STREAM.init) });
  const net = init instanceof MlpNet ? init.clone() : MlpNet.fromDenseLayers(init, stateSize, 'init.weights');
  if (net.inputs !== stateSize || net.outputs !== actionCount) {
    throw new ValidationError(`init: expected a net with ${stateSize} inputs and ${actionCount} outputs (the env's), got [${net.sizes.join(', ')}]`);
  }
  return net;
}

/** Trains a double-DQN agent (see module comment). Same seed, specs and hyper ⇒ byte-identical weights. */
export async function trainDqn(options: TrainDqnOptions): Promise<TrainResult> {
  const t0 = performance.now();
  const h = resolveHyper(options.hyper);
  const episodes = requireInteger(options.episodes, 'episodes', 1);
  const seed = requireInteger(options.seed, 'seed', 0);
  const validateEvery = requireInteger(options.validateEvery ?? 50, 'validateEvery', 1);
  const trainSpecs = options.trainSpecs;
  const valSpecs = options.valSpecs ?? [];
  if (!Array.isArray(trainSpecs) || trainSpecs.length === 0) throw new ValidationError('trainSpecs: expected at least one episode spec, got none');
  const pool = await RolloutPool.create({ envModule: options.createEnvModule, workers: options.workers, maxSteps: options.maxSteps });
  try {
    const { stateSize, actionCount } = await pool.probe(trainSpecs[0], deriveSeed(seed, SEED_STREAM.train, 0));
    const agent = new DqnAgent({
      init: initialNet(options.init, h.hidden, stateSize, actionCount * (options.heads?.count ?? 1), seed),
      gamma: h.gamma, lr: h.lr, maxGradNorm: h.maxGradNorm, targetEvery: h.targetEvery,
      ...(options.heads ? { heads: options.heads } : {}),
    });
    const heads = options.heads;
    const termDiscounts = heads ? headDiscounts(heads, h.gamma) : undefined;
    if (options.relabel) checkRelabel(options.relabel, stateSize);
    const relabel = options.relabel && options.relabel.share > 0 ? options.relabel : undefined;
    const buffer = new ReplayBuffer({ capacity: h.bufferSize, stateSize, actionCount, termCount: heads ? heads.count : relabel ? relabel.weights.length + 1 : 0 });
    if (heads && relabel && relabel.weights.length + 1 !== heads.count) throw new ValidationError(`relabel: expected ${heads.count - 1} weights (one per cost head), got ${relabel.weights.length}`);
    const batch = buffer.createBatch(h.batch);
    const replayRng = mulberry32(deriveSeed(seed, SEED_STREAM.replay));
    const order = specOrder(trainSpecs.length, seed);
    const demoSteps = (options.demonstrations ?? []).reduce((a, ep) => a + ep.steps, 0);
    const demoBuffer = demoSteps > 0 && options.expertMargin ? new ReplayBuffer({ capacity: demoSteps, stateSize, actionCount, termCount: heads?.count ?? 0 }) : undefined;
    const demoBatch = demoBuffer?.createBatch(h.batch);
    for (const ep of options.demonstrations ?? []) {
      pushEpisode(buffer, ep, h.gamma, h.nStep, termDiscounts);
      if (demoBuffer) pushEpisode(demoBuffer, ep, h.gamma, h.nStep, termDiscounts);
    }
    /** One update: a replay batch, plus a demonstration batch with the margin loss when configured. */
    const sample = (): ReplayBatch => {
      buffer.sample(h.batch, replayRng, batch);
      return relabel ? relabelBatch(batch, relabel, stateSize, replayRng) : batch;
    };
    const step = (): number => agent.update(
      sample(),
      demoBuffer && demoBatch && options.expertMargin ? { batch: demoBuffer.sample(h.batch, replayRng, demoBatch), ...options.expertMargin } : undefined,
    );
    const pretrain = requireInteger(options.pretrainUpdates ?? 0, 'pretrainUpdates', 0);
    const p0 = performance.now();
    for (let u = 0; u < pretrain && buffer.size > 0; u++) step();
    const pretrainMs = performance.now() - p0;
    const curve: TrainCurvePoint[] = [];
    let best = agent.online.clone();
    let bestValReturn: number | undefined;
    let bestEpisode = -1;
    let steps = 0;
    let budget = 0;
    let rolloutMs = 0;
    let updateMs = pretrainMs;
    let validationMs = 0;
    let stopped = false;

    const validate = async (): Promise<number> => {
      const v0 = performance.now();
      const jobs = valSpecs.map((spec, j): RolloutJob => ({ spec, seed: deriveSeed(seed, SEED_STREAM.validation, j), epsilon: 0 }));
      const eps = await pool.run(agent.online, jobs, heads);
      validationMs += performance.now() - v0;
      return eps.reduce((s, e) => s + e.totalReward, 0) / eps.length;
    };
    if (valSpecs.length && (options.init !== undefined || pretrain > 0)) { // training must beat the net it started from
      bestValReturn = await validate();
      bestEpisode = 0;
    }

    /** Starts the rollouts of the round beginning at episode `first`, with a snapshot of the online net taken now. */
    const launch = (first: number): Round => {
      const n = Math.min(h.episodesPerRound, episodes - first);
      const jobs = Array.from({ length: n }, (_, k): RolloutJob => ({
        spec: trainSpecs[order(first + k)], seed: deriveSeed(seed, SEED_STREAM.train, first + k), epsilon: epsilonAt(first + k, h),
      }));
      const promise = pool.run(agent.online, jobs, heads);
      promise.catch(() => undefined); // handled where awaited; avoids an unhandled rejection while updating
      return { first, n, promise };
    };
    let done = 0;
    let next: Round | undefined = launch(0);
    try {
      while (done < episodes && next) {
        if (options.signal?.aborted) {
          stopped = true;
          break;
        }
        const round: Round = next;
        next = undefined;
        const r0 = performance.now();
        const eps = await round.promise;
        rolloutMs += performance.now() - r0;
        const after = round.first + round.n;
        // overlap: the next round runs on the workers during this round's updates, with the net as it is now
        if (h.overlapRollouts && after < episodes) next = launch(after);
        let roundSteps = 0;
        let roundReturn = 0;
        eps.forEach((ep, k) => {
          pushEpisode(buffer, ep, h.gamma, h.nStep, termDiscounts);
          roundSteps += ep.steps;
          roundReturn += ep.totalReward;
          curve.push({ episode: round.first + k + 1, trainReturn: ep.totalReward });
        });
        steps += roundSteps;
        const u0 = performance.now();
        let loss = 0;
        let updates = 0;
        if (buffer.size >= Math.max(h.warmup, 1)) {
          budget += h.updatesPerStep * roundSteps;
          for (; budget >= 1; budget--) {
            loss += step();
            updates++;
            // let the pool hand out jobs and collect results meanwhile (results are kept by job index)
            if (next && updates % 8 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
          }
        }
        updateMs += performance.now() - u0;
        done = after;
        let valReturn: number | undefined;
        if (valSpecs.length && (Math.floor(done / validateEvery) > Math.floor(round.first / validateEvery) || done === episodes)) {
          if (next) { // the pool runs one batch at a time: let the overlapped round finish first
            const ahead: Round = next;
            const w0 = performance.now();
            const res = await ahead.promise;
            rolloutMs += performance.now() - w0;
            next = { ...ahead, promise: Promise.resolve(res) };
          }
          valReturn = await validate();
          curve[curve.length - 1] = { ...curve[curve.length - 1], valReturn };
          if (bestValReturn === undefined || valReturn > bestValReturn) {
            bestValReturn = valReturn;
            bestEpisode = done;
            best = agent.online.clone();
          }
        }
        if (!h.overlapRollouts && done < episodes) next = launch(done);
        options.onProgress?.({
          episode: done, episodes, epsilon: epsilonAt(done - 1, h), trainReturn: roundReturn / round.n, valReturn, bestValReturn,
          loss: updates ? loss / updates : NaN, steps, updates: agent.updates, elapsedMs: performance.now() - t0,
        });
      }
    } finally {
      await next?.promise.catch(() => undefined); // an abandoned round (abort, error) finishes before the pool closes
    }
    const final = agent.online.clone();
    if (!valSpecs.length) best = final.clone();
    return {
      best, final, curve,
      stats: {
        episodes: done, steps, updates: agent.updates, sizes: final.sizes, workers: pool.workerCount, bestEpisode, bestValReturn, stopped,
        wallMs: performance.now() - t0, rolloutMs, updateMs, validationMs,
      },
    };
  } finally {
    await pool.close();
  }
}

/** Episode index → spec index: passes over the specs, each pass in a seeded random order. */
function specOrder(count: number, seed: number): (episode: number) => number {
  const passes = new Map<number, Int32Array>();
  return (episode) => {
    const pass = Math.floor(episode / count);
    let perm = passes.get(pass);
    if (!perm) {
      perm = Int32Array.from({ length: count }, (_, i) => i);
      const rng = mulberry32(deriveSeed(seed, SEED_STREAM.order, pass));
      for (let i = count - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      passes.clear();
      passes.set(pass, perm);
    }
    return perm[episode % count];
  };
}
